"""Ends a run at the first non-finite training loss, with advice on what to change."""

from __future__ import annotations

import math

from app.core.train.callbacks import Callback


class NonFiniteLossGuard(Callback):
    """Fails the run when a training loss is NaN or infinite.

    The loop hands losses over in small groups (see ``Callback.on_train_losses``) and
    always before evaluating or saving, so no checkpoint is ever written from weights that
    a non-finite loss has already spoiled; the best checkpoint stays as it was.
    """

    def on_train_losses(self, trainer, state, control, steps, losses) -> None:
        for step, loss in zip(steps, losses):
            if not math.isfinite(loss):
                lr = trainer.schedule.lr if trainer.schedule is not None else float("nan")
                control.fail(
                    f"The training loss became {loss} at step {step} (epoch {state.epoch + 1}); "
                    f"training stopped. Lower the learning rate (now {lr:.3g}), set gradient clipping "
                    "(grad_clip), or check the data for missing or extreme values."
                )
                return
