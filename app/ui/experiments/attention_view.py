"""Where each word looked: the attention weights of a Transformer text model as a heat map,
words down the side (who looks) and along the bottom (what they look at), one layer and one
head — or the mean of the heads — at a time."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.ui.plot_theme import follow_palette

MEAN_OF_HEADS = -1


class AttentionView(QWidget):
    """``set_attention(words, layers)`` with ``layers`` as ``[{"layer": name, "weights": (heads, n, n)}]``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg

        self.words: list[str] = []
        self.layers: list[dict] = []
        self.title = QLabel(self.tr("<b>Attention</b>"))
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip(self.tr("The attention layer to show"))
        self.layer_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.head_combo = QComboBox()
        self.head_combo.setToolTip(self.tr("One attention head, or the mean of all heads"))
        self.head_combo.currentIndexChanged.connect(self._on_choice_changed)
        palette = self.palette()
        self.plot = pg.PlotWidget(background=palette.color(QPalette.ColorRole.Base))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setMinimumHeight(200)
        self.plot.setLabel("left", self.tr("word"))
        self.plot.setLabel("bottom", self.tr("looks at"))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("inferno"))
        self.plot.addItem(self.image)
        follow_palette(self.plot)
        self.caption = QLabel(self.tr("Each row is one word: the brighter a cell, the more that word drew on the "
                                      "word of its column when the model read the text."))
        self.caption.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.layer_combo)
        row.addWidget(self.head_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)

    def set_attention(self, words: list[str], layers: list[dict]) -> None:
        """Show the maps of one explained text (hidden when the model has no attention layers)."""
        self.words = [str(w) for w in words]
        self.layers = layers
        self.setVisible(bool(layers))
        if not layers:
            return
        for combo in (self.layer_combo, self.head_combo):
            combo.blockSignals(True)
            combo.clear()
        for i, layer in enumerate(layers):
            self.layer_combo.addItem(self.tr("Layer {n}: {name}").format(n=i + 1, name=layer["layer"]), i)
        self.head_combo.addItem(self.tr("Mean of heads"), MEAN_OF_HEADS)
        for h in range(int(np.asarray(layers[0]["weights"]).shape[0])):
            self.head_combo.addItem(self.tr("Head {n}").format(n=h + 1), h)
        self.layer_combo.setCurrentIndex(len(layers) - 1)  # the last layer is closest to the answer
        for combo in (self.layer_combo, self.head_combo):
            combo.blockSignals(False)
        ticks = [[(i, word) for i, word in enumerate(self.words)]]
        self.plot.getAxis("bottom").setTicks(ticks)
        self.plot.getAxis("left").setTicks(ticks)
        self._draw()

    def shown_matrix(self) -> np.ndarray:
        """The (n, n) matrix on screen: the chosen layer's head, or the mean of its heads."""
        weights = np.asarray(self.layers[self.layer_combo.currentData() or 0]["weights"], dtype=float)
        head = self.head_combo.currentData()
        if head is None or head == MEAN_OF_HEADS or head >= weights.shape[0]:
            return weights.mean(axis=0)
        return weights[head]

    def _on_choice_changed(self, _index: int) -> None:
        if self.layers:
            self._draw()

    def _draw(self) -> None:
        matrix = self.shown_matrix()
        n = len(matrix)
        self.image.setImage(matrix, levels=(0.0, max(float(matrix.max()), 1e-6)))
        self.image.setRect(-0.5, -0.5, n, n)  # cell (i, j) centred on the ticks i and j
        self.plot.setRange(xRange=(-0.5, n - 0.5), yRange=(-0.5, n - 0.5), padding=0)
