"""The Evaluate and Export views (for now): the runs found next to the project, and the commands.

A run directory (``runs/<name>/summary.json``) is what ``python main.py train`` leaves
behind; this view lists them with their final metrics so results are visible in the app,
and shows the command that evaluates or exports the selected one.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.document import ProjectDocument

MAX_METRICS = 6


def find_runs(folder: Path) -> list[tuple[Path, dict]]:
    """Run directories under ``folder/runs`` with a readable summary.json, newest first."""
    runs = []
    root = folder / "runs"
    if not root.is_dir():
        return runs
    for summary in root.glob("*/summary.json"):
        try:
            runs.append((summary.parent, json.loads(summary.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    runs.sort(key=lambda item: item[0].stat().st_mtime, reverse=True)
    return runs


def _flatten_metrics(summary: dict) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in summary.items():
        if isinstance(value, dict) and key in ("final", "best"):
            for k, v in value.items():
                if isinstance(v, (int, float)):
                    out[f"{key} {k}"] = v
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = value
    return out


class RunsView(QWidget):
    """``mode`` is "evaluate" or "export": same list of runs, a different command."""

    def __init__(self, document: ProjectDocument, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._mode = mode
        self._runs: list[tuple[Path, dict]] = []
        heading = (self.tr("<b>Evaluate</b> — the runs of this project and their results:") if mode == "evaluate"
                   else self.tr("<b>Export</b> — choose a run; export it to PyTorch code, TorchScript, ONNX, safetensors or a Hugging Face folder with the command below:"))
        title = QLabel(heading)
        title.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.command = QLabel()
        self.command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.command.setWordWrap(True)
        copy = QPushButton(self.tr("Copy Command"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self._command_text()))
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        row = QHBoxLayout()
        row.addWidget(self.command, 1)
        row.addWidget(copy)
        row.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        document.project_replaced.connect(self._on_document_project_replaced)
        self._loaded = False

    def showEvent(self, event) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def _on_document_project_replaced(self) -> None:
        self._loaded = False
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        folder = self._document.base_dir if self._document.path else None
        self._runs = find_runs(folder) if folder else []
        metrics = sorted({k for _p, s in self._runs for k in _flatten_metrics(s)})[:MAX_METRICS]
        self.table.clear()
        self.table.setColumnCount(1 + len(metrics))
        self.table.setHorizontalHeaderLabels([self.tr("Run")] + metrics)
        self.table.setRowCount(len(self._runs))
        for r, (path, summary) in enumerate(self._runs):
            flat = _flatten_metrics(summary)
            self.table.setItem(r, 0, QTableWidgetItem(path.name))
            for c, key in enumerate(metrics, start=1):
                value = flat.get(key)
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else f"{value:.4g}"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.empty.setText("" if self._runs else self.tr(
            "No runs yet. Train the project from a terminal (see the Train view); its runs appear here."))
        if self._runs:
            self.table.selectRow(0)
        self._on_table_item_selection_changed()

    def _selected_run(self) -> str:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if rows and rows[0].row() < len(self._runs):
            return str(self._runs[rows[0].row()][0])
        return "RUN_DIR"

    def _command_text(self) -> str:
        run = shlex.quote(self._selected_run())
        if self._mode == "evaluate":
            return f"{shlex.quote(sys.executable)} main.py evaluate {run}"
        return f"{shlex.quote(sys.executable)} main.py export {run} --format onnx --out model.onnx"

    def _on_table_item_selection_changed(self) -> None:
        self.command.setText(f"<code>{self._command_text()}</code>")
