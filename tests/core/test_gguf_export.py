"""GGUF export: tiny random Llama, Qwen2 and Mistral folders become GGUF files that hold exactly
their weights (f16 and q8_0), the architecture metadata llama.cpp reads, the tokenizer and the chat
template; `export --format gguf` writes a run fine-tuned from a Llama base with an Ollama Modelfile,
and refuses runs the format cannot hold with one line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.core.test_export_runs import trained_run
from tests.core.test_finetune_support import _training_texts, corpus_text, sentiment_csv, tiny_bert, tiny_gpt2

gguf = pytest.importorskip("gguf")

CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
          "'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def _bpe_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(_training_texts(), trainer)
    return tok


def tiny_llama_family(folder: Path, model_type: str, tok, chat_template: str | None = CHATML) -> Path:
    """A 2-block, 64-wide causal LM with grouped-query attention (4 query heads, 2 KV heads)."""
    import transformers as tf

    classes = {"llama": (tf.LlamaConfig, tf.LlamaForCausalLM), "qwen2": (tf.Qwen2Config, tf.Qwen2ForCausalLM),
               "mistral": (tf.MistralConfig, tf.MistralForCausalLM)}
    fast = tf.PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|im_end|>",
                                      pad_token="<|endoftext|>")
    if chat_template:
        fast.chat_template = chat_template
    folder.mkdir(parents=True, exist_ok=True)
    fast.save_pretrained(str(folder))
    config_cls, model_cls = classes[model_type]
    config = config_cls(vocab_size=tok.get_vocab_size() + 4, hidden_size=64, intermediate_size=128,
                        num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                        max_position_embeddings=128, bos_token_id=0, eos_token_id=2, pad_token_id=0,
                        rms_norm_eps=1e-5, tie_word_embeddings=model_type == "qwen2")
    import torch

    torch.manual_seed(0)
    model_cls(config).save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("gguf")
    tok = _bpe_tokenizer()
    return root, {kind: tiny_llama_family(root / kind, kind, tok) for kind in ("llama", "qwen2", "mistral")}


def _reader(path):
    from app.core.export.gguf_writer import field_value

    reader = gguf.GGUFReader(str(path))
    return reader, lambda key: field_value(reader, key), {t.name: t for t in reader.tensors}


@pytest.mark.parametrize("quant", ["f16", "q8_0"])
@pytest.mark.parametrize("kind", ["llama", "qwen2", "mistral"])
def test_every_family_converts_with_its_weights_metadata_and_tokenizer(folders, kind, quant):
    from safetensors.numpy import load_file

    from app.core.export.gguf_writer import check_gguf, read_tensor, unpermute_rotary, write_gguf

    root, by_kind = folders
    source = by_kind[kind]
    out = root / f"{kind}-{quant}.gguf"
    summary = write_gguf(source, out, quant=quant)
    assert out.is_file() and not list(root.glob("*.partial"))
    arch = "qwen2" if kind == "qwen2" else "llama"
    assert summary.arch == arch and summary.tokenizer_model == "gpt2" and summary.stop_tokens == ["<|im_end|>"]

    worst, problems = check_gguf(source, out)
    assert problems == [] and worst < (1e-3 if quant == "f16" else 1e-2)

    reader, value, tensors = _reader(out)
    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    assert value("general.architecture") == arch
    assert value(f"{arch}.block_count") == 2 and value(f"{arch}.embedding_length") == 64
    assert value(f"{arch}.feed_forward_length") == 128 and value(f"{arch}.context_length") == 128
    assert value(f"{arch}.attention.head_count") == 4 and value(f"{arch}.attention.head_count_kv") == 2
    assert value(f"{arch}.rope.freq_base") == pytest.approx(10000.0)
    assert value(f"{arch}.attention.layer_norm_rms_epsilon") == pytest.approx(1e-5)
    assert value(f"{arch}.vocab_size") == config["vocab_size"] == len(value("tokenizer.ggml.tokens"))
    assert value("tokenizer.ggml.model") == "gpt2" and value("tokenizer.ggml.pre") == "gpt-2"
    assert len(value("tokenizer.ggml.merges")) > 10
    tokens = value("tokenizer.ggml.tokens")
    assert tokens[value("tokenizer.ggml.eos_token_id")] == "<|im_end|>"
    assert tokens[value("tokenizer.ggml.bos_token_id")] == "<|endoftext|>"
    assert value("tokenizer.ggml.token_type")[2] == int(gguf.TokenType.CONTROL)
    assert value("tokenizer.chat_template") == CHATML

    weights = load_file(str(source / "model.safetensors"))
    assert "blk.1.attn_k.weight" in tensors and "token_embd.weight" in tensors
    assert ("output.weight" in tensors) == (kind != "qwen2")  # Qwen2 here ties the output to the embedding
    if kind == "qwen2":
        assert "blk.0.attn_q.bias" in tensors
    want_type = gguf.GGMLQuantizationType.Q8_0 if quant == "q8_0" else gguf.GGMLQuantizationType.F16
    assert tensors["blk.0.ffn_down.weight"].tensor_type == want_type
    assert tensors["blk.0.attn_norm.weight"].tensor_type == gguf.GGMLQuantizationType.F32
    k_source = weights["model.layers.1.self_attn.k_proj.weight"]
    k_written = read_tensor(tensors["blk.1.attn_k.weight"])
    tol = 2e-3 if quant == "f16" else 2e-2
    if arch == "llama":  # rows reordered for llama.cpp's interleaved rotary, exactly undone by the inverse
        assert not np.allclose(k_written, k_source, atol=tol)
        k_written = unpermute_rotary(k_written, 2)
    assert np.allclose(k_written, k_source, atol=tol * np.abs(k_source).max())


def test_rotary_permutation_interleaves_the_two_halves_of_each_head():
    from app.core.export.gguf_writer import permute_rotary, unpermute_rotary

    rows = np.arange(16, dtype=np.float32).reshape(16, 1)  # 2 heads of 8 rows
    permuted = permute_rotary(rows, 2)[:, 0].tolist()
    assert permuted == [0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15]
    assert unpermute_rotary(permute_rotary(rows, 2), 2).tolist() == rows.tolist()



def test_pre_tokenizer_names_follow_the_split_llama_cpp_must_apply():
    from app.core.export.gguf_writer import bpe_pre_tokenizer

    def split(regex):
        return {"pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": regex}, "behavior": "Isolated"},
            {"type": "ByteLevel", "add_prefix_space": False, "use_regex": False}]}}

    llama3 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
              r"|\s*[\r\n]+|\s+(?!\S)|\s+")
    qwen2 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
             r"|\s*[\r\n]+|\s+(?!\S)|\s+")
    assert bpe_pre_tokenizer(split(llama3)) == "llama-bpe"
    assert bpe_pre_tokenizer(split(qwen2)) == "qwen2"
    assert bpe_pre_tokenizer({"pre_tokenizer": {"type": "ByteLevel", "use_regex": True}}) == "gpt-2"
    assert bpe_pre_tokenizer(split(r"\w+")) == "default"

def test_modelfile_converts_chatml_and_says_when_a_template_cannot_be(folders):
    from app.core.export.formats.gguf import modelfile_text
    from app.core.export.gguf_writer import GGUFSummary

    chatml = modelfile_text(GGUFSummary(Path("m.gguf"), "llama", "f16", 1, "gpt2", CHATML, ["<|im_end|>"]))
    assert chatml.splitlines()[1] == "FROM ./model.gguf"
    assert 'TEMPLATE """{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>' in chatml
    assert chatml.count('PARAMETER stop "<|im_end|>"') == 1
    other = modelfile_text(GGUFSummary(Path("m.gguf"), "llama", "f16", 1, "gpt2", "[INST] {{ m }} [/INST]", ["</s>"]))
    assert "TEMPLATE" not in other.replace("add a TEMPLATE line", "") and "not converted" in other
    assert 'PARAMETER stop "</s>"' in other


def test_other_architectures_and_unknown_quantisations_are_refused(folders, tmp_path):
    from app.core.export.errors import ExportError
    from app.core.export.gguf_writer import write_gguf

    gpt2 = tiny_gpt2(tmp_path / "gpt2")
    with pytest.raises(ExportError, match="'gpt2'"):
        write_gguf(gpt2, tmp_path / "x.gguf")
    with pytest.raises(ExportError, match="q4"):
        write_gguf(folders[1]["llama"], tmp_path / "x.gguf", quant="q4")
    assert not list(tmp_path.glob("x.gguf*"))


def tiny_byte_fallback_llama(folder: Path) -> Path:
    """A Llama whose tokenizer is SentencePiece-style BPE (``▁`` for spaces, <0xNN> byte tokens), like Llama 2."""
    import transformers as tf
    from tokenizers import Tokenizer, decoders, models, normalizers, trainers

    specials = ["<unk>", "<s>", "</s>"]
    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(" ", 1, 0)])
    byte_tokens = [f"<0x{i:02X}>" for i in range(256)]
    tok.train_from_iterator(_training_texts(), trainers.BpeTrainer(vocab_size=400, special_tokens=specials + byte_tokens))
    saved = json.loads(tok.to_str())
    saved["added_tokens"] = [a for a in saved["added_tokens"] if a["content"] in specials]  # bytes are plain pieces
    tok = Tokenizer.from_str(json.dumps(saved))
    folder.mkdir(parents=True, exist_ok=True)
    tf.PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                               unk_token="<unk>").save_pretrained(str(folder))
    config = tf.LlamaConfig(vocab_size=tok.get_vocab_size(), hidden_size=64, intermediate_size=128,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                            max_position_embeddings=128, bos_token_id=1, eos_token_id=2)
    tf.LlamaForCausalLM(config).save_pretrained(str(folder))
    return folder


def test_a_byte_fallback_tokenizer_is_written_as_a_sentencepiece_vocabulary(tmp_path):
    from app.core.export.gguf_writer import check_gguf, write_gguf

    folder = tiny_byte_fallback_llama(tmp_path / "spm")
    summary = write_gguf(folder, tmp_path / "spm.gguf")
    assert summary.tokenizer_model == "llama" and check_gguf(folder, summary.path)[1] == []
    _, value, _ = _reader(summary.path)
    tokens, types, scores = (value(f"tokenizer.ggml.{k}") for k in ("tokens", "token_type", "scores"))
    assert value("tokenizer.ggml.model") == "llama" and tokens[:3] == ["<unk>", "<s>", "</s>"]
    assert types[tokens.index("<0x0A>")] == int(gguf.TokenType.BYTE) and types[2] == int(gguf.TokenType.CONTROL)
    merges = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))["model"]["merges"]
    merged = ["".join(m) if isinstance(m, list) else m.replace(" ", "") for m in merges[:20]]
    ranked = [scores[tokens.index(piece)] for piece in dict.fromkeys(merged)]
    assert ranked == sorted(ranked, reverse=True) and ranked[0] == 0.0 and ranked[-1] < -5  # merge order kept

# --- through the command line ------------------------------------------------------------------


def _cli(capsys, *args) -> tuple[int, str, str]:
    from app.cli import main

    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.strip()


@pytest.fixture(scope="module")
def llama_run(tmp_path_factory):
    from app.cli import main

    root = tmp_path_factory.mktemp("gguf-cli")
    base = tiny_llama_family(root / "llama-base", "llama", _bpe_tokenizer())
    text = corpus_text(root / "corpus.txt", repeats=10)
    assert main(["new", "--template", "finetune-lm", "--base", str(base), "--data", str(text),
                 "--out", str(root / "lm.mwproj")]) == 0
    assert main(["train", str(root / "lm.mwproj"), "--steps", "3", "--batch-size", "4", "--out",
                 str(root / "run")]) == 0
    return root, root / "run"


@pytest.mark.parametrize("quant", [None, "q8_0"])
def test_export_of_a_run_fine_tuned_from_a_llama_base(llama_run, capsys, quant):
    root, run = llama_run
    out = root / f"gguf-{quant}"
    code, stdout, err = _cli(capsys, "export", run, "--format", "gguf", "--out", out,
                             *(["--quant", quant] if quant else []))
    assert code == 0, err
    assert "Parity check passed" in stdout
    assert {"model.gguf", "Modelfile", "README.md", "export.json"} <= {p.name for p in out.iterdir()}
    manifest = json.loads((out / "export.json").read_text(encoding="utf-8"))
    assert manifest["gguf"]["quant"] == (quant or "f16") and manifest["parity"]["passed"]
    assert manifest["gguf"]["architecture"] == "llama" and manifest["gguf"]["chat_template"]
    modelfile = (out / "Modelfile").read_text(encoding="utf-8")
    assert "FROM ./model.gguf" in modelfile and "<|im_start|>{{ .Role }}" in modelfile
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "ollama create" in card and "llama-cli -m model.gguf" in card
    _, value, tensors = _reader(out / "model.gguf")
    assert value("tokenizer.chat_template") == CHATML and value("llama.attention.head_count_kv") == 2
    want = gguf.GGMLQuantizationType.Q8_0 if quant else gguf.GGMLQuantizationType.F16
    assert tensors["blk.0.attn_q.weight"].tensor_type == want


def test_runs_the_format_cannot_hold_are_refused_in_one_line(llama_run, capsys, tmp_path):
    from app.cli import main

    root, run = llama_run
    gpt2 = tiny_gpt2(tmp_path / "gpt2")
    assert main(["new", "--template", "finetune-lm", "--base", str(gpt2), "--data",
                 str(corpus_text(tmp_path / "c.txt", repeats=5)), "--out", str(tmp_path / "g.mwproj")]) == 0
    assert main(["train", str(tmp_path / "g.mwproj"), "--steps", "1", "--batch-size", "4", "--out",
                 str(tmp_path / "g-run")]) == 0
    bert = tiny_bert(tmp_path / "bert")
    assert main(["new", "--template", "finetune-text", "--base", str(bert), "--data",
                 str(sentiment_csv(tmp_path / "r.csv", n=40)), "--target", "sentiment",
                 "--out", str(tmp_path / "c.mwproj")]) == 0
    assert main(["train", str(tmp_path / "c.mwproj"), "--epochs", "1", "--out", str(tmp_path / "c-run")]) == 0
    for args, needle in (((tmp_path / "g-run", "--format", "gguf"), "'gpt2'"),
                         ((tmp_path / "c-run", "--format", "gguf"), "text classifier"),
                         ((trained_run("keras-seed"), "--format", "gguf"), "built in the designer"),
                         ((run, "--format", "hf", "--quant", "q8_0"), "no settings")):
        code, _, err = _cli(capsys, "export", *args, "--out", tmp_path / "refused")
        assert code == 1 and len(err.splitlines()) == 1 and err.startswith("error: ") and needle in err, err
        assert "unexpected" not in err and not (tmp_path / "refused").exists()
