"""The GUI's face of a training run in a child process (see :mod:`app.core.train.supervisor`).

A reader object on its own QThread waits on the child's pipe and re-emits each message as
a Qt signal; the child already batches them to at most 20 a second, so the GUI thread only
ever handles a handful of small dicts per second. Pause/resume/stop are commands sent
down the other pipe — the process is never terminated while it can still answer.

Example::

    supervisor = TrainingSupervisor(parent=self)
    supervisor.updated.connect(self._on_supervisor_updated)
    supervisor.finished.connect(self._on_supervisor_finished)
    supervisor.start("iris.mwproj", out="runs/iris-1")
    supervisor.pause(); supervisor.resume(); supervisor.stop()
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from app.core.train.supervisor import TrainingProcess
from app.ui.workers import ChildJobLink

STOP_GRACE_SECONDS = 10.0


class TrainingSupervisor(QObject):
    """One run at a time. Signals: ``preparing(fraction, message)``, ``started(dict)``,
    ``updated(dict)``, ``status_changed(str)`` (running/paused/stopping), ``finished(dict)``
    (always exactly once per run, also after a crash of the child)."""

    preparing = Signal(float, str)
    started = Signal(dict)
    updated = Signal(dict)
    status_changed = Signal(str)
    finished = Signal(dict)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process: TrainingProcess | None = None
        self._link: ChildJobLink | None = None
        self.status = "idle"

    @property
    def running(self) -> bool:
        return self.process is not None and self.status not in ("idle", "finished")

    def start(self, project=None, *, out=None, resume=None, overrides=None, threads=None,
              lm_tokens_per_sample=None) -> TrainingProcess:
        if self.running:
            raise RuntimeError("a run is already in progress")
        if self._link is not None:
            self._link.close()
        self.process = TrainingProcess(project, out=out, resume=resume, overrides=overrides, threads=threads,
                                       lm_tokens_per_sample=lm_tokens_per_sample).start()
        self._link = ChildJobLink(self.process, "training-pipe")
        self._link.received.connect(self._on_link_received)
        self._set_status("starting")
        self._link.start()
        return self.process

    def pause(self) -> None:
        if self.process is not None and self.status == "running" and self.process.pause():
            self._set_status("paused")

    def resume(self) -> None:
        if self.process is not None and self.status == "paused" and self.process.resume():
            self._set_status("running")

    def stop(self) -> None:
        """Stop after the current batch; the run keeps its last and best checkpoints."""
        if self.process is not None and self.running and self.process.stop():
            self._set_status("stopping")

    def shutdown(self, timeout: float = STOP_GRACE_SECONDS) -> None:
        """Called when the window closes: stop cleanly, kill only if the child does not answer."""
        if self._link is not None:
            self._link.shutdown(timeout)

    def _set_status(self, status: str) -> None:
        if status != self.status:
            self.status = status
            self.status_changed.emit(status)

    @Slot(object)
    def _on_link_received(self, message: dict) -> None:
        kind = message.get("kind")
        if kind == "update":
            self.updated.emit(message)
        elif kind == "preparing":
            self.preparing.emit(message["fraction"], message["message"])
        elif kind == "started":
            if self.status == "starting":
                self._set_status("running")
            self.started.emit(message)
        elif kind == "status":
            if self.status != "stopping":
                self._set_status(message["status"])
        elif kind == "finished":
            self._set_status("finished")
            self.finished.emit(message)
