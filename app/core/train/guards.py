"""Ends a run at the first non-finite training loss, with advice on what to change."""

from __future__ import annotations

import math

from app.core.train.callbacks import Callback


def weights_are_finite(model) -> bool:
    """True when no parameter holds NaN or infinity (checked before a checkpoint is written)."""
    import torch

    with torch.no_grad():
        return all(bool(torch.isfinite(p).all()) for p in model.parameters())


def non_finite_weights_message(trainer, state, epoch=None) -> str:
    lr = trainer.schedule.lr if trainer.schedule is not None else float("nan")
    epoch = _epoch_of_step(trainer, state, state.global_step) if epoch is None else epoch
    return (f"The network's weights stopped being finite (NaN) at step {state.global_step} (epoch {epoch}); "
            f"training stopped and the last good checkpoint was kept. Lower the learning rate (now {lr:.3g}), set "
            "gradient clipping (grad_clip), or check the data for missing or extreme values.")


def _epoch_of_step(trainer, state, step: int) -> int:
    """The epoch a step belongs to (losses may be read just after the epoch counter moved on)."""
    per_epoch = math.ceil(state.batches_per_epoch / max(trainer.config.grad_accum, 1)) if state.batches_per_epoch else 0
    return (step - 1) // per_epoch + 1 if per_epoch else state.epoch + 1


class NonFiniteLossGuard(Callback):
    """Fails the run when a training loss is NaN or infinite.

    The loop hands losses over in small groups (see ``Callback.on_train_losses``) and
    always before evaluating or saving, so no checkpoint is ever written from weights that
    a non-finite loss has already spoiled; the best checkpoint stays as it was. A NaN
    validation loss (weights spoiled by the very last step) ends the run the same way.
    """

    def on_train_losses(self, trainer, state, control, steps, losses) -> None:
        for step, loss in zip(steps, losses):
            if not math.isfinite(loss):
                lr = trainer.schedule.lr if trainer.schedule is not None else float("nan")
                control.fail(
                    f"The training loss became {loss} at step {step} (epoch {_epoch_of_step(trainer, state, step)}); "
                    f"training stopped. Lower the learning rate (now {lr:.3g}), set gradient clipping "
                    "(grad_clip), or check the data for missing or extreme values."
                )
                return

    def on_validation_end(self, trainer, state, control, record) -> None:
        # A step's loss is computed before its update, so weights spoiled by the last step
        # before an evaluation show first as a NaN validation loss: end the run before saving.
        value = record.get("val_loss")
        if isinstance(value, float) and math.isnan(value) and control.failure is None:
            control.fail(non_finite_weights_message(trainer, state, record.get("epoch")))
