"""Runs nobody watches (``--screenshot``, ``--timing``) never wait on a question.

Every dialog that opens, modal ones opened before the event loop included, is answered at
once with its safe choice (the button Escape would press: Cancel, No, or OK for a plain
message) and what it said is written to stderr as one line, so a damaged project or a
question about outside data shows up in the log instead of hanging the run for ever.

Example::

    answers = answer_dialogs_automatically(app)
    ...
    answers.count   # how many dialogs were answered
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox


class AutoAnswer(QObject):
    """An application-wide event filter that closes each dialog as soon as it is shown."""

    def __init__(self, app: QApplication, stream=None) -> None:
        super().__init__(app)
        self.stream = stream if stream is not None else sys.stderr
        self.answered: list[tuple[str, str, str]] = []

    @property
    def count(self) -> int:
        return len(self.answered)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(obj, QDialog):
            QTimer.singleShot(0, lambda dialog=obj: self._answer(dialog))
        return False

    def _answer(self, dialog: QDialog) -> None:
        try:
            if not dialog.isVisible():
                return
        except RuntimeError:  # already deleted
            return
        title = dialog.windowTitle()
        text = ""
        choice = self.tr("Cancel")
        if isinstance(dialog, QMessageBox):
            text = " ".join(f"{dialog.text()} {dialog.informativeText()}".split())
            button = dialog.escapeButton() or _safest_button(dialog)
            if button is not None:
                choice = button.text().replace("&", "")
                self._log(title, text, choice)
                button.click()
                return
        self._log(title, text, choice)
        dialog.reject()

    def _log(self, title: str, text: str, choice: str) -> None:
        self.answered.append((title, text, choice))
        line = self.tr("note: dialog “{title}” answered “{choice}” without waiting (unattended run): {text}").format(
            title=title, choice=choice, text=text or "-")
        print(" ".join(line.split()), file=self.stream, flush=True)


def _safest_button(box: QMessageBox):
    """The button that changes nothing: a reject/no role first, else the only one there is."""
    buttons = box.buttons()
    for role in (QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole):
        for button in buttons:
            if box.buttonRole(button) == role:
                return button
    return buttons[0] if len(buttons) == 1 else None


def answer_dialogs_automatically(app: QApplication, stream=None) -> AutoAnswer:
    """Install the filter on ``app`` and return it (it lives as long as the application)."""
    answers = AutoAnswer(app, stream)
    app.installEventFilter(answers)
    return answers
