"""The model card: README.md in the export folder, for whoever uses the model next.

It says what the model learned from (data, preparation), what it is (the layer table),
how it was trained (settings, final metrics, the loss curve) and how the export was
checked (the parity result), plus how to load the exported files.
"""

from __future__ import annotations

import math
from pathlib import Path

from app.core.export.escape import markdown_code, markdown_text
from app.core.export.loss_curve import draw_loss_curve

_FILES = {
    "model.py": "the network as readable PyTorch code, with the fitted preprocessing as constants",
    "model.safetensors": "the trained weights",
    "model.pt": "TorchScript: `torch.jit.load(\"model.pt\")`",
    "model.onnx": "ONNX graph: `onnxruntime.InferenceSession(\"model.onnx\")`",
    "model.onnx.data": "the ONNX weights (kept beside the graph because they are large)",
    "architecture.json": "the network as JSON (Modelwright graph format) that the weights fit",
    "predict.py": "reads a CSV, image or text file and writes predictions (needs only what requirements.txt lists)",
    "requirements.txt": "exactly the Python packages the code here imports: `pip install -r requirements.txt`",
    "config.json": "the Hugging Face model configuration (architecture, class names in id2label)",
    "tokenizer.json": "the tokenizer exactly as training used it",
    "preprocessing.json": "the data preparation fitted on the training data, used by predict.py",
    "loss_curve.png": "training and validation loss per epoch",
    "export.json": "what was exported and the parity check, machine-readable",
    "model.gguf": "the model, tokenizer and chat template as one GGUF file (llama.cpp, Ollama)",
    "Modelfile": "the Ollama recipe: `ollama create NAME -f Modelfile`",
}


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; every cell is escaped (cells hold column names, labels, node ids)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in rows]
    return lines


def _num(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if math.isfinite(v) else str(v)
    return str(v)


def _data_section(run) -> list[str]:
    data = getattr(run.project, "data", None) or {}
    source = data.get("source") or {}
    info = run.info
    lines = ["## Data", ""]
    where = source.get("path") or source.get("generator") or "(not recorded)"
    lines.append(f"- Source: {markdown_text(source.get('kind', 'unknown'))} {markdown_code(Path(str(where)).name)}")
    lines.append(f"- Task: {info.task}; input: {markdown_text(info.input_kind)} of shape "
                 f"{markdown_text(tuple(info.input_shape))}; outputs: {info.n_outputs}")
    if info.class_names:
        names = ", ".join(info.class_names[:30]) + (" …" if len(info.class_names) > 30 else "")
        lines.append(f"- Classes: {markdown_text(names)}")
    if info.vocab_size:
        lines.append(f"- Vocabulary: {info.vocab_size} tokens")
    split = data.get("split") or {}
    if split.get("ratios"):
        r = split["ratios"]
        shares = ", ".join(f"{k} {v:.0%}" for k, v in r.items() if v)
        method, seed = markdown_text(split.get("method", "random")), markdown_text(split.get("seed"))
        lines.append(f"- Split ({method}, seed {seed}): {markdown_text(shares)}")
    lines += ["", "### Preparation", ""]
    prep = data.get("preparation") or {}
    if prep:
        lines += [f"- {markdown_text(k.replace('_', ' '))}: {markdown_text(v)}"
                  for k, v in prep.items() if v is not None]
    pre = run.preprocessor
    if pre.get("kind") == "table":
        rows = []
        for f in pre.get("features", []):
            scale = f.get("scaling") or {}
            how = (f"{scale.get('method')} (center {_num(scale.get('center'))}, scale {_num(scale.get('scale'))})"
                   if scale.get("method") not in (None, "none") else "as is")
            if f.get("encoding"):
                how = f"{f['encoding']} over {len(f.get('categories', []))} categories"
            rows.append([f["name"], f["type"], _num(f.get("fill")), how])
        lines += ["", *_table(["column", "type", "missing values become", "encoding"], rows)]
    elif pre.get("kind") in ("text", "language-model"):
        tok = pre.get("tokenizer", {})
        lines.append(f"- Tokenizer: {markdown_text(tok.get('type'))}-level, {len(tok.get('vocab', []))} tokens, "
                     f"{'lower-cased' if tok.get('lowercase') else 'case kept'}, "
                     f"sequence length {markdown_text(pre.get('seq_len'))}")
    elif pre.get("kind") == "image":
        lines.append("- " + markdown_text(f"Images resized to {pre.get('size')} with {pre.get('channels')} channel(s), "
                                   f"normalised with mean {pre.get('mean')} and std {pre.get('std')}"))
    return lines


def _architecture_section(run) -> list[str]:
    from app.core.graph.summary import human_count, layer_table

    table = layer_table(run.graph)
    rows = [[r.name, r.type, r.output_shape, f"{r.params:,}", human_count(r.flops)] for r in table]
    lines = _table(["layer", "type", "output shape", "parameters", "FLOPs"], rows)
    lines.append(f"| **total** |  |  | **{table.total_params:,}** | {markdown_text(human_count(table.total_flops))} |")
    return ["## Architecture", "", *lines]


def _training_section(run, has_curve: bool) -> list[str]:
    t = run.training
    opt = t.get("optimizer") or {}
    sched = t.get("scheduler") or {}
    lines = ["## Training", ""]
    length = f"{t.get('steps')} steps" if t.get("steps") else f"{t.get('epochs')} epochs"
    lines.append(f"- {markdown_text(length)}, batch size {markdown_text(t.get('batch_size'))}, "
                 f"loss {markdown_code(run.loss_name)}, seed {markdown_text(t.get('seed'))}")
    lines.append(f"- Optimizer: {markdown_text(opt.get('name'))} (learning rate {markdown_text(opt.get('lr'))}"
                 + (f", weight decay {markdown_text(opt.get('weight_decay'))}" if opt.get("weight_decay") else "")
                 + ")")
    if sched.get("name") not in (None, "none"):
        lines.append(f"- Schedule: {markdown_text(sched.get('name'))}")
    s = run.summary
    if s:
        lines.append("- Status: " + markdown_text(
            f"{s.get('status')}, {s.get('epochs_completed')} epochs / {s.get('global_step')} steps "
            f"in {_num(s.get('elapsed_seconds'))} s on {s.get('device')} ({s.get('precision')})"))
    chosen = getattr(run, "weights", None)
    if chosen is not None:  # which weights the export holds; a stopped run has only its best checkpoint
        lines.append(f"- Weights: {markdown_text(chosen.describe())}" + (
            "; the run was stopped before the end, so these are its best weights so far" if chosen.run_was_stopped else ""))
    final = (s or {}).get("final") or {}
    metrics = [[k, _num(v)] for k, v in final.items() if k not in ("epoch", "step", "seconds")]
    if metrics:
        lines += ["", "### Final metrics", "", *_table(["metric", "value"], metrics)]
        if (s or {}).get("positive_class") is not None:
            lines += ["", f"F1, precision and recall are of the positive class "
                          f"{markdown_code(s['positive_class'])} (`f1_macro`, when listed, averages both classes)."]
    best = (s or {}).get("best") or {}
    if best.get("monitor"):
        lines += ["", f"Best {markdown_text(best['monitor'])}: {markdown_text(_num(best.get('value')))} "
                      f"at epoch {markdown_text(best.get('epoch'))}."]
    if has_curve:
        lines += ["", "![Loss curve](loss_curve.png)"]
    return lines


def _usage(run, result) -> list[str]:
    fmt = result.format
    lines = ["## Using the export", ""]
    if fmt == "pytorch":
        from app.core.export.pytorch_code import class_name_for

        cls = class_name_for(run.name)
        lines += ["```python", "import torch", "from safetensors.torch import load_file",
                  f"from model import {cls}", "", f"model = {cls}()",
                  "model.load_state_dict(load_file('model.safetensors'))", "model.eval()", "```",
                  "", "The docstring at the top of `model.py` shows the input it takes and how to read its output."]
    elif fmt == "torchscript":
        lines += ["```python", "import torch", "model = torch.jit.load('model.pt')", "model.eval()", "```"]
    elif fmt == "onnx":
        lines += ["```python", "import onnxruntime", "session = onnxruntime.InferenceSession('model.onnx')",
                  "outputs = session.run(None, {session.get_inputs()[0].name: inputs})[0]", "```"]
    elif fmt == "safetensors":
        from app.core.export.usage_code import safetensors_usage

        lines += ["```python", safetensors_usage(run), "```", "",
                  "`architecture.json` describes the network the weights belong to (layer types, sizes and "
                  "connections) in Modelwright's graph format; the weights load with `strict=True` into it."]
    elif fmt == "hf":
        lines += _hf_usage(run)
    elif fmt == "gguf":
        from app.core.export.formats.gguf import usage_lines

        lines += usage_lines()
    elif fmt == "torchrun":
        lines += ["Training on several GPUs or machines: see `TRAINING.md` (`launch.sh` starts torchrun)."]
    if "requirements.txt" in result.files:
        lines += ["", "Install what the code here imports, in a fresh environment:", "",
                  "```", "pip install -r requirements.txt", "```"]
    if "predict.py" in result.files:
        lines += ["", "Predictions from a file:", "",
                  "```", "python predict.py INPUT OUTPUT", "```",
                  "", "INPUT is a CSV (tables, text columns), an image or a folder of images, or a text file "
                  "(language models: the text is continued)."]
    return lines


def _hf_usage(run) -> list[str]:
    from app.core.export.usage_code import hf_usage

    if run.is_language_model:
        return ["A plain causal language model: `AutoModelForCausalLM` loads it and `generate` continues text.",
                "", "```python", hf_usage(run), "```"]
    return ["A native `AutoModelForSequenceClassification` folder (class names in `config.id2label`): "
            "`pipeline(\"text-classification\")` and the model class give the probabilities Modelwright's "
            "`predict` gives, within 1e-4. It was trained with the base's own head (its pooler, a dense layer with "
            "tanh over the first token, then one linear layer), not Modelwright's mean pooling, because a mean-pooled "
            "head exists in no transformers class and a folder needing custom code is one loaders should refuse "
            "(measured with MiniLM on 300 reviews: 100 % test accuracy with either head)."
            + (" Its single binary score z is written as the two scores (0, z), whose softmax is exactly "
               "(1 - sigmoid(z), sigmoid(z))." if run.info.task == "binary" else "")
            + (" The target scaling is folded into the last layer, so outputs are in the data's units."
               if run.info.task == "regression" else ""),
            "", "```python", hf_usage(run), "```"]


def write_model_card(run, folder: Path, result) -> list[str]:
    """Write README.md (and loss_curve.png when the run logged losses); returns the file names."""
    files = []
    has_curve = draw_loss_curve(run.metrics, folder / "loss_curve.png")
    if has_curve:
        files.append("loss_curve.png")
    lines = [f"# {markdown_text(run.name) or 'Untitled project'}", "",
             f"A {run.info.task} model trained with Modelwright and exported as **{result.format}**.", ""]
    if result.parity is not None:  # its error text may quote node ids
        lines += ["## Parity check", "", markdown_text(result.parity.describe()), ""]
    lines += _data_section(run) + [""] + _architecture_section(run) + [""] + _training_section(run, has_curve)
    lines += [""] + _usage(run, result)
    listed = sorted(set(result.files) | set(files) | {"export.json", "README.md"})
    lines += ["", "## Files", ""] + [f"- {markdown_code(f)}: {_FILES.get(f, 'part of the export')}" for f in listed
                                        if f != "README.md"]
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files + ["README.md"]
