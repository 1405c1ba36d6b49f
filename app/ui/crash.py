"""Unexpected errors: log them to a file, show a "something went wrong" dialog, keep running.

``install_excepthook`` replaces ``sys.excepthook`` (exceptions raised in slots end up there
in PySide6) and worker threads report theirs through :func:`report_exception`. Messages
meant for users (``ModelwrightError``) never come here; they are shown as plain warnings.
"""

from __future__ import annotations

import datetime
import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QThread
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

_logger = logging.getLogger("modelwright")
_dialog_open = False
#: Tests replace this to collect the reports instead of showing a modal dialog.
show_dialog_hook = None


def log_dir() -> Path:
    """The per-user data folder (QStandardPaths.AppDataLocation), created on demand."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(base or Path.home() / ".modelwright")
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / "modelwright.log"


def _configure_logging() -> None:
    if any(isinstance(h, logging.FileHandler) for h in _logger.handlers):
        return
    try:
        handler = logging.FileHandler(log_file(), encoding="utf-8")
    except OSError:  # a read-only home must not stop the app
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    _logger.addHandler(handler)
    _logger.setLevel(logging.INFO)


def format_exception(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def report_exception(exc: BaseException, parent: QWidget | None = None, context: str = "") -> None:
    """Log ``exc`` with its traceback and tell the user, without closing the app."""
    details = format_exception(exc)
    _configure_logging()
    _logger.error("Unexpected error%s\n%s", f" ({context})" if context else "", details)
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        print(details, file=sys.stderr)  # off the GUI thread: the worker adapter re-reports it there
        return
    if show_dialog_hook is not None:
        show_dialog_hook(exc, details)
        return
    global _dialog_open
    if _dialog_open:  # one dialog at a time; a cascade of errors would bury the window
        return
    _dialog_open = True
    try:
        CrashDialog(details, parent or app.activeWindow()).exec()
    finally:
        _dialog_open = False


def log_training_failure(result: dict) -> None:
    """Log a failed training run (the child's ``finished`` message) like the GUI's own errors:
    the message, and the traceback when the child crashed on something unexpected. The Train
    view shows the message; the log keeps the details for a bug report."""
    if result.get("status") != "failed":
        return
    _configure_logging()
    details = result.get("details")
    _logger.error("Training failed (run %s): %s%s", result.get("run_dir"), result.get("error"),
                  f"\n{details}" if details else "")


def install_excepthook() -> None:
    """Route uncaught exceptions (including those raised in Qt slots) to :func:`report_exception`."""
    _configure_logging()

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        report_exception(exc)

    sys.excepthook = hook


class CrashDialog(QDialog):
    """Says that something went wrong, where the log is, and offers the details to copy."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Something went wrong"))
        self.resize(640, 420)
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        intro = QLabel(
            self.tr(
                "Modelwright ran into an unexpected problem. Your project is still open and nothing "
                "was saved over it. The details below were also written to:\n{log}"
            ).format(log=log_file())
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._details = QPlainTextEdit(f"{stamp}\n{details}")
        self._details.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(self.tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._details, 1)
        layout.addWidget(buttons)

    def details(self) -> str:
        return self._details.toPlainText()

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details())

