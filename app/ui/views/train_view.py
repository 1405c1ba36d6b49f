"""The Train view (for now): the project's training settings, read-only, and how to start training.

Training runs headless through ``python main.py train``; this view shows the settings the
engine will use (validated by the core, with defaults filled in) so nothing is a surprise.
"""

from __future__ import annotations

import shlex
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.core.errors import ModelwrightError
from app.ui.document import ProjectDocument


def training_command(document: ProjectDocument) -> str:
    path = str(document.path) if document.path else "PROJECT.mwproj"
    return f"{shlex.quote(sys.executable)} main.py train {shlex.quote(path)}"


class TrainView(QWidget):
    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Setting"), self.tr("Value")])
        self.tree.setAlternatingRowColors(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.command = QLabel()
        self.command.setWordWrap(True)
        self.command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = QPushButton(self.tr("Copy Command"))
        copy.clicked.connect(self._on_copy_clicked)
        row = QHBoxLayout()
        row.addWidget(self.command, 1)
        row.addWidget(copy)
        intro = QLabel(self.tr("<b>Training settings</b> — training runs from a terminal for now (save the project first):"))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        document.project_replaced.connect(self._on_document_project_replaced)
        document.path_changed.connect(self._on_document_path_changed)
        self._loaded = False

    def showEvent(self, event) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def _on_document_project_replaced(self) -> None:
        self._loaded = False
        if self.isVisible():
            self.refresh()

    def _on_document_path_changed(self) -> None:
        self.command.setText(f"<code>{training_command(self._document)}</code>")

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(training_command(self._document))

    def refresh(self) -> None:
        self._loaded = True
        self.tree.clear()
        self._on_document_path_changed()
        project = self._document.project
        if project is None:
            return
        try:
            from app.core.train.config import TrainConfig

            settings = TrainConfig.from_dict(project.training).to_dict()
            self.message.clear()
        except ModelwrightError as exc:
            settings = project.training
            self.message.setText(self.tr("These settings are not valid yet: {error}").format(error=exc))
        self._add(self.tree.invisibleRootItem(), settings)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)

    def _add(self, parent: QTreeWidgetItem, value) -> None:
        for key, item in value.items():
            if isinstance(item, dict):
                node = QTreeWidgetItem(parent, [str(key), ""])
                self._add(node, item)
            else:
                text = ", ".join(map(str, item)) if isinstance(item, list) else ("—" if item is None else str(item))
                QTreeWidgetItem(parent, [str(key), text])
