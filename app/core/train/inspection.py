"""A trained run looked at closely: metrics with per-sample results (for the confusion
matrix's click-through and the regression plots), and a predictor for single inputs.

The metrics are :func:`app.core.train.api.evaluate_run`'s, the same as ``main.py
evaluate``; the per-sample results come from the same model on the same split, so a
confusion-matrix cell and the samples listed under it always agree. :class:`Predictor`
applies the steps ``main.py predict`` applies, one input at a time.

Example::

    details = evaluate_with_samples("runs/iris-1")
    details["metrics"]["accuracy"], details["samples"]["predicted"][:5]
    Predictor("runs/iris-1").predict_frame(pd.DataFrame([{"sepal_length": 5.1, ...}]))
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from app.core.errors import ModelwrightError
from app.core.train.api import _prepare, _TrainedRun, evaluate_run

#: Samples beyond this many are not kept for display (metrics always use the whole split).
MAX_SAMPLES = 20_000


def _from_logits(run: _TrainedRun) -> bool:
    # As predict_run decides it: bce/mse binary models end in a sigmoid.
    return run.loss_name not in ("bce", "mse") if run.info.task == "binary" else True


def _split_rows(run: _TrainedRun, split_name: str, inputs: torch.Tensor) -> pd.DataFrame | None:
    """The original table rows of a split, found by redoing the split of the data; None when
    they cannot be recovered exactly (checked against the split's own inputs)."""
    from app.core.data.config import DataConfig
    from app.core.data.preparation import clean_rows
    from app.core.data.sources import load_table
    from app.core.data.split import split_rows

    try:
        config = DataConfig.from_dict(run.project.data)
        if config.source.kind not in ("table", "synthetic"):
            return None
        df = load_table(config.source, run.project.folder)
        features, targets = config.feature_columns(), config.target_columns()
        typed, _warnings = clean_rows(df, features, targets, config.preparation, "the data")
        labels = typed[targets[0].name].map(str).to_numpy() if run.info.task != "regression" else None
        kept = df.loc[typed.index].reset_index(drop=True)
        column = kept[config.split.column] if config.split.method == "column" else None
        parts = split_rows(len(kept), config.split, labels=labels, column=column)
        rows = kept.iloc[parts[{"validation": "val"}.get(split_name, split_name)]]
        if len(rows) != len(inputs):
            return None
        again = run.preprocessor.transform_frame(rows)
        if again.shape != inputs.shape or not torch.equal(again.to(inputs.dtype), inputs):
            return None
        return rows.reset_index(drop=True)
    except (ModelwrightError, KeyError, ValueError, IndexError):
        return None


def _as_text(value) -> str:
    if isinstance(value, float) and np.isnan(value):
        return ""
    return str(value)


def evaluate_with_samples(run_dir: str | os.PathLike, data_path: str | os.PathLike | None = None,
                          *, progress=None) -> dict:
    """``{"metrics": evaluate_run(...), "samples": {...}}``. ``samples`` holds, per sample,
    ``true``/``predicted`` class indices and ``confidence`` (classes), or ``actual``/
    ``predicted`` in the target's units (regression); plus what to show of each sample:
    ``columns`` and ``rows`` (table rows or texts), or ``images`` (uint8 N×C×H×W)."""
    from app.core.progress import Progress

    report = Progress(progress)
    report(0.0, "Evaluating")
    metrics = evaluate_run(run_dir, data_path)
    report(0.5, "Collecting the predictions")
    run = _TrainedRun(run_dir)
    task = run.info.task
    samples: dict = {"task": task, "columns": [], "rows": [], "images": None}
    if task == "language-model":
        report(1.0, "Done")
        return {"metrics": metrics, "samples": samples}
    frame = None
    if data_path is not None:
        new = run.preprocessor.load_new_data(Path(data_path))
        inputs, targets, frame = new.inputs, new.targets, new.frame
    else:
        prepared = _prepare(run.project)
        split, name = (prepared.test, "test") if prepared.test is not None else (prepared.val, "validation")
        inputs, targets = split.batch(torch.arange(len(split)))
        if getattr(split, "inputs", None) is not None and split.inputs.dtype == torch.uint8:
            samples["images"] = split.inputs[:MAX_SAMPLES].numpy()
        elif run.preprocessor.kind == "table":
            frame = _split_rows(run, name, inputs)
        if frame is None and run.preprocessor.kind == "text":
            tokenizer = run.preprocessor.tokenizer
            frame = pd.DataFrame({run.preprocessor.column: [tokenizer.decode([t for t in row if t != 0])
                                                            for row in split.inputs[:MAX_SAMPLES].tolist()]})
    outputs = run.outputs(inputs)
    n = min(len(inputs), MAX_SAMPLES)
    if frame is not None:
        shown = frame.iloc[:n]
        samples["columns"] = [str(c) for c in shown.columns]
        samples["rows"] = [[_as_text(v) for v in row] for row in shown.itertuples(index=False)]
    if task in ("binary", "classification"):
        if task == "binary":
            threshold = 0.0 if _from_logits(run) else 0.5
            scores = outputs.reshape(len(outputs), -1)[:, 0]
            predicted = (scores > threshold).long()
            p = torch.sigmoid(scores) if _from_logits(run) else scores.clamp(0, 1)
            confidence = torch.where(predicted == 1, p, 1 - p)
            true = (targets.reshape(-1) > 0.5).long()
        else:
            predicted = outputs.argmax(dim=-1)
            confidence = torch.softmax(outputs, dim=-1).max(dim=-1).values
            true = targets.reshape(-1).long()
        samples.update(true=true[:n].tolist(), predicted=predicted[:n].tolist(),
                       confidence=confidence[:n].tolist(), labels=metrics.get("confusion_matrix", {}).get("labels"))
    elif task == "regression":
        predicted, _ = run.preprocessor.decode(outputs)
        actual, _ = run.preprocessor.decode(targets)
        samples.update(predicted=predicted[:n], actual=actual[:n])
    report(1.0, "Done")
    return {"metrics": metrics, "samples": samples}


class Predictor:
    """A trained run ready to answer single inputs, as ``main.py predict`` would."""

    def __init__(self, run_dir: str | os.PathLike) -> None:
        self.run = _TrainedRun(run_dir)
        self.preprocessor = self.run.preprocessor
        self.task = self.run.info.task
        self.kind = self.preprocessor.kind

    def fields(self) -> list[dict]:
        """The input form of a table model: name, type, categories and a default (the
        training fill value) per feature column."""
        if self.kind != "table":
            return []
        out = []
        for entry in self.preprocessor.pipeline.state:
            out.append({"name": entry["name"], "type": entry["type"], "categories": entry.get("categories"),
                        "default": entry.get("fill")})
        return out

    @property
    def text_column(self) -> str | None:
        return getattr(self.preprocessor, "column", None) if self.kind == "text" else None

    def predict_frame(self, frame: pd.DataFrame) -> list[dict]:
        """One ``{"prediction", "probabilities": {label: p} | None}`` per row."""
        if self.task == "language-model":
            raise ModelwrightError("This run is a language model; generate text from a prompt instead.")
        inputs = self.preprocessor.transform_frame(frame, "the input")
        outputs = self.run.outputs(inputs)
        labels, probabilities = self.preprocessor.decode(outputs, from_logits=_from_logits(self.run))
        names = [str(v) for v in (self.run.info.class_names or getattr(self.preprocessor.target, "labels", []))]
        results = []
        for i, label in enumerate(labels):
            probs = None
            if probabilities is not None:
                keys = names if len(names) == probabilities.shape[1] else [str(j) for j in range(probabilities.shape[1])]
                probs = {k: float(p) for k, p in zip(keys, probabilities[i])}
            results.append({"prediction": label, "probabilities": probs})
        return results

    def predict_values(self, values: dict) -> dict:
        """A table model's answer for one row given as ``{column: value}``."""
        return self.predict_frame(pd.DataFrame([values]))[0]

    def predict_text(self, text: str) -> dict:
        return self.predict_frame(pd.DataFrame({self.text_column: [text]}))[0]

    def predict_image(self, path: str | os.PathLike) -> dict:
        frame = self.preprocessor.read_frame(Path(path))
        if not len(frame):
            raise ModelwrightError(f"'{Path(path).name}' is not a readable image.")
        return self.predict_frame(frame)[0]
