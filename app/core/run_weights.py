"""Which trained weights of a run are used: the best checkpoint's or the final ones.

A run that goes on training past its best validation score ends with worse weights than it
had, so evaluate, predict, the playground and every export use the weights of
``checkpoints/best.pt`` (the best value of the watched metric) unless asked for the final
``model.safetensors``. A run stopped by the user has no final weights but keeps its best
checkpoint, so it stays usable.

Example::

    chosen = load_run_weights(run_paths("runs/iris-20250101-120000"))    # best by default
    model.load_state_dict(chosen.state_dict)
    chosen.describe()          # "best (epoch 12, val_loss 0.2412)"
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from app.core.runs import RunDirError, RunPaths, open_run

#: The choices ``--weights`` takes; the first is the default.
WEIGHT_CHOICES = ("best", "final")


@dataclass
class RunWeights:
    """One run's chosen weights and where they came from (shown to the user)."""

    which: str  # "best" or "final": what was actually loaded
    path: Path
    state_dict: dict = field(repr=False)
    epoch: float | None = None
    monitor: str | None = None
    value: float | None = None
    run_status: str | None = None  # summary.json's status: completed, stopped, failed

    @property
    def run_was_stopped(self) -> bool:
        return self.run_status == "stopped"

    def describe(self) -> str:
        """Plain words for a label or a model card, e.g. ``best (epoch 12, val_loss 0.2412)``."""
        parts = []
        if self.epoch is not None:
            parts.append(f"epoch {_number(self.epoch)}")
        if self.which == "best" and self.monitor and self.value is not None:
            parts.append(f"{self.monitor} {_number(self.value)}")
        return f"{self.which} ({', '.join(parts)})" if parts else self.which

    def to_dict(self) -> dict:
        """The fields evaluate's JSON carries."""
        return {"weights": self.which, "weights_epoch": self.epoch, "run_status": self.run_status}


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def check_weight_choice(which: str) -> str:
    if which not in WEIGHT_CHOICES:
        raise RunDirError(f"Unknown weights '{which}'; expected {' or '.join(WEIGHT_CHOICES)}.")
    return which


def has_trained_weights(run_dir: str | os.PathLike) -> bool:
    """Whether a run has weights to evaluate or export (final weights or a best checkpoint)."""
    root = Path(run_dir)
    return (root / "model.safetensors").is_file() or (root / "checkpoints" / "best.pt").is_file()


def open_trained_run(run_dir: str | os.PathLike, which: str = "best") -> RunPaths:
    """Check that ``run_dir`` is a run with the weights asked for, before anything is loaded."""
    check_weight_choice(which)
    paths = open_run(run_dir)
    if which == "final" and not paths.weights.is_file():
        stopped = _status(paths) == "stopped"
        raise RunDirError(
            f"Run '{paths.root}' has no final weights (model.safetensors)"
            + ("; it was stopped before the end: use its best weights (--weights best) or resume it with --resume."
               if stopped else "; train it to the end or resume it with --resume first."))
    if which == "best" and not paths.weights.is_file() and not paths.best_checkpoint.is_file():
        raise RunDirError(f"Run '{paths.root}' has no trained weights (model.safetensors or checkpoints/best.pt); "
                          "train it to the end or resume it with --resume first.")
    return paths


def load_run_weights(paths: RunPaths, which: str = "best") -> RunWeights:
    """The run's ``which`` weights on the CPU, with what they are.

    ``best`` reads ``checkpoints/best.pt`` when the run watched a validation metric; a run
    without validation data (its best is only the lowest training loss) or without a best
    checkpoint gives its final weights instead, and says so in ``which``.
    """
    paths = open_trained_run(paths.root, which)
    status = _status(paths)
    if which == "best" and paths.best_checkpoint.is_file():
        best = _read_best(paths)
        if best.monitor is None or best.monitor.startswith("val_") or not paths.weights.is_file():
            best.run_status = status
            return best
    return RunWeights("final", paths.weights, _read_final(paths), epoch=_final_epoch(paths),
                      run_status=status)


def _read_best(paths: RunPaths) -> RunWeights:
    from app.core.train.checkpoint import load_checkpoint

    payload = load_checkpoint(paths.best_checkpoint)  # weights_only=True; a damaged file is one sentence
    state = payload["trainer_state"]
    value = state.get("best_metric")
    value = float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None
    epoch = state.get("best_epoch")
    return RunWeights("best", paths.best_checkpoint, {k: v.detach().cpu() for k, v in payload["model"].items()},
                      epoch=epoch if isinstance(epoch, (int, float)) else None,
                      monitor=state.get("best_monitor") or None, value=value)


def _read_final(paths: RunPaths) -> dict:
    from safetensors.torch import load_file

    try:
        return load_file(str(paths.weights))
    except Exception as exc:  # safetensors raises its own error types for damaged files
        raise RunDirError(f"'{paths.weights}' cannot be read ({exc}); the run's weights are damaged.") from exc


def _summary(paths: RunPaths) -> dict:
    try:
        summary = json.loads(paths.summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return summary if isinstance(summary, dict) else {}


def _status(paths: RunPaths) -> str | None:
    status = _summary(paths).get("status")
    return status if isinstance(status, str) else None


def _final_epoch(paths: RunPaths):
    epochs = _summary(paths).get("epochs_completed")
    return epochs if isinstance(epochs, (int, float)) and not isinstance(epochs, bool) else None


def load_weights_into(model, chosen: RunWeights, error=RunDirError) -> None:
    """Load ``chosen`` into ``model`` (every weight must fit), or raise ``error`` naming the file."""
    try:
        model.load_state_dict(chosen.state_dict, strict=True)
    except RuntimeError as exc:
        raise error(f"The weights in '{chosen.path}' do not fit the run's network "
                    f"({str(exc).splitlines()[0]}).") from exc
