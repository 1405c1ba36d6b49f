"""Stops a run when the monitored metric stops improving.

New table and image projects have early stopping on (see
:func:`app.core.train.config.default_early_stopping`);
evaluate, predict and export use the best checkpoint, so stopping only saves time.
"""

from __future__ import annotations

import logging
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
        self._noted = False

    def on_validation_end(self, trainer, state, control, record) -> None:
        monitor = self.config.monitor
        if monitor.startswith("val_") and "val_loss" not in record:
            # No validation data (its share was set to 0): there is nothing to stop on. A note,
            # not an error, so a project made with early stopping on still trains.
            if not self._noted:
                self._noted = True
                logging.getLogger(__name__).warning(
                    "note: early stopping watches %s, but this run has no validation data; it trains "
                    "for all its epochs.", monitor)
            return
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

