"""Why the model answered as it did: heat maps over images, per-feature and per-token
attributions, and a table model's permutation importance. The run is loaded and every
explanation computed on a worker thread (torch and captum stay off the GUI thread);
see :mod:`app.core.experiments.explain`.

Example::

    panel = ExplanationPanel()
    panel.set_run("runs/shapes-1")
    panel.explain_image(path="circle.png")      # or pixels=uint8 (C, H, W)
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.experiments.attention_view import AttentionView
from app.ui.workers import start_job

HEAT_SIZE = 192


def overlay(pixels: np.ndarray, heat: np.ndarray, alpha: float = 0.55) -> np.ndarray:
    """An (H, W, 3) uint8 picture: the image (C, H, W) under the heat map in the inferno colours."""
    import pyqtgraph as pg

    image = pixels.transpose(1, 2, 0) if pixels.shape[0] == 3 else np.repeat(pixels[0][:, :, None], 3, axis=2)
    colours = pg.colormap.get("inferno").map(heat.reshape(-1), mode="byte")[:, :3].reshape(*heat.shape, 3)
    blended = (1 - alpha) * image.astype(np.float32) + alpha * colours.astype(np.float32)
    return np.ascontiguousarray(blended.clip(0, 255).astype(np.uint8))


def _pixmap(rgb: np.ndarray, size: int) -> QPixmap:
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888).copy()
    return QPixmap.fromImage(image).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.FastTransformation)


def _load_explainer(run_dir: str, progress=None):
    from app.core.experiments.explain import Explainer

    return Explainer(run_dir)


def _explain(explainer, kind: str, value, method: str, target, progress=None) -> dict:
    if kind == "image":
        path, pixels = value
        result = explainer.image(path=path, pixels=pixels, method=method, target=target)
        return {"kind": "image", "label": result.label, "target": result.target, "method": result.method,
                "picture": overlay(result.pixels, result.heatmap), "heatmap": result.heatmap}
    if kind == "values":
        result = explainer.values(value, target=target)
        return {"kind": "values", **result}
    if kind == "text":
        return {"kind": "text", **explainer.text(value, target=target)}
    return {"kind": "importance", "importance": explainer.permutation_importance()}


class ExplanationPanel(QWidget):
    """``explained(dict)`` carries each explanation (``kind``, ``label`` and the values shown)."""

    explained = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_dir: str | None = None
        self.explainer = None
        self.result: dict | None = None
        self._pending: tuple | None = None
        self._jobs: list = []
        self.title = QLabel(self.tr("<b>Why this answer?</b>"))
        self.method_combo = QComboBox()
        for key, text in (("gradcam", self.tr("Grad-CAM (where the network looked)")),
                          ("integrated_gradients", self.tr("Integrated gradients (pixel by pixel)")),
                          ("saliency", self.tr("Saliency (SmoothGrad)"))):
            self.method_combo.addItem(text, key)
        self.method_combo.currentIndexChanged.connect(self._on_method_combo_changed)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(HEAT_SIZE // 2, HEAT_SIZE // 2)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Input"), self.tr("Contribution")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.importance_button = QPushButton(self.tr("Feature Importance"))
        self.importance_button.setToolTip(self.tr("How much worse the model gets when each column's values are "
                                                  "shuffled (on the test or validation data)"))
        self.importance_button.clicked.connect(self.explain_importance)
        self.attention = AttentionView()
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.method_combo)
        row.addWidget(self.importance_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.picture, 1)
        # Contributions above, attention below (text models with attention layers); the user
        # moves the border between them.
        answer = QWidget()
        answer_layout = QVBoxLayout(answer)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.addWidget(self.table, 1)
        answer_layout.addWidget(self.caption)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(answer)
        split.addWidget(self.attention)
        split.setSizes([1, 1])
        layout.addWidget(split, 1)
        self._show(None)

    def _show(self, kind: str | None) -> None:
        self.method_combo.setVisible(kind == "image")
        self.picture.setVisible(kind == "image")
        self.table.setVisible(kind in ("table", "text"))
        self.importance_button.setVisible(kind == "table")
        self.attention.setVisible(False)  # shown by a text explanation of a model with attention

    def set_run(self, run_dir: str | None) -> None:
        if run_dir == self.run_dir:
            return
        self.run_dir = run_dir
        self.explainer = None
        self.result = None
        self.picture.clear()
        self.table.setRowCount(0)
        self.caption.clear()
        self._show(None)
        if run_dir is None:
            return
        job = start_job(_load_explainer, run_dir, parent=self)
        job.succeeded.connect(lambda explainer, r=run_dir: self._on_explainer_loaded(r, explainer))
        job.failed.connect(lambda exc: self.caption.setText(str(exc)))
        self._jobs.append(job)

    def _on_explainer_loaded(self, run_dir: str, explainer) -> None:
        if run_dir != self.run_dir:
            return
        self.explainer = explainer
        kind = explainer.predictor.kind
        self._show(kind)
        if self._pending is not None:
            request, self._pending = self._pending, None
            self._run(*request)

    # --- requests
    def explain_image(self, path: str | None = None, pixels: np.ndarray | None = None, target: int | None = None) -> None:
        self._run("image", (path, pixels), target)

    def explain_values(self, row: dict) -> None:
        self._run("values", row, None)

    def explain_text(self, text: str) -> None:
        self._run("text", text, None)

    def explain_importance(self) -> None:
        self._run("importance", None, None)

    def _on_method_combo_changed(self, _index: int) -> None:
        if self._last is not None and self._last[0] == "image":
            self._run(*self._last)

    _last: tuple | None = None

    def _run(self, kind: str, value, target) -> None:
        self._last = (kind, value, target)
        if self.explainer is None:
            self._pending = (kind, value, target)
            return
        self.caption.setText(self.tr("Explaining…"))
        job = start_job(_explain, self.explainer, kind, value, self.method_combo.currentData(), target, parent=self)
        job.succeeded.connect(self._on_explained)
        job.failed.connect(lambda exc: self.caption.setText(self.tr("Cannot explain: {error}").format(error=exc)))
        self._jobs = [j for j in self._jobs if j.running] + [job]

    def _on_explained(self, result: dict) -> None:
        self.result = result
        kind = result["kind"]
        if kind == "image":
            self.picture.setPixmap(_pixmap(result["picture"], HEAT_SIZE))
            self.caption.setText(self.tr("Bright areas drove the answer “{label}” most.").format(label=result["label"]))
        elif kind == "importance":
            self._fill(list(result["importance"].items()))
            self.caption.setText(self.tr("Loss increase when each column is shuffled: the higher, the more the "
                                         "model relies on it."))
        else:
            rows = list(result["attributions"].items()) if kind == "values" else result["tokens"]
            self._fill(rows)
            if kind == "text":
                self.attention.set_attention([token for token, _ in rows], result.get("attention") or [])
            self.caption.setText(self.tr("Positive numbers pushed the answer towards “{label}”, negative ones "
                                         "away from it.").format(label=result["label"]))
        self.explained.emit(result)

    def _fill(self, rows: list[tuple[str, float]]) -> None:
        self.table.setRowCount(len(rows))
        top = max((abs(v) for _, v in rows), default=0.0) or 1.0
        for r, (name, value) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(str(name)))
            item = QTableWidgetItem(f"{value:+.3g}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            strength = int(200 * abs(value) / top)
            item.setBackground(QColor(255, 255 - strength // 2, 255 - strength) if value > 0
                               else QColor(255 - strength, 255 - strength // 2, 255))
            self.table.setItem(r, 1, item)
