"""Keeps ``checkpoints/last.pt`` fresh and ``checkpoints/best.pt`` at the best metric."""

from __future__ import annotations

import math
import time

from app.core.train.callbacks import Callback
from app.core.train.config import CheckpointConfig
from app.core.train.guards import non_finite_weights_message, tensors_are_finite, weights_are_finite
from app.core.train.optim import is_minimized


class Checkpointer(Callback):
    """Saves ``last`` at epoch ends and inside long epochs, ``best`` when ``monitor`` improves.

    The trainer calls :meth:`finish` when the run ends, to write the final ``last``
    checkpoint (unless the run failed) and any best checkpoint still held in memory.
    """

    def __init__(self, config: CheckpointConfig, monitor: str) -> None:
        self.config = config
        self.monitor = monitor
        self.minimize = is_minimized(monitor)
        self._last_saved = -math.inf  # the first epoch end and the first best always save
        self._best_saved = -math.inf
        self._batch_timer = 0.0
        self._last_step = 0
        self._saving = False
        self._pending_best: dict | None = None

    def on_fit_start(self, trainer, state, control) -> None:
        state.best_monitor = self.monitor
        self._batch_timer = time.monotonic()
        self._last_step = state.global_step

    def on_train_losses(self, trainer, state, control, steps, losses) -> None:
        # Mid-epoch saves ride on the loss reads (every few dozen steps or 0.05 s) rather
        # than on every batch, so they cost nothing per step. Any step is a valid resume point.
        if self._saving or state.batch_in_epoch >= state.batches_per_epoch:
            return  # the epoch end saves
        every_n, every_s = self.config.every_n_batches, self.config.every_seconds
        due_n = every_n and state.global_step - self._last_step >= every_n
        due_s = every_s and time.monotonic() - self._batch_timer >= every_s
        if due_n or due_s:
            self._save_last(trainer)

    def on_validation_end(self, trainer, state, control, record) -> None:
        value = record.get(self.monitor)
        if value is None or not math.isfinite(value) or control.failure is not None:
            return  # a failed evaluation (NaN weights) never becomes the best
        best = state.best_metric
        if best is not None and not (value < best if self.minimize else value > best):
            return
        state.best_metric, state.best_epoch, state.best_step = value, record["epoch"], int(record["step"])
        # Written at once, whatever the minimum interval: evaluate, predict and export read the
        # best weights, and a kill must never leave best.pt older than the summary's best.
        # Improvements are rarer than epochs, and this save needs no copy held in memory.
        self._save_best(trainer)

    def on_epoch_end(self, trainer, state, control) -> None:
        if control.should_end or self._run_is_over(state):
            return  # the trainer's finish() writes the final one
        now = time.monotonic()
        if self._pending_best is not None and now - self._best_saved >= self.config.epoch_min_seconds:
            self._save_best(trainer, self._pending_best)
        if now - self._last_saved >= self.config.epoch_min_seconds:
            self._save_last(trainer)

    @staticmethod
    def _run_is_over(state) -> bool:
        if state.max_steps is not None:
            return state.global_step >= state.max_steps
        return state.max_epochs is not None and state.epoch >= state.max_epochs

    def finish(self, trainer, state) -> None:
        if self._pending_best is not None:
            self._save_best(trainer, self._pending_best)
        if state.status != "failed":
            self._save_last(trainer)

    def on_exception(self, trainer, state, control, error) -> None:
        # A best checkpoint held back by the minimum interval is written now, so a crash
        # (out of memory, a data error) never costs the best weights reached so far.
        if self._pending_best is not None:
            self._save_best(trainer, self._pending_best)

    def _save_last(self, trainer) -> None:
        self._saving = True
        try:
            if trainer.flush_losses():
                if not weights_are_finite(trainer.model):  # spoiled by the step just taken
                    trainer.control.fail(non_finite_weights_message(trainer, trainer.state))
                    return
                trainer.write_checkpoint("last")
                self._last_saved = self._batch_timer = time.monotonic()
                self._last_step = trainer.state.global_step
        finally:
            self._saving = False

    def _save_best(self, trainer, payload: dict | None = None) -> None:
        self._pending_best = None
        weights = payload["model"] if payload is not None else trainer.model.state_dict()
        if not tensors_are_finite(weights):  # the best checkpoint on disk stays the last finite one
            if trainer.control.failure is None:
                trainer.control.fail(non_finite_weights_message(trainer, trainer.state))
            return
        trainer.write_checkpoint("best", payload)
        self._best_saved = time.monotonic()
