"""The Data view: bring in a file or folder, look at it, set roles, clean, label and split it.

Everything the user changes goes into the project's data section through undo commands on
the document; this view redraws from the document's signals. Reading files happens on
worker threads (:mod:`app.ui.workers`) with a progress bar and a Cancel button; a file that
cannot be read shows a banner and leaves the project exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ModelwrightError
from app.ui.commands import EditDataCommand, SetLabelsCommand
from app.ui.crash import report_exception
from app.ui.data.column_panel import ColumnPanel
from app.ui.data.loading import ImportResult, Preview, import_data, load_preview
from app.ui.data.preparation_panel import PreparationPanel
from app.ui.data.table_model import DataFrameModel
from app.ui.document import ProjectDocument
from app.ui.icons import icon
from app.ui.theme import accent_colours
from app.ui.workers import JobHandle, start_job

PAGE_EMPTY, PAGE_LOADING, PAGE_TABLE, PAGE_GALLERY, PAGE_TEXT, PAGE_GENERATED = range(6)
SUMMARY_DELAY_MS = 250


class LabelDelegate(QStyledItemDelegate):
    """Edits a label cell with a combo box of the existing classes (type to add a new one)."""

    def createEditor(self, parent, option, index):
        box = QComboBox(parent)
        box.setEditable(True)
        box.addItems(index.model().class_names())
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        return box

    def setEditorData(self, editor: QComboBox, index) -> None:
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QComboBox, model, index) -> None:
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class Banner(QWidget):
    """An inline message above the table (error or note) with a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setIcon(icon("cancel"))
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self._icon = QLabel()
        self._icon.setPixmap(icon("warning").pixmap(20, 20))
        layout.addWidget(self._icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, text: str, *, error: bool = True) -> None:
        palette = self.palette()
        palette.setColor(self.backgroundRole(), accent_colours()["error_bg" if error else "warning_bg"])
        self.setPalette(palette)
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""


class DataView(QMainWindow):
    """Embedded main window so its panels (Column, Preparation) are dockable."""

    status_reported = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setObjectName("data_view")
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self._document = document
        self._preview: Preview | None = None
        self._preview_key: str | None = None
        self._job: JobHandle | None = None
        self._summary_job: JobHandle | None = None
        self._extra_classes: list[str] = []
        self._held = False
        self._pending_read: tuple[dict, str] | None = None

        # Pages -------------------------------------------------------------------------------------
        self.pages = QStackedWidget()
        self.pages.addWidget(self._make_empty_page())
        self.pages.addWidget(self._make_loading_page())
        self.model = DataFrameModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setItemDelegate(LabelDelegate(self.table))
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setDefaultSectionSize(130)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_context_menu_requested)
        header.sectionClicked.connect(self._on_header_section_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.table.selectionModel().currentChanged.connect(self._on_table_current_changed)
        self.model.label_edited.connect(self._on_model_label_edited)
        self.pages.addWidget(self.table)
        from app.ui.data.gallery import ImageGallery

        self.gallery = ImageGallery()
        self.pages.addWidget(self.gallery)
        self.text_preview = QPlainTextEdit()
        self.text_preview.setReadOnly(True)
        self.pages.addWidget(self.text_preview)
        self.generated = QLabel()
        self.generated.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.generated.setWordWrap(True)
        self.pages.addWidget(self.generated)

        self.banner = Banner()
        self.source_label = QLabel()
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose = QPushButton(icon("import"), self.tr("Import Data…"))
        choose.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.source_label, 1)
        top.addWidget(choose)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        # Docks ----------------------------------------------------------------------------------
        self.column_panel = ColumnPanel()
        self.column_panel.role_chosen.connect(self.set_column_role)
        self.column_panel.type_chosen.connect(self.set_column_type)
        self.column_dock = self._dock("column_dock", self.tr("Column"), self.column_panel)
        self.preparation_panel = PreparationPanel()
        self.preparation_panel.data_edited.connect(self._on_preparation_data_edited)
        self.preparation_dock = self._dock("preparation_dock", self.tr("Preparation and split"), self.preparation_panel)
        self.place_docks()

        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(self._on_summary_timer_timeout)

        document.project_replaced.connect(self._on_document_project_replaced)
        document.data_changed.connect(self._on_document_data_changed)
        document.labels_changed.connect(self._on_document_labels_changed)
        self._connected = True
        self._on_document_project_replaced()

    def place_docks(self) -> None:
        """The default layout: both panels tabbed on the right, Preparation in front."""
        for dock in (self.preparation_dock, self.column_dock):
            dock.setFloating(False)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.show()
        self.tabifyDockWidget(self.preparation_dock, self.column_dock)
        self.preparation_dock.raise_()
        self.resizeDocks([self.preparation_dock], [360], Qt.Orientation.Horizontal)

    def _dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        return dock

    def _make_empty_page(self) -> QWidget:
        page = QWidget()
        title = QLabel(self.tr("<h2>Bring in your data</h2>"))
        hint = QLabel(self.tr(
            "A table (CSV, TSV, Excel, Parquet, JSON Lines) with one row per example, a folder with one "
            "sub-folder of images per class, or a text file.\nDrop it on this window, or choose it:"))
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        file_button = QPushButton(icon("table"), self.tr("Choose a File…"))
        file_button.clicked.connect(self.choose_file)
        folder_button = QPushButton(icon("image"), self.tr("Choose an Image Folder…"))
        folder_button.clicked.connect(self.choose_folder)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(file_button)
        buttons.addWidget(folder_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return page

    def _make_loading_page(self) -> QWidget:
        page = QWidget()
        self.progress_label = QLabel()
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumWidth(420)
        self.cancel_button = QPushButton(icon("cancel"), self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_job)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    # --- public actions ------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import data"), str(self._document.dialog_dir),
            self.tr("Data files (*.csv *.tsv *.txt *.xlsx *.xlsm *.parquet *.pq *.jsonl *.ndjson *.json);;All files (*)"))
        if path:
            self.import_path(Path(path))

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Import an image folder"), str(self._document.dialog_dir))
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> JobHandle | None:
        """Inspect and preview ``path`` in the background; on success the data section is replaced
        (one undo step). Returns the job (tests wait on it)."""
        if self._document.project is None:
            return None
        self.banner.hide()
        job = self._start(import_data, Path(path), message=self.tr("Reading {name}…").format(name=Path(path).name))
        job.succeeded.connect(self._on_import_succeeded)
        return job

    def cancel_job(self) -> None:
        if self._job is not None:
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("Cancelling…"))
            self._job.cancel()

    @property
    def job(self) -> JobHandle | None:
        return self._job

    @property
    def preview(self) -> Preview | None:
        return self._preview

    def set_column_role(self, name: str, role: str) -> bool:
        data = self._document.data
        if data is None:
            return False
        for column in data.get("columns", []):
            if column["name"] == name:
                column["role"] = role
            elif role == "target" and column["role"] == "target":
                column["role"] = "feature"  # one target at a time; the old one becomes an input
        return self._push_data(data, self.tr("Set “{name}” as {role}").format(name=name, role=self._role_name(role)))

    def set_column_type(self, name: str, type_name: str) -> bool:
        data = self._document.data
        if data is None:
            return False
        for column in data.get("columns", []):
            if column["name"] == name:
                column["type"] = type_name
        return self._push_data(data, self.tr("Set “{name}” type to {type}").format(name=name, type=type_name))

    def relabel_rows(self, rows: list[int], label: str) -> None:
        """Give ``rows`` the label ``label`` (one undo step)."""
        label = label.strip()
        rows = [r for r in rows if self.model.label(r) != label]
        if not label or not rows:
            return
        text = (self.tr("Relabel row {row} as “{label}”").format(row=rows[0] + 1, label=label) if len(rows) == 1
                else self.tr("Relabel {n} rows as “{label}”").format(n=len(rows), label=label))
        self._document.undo_stack.push(SetLabelsCommand(self._document, {r: label for r in rows}, text))

    def clear_labels(self, rows: list[int]) -> None:
        rows = [r for r in rows if r in self._document.label_overrides]
        if rows:
            self._document.undo_stack.push(SetLabelsCommand(self._document, {r: None for r in rows},
                                                            self.tr("Restore original labels")))

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedIndexes()})

    def export_labelled_data(self, path: Path | None = None) -> Path | None:
        """Write the table with label edits applied to a new CSV (the source file is not touched)."""
        from app.ui.data.labels import export_labelled_csv

        frame = self.model.frame()
        target = self._target_name()
        if self._preview is None or self._preview.frame is None or target is None:
            self.banner.show_message(self.tr("There is no labelled table to export: import a table with a target column first."))
            return None
        if path is None:
            source = Path(self._document.data["source"].get("path", "data"))
            suggestion = str(self._document.base_dir / f"{source.stem}-labelled.csv")
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export labelled data"), suggestion,
                                                    self.tr("CSV files (*.csv)"))
            if not chosen:
                return None
            path = Path(chosen)
        try:
            export_labelled_csv(frame, target, self._document.label_overrides, path)
        except (ModelwrightError, OSError) as exc:
            self.banner.show_message(self.tr("Could not export the labelled data: {error}").format(error=exc))
            return None
        self.status_reported.emit(self.tr("Labelled data written to {path}").format(path=path))
        return path

    def summary_text(self) -> str:
        return self.preparation_panel.summary.text()

    def wait_idle(self) -> None:
        """Used by scripts (screenshots): wait for the background jobs of this view."""
        for job in (self._job, self._summary_job):
            if job is not None and job.running:
                job.wait()

    # --- document -> view ---------------------------------------------------------------------------
    def _on_document_project_replaced(self) -> None:
        self._preview = None
        self._preview_key = None
        self._extra_classes = []
        self.banner.hide()
        # The previous project's split summary must neither stay nor arrive late.
        self._summary_timer.stop()
        if self._summary_job is not None and self._summary_job.running:
            self._summary_job.cancel()
        self._summary_job = None
        self.preparation_panel.set_summary("")
        self._on_document_data_changed()

    def _on_document_data_changed(self) -> None:
        data = self._document.data
        if data is None:
            self._preview, self._preview_key = None, None
            self.source_label.setText(self.tr("No data yet."))
            self.pages.setCurrentIndex(PAGE_EMPTY)
            self.model.clear()
            self.preparation_panel.set_data(None, [])
            self.preparation_panel.set_summary("")
            self.column_panel.show_column(None, None)
            return
        self.source_label.setText(self._describe_source(data["source"]))
        key = self._source_key(data["source"])
        if key != self._preview_key:
            self._load_preview(data["source"], key)
        else:
            self._show_config(data)

    def _on_document_labels_changed(self, rows: list) -> None:
        self.model.set_overrides(self._document.label_overrides, rows)
        self._schedule_summary()

    # --- view -> document ----------------------------------------------------------------------------
    def _push_data(self, data: dict, text: str, merge_key: str = "") -> bool:
        """Validate with the core first: an invalid combination shows why and changes nothing."""
        from app.core.data.config import DataConfig

        try:
            DataConfig.from_dict(data)
        except ModelwrightError as exc:
            self.banner.show_message(str(exc))
            self._show_config(self._document.data)
            return False
        self.banner.hide()
        self._document.undo_stack.push(EditDataCommand(self._document, data, text, merge_key=merge_key or None))
        return True

    def _on_preparation_data_edited(self, data: dict, text: str, merge_key: str) -> None:
        self._push_data(data, text, merge_key)

    def _on_model_label_edited(self, row: int, label: str) -> None:
        self.relabel_rows([row], label)

    # --- jobs --------------------------------------------------------------------------------------------
    def _start(self, fn, *args, message: str) -> JobHandle:
        if self._job is not None and self._job.running:
            self._job.cancel()
        self.progress_label.setText(message)
        self.progress_bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self._previous_page = self.pages.currentIndex() if self.pages.currentIndex() != PAGE_LOADING else PAGE_EMPTY
        self.pages.setCurrentIndex(PAGE_LOADING)
        job = start_job(fn, *args, parent=self)
        self._job = job
        job.progressed.connect(self._on_job_progressed)
        job.failed.connect(self._on_job_failed)
        job.cancelled.connect(self._on_job_cancelled)
        job.finished.connect(self._on_job_finished)
        self.busy_changed.emit(True)
        return job

    def _on_job_progressed(self, fraction: float, message: str) -> None:
        if self.sender() is not self._job:
            return
        self.progress_bar.setValue(int(fraction * 1000))
        if message:
            self.progress_label.setText(message)

    def _on_job_failed(self, exc: BaseException) -> None:
        if self.sender() is not self._job:
            return
        self.pages.setCurrentIndex(self._previous_page)
        if isinstance(exc, ModelwrightError):
            self.banner.show_message(str(exc))
        else:
            self.banner.show_message(self.tr("The data could not be read because of an unexpected error; "
                                             "the details were logged."))
            report_exception(exc, self, "data import")

    def _on_job_cancelled(self) -> None:
        if self.sender() is not self._job:
            return
        self.pages.setCurrentIndex(self._previous_page)
        self.banner.show_message(self.tr("Import cancelled. The project was not changed."), error=False)

    def _on_job_finished(self) -> None:
        if self.sender() is self._job:
            self._job = None
            self.busy_changed.emit(False)

    def _on_import_succeeded(self, result: ImportResult) -> None:
        if self.sender() is not self._job:
            return
        key = self._source_key(result.data["source"])
        self._set_preview(result.preview, key)
        name = Path(result.data["source"].get("path", "")).name
        self._document.undo_stack.push(
            EditDataCommand(self._document, result.data, self.tr("Import {name}").format(name=name), clear_labels=True))
        if result.warnings:
            self.banner.show_message("\n".join(result.warnings), error=False)
        self.status_reported.emit(self.tr("Imported {name}").format(name=name))

    def hold_reads(self) -> None:
        """Postpone reading the project's data until :meth:`release_reads` (used at startup so
        the first paint does not compete with loading pandas and the file)."""
        self._held = True

    def release_reads(self) -> None:
        self._held = False
        pending, self._pending_read = self._pending_read, None
        if pending is not None and pending[1] == self._preview_key:
            self._load_preview(*pending)

    def _load_preview(self, source: dict, key: str) -> None:
        self._preview, self._preview_key = None, key
        if self._held:
            self._pending_read = (source, key)
            self.progress_label.setText(self.tr("Opening…"))
            self.pages.setCurrentIndex(PAGE_LOADING)
            return
        job = self._start(load_preview, source, self._document.base_dir,
                          message=self.tr("Reading {name}…").format(name=Path(source.get("path") or "").name or source.get("kind")))
        job.succeeded.connect(lambda preview, k=key: self._on_preview_loaded(preview, k))
        job.failed.connect(self._on_preview_failed)

    def _on_preview_loaded(self, preview: Preview, key: str) -> None:
        if key != self._preview_key:
            return
        self._set_preview(preview, key)
        self._show_config(self._document.data)

    def _on_preview_failed(self, exc: BaseException) -> None:
        self.pages.setCurrentIndex(PAGE_EMPTY)
        if isinstance(exc, ModelwrightError):
            self.banner.show_message(self.tr("The project's data cannot be shown: {error}").format(error=exc))

    def _set_preview(self, preview: Preview, key: str) -> None:
        self._preview, self._preview_key = preview, key
        if preview.kind == "table" and preview.frame is not None:
            self.model.set_frame(preview.frame, preview.arrays)
            self.model.set_overrides(self._document.label_overrides)
            self.pages.setCurrentIndex(PAGE_TABLE)
        elif preview.kind == "image_folder":
            self.gallery.set_images(preview.images)
            self.pages.setCurrentIndex(PAGE_GALLERY)
        elif preview.kind == "text":
            self.text_preview.setPlainText(preview.text or "")
            self.pages.setCurrentIndex(PAGE_TEXT)
        else:
            self.generated.setText(self.tr("This project uses generated data ({name}); there is no file to show.")
                                   .format(name=preview.description))
            self.pages.setCurrentIndex(PAGE_GENERATED)

    # --- drawing the config -------------------------------------------------------------------------
    def _show_config(self, data: dict | None) -> None:
        if data is None:
            return
        columns = data.get("columns") or []
        self.model.set_columns_config(columns)
        self.model.set_overrides(self._document.label_overrides)
        names = self.model.column_names()
        self.preparation_panel.set_data(data, names)
        current = self.column_panel.column
        entry = next((c for c in columns if c["name"] == current), None)
        if entry is None and self._target_name() is not None:
            entry = next((c for c in columns if c["name"] == self._target_name()), None)
        self.column_panel.show_column(self.model.frame() if self._preview and self._preview.frame is not None else None, entry)
        self._schedule_summary()

    def _schedule_summary(self) -> None:
        self._summary_timer.start()

    def _on_summary_timer_timeout(self) -> None:
        from app.ui.data.summary import split_summary

        data = self._document.data
        if data is None or self._preview is None or self._preview.frame is None or not data.get("columns"):
            self.preparation_panel.set_summary(self._summary_without_table(data))
            return
        if self._summary_job is not None and self._summary_job.running:
            self._summary_job.cancel()
        job = start_job(split_summary, self.model.frame(), data, dict(self._document.label_overrides), parent=self)
        self._summary_job = job
        job.succeeded.connect(lambda summary, j=job: self._on_summary_succeeded(summary) if j is self._summary_job else None)
        job.failed.connect(lambda exc, j=job: self._on_summary_failed(exc) if j is self._summary_job else None)

    def _summary_without_table(self, data: dict | None) -> str:
        if data is None:
            return ""
        split = data.get("split") or {}
        ratios = split.get("ratios") or {}
        return self.tr("Split {train:.0%} / {val:.0%} / {test:.0%} (train / validation / test), seed {seed}.").format(
            train=ratios.get("train", 0), val=ratios.get("val", 0), test=ratios.get("test", 0), seed=split.get("seed", 0))

    def _on_summary_succeeded(self, summary) -> None:
        parts = summary.parts
        lines = [self.tr("<b>{used:,}</b> of {total:,} rows used: <b>{train:,}</b> train · <b>{val:,}</b> validation · "
                         "<b>{test:,}</b> test").format(used=summary.rows_used, total=summary.rows_total, **parts)]
        if summary.task:
            from app.ui.core_texts import core_text

            lines.append(self.tr("Task: {task}").format(task=core_text(summary.task)))
        if summary.classes.get("train"):
            classes = summary.classes["train"]
            lines.append(self.tr("Classes in train: {classes}").format(
                classes=", ".join(f"{k} ({v})" for k, v in list(classes.items())[:12])))
        if summary.missing_features:
            how = (self._document.data or {}).get("preparation", {}).get("missing", "mean")
            lines.append(self.tr("Missing values to fill ({how}): {cols}").format(
                how=how, cols=", ".join(f"{k} ({v})" for k, v in summary.missing_features.items())))
        lines += summary.warnings
        self.preparation_panel.set_summary("<br>".join(lines))

    def _on_summary_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ModelwrightError):
            colour = "#d9534f"
            self.preparation_panel.set_summary(f"<span style='color:{colour}'>{exc}</span>")
        else:
            report_exception(exc, self, "split summary")

    # --- context menus --------------------------------------------------------------------------------
    def _on_header_section_clicked(self, section: int) -> None:
        self._show_column(section)
        if self.tabifiedDockWidgets(self.column_dock):
            self.column_dock.raise_()  # picking a column asks about that column

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self.model.column_name(current.column()) != self.column_panel.column:
            self._show_column(current.column())

    def _show_column(self, section: int) -> None:
        data = self._document.data or {}
        name = self.model.column_name(section)
        entry = next((c for c in data.get("columns", []) if c["name"] == name), None)
        self.column_panel.show_column(self.model.frame(), entry)

    def _on_header_context_menu_requested(self, pos) -> None:
        section = self.table.horizontalHeader().logicalIndexAt(pos)
        if section < 0:
            return
        menu = self.header_menu(section)
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def header_menu(self, section: int) -> QMenu:
        """Role and type choices for one column (built separately so tests can trigger them)."""
        name = self.model.column_name(section)
        data = self._document.data or {}
        entry = next((c for c in data.get("columns", []) if c["name"] == name), {})
        menu = QMenu(self)
        menu.setObjectName("header_menu")
        roles = menu.addMenu(self.tr("Role"))
        for role in ("feature", "target", "ignore"):
            action = roles.addAction(self._role_name(role).capitalize())
            action.setCheckable(True)
            action.setChecked(entry.get("role") == role)
            action.setData(("role", role))
            action.triggered.connect(lambda _c=False, r=role: self.set_column_role(name, r))
        types = menu.addMenu(self.tr("Type"))
        for type_name, text in (("numeric", self.tr("Numeric")), ("categorical", self.tr("Categorical")),
                                ("boolean", self.tr("Yes/no")), ("text", self.tr("Text"))):
            action = types.addAction(text)
            action.setCheckable(True)
            action.setChecked(entry.get("type") == type_name)
            action.setData(("type", type_name))
            action.triggered.connect(lambda _c=False, t=type_name: self.set_column_type(name, t))
        return menu

    def _on_table_context_menu_requested(self, pos) -> None:
        rows = self.selected_rows()
        if not rows or self.model.target_column() < 0:
            return
        menu = QMenu(self)
        relabel = menu.addMenu(icon("label"), self.tr("Relabel Selected Rows"))
        for name in self.model.class_names() + [c for c in self._extra_classes if c not in self.model.class_names()]:
            relabel.addAction(name).triggered.connect(lambda _c=False, n=name: self.relabel_rows(self.selected_rows(), n))
        relabel.addSeparator()
        relabel.addAction(self.tr("New Class…")).triggered.connect(self.add_class)
        restore = menu.addAction(self.tr("Restore Original Labels"))
        restore.setEnabled(any(r in self._document.label_overrides for r in rows))
        restore.triggered.connect(lambda: self.clear_labels(self.selected_rows()))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def add_class(self, name: str | None = None) -> None:
        """Create a class and give it to the selected rows."""
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("New class"), self.tr("Name of the new class:"))
            if not ok:
                return
        name = name.strip()
        if not name:
            return
        if name not in self._extra_classes:
            self._extra_classes.append(name)
        rows = self.selected_rows()
        if rows:
            self.relabel_rows(rows, name)

    # --- helpers ------------------------------------------------------------------------------------------
    def _target_name(self) -> str | None:
        data = self._document.data or {}
        targets = [c["name"] for c in data.get("columns", []) if c.get("role") == "target"]
        return targets[0] if len(targets) == 1 else None

    def _role_name(self, role: str) -> str:
        return {"feature": self.tr("feature"), "target": self.tr("target"), "ignore": self.tr("ignored")}.get(role, role)

    def _source_key(self, source: dict) -> str:
        return json.dumps(source, sort_keys=True) + "|" + str(self._document.base_dir)

    def _describe_source(self, source: dict) -> str:
        kind = source.get("kind")
        if kind == "synthetic":
            return self.tr("Generated data: {name}, {n} samples").format(name=source.get("generator"), n=source.get("n_samples"))
        path = source.get("path", "")
        details = [v for v in (source.get("format"), source.get("encoding"),
                               f"“{source['delimiter']}”" if source.get("delimiter") else None) if v]
        return f"<b>{Path(path).name}</b>  <span style='color:gray'>{' · '.join(details)}</span>"

    def closeEvent(self, event) -> None:
        self._disconnect()
        super().closeEvent(event)

    def _disconnect(self) -> None:
        if not self._connected:
            return
        self._connected = False
        for signal, slot in ((self._document.project_replaced, self._on_document_project_replaced),
                             (self._document.data_changed, self._on_document_data_changed),
                             (self._document.labels_changed, self._on_document_labels_changed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        for job in (self._job, self._summary_job):
            if job is not None and job.running:
                job.cancel()
                job.wait()
