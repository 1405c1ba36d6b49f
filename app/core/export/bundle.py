"""The prediction bundle: ``predict.py`` and the fitted preparation it applies, beside the model.

``predict.py`` is :mod:`app.core.export.standalone_predict` copied as is: a plain script
that needs torch or onnxruntime, numpy, pandas and Pillow, never Modelwright.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.core.export import standalone_predict


def preprocessing_dict(run) -> dict:
    """The run's preprocessor JSON plus what decoding needs (whether outputs are raw scores)."""
    return {**run.preprocessor, "outputs_are_logits": run.outputs_are_logits, "loss": run.loss_name}


def write_bundle(run, folder: Path, format_name: str) -> list[str]:
    text = json.dumps(preprocessing_dict(run), indent=2, ensure_ascii=False)
    (folder / "preprocessing.json").write_text(text + "\n", encoding="utf-8")
    source = Path(standalone_predict.__file__).read_text(encoding="utf-8")
    (folder / "predict.py").write_text(source, encoding="utf-8")
    return ["predict.py", "preprocessing.json"]
