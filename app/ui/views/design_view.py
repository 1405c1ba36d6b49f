"""The Design view (for now): the network as a layer table, exactly as ``main.py validate`` prints it.

Read-only until the graph editor lands: it shows each layer's type, output shape,
parameters and FLOPs, or the reason the network does not fit together.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.core.errors import ModelwrightError
from app.ui.document import ProjectDocument


class DesignView(QWidget):
    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Layer"), self.tr("Type"), self.tr("Output shape"), self.tr("Parameters"), self.tr("FLOPs")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.totals = QLabel()
        hint = QLabel(self.tr("The visual network editor is not part of this version; edit the graph in the project "
                              "file or create a project from a template with <code>python main.py new</code>."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(hint)
        document.project_replaced.connect(self._on_document_project_replaced)
        self._loaded = False

    def showEvent(self, event) -> None:
        # Built on first show: the layer table pulls in the registry, which startup does not need.
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def _on_document_project_replaced(self) -> None:
        self._loaded = False
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        project = self._document.project
        self.table.setRowCount(0)
        if project is None:
            self.title.setText(self.tr("No project open."))
            self.totals.clear()
            return
        self.title.setText(self.tr("<b>Network</b> of {name}").format(name=project.name))
        try:
            from app.core.graph.summary import layer_table

            table = layer_table(project.graph)
        except ModelwrightError as exc:
            self.totals.setText(self.tr("The network cannot be summarised: {error}").format(error=exc))
            return
        self.table.setRowCount(len(table.rows))
        for r, row in enumerate(table.rows):
            values = [row.name, row.type, row.output_shape, f"{row.params:,}", f"{row.flops:,}"]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.error:
                    item.setToolTip(row.error)
                    item.setForeground(QColor("#d9534f"))
                self.table.setItem(r, c, item)
        text = self.tr("{layers} layers · {params} parameters · {flops} FLOPs per example").format(
            layers=len(table.rows), params=f"{table.total_params:,}", flops=f"{table.total_flops:,}")
        if table.errors:
            text += "<br>" + "<br>".join(f"<span style='color:#d9534f'>{node}: {message}</span>"
                                         for node, message in table.errors)
        self.totals.setText(text)
