"""Stops a run when the monitored metric stops improving."""

from __future__ import annotations

import math

from app.core.train.callbacks import Callback
from app.core.train.config import EarlyStoppingConfig, TrainConfigError
from app.core.train.optim import is_minimized


class EarlyStopping(Callback):
    """After ``patience`` evaluations without an improvement of at least ``min_delta`` in
    ``monitor``, asks the loop to finish (the run then ends as completed, not stopped)."""

    state_key = "early_stopping"

    def __init__(self, config: EarlyStoppingConfig) -> None:
        self.config = config
        self.minimize = is_minimized(config.monitor) if config.mode == "auto" else config.mode == "min"
        self.best: float | None = None
        self.wait = 0
        self.stopped_at: float | None = None

    def on_validation_end(self, trainer, state, control, record) -> None:
        monitor = self.config.monitor
        if monitor not in record:
            raise TrainConfigError(
                f"Training setting 'early_stopping.monitor' is '{monitor}', which this run does not measure; "
                f"use one of {', '.join(k for k in record if k not in ('epoch', 'step', 'lr', 'seconds'))}."
            )
        value = record[monitor]
        if value is None or not math.isfinite(value):
            return
        delta = self.config.min_delta
        improved = self.best is None or (value < self.best - delta if self.minimize else value > self.best + delta)
        if improved:
            self.best, self.wait = value, 0
            return
        self.wait += 1
        if self.wait >= self.config.patience:
            self.stopped_at = record["epoch"]
            control.request_stop(reason=f"early stopping: {monitor} did not improve for {self.wait} evaluations")

    def state_dict(self) -> dict:
        return {"best": self.best, "wait": self.wait, "stopped_at": self.stopped_at}

    def load_state_dict(self, state: dict) -> None:
        self.best, self.wait, self.stopped_at = state.get("best"), int(state.get("wait", 0)), state.get("stopped_at")
