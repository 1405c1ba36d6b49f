"""One undo step that sets training settings and layer parameters named by dotted paths
(``training.optimizer.lr``, ``graph.dense_1.out_features``): how a search's best trial
is promoted to the project and how a diagnosis fix is applied.

Example::

    document.undo_stack.push(ApplySettingsCommand(document, training_settings,
                                                  {"training.optimizer.lr": 0.01}, "Promote trial 3"))
"""

from __future__ import annotations

import copy
from typing import Any, Mapping

from PySide6.QtGui import QUndoCommand

from app.core.experiments.space import set_dotted
from app.ui.document import ProjectDocument
from app.ui.training.commands import EditTrainingCommand, TrainingSettings


class ApplySettingsCommand(QUndoCommand):
    """Apply ``changes`` to the open project; undo restores every old value."""

    def __init__(self, document: ProjectDocument, training_settings: TrainingSettings,
                 changes: Mapping[str, Any], text: str) -> None:
        super().__init__(text)
        self._document = document
        training = training_settings.training
        after = copy.deepcopy(training)
        self._graph_changes: list[tuple[str, str, Any, Any]] = []
        graph = document.project.graph
        for name, value in changes.items():
            if name.startswith("training."):
                set_dotted(after, name[len("training."):], copy.deepcopy(value))
            elif name.startswith("graph."):
                _, node_id, param = name.split(".", 2)
                if graph.has_node(node_id):
                    self._graph_changes.append((node_id, param, copy.deepcopy(graph.node(node_id).params.get(param)),
                                                value))
        self._training = EditTrainingCommand(training_settings, after, text) if after != training else None

    def redo(self) -> None:
        if self._training is not None:
            self._training.redo()
        graph = self._document.project.graph
        for node_id, param, _old, new in self._graph_changes:
            graph.set_param(node_id, param, new)

    def undo(self) -> None:
        graph = self._document.project.graph
        for node_id, param, old, _new in reversed(self._graph_changes):
            graph.set_param(node_id, param, old)
        if self._training is not None:
            self._training.undo()
