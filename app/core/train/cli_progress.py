"""Training progress as text for the command line.

One line per epoch (or evaluation interval of a step-based run)::

    epoch 3/20  train_loss 0.412  val_loss 0.398  val_accuracy 0.912  lr 1.0e-03  2.1s

and, on a terminal, a progress bar inside the epoch redrawn at most 10 times a second.
While it runs, the first Ctrl+C asks the loop to stop cleanly after the batch (the last
checkpoint is saved, no final model is written, and the run ends "stopped", resumable with
``--resume``); a second one aborts at once. ``status`` tells the command line how the run
ended, so it can exit 130 after a stop.
"""

from __future__ import annotations

import math
import shlex
import signal
import sys
import threading
import time
from typing import TextIO

from app.core.train.callbacks import Callback

REDRAW_SECONDS = 0.1
BAR_WIDTH = 24


def format_value(key: str, value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if key == "lr":
        return f"{value:.1e}"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.2e}"
    return str(value)


class TextProgress(Callback):
    """Prints epoch lines (and a live bar on a TTY) to ``stream`` (stdout by default)."""

    def __init__(self, stream: TextIO | None = None, *, handle_interrupt: bool = True) -> None:
        self.stream = stream
        self.handle_interrupt = handle_interrupt
        self._tty = False
        self._last_draw = 0.0
        self._record_time = 0.0
        self._bar_shown = False
        self._previous_handler = None
        self.status: str | None = None  # the run's final status, once it has ended

    @property
    def out(self) -> TextIO:
        return self.stream if self.stream is not None else sys.stdout

    def _print(self, text: str) -> None:
        if self._bar_shown:
            self.out.write("\r\033[K")
            self._bar_shown = False
        self.out.write(text + "\n")
        self.out.flush()

    # -- hooks ----------------------------------------------------------------------------
    def on_fit_start(self, trainer, state, control) -> None:
        self._tty = bool(getattr(self.out, "isatty", lambda: False)())
        self._record_time = time.perf_counter()
        what = f"{state.max_steps} steps" if state.max_steps else f"{state.max_epochs} epochs"
        resumed = f", resuming at epoch {state.epoch + 1} batch {state.batch_in_epoch}" if state.global_step else ""
        self._print(f"Training {what} on {trainer.device} ({trainer.n_parameters:,} parameters, "
                    f"{state.batches_per_epoch} batches per epoch{resumed})")
        if self.handle_interrupt and threading.current_thread() is threading.main_thread():
            def on_sigint(signum, frame):
                if control.stop_requested:
                    raise KeyboardInterrupt
                control.request_stop()
                try:
                    self._print("Stopping after this batch (Ctrl+C again to abort)...")
                except RuntimeError:  # the signal landed inside another write to the stream
                    pass

            self._previous_handler = signal.signal(signal.SIGINT, on_sigint)

    def on_batch_end(self, trainer, state, control, batch) -> None:
        if not self._tty:
            return
        now = time.perf_counter()
        if now - self._last_draw < REDRAW_SECONDS and batch.batch < batch.batches:
            return
        self._last_draw = now
        filled = int(BAR_WIDTH * batch.batch / max(batch.batches, 1))
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.out.write(f"\r\033[Kepoch {batch.epoch + 1} [{bar}] {batch.batch}/{batch.batches}  "
                       f"loss {format_value('loss', batch.loss)}")
        self.out.flush()
        self._bar_shown = True

    def on_validation_end(self, trainer, state, control, record) -> None:
        now = time.perf_counter()
        took, self._record_time = now - self._record_time, now
        if state.max_steps:
            head = f"step {record['step']}/{state.max_steps}"
        else:
            head = f"epoch {record['epoch']}/{state.max_epochs}"
        parts = [head] + [f"{k} {format_value(k, v)}" for k, v in record.items()
                          if k not in ("epoch", "step", "seconds")]
        self._print("  ".join(parts) + f"  {took:.1f}s")

    def on_fit_end(self, trainer, state, control) -> None:
        self._restore_handler()
        self.status = state.status
        if state.status == "failed":
            self._print(f"Training failed: {state.error}")
        elif state.status == "stopped":
            self._print(f"Stopped at epoch {state.epoch + 1}, step {state.global_step} before the end, so no final "
                        f"model was written; continue with: {_resume_command(trainer)}")
        else:
            reason = f" ({control.stop_reason})" if control.stop_reason else ""
            self._print(f"Finished in {state.elapsed_seconds:.1f}s{reason}.")

    def on_exception(self, trainer, state, control, error) -> None:
        self._restore_handler()
        self.status = "failed"
        if self._bar_shown:
            self.out.write("\n")
            self._bar_shown = False
        paths = getattr(trainer, "paths", None)
        if isinstance(error, KeyboardInterrupt) and paths is not None and paths.last_checkpoint.is_file():
            self._print(f"Aborted; the last checkpoint is kept, continue with: {_resume_command(trainer)}")

    def _restore_handler(self) -> None:
        if self._previous_handler is not None:
            signal.signal(signal.SIGINT, self._previous_handler)
            self._previous_handler = None


def _resume_command(trainer) -> str:
    paths = getattr(trainer, "paths", None)
    run_dir = shlex.quote(str(paths.root)) if paths is not None else "RUN_DIR"
    return f"python main.py train --resume {run_dir}"
