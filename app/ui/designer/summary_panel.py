"""The summary panel: a Keras-``summary``-like table of the network with totals, a memory
estimate and the network's problems; clicking a row selects that layer on the canvas."""

from __future__ import annotations

from math import prod

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

BYTES_FP32 = 4


def human_bytes(n: float) -> str:
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def memory_estimate(graph, report) -> dict[str, int]:
    """Rough fp32 sizes: the weights, training state with Adam (weights, gradients and two
    moment buffers), and the activations one example keeps for the backward pass."""
    weights = report.total_params * BYTES_FP32
    activations = 0
    for nid, r in report.nodes.items():
        if r.in_model and r.shape is not None and graph.node(nid).type != "io.input":
            activations += prod(int(d) for d in r.shape[1:]) * BYTES_FP32
    return {"weights": weights, "training": weights * 4, "activations_per_example": activations}


class SummaryPanel(QWidget):
    node_clicked = Signal(str)

    COLUMNS = 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("Layer"), self.tr("Output shape"), self.tr("Parameters"),
                                              self.tr("FLOPs"), self.tr("Type")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.problems)
        self.table.cellClicked.connect(self._on_table_cell_clicked)
        self.row_ids: list[str] = []

    def show_graph(self, graph) -> None:
        if graph is None:
            self.table.setRowCount(0)
            self.row_ids = []
            self.totals.clear()
            self.problems.clear()
            return
        from app.core.graph.shapes import infer_shapes
        from app.core.graph.summary import human_count, layer_table
        from app.ui.core_texts import core_text  # the Type column is the layer's display name, listed in layer_texts

        table = layer_table(graph)
        report = infer_shapes(graph)
        self.row_ids = [row.name for row in table]
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(table.rows))
        for r, row in enumerate(table.rows):
            values = [row.name, row.output_shape, f"{row.params:,}", human_count(row.flops), core_text(row.type)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.error:
                    item.setToolTip(row.error)
                    item.setForeground(QColor("#d9443b"))
                self.table.setItem(r, c, item)
        self.table.setUpdatesEnabled(True)
        mem = memory_estimate(graph, report)
        self.totals.setText(self.tr(
            "<b>{layers}</b> layers · <b>{params}</b> parameters · {flops} FLOPs per example<br>"
            "Weights {weights} (fp32) · training with Adam about {training} + {acts} per example in a batch"
        ).format(layers=len(table.rows), params=f"{table.total_params:,}", flops=human_count(table.total_flops),
                 weights=human_bytes(mem["weights"]), training=human_bytes(mem["training"]),
                 acts=human_bytes(mem["activations_per_example"] * 2)))
        if table.errors:
            items = "".join(f"<li><b>{node}</b>: {_escape(message)}</li>" for node, message in table.errors)
            self.problems.setText(f"<span style='color:#d9443b'>{self.tr('Problems to fix:')}</span><ul style='margin:0'>{items}</ul>")
        else:
            self.problems.setText(self.tr("<span style='color:#37a85c'>✓ The network fits together and can be trained.</span>"))

    def select_node(self, node_id: str | None) -> None:
        self.table.blockSignals(True)
        if node_id in self.row_ids:
            self.table.selectRow(self.row_ids.index(node_id))
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)

    def _on_table_cell_clicked(self, row: int, column: int) -> None:
        if 0 <= row < len(self.row_ids):
            self.node_clicked.emit(self.row_ids[row])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
