"""The main window: shows the open project's network as a layer table.

This is the first, read-only face of the app: open a project (menu or command line), see
its layers, shapes and parameter counts exactly as ``python main.py validate`` prints them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ModelwrightError


class MainWindow(QMainWindow):
    """One window per app; the project it shows is replaced by Open."""

    def __init__(self) -> None:
        super().__init__()
        self.project = None
        self.setWindowTitle(self.tr("Modelwright"))

        self._title = QLabel(self.tr("No project open. Use File ▸ Open to open a project."))
        self._title.setWordWrap(True)
        self._table = QTableWidget(0, 5)
        self._table.setHorizontalHeaderLabels(
            [self.tr("Layer"), self.tr("Type"), self.tr("Output shape"), self.tr("Parameters"), self.tr("FLOPs")]
        )
        self._table.verticalHeader().setVisible(False)
        self._table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self._title)
        layout.addWidget(self._table)
        self.setCentralWidget(central)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        open_action = QAction(self.tr("&Open…"), self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self._on_open_triggered)
        file_menu.addAction(open_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.statusBar().showMessage(self.tr("Ready"))

    def open_project(self, path: Path) -> bool:
        """Load and show a project; a bad file gets a message box, never a crash."""
        from app.core.project import load_project

        try:
            project = load_project(path)
        except ModelwrightError as exc:
            QMessageBox.warning(self, self.tr("Cannot open project"), str(exc))
            return False
        self.project = project
        self._show_project()
        return True

    def _show_project(self) -> None:
        from app.core.graph.summary import layer_table

        table = layer_table(self.project.graph)
        self.setWindowTitle(self.tr("{name} — Modelwright").format(name=self.project.name))
        self._title.setText(self.tr("<b>{name}</b> — {path}").format(name=self.project.name, path=self.project.path))
        self._table.setRowCount(len(table.rows))
        for r, row in enumerate(table.rows):
            values = [row.name, row.type_name, row.shape_text, f"{row.params:,}", f"{row.flops:,}"]
            for c, value in enumerate(values):
                self._table.setItem(r, c, QTableWidgetItem(value))
        self.statusBar().showMessage(
            self.tr("{layers} layers · {params} parameters").format(
                layers=len(table.rows), params=f"{table.total_params:,}"
            )
        )

    def _on_open_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open project"), "", self.tr("Modelwright projects (*.mwproj)")
        )
        if path:
            self.open_project(Path(path))
