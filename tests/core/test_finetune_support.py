"""Data and tiny pretrained bases for the fine-tuning tests, made on the spot (no downloads).

``sentiment_csv`` writes review sentences with a positive/negative label; ``tiny_bert`` and
``tiny_gpt2`` save randomly initialised Hugging Face models with a tokenizer trained by the
``tokenizers`` library, i.e. folders exactly like the ones users pick. The tests at the
bottom check that those folders are what the rest of the suite assumes.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

POSITIVE = ["great", "wonderful", "superb", "lovely", "brilliant", "delightful", "excellent", "enjoyable",
            "charming", "moving", "touching", "gripping"]
NEGATIVE = ["awful", "dreadful", "boring", "terrible", "dull", "horrible", "disappointing", "tedious", "clumsy",
            "painful", "bland", "lifeless"]
SUBJECTS = ["the film", "this movie", "the plot", "the acting", "the soundtrack", "the ending", "the cast",
            "the script", "the story", "the camera work"]
PATTERNS = ["{s} was {w}", "i found {s} {w}", "honestly, {s} felt {w}", "{s} is {w} and {w2}",
            "what a {w} experience, {s} too", "everyone said {s} was {w}"]
CORPUS_LINES = [
    "The quick brown fox jumps over the lazy dog while the cat sleeps in the warm sun.",
    "A small model learns to continue text one token at a time, from the words it has seen.",
    "Rain fell on the old town, and the river rose slowly under the stone bridge.",
    "She opened the window, looked at the garden and smiled at the first flowers of spring.",
]


def sentiment_rows(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        positive = rng.random() < 0.5
        words = POSITIVE if positive else NEGATIVE
        text = rng.choice(PATTERNS).format(s=rng.choice(SUBJECTS), w=rng.choice(words), w2=rng.choice(words))
        rows.append((text, "positive" if positive else "negative"))
    return rows


def sentiment_csv(path: Path, n: int = 200, seed: int = 1) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["review", "sentiment"])
        writer.writerows(sentiment_rows(n, seed))
    return path


def corpus_text(path: Path, repeats: int = 40) -> Path:
    path.write_text("\n".join(CORPUS_LINES * repeats) + "\n", encoding="utf-8")
    return path


def _training_texts() -> list[str]:
    return [t for t, _ in sentiment_rows(300, 99)] + CORPUS_LINES * 5


def tiny_bert(folder: Path, *, hidden: int = 32, layers: int = 2, model_type: str = "bert") -> Path:
    """A 2-block BERT (or DistilBERT) with a WordPiece tokenizer; config.json, model.safetensors, tokenizer.json."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers

    from app.core.finetune.offline import transformers

    tf = transformers()
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(_training_texts(), trainers.WordPieceTrainer(vocab_size=400, special_tokens=specials))
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
                                                       special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)])
    folder.mkdir(parents=True, exist_ok=True)
    tok.save(str(folder / "tokenizer.json"))
    vocab = tok.get_vocab_size()
    if model_type == "distilbert":
        config = tf.DistilBertConfig(vocab_size=vocab, dim=hidden, n_layers=layers, n_heads=2, hidden_dim=hidden * 2,
                                     max_position_embeddings=64, pad_token_id=0)
        model = tf.DistilBertModel(config)
    else:
        config = tf.BertConfig(vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=2,
                               intermediate_size=hidden * 2, max_position_embeddings=64, pad_token_id=0)
        model = tf.BertModel(config)
    model.save_pretrained(str(folder))
    return folder


def tiny_gpt2(folder: Path, *, hidden: int = 32, layers: int = 2) -> Path:
    """A 2-block GPT-2 with a byte-level BPE tokenizer, saved like any Hugging Face causal LM."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    from app.core.finetune.offline import transformers

    tf = transformers()
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(_training_texts(), trainer)
    folder.mkdir(parents=True, exist_ok=True)
    tok.save(str(folder / "tokenizer.json"))
    eos = tok.token_to_id("<|endoftext|>")
    config = tf.GPT2Config(vocab_size=tok.get_vocab_size(), n_positions=64, n_embd=hidden, n_layer=layers, n_head=2,
                           bos_token_id=eos, eos_token_id=eos)
    tf.GPT2LMHeadModel(config).save_pretrained(str(folder))
    return folder


# --- checks of the helpers themselves ----------------------------------------------------------


def test_sentiment_rows_are_balanced_and_repeatable():
    rows = sentiment_rows(200, 1)
    assert rows == sentiment_rows(200, 1)
    share = sum(label == "positive" for _, label in rows) / len(rows)
    assert 0.35 < share < 0.65


def test_tiny_bases_look_like_hugging_face_folders(tmp_path):
    from app.core.finetune.bases import inspect_base

    bert = inspect_base(str(tiny_bert(tmp_path / "bert")))
    gpt = inspect_base(str(tiny_gpt2(tmp_path / "gpt2")))
    assert (bert.kind, bert.model_type, bert.n_layers, bert.hidden_size) == ("encoder", "bert", 2, 32)
    assert (gpt.kind, gpt.model_type, gpt.architecture) == ("causal-lm", "gpt2", "GPT2LMHeadModel")
    assert bert.weights == gpt.weights == "safetensors"
    assert 0 < bert.parameters < 100_000
