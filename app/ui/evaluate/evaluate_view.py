"""The Evaluate view: a trained run's metrics on its test (or validation) split or on a
labelled file; the confusion matrix with click-through to the samples of a cell; per-class
precision/recall/F1; predicted-vs-actual and residuals for regression; perplexity for
language models; and the playground.

The work is :func:`app.core.train.inspection.evaluate_with_samples` (the metrics are
``main.py evaluate``'s) on a worker thread — it imports torch, which the window never
does at startup.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.document import ProjectDocument
from app.ui.evaluate.playground import Playground
from app.ui.experiments.explanation_panel import ExplanationPanel
from app.ui.plot_theme import follow_palette
from app.ui.workers import start_job

THUMBNAIL = 48


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    return table


def _item(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _fmt(value) -> str:
    if isinstance(value, float):
        return "—" if not math.isfinite(value) else f"{value:.4g}"
    return str(value)


def _thumbnail(image: np.ndarray) -> QIcon:
    """A C×H×W uint8 array as an icon (grey or RGB)."""
    array = np.ascontiguousarray(image.transpose(1, 2, 0) if image.shape[0] == 3 else image[0])
    height, width = array.shape[:2]
    fmt = QImage.Format.Format_RGB888 if array.ndim == 3 else QImage.Format.Format_Grayscale8
    qimage = QImage(array.data, width, height, array.strides[0], fmt).copy()
    return QIcon(QPixmap.fromImage(qimage).scaled(THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio))


class EvaluateView(QWidget):
    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._runs: list[Path] = []
        self._job = None
        self.details: dict | None = None
        self.data_path: str | None = None

        self.run_combo = QComboBox()
        self.run_combo.setMinimumWidth(260)
        self.run_combo.currentIndexChanged.connect(self._on_run_combo_changed)
        self.data_combo = QComboBox()
        self.data_combo.addItem(self.tr("Test split (validation if none)"), None)
        self.data_combo.addItem(self.tr("A labelled file…"), "file")
        self.data_combo.activated.connect(self._on_data_combo_activated)
        self.evaluate_button = QPushButton(self.tr("Evaluate"))
        self.evaluate_button.clicked.connect(self.evaluate)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.status = QLabel()
        self.status.setWordWrap(True)
        # Which weights the figures and the playground come from (the best checkpoint by default).
        self.weights_label = QLabel()
        self.weights_label.setToolTip(self.tr("Evaluate, the playground and exports use the run's best checkpoint "
                                              "(best validation score); main.py evaluate --weights final uses the "
                                              "final weights."))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("<b>Run</b>")))
        top.addWidget(self.run_combo, 1)
        top.addWidget(QLabel(self.tr("Data")))
        top.addWidget(self.data_combo)
        top.addWidget(self.evaluate_button)
        top.addWidget(refresh)

        self.metrics_table = _table([self.tr("Metric"), self.tr("Value")])
        self.metrics_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.per_class_table = _table([self.tr("Class"), self.tr("Precision"), self.tr("Recall"), self.tr("F1"),
                                       self.tr("Support")])
        self.per_class_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion = QTableWidget(0, 0)
        self.confusion.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.confusion.setToolTip(self.tr("Rows: true class · columns: predicted class. Click a cell to list its samples."))
        self.confusion.cellClicked.connect(self.show_cell)
        self.confusion_title = QLabel(self.tr("<b>Confusion matrix</b> (rows: true, columns: predicted)"))
        self.samples_title = QLabel()
        self.samples = QTableWidget(0, 0)
        self.samples.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.samples.verticalHeader().setVisible(False)
        self.samples.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.samples.cellClicked.connect(self._on_samples_cell_clicked)
        # Click an image sample: a heat map of what drove the model's (mis)classification.
        self.sample_explanation = ExplanationPanel()
        self.sample_explanation.setVisible(False)
        self._shown_indices: list[int] = []

        import pyqtgraph as pg

        self.regression = pg.GraphicsLayoutWidget()
        self.scatter_plot = self.regression.addPlot(row=0, col=0, title=self.tr("Predicted vs actual"))
        self.scatter_plot.setLabel("bottom", self.tr("actual"))
        self.scatter_plot.setLabel("left", self.tr("predicted"))
        self.residual_plot = self.regression.addPlot(row=0, col=1, title=self.tr("Residuals (predicted − actual)"))
        self.scatter = pg.ScatterPlotItem(size=6, brush=pg.mkBrush(31, 119, 180, 140), pen=None)
        self.scatter_plot.addItem(self.scatter)
        self.diagonal = self.scatter_plot.plot(pen=pg.mkPen("#d62728", style=Qt.PenStyle.DashLine))
        self.histogram = pg.BarGraphItem(x=[], height=[], width=1.0, brush="#1f77b4")
        self.residual_plot.addItem(self.histogram)
        follow_palette(self.regression)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.metrics_table, 1)
        left_layout.addWidget(self.per_class_table, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.confusion_title)
        right_layout.addWidget(self.confusion, 2)
        right_layout.addWidget(self.regression, 2)
        right_layout.addWidget(self.samples_title)
        right_layout.addWidget(self.samples, 2)
        right_layout.addWidget(self.sample_explanation, 2)
        results = QSplitter(Qt.Orientation.Horizontal)
        results.addWidget(left)
        results.addWidget(right)
        results.setSizes([380, 800])

        self.playground = Playground()
        self.tabs = QTabWidget()
        self.tabs.addTab(results, self.tr("Metrics"))
        self.tabs.addTab(self.playground, self.tr("Playground"))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.weights_label)
        layout.addWidget(self.tabs, 1)
        self._show_kind(None)
        document.project_replaced.connect(self._on_document_project_replaced)
        document.path_changed.connect(self.runs_changed)  # a save keeps what is on screen
        self._loaded = False

    # --- runs ------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    @property
    def busy(self) -> bool:
        """An evaluation is running."""
        return self._job is not None and self._job.running

    def _on_document_project_replaced(self) -> None:
        self._clear_results()
        self.runs_changed()

    def runs_changed(self) -> None:
        """A run finished: list the runs again (now if shown, else when next shown); the
        figures on screen stay."""
        self._loaded = False
        if self.isVisible():
            self.refresh()

    def _clear_results(self) -> None:
        """Another project: its runs are read again, and nothing of the last project's
        evaluation stays (an evaluation still running reports to no one)."""
        if self._job is not None:
            self._job.succeeded.disconnect(self._on_job_succeeded)
            self._job.failed.disconnect(self._on_job_failed)
            self._job.cancel()
            self._job = None
        self._runs = []
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        self.run_combo.blockSignals(False)
        self.evaluate_button.setEnabled(False)
        self.details = None
        self.status.clear()
        self.weights_label.clear()
        self.metrics_table.setRowCount(0)
        self.per_class_table.setRowCount(0)
        self.confusion.clear()
        self.confusion.setRowCount(0)
        self.confusion.setColumnCount(0)
        self.scatter.clear()
        self.diagonal.setData([], [])
        self._fill_samples([], "")
        self.sample_explanation.setVisible(False)
        self._show_kind(None)
        self.playground.set_run(None)

    def refresh(self) -> None:
        """List the runs with trained weights (final or a best checkpoint), newest first."""
        from app.core.run_weights import has_trained_weights
        from app.core.train.run_history import list_runs

        self._loaded = True
        current = self.run_dir()
        path = self._document.path
        name = self._document.project.name if self._document.project is not None else None
        self._runs = [r.path for r in list_runs(path.parent, path, name)] if path is not None else []
        self._runs = [p for p in self._runs if has_trained_weights(p)]
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        for run in self._runs:
            self.run_combo.addItem(run.name, str(run))
        index = self.run_combo.findData(current) if current else -1
        self.run_combo.setCurrentIndex(index if index >= 0 else (0 if self._runs else -1))
        self.run_combo.blockSignals(False)
        self.evaluate_button.setEnabled(bool(self._runs))
        if not self._runs:
            self.status.setText(self.tr("No trained runs yet: train the project in the Train view first."))
        self._on_run_combo_changed()

    def run_dir(self) -> str | None:
        return self.run_combo.currentData()

    def select_run(self, run_dir: str) -> None:
        self.refresh()
        index = self.run_combo.findData(str(run_dir))
        if index >= 0:
            self.run_combo.setCurrentIndex(index)

    def _on_run_combo_changed(self, *_args) -> None:
        if self.tabs.currentWidget() is self.playground:
            self.playground.set_run(self.run_dir())

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.playground:
            self.playground.set_run(self.run_dir())

    def _on_data_combo_activated(self, _index: int) -> None:
        if self.data_combo.currentData() == "file":
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Labelled data to evaluate on"), "",
                                                  self.tr("Data files (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;All files (*)"))
            if path:
                self.data_path = path
                self.data_combo.setItemText(1, Path(path).name)
            else:
                self.data_combo.setCurrentIndex(0)
                self.data_path = None
        else:
            self.data_path = None

    # --- evaluation --------------------------------------------------------------------------
    def evaluate(self, data_path: str | None = None) -> None:
        run = self.run_dir()
        if run is None or (self._job is not None and self._job.running):
            return
        from app.core.train.inspection import evaluate_with_samples

        data = data_path or (self.data_path if self.data_combo.currentData() == "file" else None)
        self.status.setText(self.tr("Evaluating {run}…").format(run=Path(run).name))
        self.evaluate_button.setEnabled(False)
        self._job = start_job(evaluate_with_samples, run, data, parent=self)
        self._job.succeeded.connect(self._on_job_succeeded)
        self._job.failed.connect(self._on_job_failed)
        self._job.finished.connect(lambda: self.evaluate_button.setEnabled(bool(self._runs)))

    def _on_job_failed(self, exc) -> None:
        self.status.setText(self.tr("Evaluation failed: {error}").format(error=exc))

    def _on_job_succeeded(self, details: dict) -> None:
        self.details = details
        metrics, samples = details["metrics"], details["samples"]
        task = metrics.get("task")
        self.status.setText(self.tr("{run} on {data} ({n} samples)").format(
            run=Path(metrics["run"]).name, data=metrics.get("data"), n=metrics.get("samples", "?")))
        self.weights_label.setText(self.weights_text(metrics))
        shown = [(k, v) for k, v in metrics.items()
                 if isinstance(v, (int, float)) and not isinstance(v, bool) and k not in ("samples", "weights_epoch")]
        self.metrics_table.setRowCount(len(shown))
        for r, (key, value) in enumerate(shown):
            name = _item(key)
            name.setToolTip(self.metric_tooltip(key, metrics.get("positive_class")))
            self.metrics_table.setItem(r, 0, name)
            self.metrics_table.setItem(r, 1, _item(_fmt(value), right=True))
        per_class = metrics.get("per_class") or {}
        self.per_class_table.setRowCount(len(per_class))
        for r, (label, row) in enumerate(per_class.items()):
            values = [label] + [_fmt(row[k]) for k in ("precision", "recall", "f1")] + [str(row["support"])]
            for c, value in enumerate(values):
                self.per_class_table.setItem(r, c, _item(value, right=c > 0))
        self._show_kind(task)
        if "confusion_matrix" in metrics:
            self._fill_confusion(metrics["confusion_matrix"])
        if task == "regression":
            self._fill_regression(samples)
        self._fill_samples([], self.tr("Click a cell of the confusion matrix to see its samples."))
        has_images = samples.get("images") is not None and task in ("binary", "classification")
        self.sample_explanation.setVisible(has_images)
        if has_images:
            self.sample_explanation.set_run(metrics["run"])

    def weights_text(self, metrics: dict) -> str:
        """"Weights: best checkpoint (epoch 12)", and a note when the run was stopped."""
        epoch = metrics.get("weights_epoch")
        if metrics.get("weights") == "final":
            text = self.tr("Weights: final") if epoch is None else self.tr("Weights: final (epoch {epoch})")
        else:
            text = (self.tr("Weights: best checkpoint") if epoch is None
                    else self.tr("Weights: best checkpoint (epoch {epoch})"))
        text = text.format(epoch=_fmt(epoch))
        if metrics.get("run_status") == "stopped":
            text += " · " + self.tr("the run was stopped before the end; these are its best weights so far")
        return text

    def metric_tooltip(self, key: str, positive_class: str | None) -> str:
        """What a metric measures where its name alone could mislead: binary F1, precision and
        recall are about one class, multiclass ones average the classes."""
        if key in ("f1", "precision", "recall") and positive_class is not None:
            return self.tr("{metric} of the positive class '{label}'").format(metric=key, label=positive_class)
        if key in ("f1_macro", "precision", "recall"):
            return self.tr("{metric} averaged over the classes (each class counts the same)").format(metric=key)
        return ""

    def _show_kind(self, task: str | None) -> None:
        classes = task in ("binary", "classification")
        for widget in (self.confusion, self.confusion_title, self.per_class_table):
            widget.setVisible(classes or task is None)
        self.regression.setVisible(task == "regression")
        self.samples.setVisible(task != "language-model")
        self.samples_title.setVisible(task != "language-model")

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._confusion_shown is not None:
            self._fill_confusion(self._confusion_shown)  # its empty cells are the table's colour

    _confusion_shown: dict | None = None

    def _fill_confusion(self, cm: dict) -> None:
        self._confusion_shown = cm
        labels, matrix = cm["labels"], cm["matrix"]
        base_colour = self.palette().color(QPalette.ColorRole.Base)
        empty = (base_colour.red(), base_colour.green(), base_colour.blue())  # a cell no sample fell in
        n = len(labels)
        self.confusion.clear()
        self.confusion.setRowCount(n)
        self.confusion.setColumnCount(n)
        self.confusion.setHorizontalHeaderLabels(labels)
        self.confusion.setVerticalHeaderLabels(labels)
        for i in range(n):
            total = max(sum(matrix[i]), 1)
            for j in range(n):
                value = matrix[i][j]
                share = value / total
                item = _item(str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                # Diagonal cells shade blue (right), others red (mistakes), by share of the true class.
                base = (31, 119, 180) if i == j else (214, 39, 40)
                color = QColor(*[int(e + (c - e) * share) for c, e in zip(base, empty)])
                item.setBackground(QBrush(color))
                item.setForeground(QBrush(QColor("white" if color.lightness() < 140 else "black")))
                item.setToolTip(self.tr("true {t}, predicted {p}: {n} ({share:.0%} of {t})").format(
                    t=labels[i], p=labels[j], n=value, share=share))
                self.confusion.setItem(i, j, item)
        self.confusion.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    def cell_indices(self, true_class: int, predicted_class: int) -> list[int]:
        samples = (self.details or {}).get("samples") or {}
        return [k for k, (t, p) in enumerate(zip(samples.get("true", []), samples.get("predicted", [])))
                if t == true_class and p == predicted_class]

    def show_cell(self, row: int, column: int) -> None:
        """List the samples of one confusion-matrix cell (true ``row``, predicted ``column``)."""
        samples = (self.details or {}).get("samples") or {}
        labels = samples.get("labels") or []
        indices = self.cell_indices(row, column)
        if row < len(labels) and column < len(labels):
            kind = self.tr("correct") if row == column else self.tr("misclassified")
            title = self.tr("{n} {kind}: true {t}, predicted {p}").format(
                n=len(indices), kind=kind, t=labels[row], p=labels[column])
        else:
            title = ""
        self._fill_samples(indices, title)

    def _fill_samples(self, indices: list[int], title: str) -> None:
        samples = (self.details or {}).get("samples") or {}
        self.samples_title.setText(title)
        self._shown_indices = list(indices)
        columns = list(samples.get("columns") or [])
        images = samples.get("images")
        headers = ([self.tr("Image")] if images is not None else []) + [self.tr("#"), self.tr("Confidence")] + columns
        self.samples.clear()
        self.samples.setColumnCount(len(headers))
        self.samples.setHorizontalHeaderLabels(headers)
        self.samples.setRowCount(len(indices))
        rows = samples.get("rows") or []
        confidence = samples.get("confidence") or []
        for r, k in enumerate(indices):
            c = 0
            if images is not None:
                item = QTableWidgetItem()
                if k < len(images):
                    item.setIcon(_thumbnail(images[k]))
                self.samples.setItem(r, c, item)
                c += 1
            self.samples.setItem(r, c, _item(str(k + 1), right=True))
            self.samples.setItem(r, c + 1, _item(f"{confidence[k]:.1%}" if k < len(confidence) else "", right=True))
            if k < len(rows):
                for j, value in enumerate(rows[k]):
                    self.samples.setItem(r, c + 2 + j, _item(value))
        if images is not None:
            self.samples.verticalHeader().setDefaultSectionSize(THUMBNAIL + 4)
        self.samples.resizeColumnsToContents()

    def _on_samples_cell_clicked(self, row: int, _column: int) -> None:
        """Explain the clicked image sample's predicted class."""
        samples = (self.details or {}).get("samples") or {}
        images = samples.get("images")
        if images is None or row >= len(self._shown_indices) or not self.sample_explanation.isVisibleTo(self):
            return
        k = self._shown_indices[row]
        predicted = samples.get("predicted") or []
        if k < len(images):
            self.sample_explanation.explain_image(pixels=images[k], target=predicted[k] if k < len(predicted) else None)

    def _fill_regression(self, samples: dict) -> None:
        actual = np.asarray(samples.get("actual") or [], dtype=float).reshape(len(samples.get("actual") or []), -1)
        predicted = np.asarray(samples.get("predicted") or [], dtype=float).reshape(actual.shape)
        if not len(actual):
            return
        a, p = actual[:, 0], predicted[:, 0]
        self.scatter.setData(a, p)
        low, high = float(min(a.min(), p.min())), float(max(a.max(), p.max()))
        self.diagonal.setData([low, high], [low, high])
        residuals = p - a
        counts, edges = np.histogram(residuals, bins=min(30, max(5, len(residuals) // 5)))
        self.histogram.setOpts(x=(edges[:-1] + edges[1:]) / 2, height=counts, width=float(edges[1] - edges[0]))
