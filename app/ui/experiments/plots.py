"""Search plots (pyqtgraph): parallel coordinates of every finished trial and the metric
against one varied setting. Values are drawn from plain trial dicts, nothing else."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.ui.plot_theme import follow_palette

BEST_COLOR = "#d62728"


def _short(name: str) -> str:
    """``training.optimizer.lr`` -> ``optimizer.lr``; ``graph.dense_1.out_features`` -> ``dense_1.out_features``."""
    return name.split(".", 1)[1] if "." in name else name


def axis_position(value, values: list, log: bool) -> float:
    """Where ``value`` sits between the smallest and largest of ``values`` (0..1); choices
    are spread evenly in the order they were given."""
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        levels = list(dict.fromkeys(map(str, values)))
        return levels.index(str(value)) / max(len(levels) - 1, 1)
    numbers = [math.log10(v) if log and v > 0 else float(v) for v in values]
    x = math.log10(value) if log and value > 0 else float(value)
    low, high = min(numbers), max(numbers)
    return 0.5 if high == low else (x - low) / (high - low)


def _colour(fraction: float) -> tuple[int, int, int]:
    """Blue (worse) to orange (better)."""
    fraction = min(max(fraction, 0.0), 1.0)
    return (int(31 + (255 - 31) * fraction), int(119 + (127 - 119) * fraction), int(180 + (14 - 180) * fraction))


class SearchPlots(QWidget):
    """``set_trials(trials, params, metric, direction, log_params)`` redraws both plots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parallel = pg.PlotWidget()
        self.parallel.setMouseEnabled(False, False)
        self.parallel.hideButtons()
        self.parallel.getAxis("left").setLabel(self.tr("low → high"))
        self.scatter = pg.PlotWidget()
        self.scatter.showGrid(x=True, y=True, alpha=0.3)
        self.scatter_points = pg.ScatterPlotItem(size=9, pen=pg.mkPen("#333333"))
        self.scatter.addItem(self.scatter_points)
        follow_palette(self.parallel)
        follow_palette(self.scatter)
        self.param_combo = QComboBox()
        self.param_combo.currentIndexChanged.connect(self._on_param_combo_changed)
        self._state: tuple = ([], [], "val_loss", "minimize", set())
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Metric against:")))
        top.addWidget(self.param_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Parallel coordinates (each line a finished trial; orange = better)")))
        layout.addWidget(self.parallel, 3)
        layout.addLayout(top)
        layout.addWidget(self.scatter, 2)
        self.lines = 0

    def set_trials(self, trials: list[dict], params: list[str], metric: str, direction: str,
                   log_params: set[str]) -> None:
        self._state = (trials, params, metric, direction, log_params)
        current = self.param_combo.currentData()
        self.param_combo.blockSignals(True)
        self.param_combo.clear()
        for name in params:
            self.param_combo.addItem(_short(name), name)
        index = self.param_combo.findData(current)
        self.param_combo.setCurrentIndex(index if index >= 0 else 0)
        self.param_combo.blockSignals(False)
        self._draw_parallel()
        self._draw_scatter()

    def _scored(self) -> list[dict]:
        trials, params = self._state[0], self._state[1]
        return [t for t in trials if isinstance(t.get("value"), (int, float)) and math.isfinite(t["value"])
                and t.get("state") in ("complete", "pruned") and all(p in t.get("params", {}) for p in params)]

    def _draw_parallel(self) -> None:
        trials, params, metric, direction, log_params = self._state
        self.parallel.clear()
        self.lines = 0
        scored = self._scored()
        axes = params + [metric]
        self.parallel.getAxis("bottom").setTicks([[(i, _short(a)) for i, a in enumerate(axes)]])
        # Room at both ends so the first and last axis names are not clipped.
        self.parallel.setXRange(-0.35, len(axes) - 0.65, padding=0)
        self.parallel.setYRange(-0.05, 1.05, padding=0)
        if not scored:
            return
        values = [t["value"] for t in scored]
        low, high = min(values), max(values)
        best = (min if direction == "minimize" else max)(scored, key=lambda t: t["value"])
        for t in sorted(scored, key=lambda t: t is best):
            ys = [axis_position(t["params"][p], [s["params"][p] for s in scored], p in log_params) for p in params]
            ys.append(axis_position(t["value"], values, False))
            goodness = 0.5 if high == low else (t["value"] - low) / (high - low)
            if direction == "minimize":
                goodness = 1 - goodness
            pen = pg.mkPen(BEST_COLOR, width=3) if t is best else pg.mkPen(_colour(goodness), width=1.5)
            self.parallel.plot(list(range(len(axes))), ys, pen=pen, symbol="o", symbolSize=5,
                               symbolBrush=pen.color())
            self.lines += 1
        for i in range(len(axes)):
            self.parallel.addItem(pg.InfiniteLine(pos=i, angle=90, pen=pg.mkPen("#999999", width=1)))

    def _draw_scatter(self) -> None:
        trials, params, metric, direction, log_params = self._state
        name = self.param_combo.currentData()
        self.scatter.getAxis("left").setLabel(metric)
        if name is None:
            self.scatter_points.setData([], [])
            return
        scored = self._scored()
        raw = [t["params"][name] for t in scored]
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw)
        log = name in log_params and numeric and all(v > 0 for v in raw)
        if numeric:
            xs = [math.log10(v) if log else float(v) for v in raw]
            self.scatter.getAxis("bottom").setTicks(None)
        else:
            levels = list(dict.fromkeys(map(str, raw)))
            xs = [float(levels.index(str(v))) for v in raw]
            self.scatter.getAxis("bottom").setTicks([[(i, l) for i, l in enumerate(levels)]])
        self.scatter.getAxis("bottom").setLabel(_short(name) + (" (log10)" if log else ""))
        brushes = [pg.mkBrush("#1f77b4" if t["state"] == "complete" else "#bbbbbb") for t in scored]
        self.scatter_points.setData(xs, [t["value"] for t in scored], brush=brushes)

    def _on_param_combo_changed(self, _index: int) -> None:
        self._draw_scatter()
