"""Loss functions by name, matched to the data's task.

Every loss returns the mean over its elements (samples, or tokens for language models),
so the engine can weight batch losses by their element count for an exact epoch mean.
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F

from app.core.train.config import LossConfig, TrainConfigError

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]

DEFAULT_LOSS = {
    "binary": "bce_logits",
    "classification": "cross_entropy",
    "regression": "mse",
    "language-model": "lm_cross_entropy",
}

# Which losses make sense for which task; a mismatch is a setting the user must fix.
TASK_LOSSES = {
    "binary": ("bce", "bce_logits", "mse"),
    "classification": ("cross_entropy",),
    "regression": ("mse", "mae", "huber"),
    "language-model": ("lm_cross_entropy", "cross_entropy"),
}


def resolve_loss_name(config: LossConfig, task: str | None) -> str:
    """The concrete loss name for ``task`` (``auto`` picks the usual one)."""
    name = config.name
    if name == "auto":
        if task is None:
            raise TrainConfigError("Training setting 'loss.name' is 'auto' but the task is unknown; pick a loss.")
        return DEFAULT_LOSS[task]
    if task is not None and name not in TASK_LOSSES[task]:
        raise TrainConfigError(
            f"Training setting 'loss.name' is '{name}', which does not fit a {task} task; "
            f"use one of {', '.join(TASK_LOSSES[task])}."
        )
    return name


def _class_weights(config: LossConfig, name: str, task: str | None, n_outputs: int | None):
    """``class_weights`` as a function of the device, checked against the task."""
    weights = config.class_weights
    if weights is None:
        return None
    if task not in ("classification", "binary") or name not in ("cross_entropy", "bce", "bce_logits"):
        raise TrainConfigError(f"Training setting 'loss.class_weights' applies to classification only; "
                               f"remove it for this {task or 'task'}.")
    expected = 2 if task == "binary" else n_outputs
    if expected is not None and len(weights) != expected:
        raise TrainConfigError(f"Training setting 'loss.class_weights' has {len(weights)} numbers but the data has "
                               f"{expected} classes; give one weight per class.")
    cache: dict = {}

    def on(device: torch.device) -> torch.Tensor:
        if device not in cache:
            cache[device] = torch.tensor(weights, dtype=torch.float32, device=device)
        return cache[device]

    return on


def build_loss(config: LossConfig, task: str | None, n_outputs: int | None = None) -> tuple[str, LossFn]:
    """Return ``(name, fn)`` where ``fn(outputs, targets)`` is a scalar mean loss
    (a weighted mean when ``class_weights`` are set)."""
    name = resolve_loss_name(config, task)
    smoothing = config.label_smoothing
    weights = _class_weights(config, name, task, n_outputs)
    if weights is not None and name == "cross_entropy":
        def weighted_ce(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            return F.cross_entropy(out, y, weight=weights(out.device), label_smoothing=smoothing)
        return name, weighted_ce
    if weights is not None:  # binary: weight each sample by its class (0 or 1)
        with_logits = name == "bce_logits"

        def weighted_bce(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            w = weights(out.device)
            target = y.to(out.dtype)
            per_sample = w[0] + (w[1] - w[0]) * target
            fn = F.binary_cross_entropy_with_logits if with_logits else F.binary_cross_entropy
            return (fn(out, target, reduction="none") * per_sample).sum() / per_sample.sum()
        return name, weighted_bce
    if name == "cross_entropy":
        if task == "language-model":
            name = "lm_cross_entropy"
        else:
            return name, lambda out, y: F.cross_entropy(out, y, label_smoothing=smoothing)
    if name == "lm_cross_entropy":
        def lm_loss(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            # (B, T, V) logits against (B, T) next tokens: flatten the time axis.
            return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1), label_smoothing=smoothing)
        return name, lm_loss
    if name == "bce":
        return name, lambda out, y: F.binary_cross_entropy(out, y.to(out.dtype))
    if name == "bce_logits":
        return name, lambda out, y: F.binary_cross_entropy_with_logits(out, y.to(out.dtype))
    if name == "mse":
        return name, lambda out, y: F.mse_loss(out, y.to(out.dtype))
    if name == "mae":
        return name, lambda out, y: F.l1_loss(out, y.to(out.dtype))
    if name == "huber":
        delta = config.delta
        return name, lambda out, y: F.huber_loss(out, y.to(out.dtype), delta=delta)
    raise TrainConfigError(f"Training setting 'loss.name' is '{name}', which the engine does not know.")


def output_kind(loss_name: str) -> str:
    """How to read a binary model's output: ``probability`` (after a sigmoid) or ``logit``."""
    return "probability" if loss_name in ("bce", "mse") else "logit"
