"""The GUI's face of a search in a child process: a reader on its own QThread turns the
child's pipe messages into one Qt signal; Stop is a command down the other pipe.

Example::

    supervisor = SearchSupervisor(parent=self)
    supervisor.received.connect(self._on_supervisor_received)
    supervisor.start("iris.mwproj", space, trials=8, strategy="tpe", out=folder)
    supervisor.stop()
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from app.core.experiments.process import SearchProcess
from app.ui.workers import ChildJobLink

STOP_GRACE_SECONDS = 10.0


class SearchSupervisor(QObject):
    """One search at a time; ``received(dict)`` carries every message, ``finished`` ends with
    the child's ``finished`` message (always exactly once)."""

    received = Signal(dict)
    finished = Signal(dict)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process: SearchProcess | None = None
        self._link: ChildJobLink | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.result is None

    def start(self, project, space: dict, *, trials: int, strategy: str, timeout_minutes=None, out=None) -> None:
        if self.running:
            raise RuntimeError("a search is already running")
        if self._link is not None:
            self._link.close()
        self.process = SearchProcess(project, space, trials=trials, strategy=strategy,
                                     timeout_minutes=timeout_minutes, out=out).start()
        self._link = ChildJobLink(self.process, "search-pipe")
        self._link.received.connect(self._on_link_received)
        self._link.start()

    def stop(self) -> None:
        if self.running:
            self.process.stop()

    def shutdown(self, timeout: float = STOP_GRACE_SECONDS) -> None:
        """The window is closing: stop cleanly (the search stays resumable)."""
        if self._link is not None:
            self._link.shutdown(timeout)

    @Slot(object)
    def _on_link_received(self, message: dict) -> None:
        self.received.emit(message)
        if message.get("kind") == "finished":
            self.finished.emit(message)
