"""Autosave and crash recovery for the main window (the store itself is Qt-free:
:mod:`app.core.safety.recovery`).

While the open project has unsaved changes it is autosaved every minute and shortly after
each change (an undo step, a data edit, new labels) into a recovery file under
QStandardPaths.AppDataLocation — never next to the user's own file. Saving the project, or
quitting cleanly, removes the recovery file. If the app crashes or is killed, the file
stays behind and the next start offers to restore it (Restore / Discard / Not Now).

Example::

    manager = RecoveryManager(window, recovery_folder(window.settings))
    QTimer.singleShot(0, manager.offer_restore)     # once the window is up
    ...
    manager.discard()                               # clean quit
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QMessageBox

from app.core.errors import ModelwrightError
from app.core.safety.recovery import RecoveryEntry, RecoveryStore

AUTOSAVE_INTERVAL_MS = 60_000
#: Changes come in bursts (typing a value, dragging several nodes): save once they settle.
CHANGE_DELAY_MS = 300

_logger = logging.getLogger("modelwright")


def recovery_folder(settings: QSettings) -> Path:
    """Where a window's recovery files live: ``<AppDataLocation>/recovery`` for the app's own
    settings; beside the settings file for any other (screenshots, tests), so those never
    offer, or overwrite, the user's recovery files."""
    if settings.fileName() == QSettings().fileName():
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        return Path(base or Path.home() / ".modelwright") / "recovery"
    return Path(settings.fileName()).resolve().parent / "recovery"


class RecoveryManager(QObject):
    """Keeps the window's recovery file up to date and offers orphaned ones at start."""

    def __init__(self, window, folder: Path) -> None:
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.store = RecoveryStore(folder)
        self.last_error: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(AUTOSAVE_INTERVAL_MS)
        self._timer.timeout.connect(self.autosave)
        self._timer.start()
        self._change_timer = QTimer(self)
        self._change_timer.setSingleShot(True)
        self._change_timer.setInterval(CHANGE_DELAY_MS)
        self._change_timer.timeout.connect(self.autosave)
        doc = self.document
        doc.undo_stack.indexChanged.connect(self._on_document_changed)
        doc.data_changed.connect(self._on_document_changed)
        doc.labels_changed.connect(self._on_document_changed)
        doc.project_replaced.connect(self._on_document_changed)
        doc.modified_changed.connect(self._on_document_modified_changed)

    # --- autosave ------------------------------------------------------------------------------
    def autosave(self) -> bool:
        """Write the recovery file now if there is something unsaved; True when written."""
        self._change_timer.stop()
        doc = self.document
        if doc.project is None or not doc.modified:
            self.store.discard()
            return False
        try:
            self.store.save(doc.project, doc.label_overrides)
        except (OSError, ModelwrightError, TypeError, ValueError) as exc:
            # Autosave must never interrupt the work it protects: log it and try again later.
            self.last_error = str(exc)
            _logger.warning("Autosave to %s failed: %s", self.store.file, exc)
            return False
        self.last_error = None
        return True

    def discard(self) -> None:
        """A clean quit: nothing is left to recover."""
        self._timer.stop()
        self._change_timer.stop()
        self.store.discard()

    def _on_document_changed(self, *_args) -> None:
        self._change_timer.start()

    def _on_document_modified_changed(self, modified: bool) -> None:
        if not modified:  # saved (or back at the saved state): the file on disk is the truth
            self._change_timer.stop()
            self.store.discard()
        else:
            self._change_timer.start()

    # --- restore -------------------------------------------------------------------------------
    def offer_restore(self) -> str | None:
        """Offer the newest recovery file left by a crashed app; returns the user's answer
        (``"restore"``, ``"discard"``, ``"later"``) or None when there was nothing to offer.
        Older files stay for the next start."""
        entries = self.store.orphans()
        if not entries:
            return None
        entry = entries[0]
        answer = self.ask_restore(entry)
        if answer == "restore":
            if not self.restore(entry):
                return "later"
        elif answer == "discard":
            self.store.remove(entry)
        return answer

    def restore(self, entry: RecoveryEntry) -> bool:
        """Open the autosaved project (marked unsaved); its recovery file becomes this app's."""
        from app.ui import dialogs

        try:
            project, overrides = entry.load()
        except ModelwrightError as exc:
            dialogs.warn(self.window, self.tr("Cannot restore project"), str(exc))
            return False
        if not self.window.maybe_save():
            return False
        self.document.set_project(project, overrides, modified=True)
        self.autosave()  # written under this process before the orphan goes
        self.store.remove(entry)
        self.window.statusBar().showMessage(
            self.tr("Restored unsaved changes to {name}; save to keep them.").format(name=project.name), 8000)
        return True

    def ask_restore(self, entry: RecoveryEntry) -> str:
        """``"restore"``, ``"discard"`` or ``"later"`` (tests replace this)."""
        when = datetime.datetime.fromtimestamp(entry.saved_at).strftime("%Y-%m-%d %H:%M")
        where = str(entry.original_path) if entry.original_path is not None else self.tr("a project never saved")
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Restore unsaved changes?"))
        box.setText(self.tr("Modelwright did not close properly last time. Unsaved changes to “{name}” "
                            "were kept (autosaved {when}).").format(name=entry.name, when=when))
        box.setInformativeText(self.tr("Project: {where}\nRestore them now? If you discard them they are gone "
                                       "for good.").format(where=where))
        restore = box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Not Now"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        clicked = box.clickedButton()
        if clicked is restore:
            return "restore"
        if clicked is discard:
            return "discard"
        return "later"
