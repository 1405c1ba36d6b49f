"""TensorBoard event files under ``RUN_DIR/tensorboard`` (``"tensorboard": true``)."""

from __future__ import annotations

from pathlib import Path

from app.core.train.callbacks import Callback


class TensorBoardLogger(Callback):
    """Logs every evaluation record and the per-step training loss.

    ``tensorboard`` is imported only when a run asks for it (it is slow to import). On
    resume, events after the resumed step are purged so curves do not double back.
    """

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = Path(log_dir)
        self._writer = None

    def on_fit_start(self, trainer, state, control) -> None:
        from torch.utils.tensorboard import SummaryWriter

        purge = state.global_step + 1 if state.global_step > 0 else None
        self._writer = SummaryWriter(log_dir=str(self.log_dir), purge_step=purge)

    def on_train_losses(self, trainer, state, control, steps, losses) -> None:
        for step, loss in zip(steps, losses):
            self._writer.add_scalar("train/step_loss", loss, step)

    def on_validation_end(self, trainer, state, control, record) -> None:
        step = int(record["step"])
        for key, value in record.items():
            if key in ("epoch", "step") or value is None:
                continue
            split, _, name = key.partition("_")
            tag = f"{split}/{name}" if split in ("train", "val") else f"train/{key}"
            self._writer.add_scalar(tag, value, step)
        self._writer.flush()

    def on_fit_end(self, trainer, state, control) -> None:
        self._close()

    def on_exception(self, trainer, state, control, error) -> None:
        self._close()

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
