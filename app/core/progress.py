"""Progress reporting and cancellation for long jobs (import, preparation, training, export).

A long job takes a ``progress`` callable ``progress(fraction, message)``; the caller's
callable may raise :class:`Cancelled` to stop the job at the next report. The CLI passes a
text progress bar, the GUI a worker that forwards to Qt signals and raises on cancel.

Example::

    def import_rows(path, progress=None):
        report = Progress(progress)
        for i, chunk in enumerate(chunks):
            report(i / n, f"Reading {path.name}")   # raises Cancelled when asked to stop
"""

from __future__ import annotations

from typing import Callable

from app.core.errors import ModelwrightError

ProgressCallback = Callable[[float, str], None]


class Cancelled(ModelwrightError):
    """The user asked the job to stop; nothing it was writing is left behind."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


class Progress:
    """Wraps an optional progress callable so jobs can report without checking for None."""

    def __init__(self, callback: ProgressCallback | None = None) -> None:
        self._callback = callback
        self._cancel_requested = False

    def __call__(self, fraction: float, message: str = "") -> None:
        self.report(fraction, message)

    def report(self, fraction: float, message: str = "") -> None:
        self.check_cancelled()
        if self._callback is not None:
            self._callback(min(max(float(fraction), 0.0), 1.0), message)

    def cancel(self) -> None:
        """Ask the job to stop at its next report or check."""
        self._cancel_requested = True

    def check_cancelled(self) -> None:
        if self._cancel_requested:
            raise Cancelled()
