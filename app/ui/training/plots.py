"""Live training curves with pyqtgraph: loss per step (raw and smoothed) and per epoch,
validation metrics per epoch, learning rate.

Points arrive in batches (≤ 20 messages a second) into growing numpy buffers; a timer
redraws at most 25 times a second with ``setData`` on the visible curves only, with peak
downsampling and clipping to the view, so a run of a million steps draws as fast as a
short one (the pattern of pyqtgraph's ``examples/scrollingPlots.py``).

The GUI shares the machine with the training process, so a frame must be cheap
(``benchmarks/gui_latency.py``). Measured on the Train view, a frame cost 25-70 ms, most of
it the axes: pyqtgraph redraws every axis (and its grid lines) whenever its range moves,
and with auto-range the ranges moved on every frame. Here the views follow the data in
steps instead (x up to the next round number, y to round bounds; kept from running
minima and maxima, never a pass over all points), the axes are cached as pixmaps and drawn
again only when their range steps, the grid has major lines only, a frame paints once,
and the redraw rate adapts to what a frame costs. A hidden view does not redraw at all.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.plot_theme import follow_palette

REDRAW_MS = 40
#: Redrawing may use at most this share of the GUI thread (and of a core the training
#: process would otherwise have); slower frames space redraws out.
PAINT_SHARE = 0.05
MAX_REDRAW_MS = 250
#: Evaluation points get a dot only while there are few enough to tell apart.
MAX_SYMBOLS = 100
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
RAW_COLOR = "#b9d3ea"  # opaque: blending a translucent pen costs more per point
RAW_COLOR_DARK = "#34506b"  # the same faint blue on a dark background


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


_NICE_CEILINGS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is at
    least ``value``: where a growing x axis ends, so it moves about ten times a decade."""
    if not (value > 0 and math.isfinite(value)):
        return 1.0
    scale = 10.0 ** math.floor(math.log10(value))
    return next(m * scale for m in _NICE_CEILINGS if m * scale >= value * (1 - 1e-9))


def nice_bounds(low: float, high: float, divisions: int = 4) -> tuple[float, float]:
    """``low``..``high`` widened to multiples of a 1-2-5 step (about ``divisions`` of them),
    so the bounds move only when the data crosses a step."""
    if high <= low:
        pad = abs(high) * 0.05 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / divisions
    scale = 10.0 ** math.floor(math.log10(raw))
    step = next(m * scale for m in (1.0, 2.0, 5.0, 10.0) if m * scale >= raw * (1 - 1e-9))
    return math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step


class Bounds:
    """Running minimum and maximum of the finite values seen (and the smallest positive
    one, for log axes), so following the data costs O(new points) per frame."""

    def __init__(self) -> None:
        self.low = math.inf
        self.high = -math.inf
        self.low_positive = math.inf

    def add(self, values) -> None:
        values = np.asarray(values, dtype=float)
        values = values[np.isfinite(values)]
        if values.size:
            self.low = min(self.low, float(values.min()))
            self.high = max(self.high, float(values.max()))
            positive = values[values > 0]
            if positive.size:
                self.low_positive = min(self.low_positive, float(positive.min()))

    @staticmethod
    def joined(*parts: "Bounds") -> "Bounds":
        out = Bounds()
        for part in parts:
            out.low, out.high = min(out.low, part.low), max(out.high, part.high)
            out.low_positive = min(out.low_positive, part.low_positive)
        return out

    @property
    def empty(self) -> bool:
        return self.low > self.high

    def view_range(self, log: bool) -> tuple[float, float] | None:
        """Round bounds in view coordinates (log10 of the values on a log axis)."""
        if self.empty:
            return None
        if log:
            if not math.isfinite(self.low_positive):
                return None
            return nice_bounds(math.log10(self.low_positive), math.log10(max(self.high, self.low_positive)))
        return nice_bounds(self.low, self.high)


class _Legend(pg.LegendItem):
    """pyqtgraph sizes a legend without its layout's margins and spacing, so the text of the
    last column ran past the box and was cut off at the plot's edge; this one takes the
    layout's own size."""

    def updateSize(self) -> None:  # noqa: N802 - pyqtgraph's name
        if self.size is not None:
            return
        self.layout.invalidate()
        hint = self.layout.effectiveSizeHint(Qt.SizeHint.PreferredSize)
        self.setGeometry(0, 0, hint.width(), hint.height())

    def paint(self, painter, *args) -> None:
        if self.items:  # no empty box on a plot without named curves
            super().paint(painter, *args)


def _plot(layout: pg.GraphicsLayoutWidget, row: int, col: int, title: str, x_label: str, colspan: int = 1,
          legend_columns: int = 1) -> pg.PlotItem:
    plot = layout.addPlot(row=row, col=col, colspan=colspan, title=title)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setLabel("bottom", x_label)
    plot.legend = _Legend(offset=(-6, 4), colCount=legend_columns, labelTextSize="8pt", verSpacing=-4)
    plot.legend.setParentItem(plot.vb)
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    plot.disableAutoRange()  # the view follows the data in steps (TrainingPlots._follow_data)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        # Grid lines at the major ticks only (each level of minor lines cost ~10 ms a frame),
        # and the axis kept as a pixmap until its range or size changes.
        axis.setStyle(maxTickLevel=0)
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    return plot


def _cache_legend(plot: pg.PlotItem) -> None:
    """Keep the legend's entries as pixmaps: they change only when a curve is added."""
    for sample, label in plot.legend.items:
        for item in (plot.legend, sample, label):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


class _GraphicsView(pg.GraphicsLayoutWidget):
    """Remembers how long its last paint took (the redraw rate adapts to it)."""

    paint_ms = 0.0

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        started = time.perf_counter()
        super().paintEvent(event)
        self.paint_ms = (time.perf_counter() - started) * 1000


class TrainingPlots(QWidget):
    """The curves of the current run, plus dashed overlays of other runs."""

    exported = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=False)
        self.graphics = _GraphicsView()
        # Tall enough that the loss plot keeps room for its curves under its legend.
        self.graphics.setMinimumHeight(285)
        self.loss_plot = _plot(self.graphics, 0, 0, self.tr("Loss"), self.tr("step"), colspan=2,
                               legend_columns=2)  # two short rows leave a low plot its curves
        self.metric_plot = _plot(self.graphics, 1, 0, self.tr("Validation metrics"), self.tr("epoch"))
        self.lr_plot = _plot(self.graphics, 1, 1, self.tr("Learning rate"), self.tr("step"))
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        # The loss plot keeps room for its curves under the legend even when the window is low.
        self.graphics.ci.layout.setRowMinimumHeight(0, 145)
        self.graphics.ci.layout.setRowMinimumHeight(1, 115)

        self.raw_curve = self.loss_plot.plot(pen=pg.mkPen(RAW_COLOR, width=1), name=self.tr("train (step)"))
        self.smooth_curve = self.loss_plot.plot(pen=pg.mkPen(COLORS[0], width=1), name=self.tr("train (smoothed)"))
        self.epoch_curve = self.loss_plot.plot(pen=pg.mkPen(COLORS[1], width=1), symbol="o", symbolSize=5,
                                               symbolBrush=COLORS[1], name=self.tr("train (epoch)"))
        self.val_curve = self.loss_plot.plot(pen=pg.mkPen(COLORS[3], width=1), symbol="o", symbolSize=5,
                                             symbolBrush=COLORS[3], name=self.tr("validation"))
        self.lr_curve = self.lr_plot.plot(pen=pg.mkPen(COLORS[4], width=1))
        _cache_legend(self.loss_plot)
        follow_palette(self.graphics)
        self._colour_raw_curve()
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
        self.raw_check.toggled.connect(self._on_raw_check_toggled)
        self.smoothing = QDoubleSpinBox()
        self.smoothing.setRange(0.0, 0.999)
        self.smoothing.setDecimals(3)
        self.smoothing.setSingleStep(0.05)
        self.smoothing.setValue(0.9)
        self.smoothing.setPrefix(self.tr("Smoothing "))
        self.smoothing.valueChanged.connect(self._on_smoothing_value_changed)
        # Tool buttons are as wide as their text (push buttons keep a style minimum): the row must fit 1024 px.
        auto = QToolButton(text=self.tr("Auto-range"))
        auto.clicked.connect(self.auto_range)
        export = QToolButton(text=self.tr("Export…"))
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

        # Each plot follows the data until the user pans or zooms it; Auto-range (here or
        # pyqtgraph's own "A" button) makes it follow again.
        self._follow: dict[pg.PlotItem, bool] = {}
        self._applied: dict[pg.PlotItem, tuple] = {}
        for plot in (self.loss_plot, self.metric_plot, self.lr_plot):
            self._follow[plot] = True
            plot.sigRangeChangedManually.connect(lambda _mask, plot=plot: self._follow.__setitem__(plot, False))
            plot.autoBtn.clicked.connect(lambda *_args, plot=plot: self._follow_again(plot))

        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()
        self._overlay_items: list = []
        self._overlay_bounds = {"loss_x": Bounds(), "loss_y": Bounds(), "metric_x": Bounds(), "metric_y": Bounds()}
        self.reset()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_raw_curve()

    def _colour_raw_curve(self) -> None:
        """The raw steps stay a faint background line on either theme."""
        background = self.graphics.backgroundBrush().color()
        self.raw_curve.setPen(pg.mkPen(RAW_COLOR_DARK if background.lightness() < 128 else RAW_COLOR, width=1))

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
        self._bounds = {name: Bounds() for name in ("steps", "raw", "smoothed", "lr", "record_steps",
                                                    "record_losses", "epochs", "metrics")}
        for plot in self._follow:
            self._follow[plot] = True
            plot.vb.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)  # no axes left from the last run
        self._applied = {}
        self._best: tuple[float, float | None] | None = None
        self._drawn_records = -1
        self._dirty = True

    def add_losses(self, steps, losses, lrs=None) -> None:
        if not steps:
            return
        self.raw.extend(steps, losses)
        values, self._ema = smooth(np.asarray(losses, dtype=float), self.smoothing.value(), self._ema)
        self.smoothed.extend(steps, values)
        bounds = self._bounds
        bounds["steps"].add(steps)
        bounds["raw"].add(losses)
        bounds["smoothed"].add(values)
        if lrs:
            self.lr.extend(steps, lrs)
            bounds["lr"].add(lrs)
        self._dirty = True

    def add_records(self, records) -> None:
        if records:
            self.records.extend(dict(r) for r in records)
            bounds = self._bounds
            for r in records:
                bounds["record_steps"].add([r.get("step", math.nan)])
                bounds["record_losses"].add([r.get("train_loss", math.nan), r.get("val_loss", math.nan)])
                bounds["epochs"].add([r.get("epoch", math.nan)])
                bounds["metrics"].add([v for k, v in r.items() if k.startswith("val_") and k != "val_loss"
                                       and isinstance(v, (int, float))])
            self._dirty = True

    def load_history(self, records) -> None:
        """Records of a resumed run, so its curves continue where they stopped."""
        self.add_records(records)
        if self.lr.n == 0 and records:
            self.lr.extend([r["step"] for r in records], [r.get("lr", math.nan) for r in records])
            self._bounds["lr"].add([r.get("lr", math.nan) for r in records])

    def set_best(self, step: float | None, epoch: float | None) -> None:
        """Mark the best evaluation so far (drawn with the next frame, not one of its own)."""
        if step is None:
            return
        self._best = (step, epoch)
        self._dirty = True

    def mark_stop(self, step: float) -> None:
        self.stop_line.setPos(step)
        self.stop_line.setVisible(True)

    # --- overlays ----------------------------------------------------------------------------
    def set_overlays(self, runs: list[tuple[str, list[dict]]]) -> None:
        """Dashed validation-loss and metric curves of other runs (name, metrics.csv rows)."""
        for plot, item in self._overlay_items:
            plot.removeItem(item)
        self._overlay_items = []
        self._overlay_bounds = {name: Bounds() for name in self._overlay_bounds}
        for i, (name, rows) in enumerate(runs):
            color = COLORS[(i + 5) % len(COLORS)]
            pen = pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine)
            steps = np.array([r.get("step", math.nan) for r in rows], dtype=float)
            epochs = np.array([r.get("epoch", math.nan) for r in rows], dtype=float)
            key = "val_loss" if any(math.isfinite(r.get("val_loss", math.nan)) for r in rows) else "train_loss"
            values = np.array([r.get(key, math.nan) for r in rows], dtype=float)
            item = self.loss_plot.plot(steps, values, pen=pen, name=f"{name} ({key})")
            self._overlay_items.append((self.loss_plot, item))
            self._overlay_bounds["loss_x"].add(steps)
            self._overlay_bounds["loss_y"].add(values)
            for metric in self._metric_keys(rows)[:1]:
                m = np.array([r.get(metric, math.nan) for r in rows], dtype=float)
                item = self.metric_plot.plot(epochs, m, pen=pen, name=f"{name} ({metric[4:]})")
                self._overlay_items.append((self.metric_plot, item))
                self._overlay_bounds["metric_x"].add(epochs)
                self._overlay_bounds["metric_y"].add(m)
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
    def _on_timer_timeout(self) -> None:
        # A hidden Train page costs nothing; it draws what it missed when shown again.
        if self.isVisible():
            self.redraw()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.timer.start(REDRAW_MS)

    def redraw(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.redraws += 1
        started = time.perf_counter()
        self._update_curves()
        self._follow_data()
        # Settle the views' transforms now: done inside the paint, it makes the curves
        # re-clip to the new range and paints the frame a second time.
        self.graphics.scene().prepareForPaint()
        if self.isVisible():
            # The paint itself comes from Qt's event loop, once per frame (a forced repaint
            # here was followed by a second one for the items it had just made dirty);
            # the interval adapts to this frame's update and the last frame's paint.
            cost_ms = (time.perf_counter() - started) * 1000 + self.graphics.paint_ms
            self.timer.setInterval(int(min(MAX_REDRAW_MS, max(REDRAW_MS, cost_ms / PAINT_SHARE))))

    def _follow_data(self) -> None:
        """Set each following plot's range from the running bounds, when it changed."""
        log = self.log_check.isChecked()
        b, overlay = self._bounds, self._overlay_bounds
        loss_y = [b["smoothed"], b["record_losses"], overlay["loss_y"]]
        if self.raw_check.isChecked():
            loss_y.append(b["raw"])
        lr_y = b["lr"].view_range(log)
        if lr_y is not None and not log:
            lr_y = (0.0, nice_ceiling(b["lr"].high * 1.05) if b["lr"].high > 0 else 1.0)
        targets = {
            self.loss_plot: (Bounds.joined(b["steps"], b["record_steps"], overlay["loss_x"]),
                             Bounds.joined(*loss_y).view_range(log)),
            self.metric_plot: (Bounds.joined(b["epochs"], overlay["metric_x"]),
                               Bounds.joined(b["metrics"], overlay["metric_y"]).view_range(False)),
            self.lr_plot: (b["steps"], lr_y),
        }
        for plot, (xs, y_range) in targets.items():
            if not self._follow[plot] or xs.empty or y_range is None:
                continue
            x_range = (min(0.0, xs.low), nice_ceiling(xs.high))
            if self._applied.get(plot) != (x_range, y_range):
                self._applied[plot] = (x_range, y_range)
                plot.vb.setRange(xRange=x_range, yRange=y_range, padding=0)

    def _update_curves(self) -> None:
        if self._best is not None:
            step, epoch = self._best
            self.best_line.setPos(step)
            self.best_line.setVisible(True)
            if epoch is not None:
                self.best_metric_line.setPos(epoch)
                self.best_metric_line.setVisible(True)
        self.raw_curve.setData(self.raw.x, self.raw.y)
        self.smooth_curve.setData(self.smoothed.x, self.smoothed.y)
        self.lr_curve.setData(self.lr.x, self.lr.y)
        records = self.records
        if len(records) == self._drawn_records:
            return  # the per-evaluation curves (and their symbols) are as drawn
        self._drawn_records = len(records)
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
                    _cache_legend(self.metric_plot)
                curve.setData(epochs, np.array([r.get(key, math.nan) for r in records], dtype=float))
        else:
            self.epoch_curve.setData([], [])
            self.val_curve.setData([], [])

    def auto_range(self) -> None:
        """Show all the data again, and follow it as it grows."""
        for plot in self._follow:
            self._follow_again(plot)

    def _follow_again(self, plot: pg.PlotItem) -> None:
        self._follow[plot] = True
        self._applied.pop(plot, None)
        self._follow_data()

    def _on_log_check_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self.lr_plot.setLogMode(y=on)
        self._applied = {}
        self._dirty = True

    def _on_raw_check_toggled(self, on: bool) -> None:
        self.raw_curve.setVisible(on)
        self._dirty = True

    def _on_smoothing_value_changed(self, weight: float) -> None:
        values, self._ema = smooth(self.raw.y, weight)
        self.smoothed.clear()
        self.smoothed.extend(self.raw.x, values)
        self._bounds["smoothed"] = Bounds()
        self._bounds["smoothed"].add(values)
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
        """Write the plots to PNG or SVG (by the file's suffix).

        SVG goes through Qt's own QSvgGenerator: pyqtgraph's SVG exporter fails on these plots.
        """
        from pyqtgraph.exporters import ImageExporter

        path = Path(path)
        self.redraw()
        if path.suffix.lower() == ".svg":
            self._export_svg(path)
        else:
            ImageExporter(self.graphics.scene()).export(str(path))
        self.exported.emit(str(path))
        return path

    def _export_svg(self, path: Path) -> None:
        from PySide6.QtCore import QRect, QSize
        from PySide6.QtGui import QPainter
        from PySide6.QtSvg import QSvgGenerator

        size = self.graphics.size()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(size.width(), size.height()))
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle(self.tr("Training curves"))
        painter = QPainter(generator)
        try:
            self.graphics.render(painter)
        finally:
            painter.end()

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export plots"), "training.png",
                                              self.tr("PNG image (*.png);;SVG drawing (*.svg)"))
        if path:
            if Path(path).suffix.lower() not in (".png", ".svg"):
                path += ".png"
            self.export(path)
