"""Small bar charts (histograms, class balance) drawn with pyqtgraph.

pyqtgraph is imported when the first chart is made, not at startup (it costs ~0.3 s).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.ui.theme import accent_colours


class BarChart(QWidget):
    """A read-only bar chart; ``show_histogram`` for numbers, ``show_counts`` for categories."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg

        self._pg = pg
        palette = self.palette()
        self._plot = pg.PlotWidget(background=palette.color(QPalette.ColorRole.Base))
        self._plot.setMenuEnabled(False)
        self._plot.setMouseEnabled(False, False)
        self._plot.hideButtons()
        self._plot.setMinimumHeight(160)
        text = palette.color(QPalette.ColorRole.Text)
        for axis in ("left", "bottom"):
            self._plot.getAxis(axis).setTextPen(text)
            self._plot.getAxis(axis).setPen(palette.color(QPalette.ColorRole.Mid))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._plot)
        self.bars = 0

    def clear(self) -> None:
        self._plot.clear()
        self.bars = 0

    def show_histogram(self, counts: np.ndarray, edges: np.ndarray) -> None:
        self.clear()
        colour = accent_colours()["chart"]
        widths = np.diff(edges)
        item = self._pg.BarGraphItem(x0=edges[:-1], width=widths, height=counts, brush=colour, pen=colour.darker(130))
        self._plot.addItem(item)
        self._plot.getAxis("bottom").setTicks(None)
        self._plot.enableAutoRange()
        self.bars = len(counts)

    def show_counts(self, labels: list[str], counts: list[int], *, alternate: bool = False) -> None:
        self.clear()
        colour = accent_colours()["chart_alt" if alternate else "chart"]
        x = np.arange(len(counts))
        item = self._pg.BarGraphItem(x=x, width=0.7, height=counts, brush=colour, pen=colour.darker(130))
        self._plot.addItem(item)
        shown = [(i, (l if len(l) <= 12 else l[:11] + "…")) for i, l in enumerate(labels)]
        self._plot.getAxis("bottom").setTicks([shown])
        self._plot.enableAutoRange()
        self.bars = len(counts)
