"""The one undo command of the designer: applies a list of model operations, reverts them on undo.

The command changes only the graph (through :mod:`app.ui.designer.edits`); the canvas, the
inspector and the summary redraw from the graph's events. Consecutive commands with the same
``merge_key`` (one drag of a node, one spin box being stepped) merge into one undo step.

Example::

    builder = EditBuilder(graph)
    builder.add_node("core.dropout", (0, 300))
    undo_stack.push(GraphEditCommand(graph, builder.ops, "Add Dropout"))
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from app.core.graph.graph import Graph
from app.ui.designer.edits import Op, apply_ops, merge_ops, revert_ops

_MERGE_ID = 0x4D57  # one id for every mergeable designer command; merge_key decides


class GraphEditCommand(QUndoCommand):
    def __init__(self, graph: Graph, ops: list[Op], text: str, *, merge_key: object = None) -> None:
        super().__init__(text)
        self.graph = graph
        self.ops = list(ops)
        self.merge_key = merge_key

    def redo(self) -> None:
        apply_ops(self.graph, self.ops)

    def undo(self) -> None:
        revert_ops(self.graph, self.ops)

    def id(self) -> int:  # noqa: A003 - Qt's name
        return _MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, GraphEditCommand) or other.merge_key != self.merge_key or other.graph is not self.graph:
            return False
        merged = merge_ops(self.ops, other.ops)
        if merged is None:
            return False
        self.ops = merged
        return True
