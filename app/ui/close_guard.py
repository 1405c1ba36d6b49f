"""Closing the window while work is going: ask first, then stop it cleanly.

A training run or a search stopped by the user keeps its last checkpoint and can be resumed;
one cut off by the process ending would not. So closing (or quitting) while a run, a search,
an evaluation or an export is going asks "Stop and keep the checkpoint" or "Cancel", and the
window's ``closeEvent`` waits for the stop before it lets the app end. In unattended runs
(``--screenshot``) the question is answered with its Escape button, Cancel, like every dialog.

Example::

    work = running_work(window)
    if work and not ask_stop_running_work(window, work):
        event.ignore()
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def running_work(window) -> list[str]:
    """What is going in ``window`` (a MainWindow), in words, one line each; [] when nothing is."""
    pages = window._deferred_pages  # pages never built have nothing going
    work = []
    if "train" in pages and pages["train"].supervisor.running:
        work.append(QCoreApplication.translate("CloseGuard", "A training run"))
    if "experiments" in pages and pages["experiments"].supervisor.running:
        work.append(QCoreApplication.translate("CloseGuard", "A hyper-parameter search"))
    if "evaluate" in pages and pages["evaluate"].busy:
        work.append(QCoreApplication.translate("CloseGuard", "An evaluation"))
    if window.export_view.busy:
        work.append(QCoreApplication.translate("CloseGuard", "An export"))
    return work


def ask_stop_running_work(parent: QWidget | None, work: list[str]) -> bool:
    """True when the user chose to stop the work (and close); Cancel, Escape or closing the
    question keeps everything going."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("CloseGuard", "Work in progress"))
    box.setText(QCoreApplication.translate("CloseGuard", "Stop what is still going and close Modelwright?"))
    note = QCoreApplication.translate(
        "CloseGuard", "A stopped training run or search keeps its last checkpoint and can be resumed later.")
    box.setInformativeText("\n".join(f"• {line}" for line in work) + "\n\n" + note)
    stop_text = QCoreApplication.translate("CloseGuard", "Stop and keep the checkpoint")
    stop = box.addButton(stop_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QCoreApplication.translate("CloseGuard", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is stop
