"""The few modal questions the app asks, in one place (tests replace these functions)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A user-facing problem (bad file, invalid setting): the message says what to do."""
    QMessageBox.warning(parent, title, text)


def ask_save_changes(parent: QWidget | None, name: str) -> str:
    """``"save"``, ``"discard"`` or ``"cancel"``; the platform's button order and wording."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Dialogs", "Unsaved changes"))
    box.setText(QCoreApplication.translate("Dialogs", "Save the changes to “{name}” before closing it?").format(name=name))
    box.setInformativeText(QCoreApplication.translate("Dialogs", "Your changes are lost if you don't save them."))
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                           | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"
