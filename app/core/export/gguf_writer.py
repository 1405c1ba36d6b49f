"""Write a Hugging Face Llama-family causal LM folder as one GGUF file (llama.cpp, Ollama).

Supported folders: ``model_type`` llama (Llama 2/3), mistral and qwen2 (Qwen2/2.5), with
``config.json``, ``*.safetensors`` and a ``tokenizer.json``. Everything llama.cpp reads is
written with the ``gguf`` package: the architecture's hyper-parameters, every tensor under
the name :class:`gguf.TensorNameMap` gives it, the vocabulary (byte-level BPE as tokenizer
model ``gpt2`` with its merges, or a byte-fallback BPE as SentencePiece-style ``llama``),
the special token ids and the chat template.

llama.cpp's ``llama`` architecture applies rotary embeddings to interleaved pairs, while
Hugging Face Llama/Mistral checkpoints rotate the two halves of each head; the Q and K
projection rows are reordered (:func:`permute_rotary`) so both give the same attention.
Qwen2 rotates halves in llama.cpp too, so its weights are written as they are.

Example::

    summary = write_gguf("hf-folder", "model.gguf", quant="q8_0")
    summary.arch, summary.n_tensors         # "llama", 21
    check_gguf("hf-folder", "model.gguf")   # worst relative difference per tensor, e.g. 0.0039
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from app.core.export.errors import ExportError

QUANTS = ("f16", "q8_0")
#: Hugging Face model_type -> (llama.cpp architecture, Q/K rows need the rotary permutation)
ARCHITECTURES = {"llama": ("llama", True), "mistral": ("llama", True), "qwen2": ("qwen2", False)}
#: Relative tolerance of the read-back check (q8_0 rounds each weight to 1/254 of its block's largest).
TOLERANCES = {"f16": 1e-3, "q8_0": 1e-2}
_Q8_BLOCK = 32


@dataclass
class GGUFSummary:
    """What :func:`write_gguf` wrote: enough for the model card and the Modelfile."""

    path: Path
    arch: str
    quant: str
    n_tensors: int
    tokenizer_model: str
    chat_template: str | None
    stop_tokens: list[str] = field(default_factory=list)


def read_config(folder: Path) -> dict:
    path = Path(folder) / "config.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"Cannot read '{path}' ({exc}); the GGUF export needs a Hugging Face config.json.") from None


def gguf_architecture(config: dict) -> tuple[str, bool]:
    """(llama.cpp architecture, needs the rotary permutation) for a config; refuses other families."""
    model_type = str(config.get("model_type") or "")
    if model_type not in ARCHITECTURES:
        raise ExportError(f"The gguf format writes Llama-family models (llama, mistral, qwen2); this model is "
                          f"'{model_type or 'unknown'}'. Use the hf or onnx format.")
    return ARCHITECTURES[model_type]


def _text_config(config: dict) -> dict:
    return config.get("text_config") or config


def rope_theta(config: dict) -> float:
    """The rotary base, wherever this transformers version put it (``rope_theta`` or ``rope_parameters``)."""
    params = config.get("rope_parameters") or config.get("rope_scaling") or {}
    return float(config.get("rope_theta") or params.get("rope_theta") or 10000.0)


def _rope_scaling(config: dict) -> dict:
    """The rope scaling settings (``rope_scaling`` before transformers 5, ``rope_parameters`` since)."""
    return config.get("rope_scaling") or config.get("rope_parameters") or {}


def head_dim(config: dict) -> int:
    return int(config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"])


def permute_rotary(weight, n_heads: int):
    """Reorder a Q/K projection's rows from rotating halves (HF) to rotating pairs (llama.cpp)."""
    rows = weight.shape[0]
    return (weight.reshape(n_heads, 2, rows // n_heads // 2, *weight.shape[1:])
            .swapaxes(1, 2).reshape(weight.shape))


def unpermute_rotary(weight, n_heads: int):
    """The inverse of :func:`permute_rotary` (for checking a written file against its source)."""
    rows = weight.shape[0]
    return (weight.reshape(n_heads, rows // n_heads // 2, 2, *weight.shape[1:])
            .swapaxes(1, 2).reshape(weight.shape))


def source_tensors(folder: Path):
    """(name, float32 numpy array) for every weight in the folder's safetensors files."""
    from safetensors import safe_open

    files = sorted(Path(folder).glob("*.safetensors"))
    if not files:
        raise ExportError(f"'{folder}' has no .safetensors weights; the GGUF export reads only safetensors.")
    for file in files:
        with safe_open(str(file), framework="pt") as handle:
            for name in handle.keys():
                yield name, handle.get_tensor(name).float().numpy()


def _rotary_heads(hf_name: str, config: dict) -> int | None:
    """Heads to permute by, for Q/K weights of architectures that need it."""
    if hf_name.endswith("self_attn.q_proj.weight"):
        return int(config["num_attention_heads"])
    if hf_name.endswith("self_attn.k_proj.weight"):
        return int(config.get("num_key_value_heads") or config["num_attention_heads"])
    return None


def _tensor_map(arch_name: str, n_blocks: int):
    import gguf

    arch = next(a for a, name in gguf.MODEL_ARCH_NAMES.items() if name == arch_name)
    return gguf.get_tensor_name_map(arch, n_blocks)


def gguf_tensor_name(name_map, hf_name: str) -> str | None:
    """llama.cpp's name for a Hugging Face weight; None for buffers llama.cpp does not store."""
    if hf_name.endswith("rotary_emb.inv_freq"):
        return None
    found = name_map.get_name(hf_name, try_suffixes=(".weight", ".bias"))
    if found is None:
        raise ExportError(f"The weight '{hf_name}' has no llama.cpp name, so this model cannot be written as GGUF; "
                          "use the hf format.")
    return found


def _encode(data, quant: str):
    """(array, raw GGML type or None) as written: 1-D tensors stay float32, like llama.cpp's own files."""
    import gguf
    import numpy as np

    if data.ndim <= 1:
        return data.astype(np.float32), None
    if quant == "q8_0" and data.shape[-1] % _Q8_BLOCK == 0:
        kind = gguf.GGMLQuantizationType.Q8_0
        return gguf.quants.quantize(data.astype(np.float32), kind), kind
    return data.astype(np.float16), None


def _add_hparams(writer, config: dict, name: str, quant: str) -> None:
    import gguf

    writer.add_name(name)
    writer.add_context_length(int(config.get("max_position_embeddings") or 2048))
    writer.add_embedding_length(int(config["hidden_size"]))
    writer.add_block_count(int(config["num_hidden_layers"]))
    writer.add_feed_forward_length(int(config["intermediate_size"]))
    heads = int(config["num_attention_heads"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(int(config.get("num_key_value_heads") or heads))
    writer.add_rope_freq_base(rope_theta(config))
    writer.add_layer_norm_rms_eps(float(config.get("rms_norm_eps") or 1e-6))
    writer.add_vocab_size(int(config["vocab_size"]))
    writer.add_rope_dimension_count(head_dim(config))
    if head_dim(config) != int(config["hidden_size"]) // heads:
        writer.add_key_length(head_dim(config))
        writer.add_value_length(head_dim(config))
    scaling = _rope_scaling(config)
    kind = scaling.get("rope_type") or scaling.get("type")
    if kind == "linear" and scaling.get("factor"):
        writer.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
        writer.add_rope_scaling_factor(float(scaling["factor"]))
    elif kind not in (None, "default", "llama3"):
        raise ExportError(f"The model's rope scaling '{kind}' is not written to GGUF by Modelwright; use the hf format.")
    file_type = gguf.LlamaFileType.MOSTLY_Q8_0 if quant == "q8_0" else gguf.LlamaFileType.MOSTLY_F16
    writer.add_file_type(int(file_type))
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)


def llama3_rope_factors(config: dict):
    """Per-frequency divisors llama.cpp applies for Llama 3.1-style rope scaling (``rope_freqs``), or None."""
    import numpy as np

    scaling = _rope_scaling(config)
    if (scaling.get("rope_type") or scaling.get("type")) != "llama3":
        return None
    dim = head_dim(config)
    inv_freq = 1.0 / (rope_theta(config) ** (np.arange(0, dim, 2, dtype=np.float64) / dim))
    factor, low, high = float(scaling["factor"]), float(scaling["low_freq_factor"]), float(scaling["high_freq_factor"])
    original = float(scaling["original_max_position_embeddings"])
    wavelen = 2 * np.pi / inv_freq
    smooth = (original / wavelen - low) / (high - low)
    divisors = np.where(wavelen < original / high, 1.0,
                        np.where(wavelen > original / low, factor, 1.0 / ((1 - smooth) / factor + smooth)))
    return divisors.astype(np.float32)


# --- tokenizer -------------------------------------------------------------------------------

#: The pre-tokenizer regexes of known byte-level BPE families -> llama.cpp's ``tokenizer.ggml.pre`` name.
_PRE_MARKERS = (("\\p{N}{1,3}", "llama-bpe"), ("\\p{N}|", "qwen2"))


def bpe_pre_tokenizer(tokenizer_json: dict) -> str:
    """llama.cpp's pre-tokenizer name for a byte-level BPE tokenizer (how text is split before merging)."""
    pre = tokenizer_json.get("pre_tokenizer") or {}
    steps = pre.get("pretokenizers", [pre]) if pre.get("type") == "Sequence" else [pre]
    regexes = [s.get("pattern", {}).get("Regex", "") for s in steps if s.get("type") == "Split"]
    if not regexes and any(s.get("type") == "ByteLevel" and s.get("use_regex", True) for s in steps):
        return "gpt-2"
    for marker, name in _PRE_MARKERS:
        if any(marker in r for r in regexes):
            return name
    return "default"


def _vocab(folder: Path):
    """(tokenizer model, tokens, scores, token types) from the folder's tokenizer files."""
    from gguf.vocab import BpeVocab, LlamaHfVocab

    try:
        vocab = BpeVocab(folder)
    except FileNotFoundError:
        try:
            vocab = LlamaHfVocab(folder)
        except (FileNotFoundError, TypeError, OSError, ValueError) as exc:
            raise ExportError(f"'{folder}' has no tokenizer.json that GGUF can hold (byte-level BPE or "
                              f"byte-fallback BPE): {exc}") from None
    except (OSError, ValueError, KeyError) as exc:
        raise ExportError(f"Cannot read the tokenizer in '{folder}': {exc}") from None
    tokens, scores, types = [], [], []
    for text, score, kind in vocab.all_tokens():
        tokens.append(text if isinstance(text, str) else text.decode("utf-8"))
        scores.append(float(score))
        types.append(int(kind))
    _mark_added_tokens(folder, tokens, types)
    if vocab.tokenizer_model == "llama":
        _merge_scores(folder, tokens, scores)
    return vocab.tokenizer_model, tokens, scores, types


def _merge_scores(folder: Path, tokens: list[str], scores: list[float]) -> None:
    """Scores that make llama.cpp's SentencePiece-style merging follow the BPE merge order.

    llama.cpp joins the adjacent pair whose joined piece scores highest; a Hugging Face BPE
    applies its merges by rank, so a merged piece scores minus its first merge's rank.
    """
    model = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8")).get("model") or {}
    index = {token: i for i, token in enumerate(tokens)}
    for rank, merge in enumerate(model.get("merges") or []):
        left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
        i = index.get(left + right)
        if i is not None and scores[i] == -1000.0:
            scores[i] = -float(rank)


def _mark_added_tokens(folder: Path, tokens: list[str], types: list[int]) -> None:
    """Special tokens (``<|im_end|>``...) as CONTROL, other added tokens USER_DEFINED, even inside the base vocab.

    llama.cpp matches these whole in the text and stops generating at CONTROL end tokens; a
    tokenizer trained with its special tokens holds them in the base vocabulary, where
    the plain vocabulary readers would call them NORMAL.
    """
    import gguf

    try:
        added = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8")).get("added_tokens") or []
    except (OSError, ValueError):
        return
    for entry in added:
        index = entry.get("id")
        if isinstance(index, int) and 0 <= index < len(tokens) and tokens[index] == entry.get("content"):
            kind = gguf.TokenType.CONTROL if entry.get("special") else gguf.TokenType.USER_DEFINED
            types[index] = int(kind)


def _add_tokenizer(writer, folder: Path, config: dict) -> tuple[str, str | None, list[str]]:
    import gguf

    model, tokens, scores, types = _vocab(folder)
    n_vocab = int(config["vocab_size"])
    if len(tokens) > n_vocab:
        raise ExportError(f"The tokenizer in '{folder}' has {len(tokens)} tokens but the model only {n_vocab} "
                          "embeddings; the GGUF file would be unusable.")
    for i in range(len(tokens), n_vocab):  # embedding rows the tokenizer never produces
        tokens.append(f"[PAD{i}]")
        scores.append(-1000.0)
        types.append(int(gguf.TokenType.UNUSED))
    writer.add_tokenizer_model(model)
    if model == "gpt2":
        tokenizer_json = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
        writer.add_tokenizer_pre(bpe_pre_tokenizer(tokenizer_json))
    else:
        writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    if model == "llama":
        writer.add_token_scores(scores)
    special = gguf.SpecialVocab(folder, load_merges=model == "gpt2", n_vocab=n_vocab)
    special.add_to_gguf(writer, quiet=True)
    template = special.chat_template if isinstance(special.chat_template, str) else None
    stops = sorted({tokens[i] for key, i in special.special_token_ids.items() if key == "eos" and 0 <= i < len(tokens)})
    return model, template, stops


# --- writing and checking ----------------------------------------------------------------------


def write_gguf(folder: str | os.PathLike, out: str | os.PathLike, *, quant: str = "f16",
               name: str | None = None) -> GGUFSummary:
    """Write ``folder`` (a Hugging Face Llama-family causal LM) as the GGUF file ``out``.

    ``out`` appears only complete: the file is written beside it and renamed at the end.
    """
    import gguf

    if quant not in QUANTS:
        raise ExportError(f"Unknown GGUF quantisation '{quant}'; choose one of {', '.join(QUANTS)}.")
    folder, out = Path(folder), Path(out)
    config = _text_config(read_config(folder))
    arch, permute = gguf_architecture(config)
    name_map = _tensor_map(arch, int(config["num_hidden_layers"]))
    partial = out.with_name(out.name + ".partial")
    writer = gguf.GGUFWriter(str(partial), arch, use_temp_file=True)  # tensors spill to disk, not memory
    try:
        _add_hparams(writer, config, name or folder.name, quant)
        model, template, stops = _add_tokenizer(writer, folder, config)
        count = 0
        factors = llama3_rope_factors(config)
        if factors is not None:
            writer.add_tensor(gguf.TENSOR_NAMES[gguf.MODEL_TENSOR.ROPE_FREQS] + ".weight", factors)
            count += 1
        for hf_name, data in source_tensors(folder):
            target = gguf_tensor_name(name_map, hf_name)
            if target is None:
                continue
            heads = _rotary_heads(hf_name, config) if permute else None
            if heads:
                data = permute_rotary(data, heads)
            array, raw = _encode(data, quant)
            writer.add_tensor(target, array, raw_dtype=raw)
            count += 1
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(partial, out)
    except BaseException:
        writer.close()
        partial.unlink(missing_ok=True)
        raise
    return GGUFSummary(out, arch, quant, count, model, template, stops)


def read_tensor(tensor):
    """A GGUFReader tensor as float32 in the source's (rows, columns) layout."""
    import gguf
    import numpy as np

    data = gguf.quants.dequantize(tensor.data, tensor.tensor_type)
    shape = [int(n) for n in reversed(tensor.shape.tolist())]
    return np.asarray(data, dtype=np.float32).reshape(shape)


def field_value(reader, key: str):
    """A metadata value from a GGUFReader (numbers, strings, and lists of either)."""
    entry = reader.fields.get(key)
    if entry is None:
        return None
    return entry.contents()


def check_gguf(folder: str | os.PathLike, path: str | os.PathLike) -> tuple[float, list[str]]:
    """Read ``path`` back and compare it with ``folder``: (worst relative tensor difference, problems).

    Every source tensor must be present with its shape, within ``max|diff| / max|source|``;
    the Q/K permutation is undone first. ``problems`` lists missing tensors and metadata
    that disagrees with ``config.json`` (an empty list means the file holds the model).
    """
    import gguf
    import numpy as np

    folder = Path(folder)
    config = _text_config(read_config(folder))
    arch, permute = gguf_architecture(config)
    name_map = _tensor_map(arch, int(config["num_hidden_layers"]))
    reader = gguf.GGUFReader(str(path))
    written = {t.name: t for t in reader.tensors}
    problems, worst = [], 0.0
    expected = {
        f"{arch}.block_count": int(config["num_hidden_layers"]),
        f"{arch}.embedding_length": int(config["hidden_size"]),
        f"{arch}.feed_forward_length": int(config["intermediate_size"]),
        f"{arch}.attention.head_count": int(config["num_attention_heads"]),
        f"{arch}.attention.head_count_kv": int(config.get("num_key_value_heads") or config["num_attention_heads"]),
        f"{arch}.context_length": int(config.get("max_position_embeddings") or 2048),
        "general.architecture": arch,
    }
    for key, want in expected.items():
        got = field_value(reader, key)
        if got != want:
            problems.append(f"{key} is {got!r}, expected {want!r}")
    for key, want in ((gguf.Keys.Rope.FREQ_BASE.format(arch=arch), rope_theta(config)),
                      (gguf.Keys.Attention.LAYERNORM_RMS_EPS.format(arch=arch), float(config.get("rms_norm_eps") or 1e-6))):
        got = field_value(reader, key)
        if got is None or not np.isclose(got, want, rtol=1e-6):
            problems.append(f"{key} is {got!r}, expected {want!r}")
    tokens = field_value(reader, "tokenizer.ggml.tokens")
    if not tokens or len(tokens) != int(config["vocab_size"]):
        problems.append(f"the vocabulary has {len(tokens or [])} tokens, expected {config['vocab_size']}")
    for hf_name, source in source_tensors(folder):
        target = gguf_tensor_name(name_map, hf_name)
        if target is None:
            continue
        if target not in written:
            problems.append(f"tensor {target} ({hf_name}) is missing")
            continue
        data = read_tensor(written[target])
        heads = _rotary_heads(hf_name, config) if permute else None
        if heads:
            data = unpermute_rotary(data, heads)
        if data.shape != source.shape:
            problems.append(f"tensor {target} has shape {data.shape}, expected {source.shape}")
            continue
        scale = float(np.abs(source).max()) or 1.0
        diff = float(np.abs(data - source).max()) / scale
        worst = max(worst, diff if np.isfinite(diff) else float("inf"))
    return worst, problems
