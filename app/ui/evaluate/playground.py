"""Playground: try a trained run on one input — a form for table features, a typed text, or
a dropped image — and see its answer with class probabilities. Loading the run and every
prediction run on a worker thread (they use torch); the answers are ``main.py predict``'s."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.experiments.explanation_panel import ExplanationPanel
from app.ui.workers import start_job


def _load_predictor(run_dir: str, progress=None):
    from app.core.train.inspection import Predictor

    return Predictor(run_dir)


def _predict(predictor, kind: str, value, progress=None) -> dict:
    if kind == "values":
        return predictor.predict_values(value)
    if kind == "text":
        return predictor.predict_text(value)
    return predictor.predict_image(value)


class ImageDropLabel(QLabel):
    """Shows the chosen image; accepts a dropped image file."""

    dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(200, 160)
        self.setStyleSheet("QLabel { border: 2px dashed #999; border-radius: 6px; }")
        self.setText(self.tr("Drop an image here"))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.dropped.emit(urls[0].toLocalFile())

    def show_image(self, path: str) -> None:
        pixmap = QPixmap(path)
        if pixmap.isNull():
            self.setText(Path(path).name)
        else:
            self.setPixmap(pixmap.scaled(192, 192, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))


class Playground(QWidget):
    """``predicted(dict)`` carries each answer (``prediction``, ``probabilities``)."""

    predicted = Signal(dict)
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.predictor = None
        self.run_dir: str | None = None
        self._job = None
        self._inputs: dict[str, QWidget] = {}
        self.title = QLabel(self.tr("Choose a trained run above to try it."))
        self.title.setWordWrap(True)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText(self.tr("Type a text to classify"))
        self.image_label = ImageDropLabel()
        self.image_label.dropped.connect(self.predict_image)
        self.choose_image = QPushButton(self.tr("Choose Image…"))
        self.choose_image.clicked.connect(self._on_choose_image_clicked)
        self.predict_button = QPushButton(self.tr("Predict"))
        self.predict_button.clicked.connect(self.predict)
        self.answer = QLabel()
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer.setWordWrap(True)
        self.probabilities = QTableWidget(0, 2)
        self.probabilities.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Probability")])
        self.probabilities.verticalHeader().setVisible(False)
        self.probabilities.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.probabilities.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(scroll, 1)
        left.addWidget(self.text_edit, 1)
        left.addWidget(self.image_label, 1)
        left.addWidget(self.choose_image)
        left.addWidget(self.predict_button)
        right = QVBoxLayout()
        right.addWidget(self.answer)
        right.addWidget(self.probabilities, 1)
        self.explanation = ExplanationPanel()
        right.addWidget(self.explanation, 4)  # the probabilities are a few rows; the explanation needs room
        self._request: tuple[str, object] | None = None
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._scroll = scroll
        self._show_inputs(None)

    def _show_inputs(self, kind: str | None) -> None:
        self._scroll.setVisible(kind == "table")
        self.text_edit.setVisible(kind == "text")
        self.image_label.setVisible(kind == "image")
        self.choose_image.setVisible(kind == "image")
        self.predict_button.setVisible(kind in ("table", "text"))

    def set_run(self, run_dir: str | None) -> None:
        """Load a run's model in the background (nothing happens if it is loaded already)."""
        if run_dir == self.run_dir:
            return
        self.run_dir = run_dir
        self.predictor = None
        self.explanation.set_run(run_dir)
        self._clear_form()
        self._show_inputs(None)
        self.answer.clear()
        self.probabilities.setRowCount(0)
        if run_dir is None:
            self.title.setText(self.tr("Choose a trained run above to try it."))
            return
        self.title.setText(self.tr("Loading {run}…").format(run=Path(run_dir).name))
        self._job = start_job(_load_predictor, run_dir, parent=self)
        self._job.succeeded.connect(lambda predictor, r=run_dir: self._on_predictor_loaded(r, predictor))
        self._job.failed.connect(lambda exc: self.title.setText(self.tr("Cannot load the run: {error}").format(error=exc)))

    def _clear_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._inputs = {}

    def _on_predictor_loaded(self, run_dir: str, predictor) -> None:
        if run_dir != self.run_dir:
            return
        self.predictor = predictor
        kind = predictor.kind
        if predictor.task == "language-model":
            self.title.setText(self.tr("This run is a language model; text generation is not part of this "
                                       "version of the playground (use <code>main.py generate</code>)."))
            kind = None
        elif kind == "table":
            self.title.setText(self.tr("Enter the features (the training averages are filled in):"))
            for field in predictor.fields():
                self.form.addRow(field["name"], self._make_input(field))
        elif kind == "text":
            self.title.setText(self.tr("Type a text:"))
        else:
            self.title.setText(self.tr("Drop an image or choose one:"))
        self._show_inputs(kind)
        self.loaded.emit()

    def _make_input(self, field: dict) -> QWidget:
        if field["type"] == "numeric":
            box = QDoubleSpinBox()
            box.setRange(-1e12, 1e12)
            box.setDecimals(4)
            box.setValue(float(field["default"] or 0.0))
            widget = box
        elif field["type"] == "boolean":
            widget = QCheckBox()
            widget.setChecked(bool(field["default"]))
        elif field.get("categories"):
            widget = QComboBox()
            widget.addItems([str(c) for c in field["categories"]])
            widget.setCurrentText(str(field["default"]))
        else:
            widget = QLineEdit(str(field["default"] or ""))
        self._inputs[field["name"]] = widget
        return widget

    def values(self) -> dict:
        out = {}
        for name, widget in self._inputs.items():
            if isinstance(widget, QDoubleSpinBox):
                out[name] = widget.value()
            elif isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                out[name] = widget.currentText()
            else:
                out[name] = widget.text()
        return out

    def set_values(self, values: dict) -> None:
        for name, value in values.items():
            widget = self._inputs.get(name)
            if isinstance(widget, QDoubleSpinBox):
                widget.setValue(float(value))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(str(value))
            elif widget is not None:
                widget.setText(str(value))

    def predict(self) -> None:
        if self.predictor is None:
            return
        if self.predictor.kind == "text":
            self._run(("text", self.text_edit.toPlainText()))
        else:
            self._run(("values", self.values()))

    def predict_image(self, path: str) -> None:
        if self.predictor is None or self.predictor.kind != "image":
            return
        self.image_label.show_image(path)
        self._run(("image", path))

    def _on_choose_image_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose an image"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;All files (*)"))
        if path:
            self.predict_image(path)

    def _run(self, request: tuple[str, object]) -> None:
        self.answer.setText(self.tr("Thinking…"))
        self._request = request
        self._job = start_job(_predict, self.predictor, request[0], request[1], parent=self)
        self._job.succeeded.connect(self._on_predicted)
        self._job.failed.connect(lambda exc: self.answer.setText(self.tr("Cannot predict: {error}").format(error=exc)))

    def _on_predicted(self, result: dict) -> None:
        prediction = result["prediction"]
        text = f"{prediction:.6g}" if isinstance(prediction, float) else str(prediction)
        self.answer.setText(self.tr("<h2>{answer}</h2>").format(answer=text))
        probs = sorted((result.get("probabilities") or {}).items(), key=lambda kv: -kv[1])
        self.probabilities.setRowCount(len(probs))
        for r, (label, p) in enumerate(probs):
            self.probabilities.setItem(r, 0, QTableWidgetItem(label))
            item = QTableWidgetItem(f"{p:.1%}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.probabilities.setItem(r, 1, item)
        self._explain_answer(result)
        self.predicted.emit(result)

    def _explain_answer(self, result: dict) -> None:
        """Explanations exist for classifiers: show why this answer, next to it."""
        if self._request is None or not result.get("probabilities"):
            return
        kind, value = self._request
        if kind == "image":
            self.explanation.explain_image(path=value)
        elif kind == "text":
            self.explanation.explain_text(value)
        else:
            self.explanation.explain_values(value)
