"""Undo commands: each changes only the document (the model); views redraw from its signals.

Every edit a user makes to the project goes through one of these on the document's
QUndoStack, so Edit ▸ Undo reverts it exactly.

Example::

    after = document.data
    after["split"]["seed"] = 7
    document.undo_stack.push(EditDataCommand(document, after, "Change split seed"))
"""

from __future__ import annotations

import copy

from PySide6.QtGui import QUndoCommand

from app.ui.document import ProjectDocument


class EditDataCommand(QUndoCommand):
    """Replace the data section with ``after``; consecutive edits with the same ``merge_key``
    (e.g. dragging a ratio slider) collapse into one undo step."""

    _merge_ids: dict[str, int] = {}

    def __init__(
        self,
        document: ProjectDocument,
        after: dict | None,
        text: str,
        *,
        merge_key: str | None = None,
        clear_labels: bool = False,
    ) -> None:
        super().__init__(text)
        self._document = document
        self._before = document.data
        self._after = copy.deepcopy(after)
        self._merge_key = merge_key
        # A new source makes row-based label overrides meaningless; they go with the import.
        self._labels_before = dict(document.label_overrides) if clear_labels else None

    def id(self) -> int:
        if self._merge_key is None:
            return -1
        return self._merge_ids.setdefault(self._merge_key, 1000 + len(self._merge_ids))

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditDataCommand) or other._merge_key != self._merge_key or other._labels_before:
            return False
        self._after = other._after
        return True

    def redo(self) -> None:
        if self._labels_before:
            self._document._apply_labels({row: None for row in self._labels_before})
        self._document._apply_data(self._after)

    def undo(self) -> None:
        self._document._apply_data(self._before)
        if self._labels_before:
            self._document._apply_labels(dict(self._labels_before))


class SetLabelsCommand(QUndoCommand):
    """Set (or with ``None``, clear) the label override of some rows."""

    def __init__(self, document: ProjectDocument, changes: dict[int, str | None], text: str) -> None:
        super().__init__(text)
        self._document = document
        self._after = dict(changes)
        self._before = {row: document.label_overrides.get(row) for row in changes}

    def redo(self) -> None:
        self._document._apply_labels(self._after)

    def undo(self) -> None:
        self._document._apply_labels(self._before)
