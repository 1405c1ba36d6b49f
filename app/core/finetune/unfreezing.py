"""Gradual unfreezing as an engine callback: more of the base learns as epochs pass.

The strategy ``gradual`` gives each parameter of the base an ``unfreeze_epoch``; this
callback switches ``requires_grad`` on at the start of that epoch. The optimizer already
holds those parameters (with their discriminative learning rates), and parameters without a
gradient are skipped by torch's optimizers, so nothing has to be rebuilt. Because the state
follows from the epoch number alone, a resumed run unfreezes exactly as an uninterrupted one.

Example (the engine adds it by itself for the ``gradual`` strategy)::

    Trainer(model, config, task="classification", n_outputs=2, callbacks=[GradualUnfreezing()])
"""

from __future__ import annotations

from app.core.train.callbacks import Callback


class GradualUnfreezing(Callback):
    """Sets ``requires_grad = epoch >= p.unfreeze_epoch`` for every parameter that has one."""

    def __init__(self) -> None:
        self.unfrozen_counts: list[tuple[int, int]] = []

    def on_fit_start(self, trainer, state, control) -> None:
        self._apply(trainer, state.epoch)

    def on_epoch_start(self, trainer, state, control) -> None:
        self._apply(trainer, state.epoch)

    def _apply(self, trainer, epoch: int) -> None:
        trainable = 0
        for p in trainer.model.parameters():
            at = getattr(p, "unfreeze_epoch", None)
            if at is not None:
                p.requires_grad_(epoch >= at)
            if p.requires_grad:
                trainable += p.numel()
        self.unfrozen_counts.append((epoch, trainable))
