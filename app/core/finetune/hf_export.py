"""``export --format hf`` for fine-tuned models: a folder ``transformers`` loads as its own native class.

* A fine-tuned language model becomes a plain causal LM folder (``config.json``,
  ``model.safetensors``, tokenizer files): ``AutoModelForCausalLM`` (``trust_remote_code=False``)
  gives the trained scores and ``generate`` the same greedy tokens.
* A fine-tuned text classifier/regressor trained with the base's native head (``pooling
  'pooler'``, see :mod:`.native_head`) becomes a ``*ForSequenceClassification`` folder:
  ``AutoModelForSequenceClassification`` and ``pipeline("text-classification")`` load it with
  the class names in ``config.id2label``. A binary classifier's single score ``z`` is written
  as the two scores ``(0, z)``, whose softmax is exactly ``(1 - sigmoid(z), sigmoid(z))``;
  a regressor's head has the target scaling folded in, so it gives values in the data's units.
* A classifier trained with mean/cls/max pooling is refused: no native class pools that way,
  and a folder needing custom code is what loaders must never run. It needs re-training.

LoRA adapters are merged into the weights, so the folder needs neither peft nor Modelwright.
The exporter in :mod:`app.core.export.formats.hf` calls :func:`check_run`,
:func:`write_hf_folder` and, for its parity check, :func:`run_outputs` on what plain
``transformers`` returns.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from app.core.export.errors import ExportError
from app.core.finetune.native_head import has_native_pooler_head

_TOKENIZER_FILES = ("tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt")
_HEAD_TYPES = ("head.classifier", "core.linear")


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
    """Refuse networks the folder cannot hold as a native class, before anything is written."""
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
    module = run.model[node.id]
    if not has_native_pooler_head(module.model_type):
        raise ExportError(f"transformers has no sequence-classification class for the '{module.model_type}' base "
                          "that classifies a pooled vector with one linear layer, so this classifier cannot be "
                          "written as a native Hugging Face model; use the safetensors, pytorch or onnx format.")
    if module.pooling != "pooler":
        raise ExportError(f"The run '{run.name}' was trained with {module.pooling} pooling and its own head, which "
                          "AutoModelForSequenceClassification cannot reproduce without custom code; re-train it "
                          "from a new fine-tuning project (new projects train the base's native pooler head) to "
                          "export it as hf, or use the safetensors, pytorch or onnx format.")
    if run.info.task == "binary" and not run.outputs_are_logits:
        raise ExportError(f"The run '{run.name}' outputs probabilities (loss '{run.loss_name}'), but a Hugging Face "
                          "classifier outputs raw scores; train it with the default loss or use the onnx format.")


def _labels(run) -> list[str]:
    if run.info.task == "regression":
        return [str(c) for c in run.preprocessor["target"]["columns"]]
    return [str(c) for c in run.info.class_names]


def _native_head(run, linear):
    """(weight, bias) of the native ``classifier`` giving what ``predict`` gives, in the user's terms."""
    import torch

    weight = linear.weight.detach().clone()
    bias = linear.bias.detach().clone() if linear.bias is not None else torch.zeros(weight.shape[0])
    if run.info.task == "binary":  # one score z -> (0, z): softmax gives (1 - sigmoid(z), sigmoid(z))
        weight = torch.cat([torch.zeros_like(weight), weight])
        bias = torch.cat([torch.zeros_like(bias), bias])
    elif run.info.task == "regression":  # fold the target scaling in: values in the data's units
        scalers = run.preprocessor["target"]["scalers"]
        scale = torch.tensor([float(s["scale"]) for s in scalers], dtype=weight.dtype)
        center = torch.tensor([float(s["center"]) for s in scalers], dtype=weight.dtype)
        weight, bias = weight * scale[:, None], bias * scale + center
    return weight.contiguous(), bias.contiguous()


def native_classifier(run):
    """The trained classifier as a ``transformers`` ``*ForSequenceClassification`` model (eval mode)."""
    from app.core.finetune.offline import transformers

    node = _pretrained_node(run)
    module = run.model[node.id]
    backbone = module.plain_backbone()
    labels = _labels(run)
    config = backbone.config.__class__.from_dict(backbone.config.to_dict())
    config.num_labels = len(labels)
    config.id2label = dict(enumerate(labels))
    config.label2id = {label: i for i, label in enumerate(labels)}
    config.problem_type = "regression" if run.info.task == "regression" else "single_label_classification"
    model = transformers().AutoModelForSequenceClassification.from_config(config, trust_remote_code=False)
    model.base_model.load_state_dict(backbone.state_dict(), strict=True)
    weight, bias = _native_head(run, run.model[_head_chain(run, node)[-1].id])
    model.classifier.weight.data.copy_(weight)
    model.classifier.bias.data.copy_(bias)
    config.architectures = [type(model).__name__]
    return model.eval()


def write_hf_folder(run, folder: Path) -> list[str]:
    """Write the folder (see the module docstring); returns the file names written."""
    check_run(run)
    node = _pretrained_node(run)
    if node.type == "pretrained.causal_lm":
        model = run.model[node.id].plain_backbone()
    else:
        model = native_classifier(run)
    model.save_pretrained(str(folder), safe_serialization=True)
    files = sorted(p.name for p in folder.iterdir())
    files += _write_tokenizer(run, node, folder)
    from app.core.finetune.chat_export import write_chat_template

    files += write_chat_template(run, folder)  # a chat model renders turns as in training
    return sorted(set(files))


def run_outputs(run, outputs):
    """The exported model's scores mapped back onto the trained model's outputs (for the parity check)."""
    if run.is_language_model:
        return outputs
    if run.info.task == "binary":
        return outputs[:, 1:] - outputs[:, :1]
    if run.info.task == "regression":
        import torch

        scalers = run.preprocessor["target"]["scalers"]
        scale = torch.tensor([float(s["scale"]) for s in scalers], dtype=outputs.dtype)
        center = torch.tensor([float(s["center"]) for s in scalers], dtype=outputs.dtype)
        return (outputs - center) / scale
    return outputs


def pad_token_id(run) -> int | None:
    """The pad id the trained model masks (the attention mask a tokenizer's padding gives)."""
    return getattr(run.model[_pretrained_node(run).id], "pad_token_id", None)


def max_length(run) -> int:
    """The number of tokens per text the model was trained on."""
    return int((run.preprocessor or {}).get("seq_len") or run.input_specs[0]["shape"][0])


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
