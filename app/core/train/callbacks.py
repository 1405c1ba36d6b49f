"""Events out of the training loop, and the one way back in.

The loop tells :class:`Callback` objects what happens (every hook is a documented no-op
here, so a callback overrides only what it needs); callbacks and the GUI steer the loop
only through :class:`TrainerControl`. The run's progress is a :class:`TrainerState`, a
plain dataclass saved as JSON inside every checkpoint so a resumed run picks up exactly
where it stopped. Events carry plain Python numbers, never tensors.

Example — print the validation loss and stop once it is low enough::

    class StopWhenGood(Callback):
        def on_validation_end(self, trainer, state, control, record):
            print(record["epoch"], record.get("val_loss"))
            if record.get("val_loss", 1.0) < 0.05:
                control.request_stop()

    Trainer(model, config, task="binary", n_outputs=1, callbacks=[StopWhenGood()]).fit(train, val)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from app.core.train.engine import Trainer


@dataclass
class TrainerState:
    """Where a run stands; saved with each checkpoint (JSON-able by construction).

    ``epoch`` counts completed passes over the training data and ``batch_in_epoch`` the
    batches already done of the pass in progress, so resume can skip exactly those.
    ``history`` holds one record per evaluation (the rows of ``metrics.csv``).
    """

    epoch: int = 0
    global_step: int = 0
    batch_in_epoch: int = 0
    batches_per_epoch: int = 0
    max_epochs: int | None = None
    max_steps: int | None = None
    best_metric: float | None = None
    best_monitor: str = "val_loss"
    best_epoch: float | None = None
    best_step: int | None = None
    history: list[dict] = field(default_factory=list)
    status: str = "running"
    error: str | None = None
    elapsed_seconds: float = 0.0
    # Training loss since the last evaluation (for the train_loss column), kept here so a
    # resumed run reports the same figure as an uninterrupted one.
    interval_loss_sum: float = 0.0
    interval_loss_count: int = 0
    callback_state: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        # By hand rather than dataclasses.asdict: this runs at every checkpoint and asdict's
        # deep recursion over a long history was the slowest part of saving a tiny model.
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["history"] = [dict(r) for r in self.history]
        d["callback_state"] = {k: dict(v) for k, v in self.callback_state.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "TrainerState":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    @property
    def fractional_epoch(self) -> float:
        if self.batches_per_epoch <= 0:
            return float(self.epoch)
        return self.epoch + self.batch_in_epoch / self.batches_per_epoch


class TrainerControl:
    """Flags the loop checks after every optimizer step; safe to call from any thread.

    - :meth:`request_stop`: finish the current batch, save a last checkpoint, end with
      status ``stopped`` (a resumable run).
    - :meth:`request_pause` / :meth:`resume`: the loop blocks after the current batch
      until resumed (or stopped).
    - :meth:`fail`: end the run with status ``failed`` and this message (used by the
      non-finite-loss guard).
    """

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self.stop_requested = False
        self.stop_reason: str | None = None
        self.failure: str | None = None

    def request_stop(self, reason: str | None = None) -> None:
        """Stop after the current batch. Without a ``reason`` the run ends as ``stopped``
        (the user's choice); with one (e.g. early stopping) it ends as ``completed``."""
        if not self.stop_requested:
            self.stop_reason = reason
        self.stop_requested = True
        self._running.set()  # a paused loop must wake up to stop

    def request_pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def fail(self, message: str) -> None:
        if self.failure is None:
            self.failure = message

    @property
    def pause_requested(self) -> bool:
        return not self._running.is_set()

    @property
    def should_end(self) -> bool:
        return self.stop_requested or self.failure is not None

    def wait_while_paused(self, poll: float = 0.2) -> None:
        while not self._running.wait(poll):
            pass


class BatchEnd:
    """What ``on_batch_end`` receives: plain numbers, and the loss only when read.

    Reading :attr:`loss` costs a device synchronisation, so callbacks that show it should
    read it at most a few times per second.
    """

    __slots__ = ("epoch", "batch", "batches", "step", "lr", "_loss", "_value")

    def __init__(self, epoch: int, batch: int, batches: int, step: int, lr: float, loss) -> None:
        self.epoch = epoch          # 0-based pass over the data in progress
        self.batch = batch          # batches done in this pass (1-based count)
        self.batches = batches      # batches per pass
        self.step = step            # optimizer steps done in the whole run
        self.lr = lr
        self._loss = loss
        self._value: float | None = None

    @property
    def loss(self) -> float:
        if self._value is None:
            self._value = float(self._loss.item())
        return self._value


class Callback:
    """Base class of everything that listens to the training loop; every hook is a no-op.

    Hooks run in the order the callbacks were given. ``trainer`` gives access to the
    model, config and run directory; ``state`` is the :class:`TrainerState`; ``control``
    is the :class:`TrainerControl` to steer with. A callback that keeps state across a
    resume returns it from :meth:`state_dict` (plain JSON types).

    Example::

        class LossPrinter(Callback):
            def on_batch_end(self, trainer, state, control, batch):
                if batch.step % 100 == 0:
                    print(batch.step, batch.loss)
    """

    #: key under which :meth:`state_dict` is saved in ``TrainerState.callback_state``
    state_key: str | None = None

    def on_fit_start(self, trainer: "Trainer", state: TrainerState, control: TrainerControl) -> None:
        """Before the first batch (also when resuming; ``state`` then holds the saved run)."""

    def on_epoch_start(self, trainer: "Trainer", state: TrainerState, control: TrainerControl) -> None:
        """A pass over the training data begins (``state.batch_in_epoch`` > 0 when resuming mid-pass)."""

    def on_batch_end(self, trainer: "Trainer", state: TrainerState, control: TrainerControl,
                     batch: BatchEnd) -> None:
        """After each optimizer step. Keep it cheap: it runs thousands of times."""

    def on_train_losses(self, trainer: "Trainer", state: TrainerState, control: TrainerControl,
                        steps: list[int], losses: list[float]) -> None:
        """Per-step training losses as plain floats, delivered in groups (every few dozen
        steps, ≤ 0.05 s apart, and before every evaluation and checkpoint)."""

    def on_validation_end(self, trainer: "Trainer", state: TrainerState, control: TrainerControl,
                          record: dict[str, float]) -> None:
        """After each evaluation: ``record`` is the metrics.csv row
        (``epoch, step, train_loss, val_loss, val_<metric>..., lr, seconds``)."""

    def on_epoch_end(self, trainer: "Trainer", state: TrainerState, control: TrainerControl) -> None:
        """A pass over the training data is complete (``state.epoch`` already counts it)."""

    def on_checkpoint(self, trainer: "Trainer", state: TrainerState, control: TrainerControl,
                      path: "Path", kind: str) -> None:
        """A checkpoint was written; ``kind`` is ``"last"`` or ``"best"``."""

    def on_fit_end(self, trainer: "Trainer", state: TrainerState, control: TrainerControl) -> None:
        """Training ended (``state.status`` is completed, stopped or failed); outputs are written."""

    def on_exception(self, trainer: "Trainer", state: TrainerState, control: TrainerControl,
                     error: BaseException) -> None:
        """An exception escaped the loop; the run is marked failed and the error re-raised."""

    def state_dict(self) -> dict | None:
        return None

    def load_state_dict(self, state: dict) -> None:
        """Restore what :meth:`state_dict` returned, when resuming."""


HOOKS = ("on_fit_start", "on_epoch_start", "on_batch_end", "on_train_losses", "on_validation_end",
         "on_epoch_end", "on_checkpoint", "on_fit_end", "on_exception")


class CallbackList:
    """Dispatches each hook to the callbacks that override it (so unused hooks cost nothing)."""

    def __init__(self, callbacks) -> None:
        self.callbacks = list(callbacks)
        self._listeners: dict[str, list[Callable[..., Any]]] = {
            hook: [getattr(cb, hook) for cb in self.callbacks if getattr(type(cb), hook) is not getattr(Callback, hook)]
            for hook in HOOKS
        }

    def listens(self, hook: str) -> bool:
        return bool(self._listeners[hook])

    def call(self, hook: str, *args: Any) -> None:
        for fn in self._listeners[hook]:
            fn(*args)

    def __iter__(self):
        return iter(self.callbacks)
