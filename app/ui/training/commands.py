"""Undo commands for the project's ``training`` section.

The document (owned by the main window) knows nothing of training settings, so the
section is wrapped in :class:`TrainingSettings`, a small model that applies a new section
and tells the views. Every edit goes through :class:`EditTrainingCommand` on the window's
QUndoStack, so Edit ▸ Undo reverts it and the title shows the project as modified.

Example::

    after = settings.training          # a copy
    after["batch_size"] = 64
    document.undo_stack.push(EditTrainingCommand(settings, after, "Change batch size", merge_key="batch_size"))
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from app.ui.document import ProjectDocument


class TrainingSettings(QObject):
    """The open project's ``training`` dict as a model with a change signal."""

    changed = Signal()

    def __init__(self, document: ProjectDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        document.project_replaced.connect(self.changed)

    @property
    def training(self) -> dict:
        """A copy of the section; edit it and push a command with the result."""
        project = self.document.project
        return copy.deepcopy(project.training) if project is not None and project.training else {}

    def _apply(self, training: dict) -> None:
        if self.document.project is None:
            return
        self.document.project.training = copy.deepcopy(training)
        self.changed.emit()


def set_path(training: dict, path: str, value) -> dict:
    """``training`` with the dotted ``path`` (e.g. ``"optimizer.lr"``) set to ``value``;
    ``None`` removes the key (the engine's default applies again)."""
    result = copy.deepcopy(training)
    keys = path.split(".")
    node = result
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    if value is None and keys[-1] in node and path not in NULLABLE:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return result


#: Settings where ``null`` is a value of its own (not "use the default").
NULLABLE = {"early_stopping", "steps", "grad_clip", "threads"}


class EditTrainingCommand(QUndoCommand):
    """Replace the training section; edits with the same ``merge_key`` in a row (spinning a
    number) collapse into one undo step."""

    _merge_ids: dict[str, int] = {}

    def __init__(self, settings: TrainingSettings, after: dict, text: str, *, merge_key: str | None = None) -> None:
        super().__init__(text)
        self._settings = settings
        self._before = settings.training
        self._after = copy.deepcopy(after)
        self._merge_key = merge_key

    def id(self) -> int:
        if self._merge_key is None:
            return -1
        return self._merge_ids.setdefault(self._merge_key, 2000 + len(self._merge_ids))

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditTrainingCommand) or other._merge_key != self._merge_key:
            return False
        self._after = other._after
        return True

    def redo(self) -> None:
        self._settings._apply(self._after)

    def undo(self) -> None:
        self._settings._apply(self._before)
