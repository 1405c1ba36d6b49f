"""Keeps every evaluation record in ``TrainerState.history`` (saved with checkpoints)."""

from __future__ import annotations

from app.core.train.callbacks import Callback


class History(Callback):
    """Appends each metrics.csv row to the state, so resume can rebuild the log exactly."""

    def on_validation_end(self, trainer, state, control, record) -> None:
        state.history.append(dict(record))
