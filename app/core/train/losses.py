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


def build_loss(config: LossConfig, task: str | None) -> tuple[str, LossFn]:
    """Return ``(name, fn)`` where ``fn(outputs, targets)`` is a scalar mean loss."""
    name = resolve_loss_name(config, task)
    smoothing = config.label_smoothing
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
