"""The Export view: a run of this project, a format, a folder; the export runs on a worker thread.

The view only collects choices and shows results: the work is
:func:`app.core.export.export_run`, the same function ``python main.py export`` calls, run
through the app's one worker pattern (:func:`app.ui.workers.start_job`). The result panel
shows the parity check (max abs diff against the trained model, passed or failed).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.document import ProjectDocument
from app.core.run_weights import has_trained_weights
from app.core.train.run_history import list_runs
from app.ui.core_texts import core_text

PASS_STYLE = "color: #1b7f3b; font-weight: bold;"
FAIL_STYLE = "color: #b3261e; font-weight: bold;"


class ExportView(QWidget):
    """Export page of the main window. ``export_finished`` carries the ExportResult,
    ``export_failed`` the message shown to the user."""

    export_finished = Signal(object)
    export_failed = Signal(str)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.core.export import format_choices

        self._document = document
        self._runs: list[tuple[Path, dict]] = []
        self._job = None
        self._out_edited = False

        title = QLabel(self.tr("<b>Export</b> — save a trained run as PyTorch code, TorchScript, ONNX or "
                               "safetensors. Every export is loaded back and checked against the trained model."))
        title.setWordWrap(True)

        self.run_combo = QComboBox()
        self.run_combo.currentIndexChanged.connect(self._on_choice_changed)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_combo, 1)
        run_row.addWidget(refresh)

        self.format_combo = QComboBox()
        for name, title_text, description in format_choices():
            self.format_combo.addItem(core_text(title_text), name)
            self.format_combo.setItemData(self.format_combo.count() - 1, core_text(description), Qt.ItemDataRole.ToolTipRole)
        self.format_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.format_help = QLabel()
        self.format_help.setWordWrap(True)

        self.out_edit = QLineEdit()
        self.out_edit.textEdited.connect(self._on_out_edit_text_edited)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._on_browse_clicked)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("Run"), run_row)
        form.addRow(self.tr("Format"), self.format_combo)
        form.addRow("", self.format_help)
        form.addRow(self.tr("Folder"), out_row)

        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.status_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)  # keeps the buttons compact while the progress bar is hidden

        self.result_box = QGroupBox(self.tr("Result"))
        self.parity_label = QLabel()
        self.parity_label.setWordWrap(True)
        self.parity_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("Open Folder"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._on_open_clicked)
        box = QVBoxLayout(self.result_box)
        box.addWidget(self.parity_label)
        box.addWidget(self.result_label)
        box.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.result_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addWidget(self.result_box)
        layout.addStretch(1)

        self._last_result = None
        document.project_replaced.connect(self._on_document_project_replaced)
        document.path_changed.connect(self._on_document_path_changed)  # a save keeps the result shown
        self._loaded = False

    # --- runs and choices ------------------------------------------------------------------
    def showEvent(self, event) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    @property
    def busy(self) -> bool:
        """An export is running."""
        return self._job is not None and self._job.running

    def _on_document_project_replaced(self) -> None:
        self._clear_choices()
        self._on_document_path_changed()

    def _on_document_path_changed(self) -> None:
        self._loaded = False
        self._out_edited = False
        if self.isVisible():
            self.refresh()

    def _clear_choices(self) -> None:
        """Another project: no run, folder or result of the last one stays offered (an export
        still running finishes and reports as usual)."""
        self._runs = []
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        self.run_combo.blockSignals(False)
        self.out_edit.clear()
        if self._job is None or not self._job.running:
            self.status_label.clear()
            self.result_box.setVisible(False)
        self._update_buttons()

    def refresh(self) -> None:
        """List the runs in the project's runs/ folder (newest first) that have trained weights."""
        self._loaded = True
        path = self._document.path
        name = self._document.project.name if self._document.project is not None else None
        runs = list_runs(path.parent, path, name) if path is not None else []
        self._runs = [(run.path, run.summary) for run in runs if has_trained_weights(run.path)]
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        for path, summary in self._runs:
            self.run_combo.addItem(f"{path.name} ({core_text(summary.get('status') or '?')})", str(path))
        self.run_combo.blockSignals(False)
        if not self._runs:
            self.status_label.setText(self.tr("No trained runs yet: train the project first; its runs appear here."))
        else:
            self.status_label.setText("")
        self._on_choice_changed()

    def select_run(self, run_dir: Path) -> None:
        index = self.run_combo.findData(str(run_dir))
        if index >= 0:
            self.run_combo.setCurrentIndex(index)

    def select_format(self, name: str) -> None:
        index = self.format_combo.findData(name)
        if index >= 0:
            self.format_combo.setCurrentIndex(index)

    def _on_choice_changed(self, *_args) -> None:
        index = self.format_combo.currentIndex()
        self.format_help.setText(self.format_combo.itemData(index, Qt.ItemDataRole.ToolTipRole) or "")
        run = self.run_combo.currentData()
        if run and not self._out_edited:
            fmt = self.format_combo.currentData()
            run = Path(run)  # runs/<project>/<time> exports as <project>-<time>: two projects never meet
            label = run.name if run.parent.name == "runs" else f"{run.parent.name}-{run.name}"
            self.out_edit.setText(str(self._document.base_dir / "exports" / f"{label}-{fmt}"))
        self._update_buttons()

    def _on_out_edit_text_edited(self, _text: str) -> None:
        self._out_edited = True
        self._update_buttons()

    def _on_browse_clicked(self) -> None:
        start = self.out_edit.text() or str(self._document.base_dir)
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export Into Folder"), str(Path(start).parent))
        if folder:
            name = Path(self.out_edit.text()).name or "export"
            self.out_edit.setText(str(Path(folder) / name))
            self._out_edited = True

    def _update_buttons(self) -> None:
        busy = self._job is not None and self._job.running
        ready = bool(self.run_combo.currentData()) and bool(self.out_edit.text().strip())
        self.export_button.setEnabled(ready and not busy)
        self.cancel_button.setEnabled(busy)

    # --- the export ------------------------------------------------------------------------
    def start_export(self) -> None:
        """Export the chosen run on a worker thread; the result panel shows the parity check."""
        from app.core.export import export_run
        from app.ui.workers import start_job

        run, fmt = self.run_combo.currentData(), self.format_combo.currentData()
        out = self.out_edit.text().strip()
        if not run or not out or (self._job is not None and self._job.running):
            return
        overwrite = Path(out).exists()
        if overwrite and not self._confirm_replace(Path(run), Path(out)):
            return
        self.result_box.setVisible(False)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status_label.setText(self.tr("Exporting…"))
        self._job = start_job(export_run, Path(run), fmt, Path(out), overwrite=overwrite, parent=self)
        self._job.progressed.connect(self._on_job_progressed)
        self._job.succeeded.connect(self._on_job_succeeded)
        self._job.failed.connect(self._on_job_failed)
        self._job.cancelled.connect(self._on_job_cancelled)
        self._job.finished.connect(self._on_job_finished)
        self._update_buttons()

    def _confirm_replace(self, run: Path, out: Path) -> bool:
        """Ask before an existing folder is replaced, naming what it holds; what the core never
        replaces (the project, the run, data, home, a folder no export wrote) is refused with its reason."""
        from app.core.errors import ModelwrightError
        from app.core.export.staging import check_destination
        from app.core.safety.output_paths import run_inputs

        inputs = run_inputs(run) + ([self._document.path] if self._document.path else [])
        try:
            check_destination(out.absolute(), True, inputs)
        except ModelwrightError as exc:
            self._show_refusal(str(exc))
            return False
        names = sorted(entry.name for entry in out.iterdir())
        if not names:
            return True  # an empty folder: nothing is replaced
        shown = ", ".join(names[:8])
        if len(names) > 8:
            shown = self.tr("{first}, … ({count} in all)").format(first=shown, count=len(names))
        answer = QMessageBox.question(
            self, self.tr("Replace Export"),
            self.tr("The folder “{folder}” already holds an export. Replace it? Its contents are deleted: "
                    "{files}").format(folder=out, files=shown),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _show_refusal(self, message: str) -> None:
        from app.ui import dialogs

        self.parity_label.setStyleSheet(FAIL_STYLE)
        self.parity_label.setText(self.tr("Export refused; nothing was written."))
        self.result_label.setText(message)
        self.open_button.setEnabled(False)
        self.result_box.setVisible(True)
        dialogs.warn(self, self.tr("Export Refused"), message)
        self.export_failed.emit(message)

    def _on_cancel_clicked(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _on_job_progressed(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 100))
        self.status_label.setText(message)

    def _on_job_succeeded(self, result) -> None:
        self._last_result = result
        parity = result.parity
        if parity is not None:
            self._show_parity(parity)
        else:
            self.parity_label.setStyleSheet("")
            self.parity_label.setText(self.tr("This format has no outputs to compare."))
        self.result_label.setText(self.tr("Saved in {path}: {files}").format(path=result.path,
                                                                            files=", ".join(result.files)))
        self.open_button.setEnabled(True)
        self.result_box.setVisible(True)
        self.status_label.setText(self.tr("Export finished."))
        self.export_finished.emit(result)

    def _on_job_failed(self, exc: BaseException) -> None:
        from app.core.errors import ModelwrightError
        from app.core.export import ParityError

        message = str(exc) if isinstance(exc, ModelwrightError) else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, ParityError):
            self._show_parity(exc.check)
        else:
            self.parity_label.setStyleSheet(FAIL_STYLE)
            self.parity_label.setText(self.tr("Export failed; nothing was written."))
        self.result_label.setText(message)
        self.open_button.setEnabled(False)
        self.result_box.setVisible(True)
        self.status_label.setText("")
        self.export_failed.emit(message)

    def _on_job_cancelled(self) -> None:
        self.status_label.setText(self.tr("Export cancelled; nothing was written."))
        self.export_failed.emit(self.status_label.text())

    def _on_job_finished(self) -> None:
        self.progress.setVisible(False)
        self._update_buttons()

    def _show_parity(self, parity) -> None:
        verdict = self.tr("Parity check passed") if parity.passed else self.tr("Parity check FAILED")
        self.parity_label.setStyleSheet(PASS_STYLE if parity.passed else FAIL_STYLE)
        text = self.tr("{verdict}: max abs diff {diff:.3g} (tolerance {tol:.0e})\n{backend} vs the trained model "
                       "on {cases}.").format(verdict=verdict, diff=parity.max_abs_diff, tol=parity.tolerance,
                                             backend=parity.backend, cases=", ".join(parity.cases))
        if parity.error:
            text += "\n" + parity.error
        self.parity_label.setText(text)

    def _on_open_clicked(self) -> None:
        if self._last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_result.path)))
