"""Train a small byte-level BPE vocabulary on the user's text with the ``tokenizers`` library.

Byte-level BPE (as in GPT-2) starts from the 256 byte values, so every text can be
encoded, in any language, with no unknown tokens; merges of frequent pairs then give
word pieces. The trained tokenizer is kept as the library's own JSON, inside the run's
``preprocessor.json``.

Example::

    spec = train_bpe(["some text to learn from ..."], vocab_size=2000)
    tok = tokenizers.Tokenizer.from_str(spec)
"""

from __future__ import annotations

from typing import Iterable

from app.core.data.errors import DataError

PAD, UNK, END = "<pad>", "<unk>", "<|endoftext|>"
#: Ids 0 and 1 are padding and unknown for every tokenizer in the app; the end-of-text
#: token (GPT-2's spelling) marks document ends when the text contains it.
SPECIAL_TOKENS = (PAD, UNK, END)
BYTE_ALPHABET = 256
MIN_VOCAB = BYTE_ALPHABET + len(SPECIAL_TOKENS)


def train_bpe(texts: Iterable[str], vocab_size: int, *, lowercase: bool = False, min_frequency: int = 2) -> str:
    """A byte-level BPE tokenizer of at most ``vocab_size`` tokens, as its JSON text."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    if vocab_size < MIN_VOCAB:
        raise DataError(f"A BPE vocabulary needs at least {MIN_VOCAB} tokens (the 256 byte values and "
                        f"{len(SPECIAL_TOKENS)} special tokens), but 'data.text.max_vocab' is {vocab_size}; "
                        "raise it (a few thousand suits most texts) or use the 'char' level.")
    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=int(vocab_size),
        min_frequency=min_frequency,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    texts = [t.lower() if lowercase else t for t in texts]
    tokenizer.train_from_iterator(texts, trainer=trainer, length=len(texts))
    return tokenizer.to_str()
