"""The prediction bundle: ``predict.py``, the fitted preparation it applies, and ``requirements.txt``.

``predict.py`` is :mod:`app.core.export.standalone_predict` keeping only the parts this model
uses (the ``# >>> needs NAME`` blocks of the packages it needs), so a TorchScript export of a
table model imports numpy, pandas and torch and nothing else; ``requirements.txt`` lists
exactly the packages the folder's scripts import (see :mod:`.requirements`). Never Modelwright.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.core.export import standalone_predict
from app.core.export.requirements import write_requirements_for_code

_BLOCK = re.compile(r"^\s*# (>>>|<<<) needs (\w+)\s*$")


def preprocessing_dict(run) -> dict:
    """The run's preprocessor JSON plus what decoding needs (whether outputs are raw scores)."""
    return {**run.preprocessor, "outputs_are_logits": run.outputs_are_logits, "loss": run.loss_name}


def predict_needs(run, format_name: str) -> set[str]:
    """The optional packages predict.py needs for this model and format (numpy it always needs)."""
    kind = run.preprocessor.get("kind")
    needs = {"onnx": {"onnxruntime"}, "torchscript": {"torch"}, "pytorch": {"torch", "safetensors"}}[format_name]
    if kind != "language-model":
        needs.add("pandas")
    if kind == "image":
        needs.add("PIL")
    if (run.preprocessor.get("tokenizer") or {}).get("type") == "pretrained":
        needs.add("tokenizers")
    return needs


def specialise(source: str, needs: set[str]) -> str:
    """``source`` without the ``needs`` blocks of packages not in ``needs`` (and without the markers)."""
    kept, open_blocks = [], []
    for line in source.splitlines(keepends=True):
        marker = _BLOCK.match(line)
        if marker:
            if marker.group(1) == ">>>":
                open_blocks.append(marker.group(2))
            elif not open_blocks or open_blocks.pop() != marker.group(2):
                raise ValueError(f"predict.py: unbalanced block marker {line.strip()!r}")
            continue
        if all(name in needs for name in open_blocks):
            kept.append(line)
    if open_blocks:
        raise ValueError(f"predict.py: block 'needs {open_blocks[-1]}' is never closed")
    text = re.sub(r"\n{4,}", "\n\n\n", "".join(kept))
    compile(text, "predict.py", "exec")  # a wrongly placed marker fails the export, not the user's run
    return text


def write_bundle(run, folder: Path, format_name: str) -> list[str]:
    text = json.dumps(preprocessing_dict(run), indent=2, ensure_ascii=False)
    (folder / "preprocessing.json").write_text(text + "\n", encoding="utf-8")
    source = Path(standalone_predict.__file__).read_text(encoding="utf-8")
    (folder / "predict.py").write_text(specialise(source, predict_needs(run, format_name)), encoding="utf-8")
    return ["predict.py", "preprocessing.json", write_requirements_for_code(folder)]
