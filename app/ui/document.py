"""The open project as the GUI's model: one Project, one QUndoStack, change notifications.

Views never edit the project directly: they push undo commands (:mod:`app.ui.commands`),
the commands call the ``_apply_*`` methods here, and views redraw from the signals. So
undo/redo, the "modified" star in the title and the unsaved-changes prompt all follow from
one stack.

Label overrides (labels a user typed over the source's target column) are kept as
``{row: label}`` beside the data section; :mod:`app.ui.data.labels` decides where they are
stored in the file.
"""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.core.project import Project


class ProjectDocument(QObject):
    """Holds the open project; signals are past tense (``data_changed``)."""

    project_replaced = Signal()  # a different project was opened or created
    data_changed = Signal()  # the "data" section changed (import, roles, preparation, split)
    labels_changed = Signal(list)  # rows whose label override changed
    path_changed = Signal()
    modified_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.label_overrides: dict[int, str] = {}
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)

    # --- reading ---------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        return self.project.path if self.project is not None else None

    @property
    def data(self) -> dict | None:
        """A copy of the data section; edit it and push a command with the result."""
        if self.project is None or self.project.data is None:
            return None
        return copy.deepcopy(self.project.data)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def base_dir(self) -> Path:
        return self.project.folder if self.project is not None else Path.cwd()

    @property
    def dialog_dir(self) -> Path:
        """Where a file dialog for this project starts: its folder, never the installation."""
        from app.ui.user_folders import dialog_directory

        return dialog_directory(self.path)

    # --- whole-project operations (not undoable: they replace the stack) ------------------
    def set_project(self, project: Project, label_overrides: dict[int, str] | None = None, *,
                    modified: bool = False) -> None:
        """Show ``project``; ``modified=True`` (a restored autosave) keeps it marked unsaved
        until the user saves it."""
        self.undo_stack.clear()
        self.project = project
        self.label_overrides = dict(label_overrides or {})
        self.undo_stack.setClean()
        if modified:
            self.undo_stack.resetClean()  # no state of the stack is the saved one
        self.project_replaced.emit()
        self.path_changed.emit()
        self.modified_changed.emit(modified)

    def mark_saved(self, path: Path) -> None:
        self.undo_stack.setClean()
        self.path_changed.emit()

    # --- called by undo commands only -----------------------------------------------------
    def _apply_data(self, data: dict | None) -> None:
        self.project.data = copy.deepcopy(data)
        self.data_changed.emit()

    def _apply_labels(self, changes: dict[int, str | None]) -> None:
        for row, label in changes.items():
            if label is None:
                self.label_overrides.pop(row, None)
            else:
                self.label_overrides[row] = label
        self.labels_changed.emit(sorted(changes))

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)
