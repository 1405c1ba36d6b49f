"""Run history: every run of the project with its settings and final metrics; overlay the
curves of several, compare the settings of two, rename, delete, open or resume one.

A run starting or finishing changes its own row only (:meth:`RunHistory.update_run`); a
full :meth:`RunHistory.refresh` stats every run folder but re-reads only the changed ones."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ModelwrightError
from app.core.train.run_history import RunIndex, RunInfo, delete_run, rename_run, settings_diff
from app.ui import dialogs
from app.ui.training.run_table import RunTableModel
from app.ui.training.run_table import format_value as _fmt

# Column widths follow the texts of at most this many rows (the visible ones first), so
# fitting them costs the same with 10 runs as with 1,000.
RESIZE_PRECISION_ROWS = 50


class SettingsDiffDialog(QDialog):
    """The settings two runs differ in, side by side."""

    def __init__(self, a: RunInfo, b: RunInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare runs"))
        self.rows = settings_diff(a.settings, b.settings)
        self.table = QTableWidget(len(self.rows), 3)
        self.table.setHorizontalHeaderLabels([self.tr("Setting"), a.name, b.name])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, row in enumerate(self.rows):
            for c, value in enumerate((row[0], _fmt(row[1]), _fmt(row[2]))):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        note = QLabel(self.tr("The two runs used the same settings.") if not self.rows else
                      self.tr("{n} settings differ:").format(n=len(self.rows)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 360)


class RunHistory(QWidget):
    """``overlays_changed(list[(name, rows)])`` when the overlaid runs change;
    ``resume_requested(path)`` when a stopped run should continue; ``runs_changed``
    after a rename or delete."""

    overlays_changed = Signal(list)
    resume_requested = Signal(str)
    runs_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self.project: Path | None = None
        self.project_name: str | None = None
        self.index = RunIndex()
        self.model = RunTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(RESIZE_PRECISION_ROWS)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.model.modelReset.connect(lambda: header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().selectionChanged.connect(self._on_table_item_selection_changed)
        self.overlay_check = QCheckBox(self.tr("Overlay selected"))
        self.overlay_check.setToolTip(self.tr("Draw the curves of the selected runs over the current plots"))
        self.overlay_check.toggled.connect(self._emit_overlays)
        self.compare_button = QPushButton(self.tr("Compare Settings"))
        self.compare_button.clicked.connect(self.compare_selected)
        self.resume_button = QPushButton(self.tr("Resume"))
        self.resume_button.setToolTip(self.tr("Continue a stopped run from its last checkpoint"))
        self.resume_button.clicked.connect(self._on_resume_clicked)
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.open_button = QPushButton(self.tr("Open Folder"))
        self.open_button.clicked.connect(self._on_open_clicked)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        # Two rows, so a 1024-pixel-wide window still has room for the settings and the plots.
        title_row = QHBoxLayout()
        title_row.addWidget(QLabel(self.tr("<b>Runs</b>")))
        title_row.addWidget(self.overlay_check)
        title_row.addStretch(1)
        title_row.addWidget(refresh)
        buttons = QHBoxLayout()
        for button in (self.compare_button, self.resume_button, self.rename_button, self.delete_button,
                       self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(title_row)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.busy_run: str | None = None
        self._on_table_item_selection_changed()

    @property
    def runs(self) -> list[RunInfo]:
        """The listed runs, newest first (the table's rows)."""
        return self.model.runs

    def set_folder(self, folder: Path | None, project: Path | None = None, project_name: str | None = None) -> None:
        """Show the runs under ``folder/runs``; given the ``project`` file, only its own."""
        if folder != self.folder or project != self.project:
            self.index = RunIndex()
        self.folder, self.project, self.project_name = folder, project, project_name
        self.refresh()

    def refresh(self) -> None:
        """List the runs on disk again (new, changed, renamed or deleted folders); keeps the selection."""
        self._keeping_selection(lambda: self.model.set_runs(
            self.index.scan(self.folder, self.project, self.project_name) if self.folder is not None else []))

    def update_run(self, run_dir: str | os.PathLike) -> None:
        """One run started or finished: read it again and change its row only."""
        run = self.index.update(run_dir)
        if run is None:
            self._keeping_selection(lambda: self.model.remove_run(Path(run_dir).resolve()))
        elif self.folder is not None and self.index.lists(run):
            self._keeping_selection(lambda: self.model.put_run(run))

    def _keeping_selection(self, change) -> None:
        """Apply a change to the rows; the same runs stay selected (a new metric column resets
        the model, which would otherwise drop the selection) and overlays are re-sent only if
        the selected runs changed."""
        before = [run.name for run in self.selected_runs()]
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        try:
            change()
            if [run.name for run in self.selected_runs()] != before:
                self.select(before)
        finally:
            selection.blockSignals(False)
        self.table.viewport().update()
        self._update_buttons()
        if [run.name for run in self.selected_runs()] != before:
            self._emit_overlays()

    def selected_runs(self) -> list[RunInfo]:
        model = self.table.selectionModel()
        rows = sorted({i.row() for i in model.selectedRows()}) if model else []
        return [self.runs[r] for r in rows if r < len(self.runs)]

    def select(self, names: list[str]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r, run in enumerate(self.runs):
            if run.name in names:
                self.table.selectRow(r)
        self.table.setSelectionMode(mode)

    def _on_table_item_selection_changed(self, *_args) -> None:
        self._update_buttons()
        self._emit_overlays()

    def _update_buttons(self) -> None:
        runs = self.selected_runs()
        one = len(runs) == 1
        idle = one and runs[0].name != self.busy_run
        self.compare_button.setEnabled(len(runs) == 2)
        self.resume_button.setEnabled(idle and runs[0].status in ("stopped", "failed", "running")
                                      and (runs[0].path / "checkpoints" / "last.pt").is_file() and self.busy_run is None)
        self.rename_button.setEnabled(idle)
        self.delete_button.setEnabled(bool(runs) and all(r.name != self.busy_run for r in runs))
        self.open_button.setEnabled(one)

    def _emit_overlays(self) -> None:
        if not self.overlay_check.isChecked():
            self.overlays_changed.emit([])
            return
        self.overlays_changed.emit([(run.name, run.metrics()) for run in self.selected_runs()])

    # --- actions -----------------------------------------------------------------------------
    def compare_selected(self) -> SettingsDiffDialog | None:
        runs = self.selected_runs()
        if len(runs) != 2:
            return None
        dialog = SettingsDiffDialog(runs[0], runs[1], self)
        dialog.open()
        return dialog

    def _on_resume_clicked(self) -> None:
        runs = self.selected_runs()
        if len(runs) == 1:
            self.resume_requested.emit(str(runs[0].path))

    def rename(self, run: RunInfo, new_name: str) -> bool:
        try:
            rename_run(run.path, new_name)
        except (ModelwrightError, OSError) as exc:
            dialogs.warn(self, self.tr("Cannot rename run"), str(exc))
            return False
        self.refresh()
        self.select([new_name.strip()])
        self.runs_changed.emit()
        return True

    def delete(self, runs: list[RunInfo]) -> None:
        for run in runs:
            try:
                delete_run(run.path)
            except (ModelwrightError, OSError) as exc:
                dialogs.warn(self, self.tr("Cannot delete run"), str(exc))
                break
        self.refresh()
        self.runs_changed.emit()

    def _on_rename_clicked(self) -> None:
        runs = self.selected_runs()
        if len(runs) != 1:
            return
        name, ok = QInputDialog.getText(self, self.tr("Rename run"), self.tr("New name:"), text=runs[0].name)
        if ok and name.strip() and name.strip() != runs[0].name:
            self.rename(runs[0], name)

    def _on_delete_clicked(self) -> None:
        runs = self.selected_runs()
        if not runs:
            return
        names = ", ".join(r.name for r in runs)
        answer = QMessageBox.question(self, self.tr("Delete runs"),
                                      self.tr("Delete {names} and everything in their folders?").format(names=names))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(runs)

    def _on_open_clicked(self) -> None:
        runs = self.selected_runs()
        if len(runs) == 1:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(runs[0].path)))
