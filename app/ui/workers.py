"""The one worker pattern: run a core job on a QThread, report progress as throttled signals.

A core job is a plain function that takes ``progress=`` (see :mod:`app.core.progress`).
:func:`start_job` runs it on its own QThread and returns a :class:`JobHandle` living in the
GUI thread. Cancel sets a flag that the job sees at its next progress report (it raises
``Cancelled``); threads are never terminated. Progress reaches the GUI at most
:data:`MAX_SIGNALS_PER_SECOND` times a second so the event loop stays free.

Example::

    handle = start_job(inspect_source, path, parent=self)
    handle.progressed.connect(self._on_import_progressed)
    handle.succeeded.connect(self._on_import_succeeded)   # receives the return value
    handle.failed.connect(self._on_import_failed)         # receives the exception
    handle.cancel()                                       # flag-based stop
"""

from __future__ import annotations

import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot
from shiboken6 import isValid

from app.core.progress import Cancelled, Progress

MAX_SIGNALS_PER_SECOND = 20

_running: set["JobHandle"] = set()


class _Runner(QObject):
    """Lives on the worker thread; calls the job and emits what happened."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    done = Signal()

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, progress: Progress) -> None:
        super().__init__()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self.progress = progress
        self._last_emit = 0.0

    def report(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last_emit >= 1.0 / MAX_SIGNALS_PER_SECOND:
            self._last_emit = now
            self.progressed.emit(fraction, message)

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(*self._args, progress=self.progress, **self._kwargs)
        except Cancelled:
            self.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI, never kill the thread silently
            self.failed.emit(exc)
        else:
            if self.progress.cancel_requested:
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            self.done.emit()
            # End the thread's event loop from inside, so a GUI-thread wait() never deadlocks.
            QThread.currentThread().quit()


class _FlagProgress(Progress):
    """A Progress whose cancel flag can be read (the base keeps it private)."""

    @property
    def cancel_requested(self) -> bool:
        try:
            self.check_cancelled()
        except Cancelled:
            return True
        return False


class JobHandle(QObject):
    """The GUI-thread face of a running job. Exactly one of succeeded/failed/cancelled is
    emitted, then ``finished``."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = getattr(fn, "__name__", "job")
        self._thread = QThread()
        self._thread.setObjectName(f"job-{self.name}")
        self._progress = _FlagProgress(None)
        self._runner = _Runner(fn, args, kwargs, self._progress)
        self._progress._callback = self._runner.report
        self._runner.moveToThread(self._thread)
        self._running = True
        self._runner.progressed.connect(self.progressed)
        self._runner.succeeded.connect(self.succeeded)
        self._runner.failed.connect(self.failed)
        self._runner.cancelled.connect(self.cancelled)
        self._runner.done.connect(self._on_runner_done)
        self._thread.started.connect(self._runner.run)

    def start(self) -> "JobHandle":
        _running.add(self)
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report (flag only, never terminate)."""
        self._progress.cancel()

    def wait(self, timeout_ms: int = 5000) -> bool:
        """Block until the thread has ended (used when the window closes)."""
        return self._thread.wait(timeout_ms)

    @Slot()
    def _on_runner_done(self) -> None:
        self._running = False
        self._thread.quit()
        self._thread.wait()
        _running.discard(self)
        self.finished.emit()


def start_job(fn: Callable[..., Any], *args: Any, parent: QObject | None = None, **kwargs: Any) -> JobHandle:
    """Run ``fn(*args, progress=..., **kwargs)`` on a worker thread; see the module example."""
    return JobHandle(fn, args, kwargs, parent).start()


def running_jobs() -> list[JobHandle]:
    """Jobs still running, or whose result the GUI has not received yet."""
    for handle in list(_running):
        # A handle deleted with its parent (a view closed mid-job) never receives its
        # ``done``; it stays listed only while its thread (kept alive here) still runs.
        if not isValid(handle) and not handle._thread.isRunning():
            _running.discard(handle)
    return list(_running)


def cancel_all(timeout_ms: int = 5000) -> None:
    """Stop every job and wait for its thread; called before the app quits."""
    for handle in running_jobs():
        handle.cancel()
    for handle in running_jobs():
        handle.wait(timeout_ms)


class PipeReader(QObject):
    """Lives on its own QThread and re-emits a child job's messages as a Qt signal.

    ``job`` is an :class:`app.core.child_process.ChildJob` (training, search): the reader
    polls it until its ``finished`` message, then emits ``done`` and quits its thread.
    """

    received = Signal(object)
    done = Signal()
    POLL_SECONDS = 0.1

    def __init__(self, job) -> None:
        super().__init__()
        self.job = job

    @Slot()
    def run(self) -> None:
        try:
            while self.job.result is None:
                for message in self.job.poll(self.POLL_SECONDS):
                    self.received.emit(message)
        finally:
            self.done.emit()
            QThread.currentThread().quit()


class ChildJobLink(QObject):
    """The GUI's line to one child job (training, search): a :class:`PipeReader` on its own
    QThread, ``received(dict)`` on the GUI thread for every message, and the clean way to
    end it when the window closes. One link per job; a supervisor replaces it per run."""

    received = Signal(object)

    def __init__(self, job, thread_name: str) -> None:
        super().__init__()
        self.job = job
        self._thread = QThread()
        self._thread.setObjectName(thread_name)
        self._reader = PipeReader(job)
        self._reader.moveToThread(self._thread)
        self._reader.received.connect(self._on_reader_received)
        self._reader.done.connect(self._on_reader_done)
        self._thread.started.connect(self._reader.run)

    def start(self) -> "ChildJobLink":
        self._thread.start()
        return self

    def shutdown(self, timeout: float) -> None:
        """Stop the job and wait for its reader; kill the child only if it does not answer."""
        if self.job.result is None:
            self.job.stop()
            if not self._thread.wait(int(timeout * 1000)):
                self.job.kill()
        self._thread.wait(int(timeout * 1000))

    def close(self) -> None:
        """Wait for the reader thread of a finished job (moments) so the link can be dropped:
        a QThread destroyed while its thread still runs aborts the process."""
        self._thread.quit()
        self._thread.wait()

    @Slot(object)
    def _on_reader_received(self, message: dict) -> None:
        self.received.emit(message)

    @Slot()
    def _on_reader_done(self) -> None:
        self.close()
