"""Live training curves with pyqtgraph: loss per step (raw and smoothed) and per epoch,
validation metrics per epoch, learning rate.

Points arrive in batches (≤ 20 messages a second) into growing numpy buffers; a timer
redraws at most 25 times a second with ``setData`` on the visible curves only, with peak
downsampling and clipping to the view, so a run of a million steps draws as fast as a
short one (the pattern of pyqtgraph's ``examples/scrollingPlots.py``).
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

REDRAW_MS = 40
#: Painting may use at most this share of the GUI thread; slower paints space redraws out.
PAINT_SHARE = 0.25
MAX_REDRAW_MS = 250
#: Evaluation points get a dot only while there are few enough to tell apart.
MAX_SYMBOLS = 100
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
RAW_COLOR = "#b9d3ea"  # opaque: blending a translucent pen costs more per point


class GrowingBuffer:
    """x/y float64 arrays that double their capacity as points arrive (amortised O(1))."""

    def __init__(self, capacity: int = 1024) -> None:
        self._x = np.empty(capacity)
        self._y = np.empty(capacity)
        self.n = 0

    def extend(self, xs, ys) -> None:
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        need = self.n + len(xs)
        if need > len(self._x):
            size = max(need, 2 * len(self._x))
            self._x = np.resize(self._x, size)
            self._y = np.resize(self._y, size)
        self._x[self.n:need] = xs
        self._y[self.n:need] = ys
        self.n = need

    def clear(self) -> None:
        self.n = 0

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.n]


def smooth(values: np.ndarray, weight: float, state: tuple[float, int] = (0.0, 0)) -> tuple[np.ndarray, tuple[float, int]]:
    """Bias-corrected exponential moving average (as TensorBoard draws it), continued from
    ``state`` so new points extend the curve without recomputing it."""
    ema, count = state
    out = np.empty(len(values))
    for i, v in enumerate(values):
        if not math.isfinite(v):
            out[i] = math.nan
            continue
        ema = weight * ema + (1 - weight) * v
        count += 1
        out[i] = ema / (1 - weight ** count) if weight < 1 else v
    return out, (ema, count)


def _plot(layout: pg.GraphicsLayoutWidget, row: int, col: int, title: str, x_label: str, colspan: int = 1) -> pg.PlotItem:
    plot = layout.addPlot(row=row, col=col, colspan=colspan, title=title)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setLabel("bottom", x_label)
    plot.addLegend(offset=(-10, 10), labelTextColor="#222222", brush=pg.mkBrush(255, 255, 255, 210))
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    return plot


class TrainingPlots(QWidget):
    """The curves of the current run, plus dashed overlays of other runs."""

    exported = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=False)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.loss_plot = _plot(self.graphics, 0, 0, self.tr("Loss"), self.tr("step"), colspan=2)
        self.metric_plot = _plot(self.graphics, 1, 0, self.tr("Validation metrics"), self.tr("epoch"))
        self.lr_plot = _plot(self.graphics, 1, 1, self.tr("Learning rate"), self.tr("step"))
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)

        self.raw_curve = self.loss_plot.plot(pen=pg.mkPen(RAW_COLOR, width=1), name=self.tr("train (step)"))
        self.smooth_curve = self.loss_plot.plot(pen=pg.mkPen(COLORS[0], width=1), name=self.tr("train (smoothed)"))
        self.epoch_curve = self.loss_plot.plot(pen=pg.mkPen(COLORS[1], width=1), symbol="o", symbolSize=5,
                                               symbolBrush=COLORS[1], name=self.tr("train (epoch)"))
        self.val_curve = self.loss_plot.plot(pen=pg.mkPen(COLORS[3], width=1), symbol="o", symbolSize=5,
                                             symbolBrush=COLORS[3], name=self.tr("validation"))
        self.lr_curve = self.lr_plot.plot(pen=pg.mkPen(COLORS[4], width=1))
        self.best_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#2ca02c", width=1, style=Qt.PenStyle.DashLine),
                                         label=self.tr("best"), labelOpts={"position": 0.92, "color": "#2ca02c"})
        self.stop_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#d62728", width=1, style=Qt.PenStyle.DashLine),
                                         label=self.tr("early stop"), labelOpts={"position": 0.8, "color": "#d62728"})
        self.best_metric_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#2ca02c", width=1, style=Qt.PenStyle.DashLine))
        for line, plot in ((self.best_line, self.loss_plot), (self.stop_line, self.loss_plot),
                           (self.best_metric_line, self.metric_plot)):
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen("#888888", width=1))
        self.cursor.setVisible(False)
        self.loss_plot.addItem(self.cursor, ignoreBounds=True)
        self._mouse_proxy = pg.SignalProxy(self.graphics.scene().sigMouseMoved, rateLimit=30,
                                           slot=self._on_scene_mouse_moved)

        self.log_check = QCheckBox(self.tr("Log scale"))
        self.log_check.toggled.connect(self._on_log_check_toggled)
        self.raw_check = QCheckBox(self.tr("Raw steps"))
        self.raw_check.setChecked(True)
        self.raw_check.toggled.connect(self.raw_curve.setVisible)
        self.smoothing = QDoubleSpinBox()
        self.smoothing.setRange(0.0, 0.999)
        self.smoothing.setDecimals(3)
        self.smoothing.setSingleStep(0.05)
        self.smoothing.setValue(0.9)
        self.smoothing.setPrefix(self.tr("Smoothing "))
        self.smoothing.valueChanged.connect(self._on_smoothing_value_changed)
        auto = QPushButton(self.tr("Auto-range"))
        auto.clicked.connect(self.auto_range)
        export = QPushButton(self.tr("Export…"))
        export.setToolTip(self.tr("Save the plots as PNG or SVG"))
        export.clicked.connect(self._on_export_clicked)
        self.readout = QLabel()
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tools = QHBoxLayout()
        tools.addWidget(self.log_check)
        tools.addWidget(self.raw_check)
        tools.addWidget(self.smoothing)
        tools.addWidget(auto)
        tools.addWidget(export)
        tools.addWidget(self.readout, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tools)
        layout.addWidget(self.graphics, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        self.timer.start()
        self._overlay_items: list = []
        self.reset()

    # --- data in -----------------------------------------------------------------------------
    def reset(self) -> None:
        self.raw = GrowingBuffer()
        self.smoothed = GrowingBuffer()
        self.lr = GrowingBuffer()
        self.records: list[dict] = []
        self._ema = (0.0, 0)
        self._metric_curves: dict[str, pg.PlotDataItem] = {}
        self.metric_plot.clear()
        self.metric_plot.addItem(self.best_metric_line, ignoreBounds=True)
        self.best_line.setVisible(False)
        self.best_metric_line.setVisible(False)
        self.stop_line.setVisible(False)
        self.redraws = 0
        self._dirty = True

    def add_losses(self, steps, losses, lrs=None) -> None:
        if not steps:
            return
        self.raw.extend(steps, losses)
        values, self._ema = smooth(np.asarray(losses, dtype=float), self.smoothing.value(), self._ema)
        self.smoothed.extend(steps, values)
        if lrs:
            self.lr.extend(steps, lrs)
        self._dirty = True

    def add_records(self, records) -> None:
        if records:
            self.records.extend(dict(r) for r in records)
            self._dirty = True

    def load_history(self, records) -> None:
        """Records of a resumed run, so its curves continue where they stopped."""
        self.add_records(records)
        if self.lr.n == 0 and records:
            self.lr.extend([r["step"] for r in records], [r.get("lr", math.nan) for r in records])

    def set_best(self, step: float | None, epoch: float | None) -> None:
        if step is None:
            return
        self.best_line.setPos(step)
        self.best_line.setVisible(True)
        if epoch is not None:
            self.best_metric_line.setPos(epoch)
            self.best_metric_line.setVisible(True)

    def mark_stop(self, step: float) -> None:
        self.stop_line.setPos(step)
        self.stop_line.setVisible(True)

    # --- overlays ----------------------------------------------------------------------------
    def set_overlays(self, runs: list[tuple[str, list[dict]]]) -> None:
        """Dashed validation-loss and metric curves of other runs (name, metrics.csv rows)."""
        for plot, item in self._overlay_items:
            plot.removeItem(item)
        self._overlay_items = []
        for i, (name, rows) in enumerate(runs):
            color = COLORS[(i + 5) % len(COLORS)]
            pen = pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine)
            steps = np.array([r.get("step", math.nan) for r in rows], dtype=float)
            epochs = np.array([r.get("epoch", math.nan) for r in rows], dtype=float)
            key = "val_loss" if any(math.isfinite(r.get("val_loss", math.nan)) for r in rows) else "train_loss"
            values = np.array([r.get(key, math.nan) for r in rows], dtype=float)
            item = self.loss_plot.plot(steps, values, pen=pen, name=f"{name} ({key})")
            self._overlay_items.append((self.loss_plot, item))
            for metric in self._metric_keys(rows)[:1]:
                m = np.array([r.get(metric, math.nan) for r in rows], dtype=float)
                item = self.metric_plot.plot(epochs, m, pen=pen, name=f"{name} ({metric[4:]})")
                self._overlay_items.append((self.metric_plot, item))
        self.auto_range()

    def metric_curves_keys(self) -> list[str]:
        return list(self._metric_curves)

    @staticmethod
    def _metric_keys(records) -> list[str]:
        keys: list[str] = []
        for record in records:
            for key in record:
                if key.startswith("val_") and key != "val_loss" and key not in keys:
                    keys.append(key)
        return keys

    # --- drawing -----------------------------------------------------------------------------
    def redraw(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.redraws += 1
        started = time.perf_counter()
        self._update_curves()
        if self.isVisible():
            # Paint now, timed, so the redraw rate can adapt to what painting costs here.
            self.graphics.viewport().repaint()
            cost_ms = (time.perf_counter() - started) * 1000
            self.timer.setInterval(int(min(MAX_REDRAW_MS, max(REDRAW_MS, cost_ms / PAINT_SHARE))))

    def _update_curves(self) -> None:
        self.raw_curve.setData(self.raw.x, self.raw.y)
        self.smooth_curve.setData(self.smoothed.x, self.smoothed.y)
        self.lr_curve.setData(self.lr.x, self.lr.y)
        if self.lr.n and not self.log_check.isChecked():
            # A constant learning rate would otherwise sit on an axis centred at zero.
            high = float(np.nanmax(self.lr.y)) if np.isfinite(self.lr.y).any() else 1.0
            self.lr_plot.setYRange(0.0, high * 1.15 or 1.0, padding=0)
        records = self.records
        symbol = "o" if len(records) <= MAX_SYMBOLS else None
        for curve in [self.epoch_curve, self.val_curve, *self._metric_curves.values()]:
            if curve.opts.get("symbol") != symbol:
                curve.setSymbol(symbol)
        if records:
            steps = np.array([r["step"] for r in records], dtype=float)
            self.epoch_curve.setData(steps, np.array([r.get("train_loss", math.nan) for r in records], dtype=float))
            if any("val_loss" in r for r in records):
                self.val_curve.setData(steps, np.array([r.get("val_loss", math.nan) for r in records], dtype=float))
            epochs = np.array([r["epoch"] for r in records], dtype=float)
            for i, key in enumerate(self._metric_keys(records)):
                curve = self._metric_curves.get(key)
                if curve is None:
                    color = COLORS[(i + 2) % len(COLORS)]
                    curve = self.metric_plot.plot(pen=pg.mkPen(color, width=1), symbol="o", symbolSize=5,
                                                  symbolBrush=color, name=key[4:])
                    self._metric_curves[key] = curve
                curve.setData(epochs, np.array([r.get(key, math.nan) for r in records], dtype=float))
        else:
            self.epoch_curve.setData([], [])
            self.val_curve.setData([], [])

    def auto_range(self) -> None:
        for plot in (self.loss_plot, self.metric_plot, self.lr_plot):
            plot.enableAutoRange()

    def _on_log_check_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self.lr_plot.setLogMode(y=on)

    def _on_smoothing_value_changed(self, weight: float) -> None:
        values, self._ema = smooth(self.raw.y, weight)
        self.smoothed.clear()
        self.smoothed.extend(self.raw.x, values)
        self._dirty = True

    def _on_scene_mouse_moved(self, event) -> None:
        pos = event[0]
        if not self.loss_plot.sceneBoundingRect().contains(pos) or self.raw.n == 0:
            self.cursor.setVisible(False)
            return
        step = self.loss_plot.vb.mapSceneToView(pos).x()
        self.cursor.setPos(step)
        self.cursor.setVisible(True)
        self.readout.setText(self.readout_at(step))

    def readout_at(self, step: float) -> str:
        """The values under the crosshair: nearest step's loss, smoothed loss, and the
        nearest evaluation."""
        parts = []
        if self.raw.n:
            i = int(np.clip(np.searchsorted(self.raw.x, step), 0, self.raw.n - 1))
            parts.append(self.tr("step {step}: loss {loss:.4g}, smoothed {smooth:.4g}").format(
                step=int(self.raw.x[i]), loss=self.raw.y[i], smooth=self.smoothed.y[i]))
        if self.records:
            record = min(self.records, key=lambda r: abs(r["step"] - step))
            text = ", ".join(f"{k} {v:.4g}" for k, v in record.items()
                             if k not in ("step", "seconds") and isinstance(v, (int, float)) and math.isfinite(v))
            parts.append(text)
        return " · ".join(parts)

    def export(self, path: str | Path) -> Path:
        """Write the plots to PNG or SVG (by the file's suffix)."""
        from pyqtgraph.exporters import ImageExporter, SVGExporter

        path = Path(path)
        self.redraw()
        exporter = SVGExporter(self.graphics.scene()) if path.suffix.lower() == ".svg" else ImageExporter(self.graphics.scene())
        exporter.export(str(path))
        self.exported.emit(str(path))
        return path

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export plots"), "training.png",
                                              self.tr("PNG image (*.png);;SVG drawing (*.svg)"))
        if path:
            if Path(path).suffix.lower() not in (".png", ".svg"):
                path += ".png"
            self.export(path)
