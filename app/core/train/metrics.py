"""Evaluation metrics that accumulate over batches on the model's device.

``update`` only adds to a few tensors (a confusion matrix, running sums), so evaluating a
split costs no host/device synchronisation per batch; ``compute`` reads them once.

Example::

    metrics = MetricSet("classification", n_outputs=3, names=["accuracy", "f1_macro"])
    for x, y in batches:
        metrics.update(model(x), y)
    metrics.compute()   # {"accuracy": 0.93, "f1_macro": 0.92}
    metrics.report()    # plus per-class precision/recall/F1 and the confusion matrix

F1 is named for what it is: ``f1`` (binary tasks only) is the F1 of the positive class, the
second of the two labels (``positive_class`` in a report, scikit-learn's ``average="binary"``);
``f1_macro`` is the mean F1 over the classes (``average="macro"``). Multiclass ``precision``
and ``recall`` are macro averages too; binary ones are of the positive class. A multiclass
project that names ``f1`` (as projects made before the two names did) gets ``f1_macro``.
"""

from __future__ import annotations

import math
import re

import torch
import torch.nn.functional as F

from app.core.train.config import TrainConfigError

DEFAULT_METRICS = {
    "binary": ("accuracy", "f1"),
    "classification": ("accuracy", "f1_macro"),
    "regression": ("mae", "rmse", "r2"),
    "language-model": ("perplexity", "accuracy"),
}

TASK_METRICS = {
    "binary": ("accuracy", "precision", "recall", "f1", "f1_macro"),
    "classification": ("accuracy", "precision", "recall", "f1_macro", "top_k_accuracy"),
    "regression": ("mae", "mse", "rmse", "r2"),
    "language-model": ("perplexity", "accuracy"),
}

_TOPK = re.compile(r"^top(\d+)_accuracy$")

#: Names that mean another metric for a task: a multiclass "f1" has always been the macro F1.
ALIASES = {"classification": {"f1": "f1_macro"}}


def canonical_metric(task: str, name: str) -> str:
    """The name ``name`` stands for in ``task`` (``val_f1`` of a multiclass run is ``val_f1_macro``)."""
    prefix = next((p for p in ("val_", "train_", "test_") if name.startswith(p)), "")
    bare = name[len(prefix):]
    return prefix + ALIASES.get(task, {}).get(bare, bare)


def positive_class(class_names) -> str:
    """The class a binary task's ``f1``, ``precision`` and ``recall`` are about (label code 1)."""
    return str(class_names[1]) if class_names and len(class_names) == 2 else "1"


def check_metric_names(task: str, names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The metric names to track for ``task`` (defaults when none are given)."""
    if not names:
        return DEFAULT_METRICS[task]
    allowed = TASK_METRICS[task]
    names = [canonical_metric(task, name) for name in names]
    for name in names:
        if name in allowed or (task == "classification" and _TOPK.match(name)):
            continue
        raise TrainConfigError(
            f"Training setting 'metrics' names '{name}', which does not apply to a {task} task; "
            f"use any of {', '.join(allowed)}" + (" (or e.g. top3_accuracy)" if task == "classification" else "") + "."
        )
    return tuple(dict.fromkeys(names))


def _f(value: torch.Tensor | float) -> float:
    return float(value.item() if isinstance(value, torch.Tensor) else value)


class MetricSet:
    """Accumulates the metrics of one task over any number of batches.

    ``output_kind`` matters for binary tasks: ``"probability"`` outputs are thresholded at
    0.5, ``"logit"`` outputs at 0.
    """

    def __init__(self, task: str, n_outputs: int, names=(), *, output_kind: str = "logit",
                 class_names: tuple[str, ...] | None = None) -> None:
        self.task = task
        self.n_outputs = int(n_outputs)
        self.names = check_metric_names(task, tuple(names))
        self.output_kind = output_kind
        self.class_names = class_names
        self.reset()

    def reset(self) -> None:
        self._count = 0          # python int: batch sizes are known without a sync
        self._confusion = None   # (C, C) int64, rows = true class, columns = predicted
        self._topk: dict[int, torch.Tensor] = {}
        self._sums = None        # regression: abs err, sq err, y, y^2 per column (float64)
        self._nll = None         # language model: summed token negative log-likelihood
        self._correct = None     # language model: correct next-token predictions

    # -- accumulation -------------------------------------------------------------------
    @torch.no_grad()
    def update(self, outputs: torch.Tensor, targets: torch.Tensor) -> None:
        outputs = outputs.detach()
        if self.task in ("binary", "classification"):
            self._update_classes(outputs, targets)
        elif self.task == "regression":
            self._update_regression(outputs, targets)
        else:
            self._update_lm(outputs, targets)

    def _update_classes(self, outputs: torch.Tensor, targets: torch.Tensor) -> None:
        if self.task == "binary":
            threshold = 0.5 if self.output_kind == "probability" else 0.0
            pred = (outputs.reshape(-1) > threshold).long()
            true = (targets.reshape(-1) > 0.5).long()
            n_classes = 2
        else:
            pred = outputs.argmax(dim=-1)
            true = targets.reshape(-1).long()
            n_classes = max(self.n_outputs, outputs.shape[-1])
            for name in self.names:
                k = self._k(name)
                if k is not None:
                    k = min(k, outputs.shape[-1])
                    hit = (outputs.topk(k, dim=-1).indices == true.unsqueeze(-1)).any(dim=-1).sum()
                    self._topk[k] = self._topk[k] + hit if k in self._topk else hit
        flat = torch.bincount(true * n_classes + pred, minlength=n_classes * n_classes)
        cm = flat.reshape(n_classes, n_classes)
        self._confusion = cm if self._confusion is None else self._confusion + cm
        self._count += int(true.shape[0])

    def _update_regression(self, outputs: torch.Tensor, targets: torch.Tensor) -> None:
        out = outputs.reshape(outputs.shape[0], -1).double()
        y = targets.reshape(targets.shape[0], -1).double()
        err = out - y
        sums = torch.stack([err.abs().sum(0), (err * err).sum(0), y.sum(0), (y * y).sum(0)])
        self._sums = sums if self._sums is None else self._sums + sums
        self._count += int(y.shape[0])

    def _update_lm(self, outputs: torch.Tensor, targets: torch.Tensor) -> None:
        logits = outputs.reshape(-1, outputs.shape[-1]).float()
        y = targets.reshape(-1).long()
        keep = y != -100  # chat data: only the assistant's tokens are scored
        if not bool(keep.all()):
            logits, y = logits[keep], y[keep]
        nll = F.cross_entropy(logits, y, reduction="sum").double()
        correct = (logits.argmax(-1) == y).sum()
        self._nll = nll if self._nll is None else self._nll + nll
        self._correct = correct if self._correct is None else self._correct + correct
        self._count += int(y.shape[0])

    @staticmethod
    def _k(name: str) -> int | None:
        if name == "top_k_accuracy":
            return 5
        m = _TOPK.match(name)
        return int(m.group(1)) if m else None

    # -- results ------------------------------------------------------------------------
    def compute(self) -> dict[str, float]:
        """The tracked metrics as plain floats (NaN when no sample was seen)."""
        if self._count == 0:
            return {name: math.nan for name in self.names}
        if self.task in ("binary", "classification"):
            return self._class_metrics()
        if self.task == "regression":
            return self._regression_metrics()
        nll = _f(self._nll) / self._count
        values = {"perplexity": math.exp(min(nll, 700.0)), "accuracy": _f(self._correct) / self._count}
        return {name: values[name] for name in self.names}

    def _per_class(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        cm = self._confusion.double().cpu()
        tp = cm.diag()
        predicted = cm.sum(0)
        actual = cm.sum(1)
        precision = torch.where(predicted > 0, tp / predicted.clamp(min=1), torch.zeros_like(tp))
        recall = torch.where(actual > 0, tp / actual.clamp(min=1), torch.zeros_like(tp))
        denom = precision + recall
        f1 = torch.where(denom > 0, 2 * precision * recall / denom.clamp(min=1e-300), torch.zeros_like(tp))
        present = (predicted + actual) > 0
        return precision, recall, f1, present

    def _class_metrics(self) -> dict[str, float]:
        cm = self._confusion.cpu()
        values: dict[str, float] = {"accuracy": _f(cm.diag().sum()) / self._count}
        precision, recall, f1, present = self._per_class()
        # Macro average over the classes that occur in the targets or the predictions.
        n = max(int(present.sum()), 1)
        values["f1_macro"] = _f(f1[present].sum()) / n
        if self.task == "binary":
            # The positive class, as scikit-learn's average="binary".
            values.update(precision=_f(precision[1]), recall=_f(recall[1]), f1=_f(f1[1]))
        else:
            values.update(precision=_f(precision[present].sum()) / n, recall=_f(recall[present].sum()) / n)
        for name in self.names:
            k = self._k(name)
            if k is not None:
                k = min(k, self.n_outputs)
                hits = self._topk.get(k)
                values[name] = _f(hits) / self._count if hits is not None else math.nan
        return {name: values[name] for name in self.names}

    def _regression_metrics(self) -> dict[str, float]:
        abs_err, sq_err, y_sum, y_sq = self._sums.cpu()
        n = self._count
        total = y_sq - y_sum * y_sum / n
        r2_cols = torch.where(total > 0, 1 - sq_err / total.clamp(min=1e-300),
                              torch.where(sq_err > 0, torch.zeros_like(total), torch.ones_like(total)))
        mse = _f(sq_err.mean()) / n
        values = {"mae": _f(abs_err.mean()) / n, "mse": mse, "rmse": math.sqrt(mse), "r2": _f(r2_cols.mean())}
        return {name: values[name] for name in self.names}

    def report(self) -> dict:
        """All metrics plus, for classes, per-class figures and the confusion matrix (plain JSON)."""
        result: dict = dict(self.compute())
        result["samples"] = self._count
        if self.task in ("binary", "classification") and self._confusion is not None:
            scalars = [m for m in TASK_METRICS[self.task] if m != "top_k_accuracy"]
            scalar = MetricSet(self.task, self.n_outputs, scalars, output_kind=self.output_kind)
            scalar._confusion, scalar._count = self._confusion, self._count
            result.update({k: v for k, v in scalar.compute().items() if k not in result})
            precision, recall, f1, _ = self._per_class()
            cm = self._confusion.cpu()
            labels = list(self.class_names) if self.class_names else [str(i) for i in range(cm.shape[0])]
            if self.task == "binary" and len(labels) != 2:
                labels = ["0", "1"]
            labels = labels[: cm.shape[0]] + [str(i) for i in range(len(labels), cm.shape[0])]
            result["per_class"] = {
                label: {"precision": _f(precision[i]), "recall": _f(recall[i]), "f1": _f(f1[i]),
                        "support": int(cm[i].sum())}
                for i, label in enumerate(labels)
            }
            result["confusion_matrix"] = {"labels": labels, "matrix": cm.tolist()}
            if self.task == "binary":
                result["positive_class"] = labels[1]
        if self.task == "regression" and self._sums is not None:
            scalar = MetricSet("regression", self.n_outputs, TASK_METRICS["regression"])
            scalar._sums, scalar._count = self._sums, self._count
            result.update({k: v for k, v in scalar.compute().items() if k not in result})
        return result
