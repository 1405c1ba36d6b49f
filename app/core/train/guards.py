"""Ends a run at the first non-finite training loss, with advice on what to change."""

from __future__ import annotations

import math

from app.core.train.callbacks import Callback


def weights_are_finite(model) -> bool:
    """True when no parameter or buffer (a normalisation's running statistics too) holds NaN
    or infinity; checked before a checkpoint or the final weights are written."""
    import itertools

    return tensors_are_finite(itertools.chain(model.parameters(), model.buffers()))


def tensors_are_finite(tensors) -> bool:
    """True when every floating-point tensor of ``tensors`` (an iterable, or a state dict's
    values) is finite; one device sync for all of them."""
    import torch

    if isinstance(tensors, dict):
        tensors = tensors.values()
    with torch.no_grad():
        flags = [torch.isfinite(t).all() for t in tensors
                 if isinstance(t, torch.Tensor) and t.is_floating_point() and t.numel()]
        if not flags:
            return True
        return bool(torch.stack([f.to(flags[0].device) for f in flags]).all())


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
