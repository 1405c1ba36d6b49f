"""``export --format hf`` for fine-tuned models: a folder ``transformers`` loads with ``from_pretrained``.

* A fine-tuned language model becomes a plain causal LM folder (``config.json``,
  ``model.safetensors``, tokenizer files):
  ``AutoModelForCausalLM.from_pretrained(folder, trust_remote_code=False)`` returns the trained logits.
* A fine-tuned text classifier/regressor becomes the encoder folder (``AutoModel`` loads it)
  plus its head: ``head.safetensors`` (the final linear layer) and ``modelwright_head.json``
  (pooling, pad id, labels), the few lines :func:`load_hf_model` shows.

LoRA adapters are merged into the weights, so the folder needs neither peft nor Modelwright.
The exporter in :mod:`app.core.export.formats.hf` calls :func:`check_run`,
:func:`write_hf_folder` and :func:`load_hf_model` (for its parity check).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from app.core.export.errors import ExportError

HEAD_FILE = "head.safetensors"
HEAD_SPEC = "modelwright_head.json"
_TOKENIZER_FILES = ("tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt")
_HEAD_TYPES = ("head.classifier", "core.linear")
USAGE = ("ids = tokenizer(texts, padding=True, truncation=True, return_tensors='pt')['input_ids']; "
         "hidden = AutoModel.from_pretrained(folder, trust_remote_code=False)(input_ids=ids, "
         "attention_mask=(ids != pad_token_id))"
         ".last_hidden_state; pool it as 'pooling' says (mean over non-pad tokens, or the first token); "
         "logits = pooled @ head.weight.T + head.bias with head from head.safetensors.")


def _pretrained_node(run):
    nodes = [n for n in run.graph.nodes if n.type.startswith("pretrained.")]
    if len(nodes) != 1:
        raise ExportError("The hf format holds one pretrained base and its head; this network has "
                          f"{len(nodes)} pretrained bases. Use the safetensors format.")
    return nodes[0]


def _head_chain(run, node) -> list:
    """The nodes after the base up to the Output, when they form a simple chain the folder can hold."""
    graph, chain, current = run.graph, [], node.id
    while True:
        outgoing = [e for e in graph.edges if e.source == current]
        if len(outgoing) != 1:
            raise ExportError("The hf format needs the base followed by a single chain of layers to the Output; "
                              f"'{current}' feeds {len(outgoing)} layers. Use the safetensors format.")
        nxt = graph.node(outgoing[0].target)
        if nxt.type == "io.output":
            return chain
        chain.append(nxt)
        current = nxt.id


def check_run(run) -> None:
    """Refuse networks the folder cannot hold, before anything is written."""
    node = _pretrained_node(run)
    if run.graph.incoming(node.id)[0].source not in run.graph.input_ids():
        raise ExportError("The hf format needs the token Input straight into the pretrained base.")
    chain = _head_chain(run, node)
    if node.type == "pretrained.causal_lm":
        if chain:
            raise ExportError("A fine-tuned language model exports to the hf format only when its scores are the "
                              f"model's output; remove the layers after '{node.id}' or use the safetensors format.")
        return
    linears = [n for n in chain if n.type in _HEAD_TYPES]
    others = [n for n in chain if n.type not in _HEAD_TYPES and n.type != "core.dropout"]
    if len(linears) != 1 or others or linears[0] is not chain[-1] or linears[0].params.get("activation", "none") not in ("none",):
        names = ", ".join(f"'{n.id}' ({n.spec.display_name})" for n in chain) or "nothing"
        raise ExportError("The hf format holds a pretrained encoder with one linear head (dropout allowed); after "
                          f"'{node.id}' this network has {names}. Use the safetensors or pytorch format.")


def write_hf_folder(run, folder: Path) -> list[str]:
    """Write the folder (see the module docstring); returns the file names written."""
    from safetensors.torch import save_file

    check_run(run)
    node = _pretrained_node(run)
    module = run.model[node.id]
    backbone = module.plain_backbone()
    backbone.save_pretrained(str(folder), safe_serialization=True)
    files = sorted(p.name for p in folder.iterdir())
    files += _write_tokenizer(run, node, folder)
    if node.type == "pretrained.text_encoder":
        head = _head_chain(run, node)[-1]
        linear = run.model[head.id]
        save_file({"weight": linear.weight.detach().contiguous(),
                   **({"bias": linear.bias.detach().contiguous()} if linear.bias is not None else {})},
                  str(folder / HEAD_FILE))
        spec = {"format": "modelwright-hf-head", "version": 1, "pooling": module.pooling,
                "pad_token_id": module.pad_token_id, "task": run.info.task,
                "labels": list(run.info.class_names or []), "outputs_are_logits": run.outputs_are_logits,
                "usage": USAGE}
        (folder / HEAD_SPEC).write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        files += [HEAD_FILE, HEAD_SPEC]
    return sorted(set(files))


def _write_tokenizer(run, node, folder: Path) -> list[str]:
    """tokenizer.json exactly as training used it, and the base's tokenizer settings beside it."""
    from app.core.finetune.bases import inspect_base

    written = []
    saved = (run.preprocessor or {}).get("tokenizer") or {}
    if saved.get("type") == "pretrained":
        (folder / "tokenizer.json").write_text(saved["tokenizer_json"], encoding="utf-8")
        written.append("tokenizer.json")
    try:
        base = inspect_base(node.params["base"]).path
    except Exception:  # noqa: BLE001 - the base folder moved: the saved tokenizer.json is enough
        return written
    for name in _TOKENIZER_FILES:
        if (base / name).is_file() and not (folder / name).exists():
            shutil.copyfile(base / name, folder / name)
            written.append(name)
    return written


def load_hf_model(folder: Path):
    """The exported folder as a callable ``model(ids) -> outputs``, loaded with ``transformers`` only."""
    import torch
    from safetensors.torch import load_file

    from app.core.finetune.bases import read_config
    from app.core.finetune.folder_safety import check_base_folder
    from app.core.finetune.offline import no_prompts, transformers

    tf = transformers()
    folder = Path(folder)
    check_base_folder(folder, read_config(folder))
    if not (folder / HEAD_SPEC).is_file():
        with no_prompts():
            model = tf.AutoModelForCausalLM.from_pretrained(str(folder), trust_remote_code=False, local_files_only=True,
                                                            use_safetensors=True)
        model.eval()
        return lambda ids: model(input_ids=ids, use_cache=False).logits
    spec = json.loads((folder / HEAD_SPEC).read_text(encoding="utf-8"))
    with no_prompts():
        encoder = tf.AutoModel.from_pretrained(str(folder), trust_remote_code=False, local_files_only=True,
                                               use_safetensors=True)
    encoder.eval()
    head = load_file(str(folder / HEAD_FILE))
    pad = spec["pad_token_id"]

    def run(ids):
        mask = torch.ones_like(ids) if pad is None else (ids != pad).to(ids.dtype)
        hidden = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        if spec["pooling"] == "cls":
            pooled = hidden[:, 0]
        elif spec["pooling"] == "max":
            pooled = hidden.masked_fill(mask.unsqueeze(-1) == 0, torch.finfo(hidden.dtype).min).amax(dim=1)
        else:
            m = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
        out = pooled @ head["weight"].T
        return out + head["bias"] if "bias" in head else out

    return run
