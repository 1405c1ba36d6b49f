"""Scrolling the data table over a 1,000,000-row × 20-column DataFrame.

Builds the data view's :class:`DataFrameModel` on a generated frame (floats with missing
values, integers, strings), shows it in a 1280×800 QTableView offscreen and measures the
time of one scroll step plus a synchronous repaint, for page steps and random jumps.
The baseline is the same view over a model that returns a constant string (Qt's own
painting cost), so the ratio is what the DataFrame model adds.

    python -m benchmarks table_scroll
"""

from __future__ import annotations

import os
import statistics
import time

ROWS = 1_000_000
COLUMNS = 20
STEPS = 60


def _frame():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    data = {}
    for i in range(COLUMNS):
        if i % 5 == 4:
            data[f"cat_{i}"] = pd.Categorical.from_codes(rng.integers(0, 4, ROWS), ["甲", "乙", "丙", "丁"]).astype(str)
        elif i % 5 == 3:
            data[f"int_{i}"] = rng.integers(0, 1000, ROWS)
        else:
            values = rng.normal(size=ROWS)
            values[rng.random(ROWS) < 0.01] = np.nan
            data[f"num_{i}"] = values
    return pd.DataFrame(data)


def _measure(view, app, positions) -> list[float]:
    bar = view.verticalScrollBar()
    times = []
    for value in positions:
        start = time.perf_counter()
        bar.setValue(value)
        view.viewport().repaint()
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication.instance() or QApplication([])
    from app.ui.data.table_model import DataFrameModel

    started = time.perf_counter()
    frame = _frame()
    made = time.perf_counter() - started
    from app.ui.data.table_model import column_arrays

    model = DataFrameModel()
    started = time.perf_counter()
    arrays = column_arrays(frame)  # on the loader's worker thread in the app
    converted = time.perf_counter() - started
    started = time.perf_counter()
    model.set_frame(frame, arrays)
    model.set_columns_config([{"name": c, "type": "numeric" if not c.startswith("cat") else "categorical",
                               "role": "feature"} for c in frame.columns[:-1]]
                             + [{"name": frame.columns[-1], "type": "categorical", "role": "target"}])
    loaded = time.perf_counter() - started

    class Constant(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else ROWS

        def columnCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else COLUMNS

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return "0.123456" if role == Qt.ItemDataRole.DisplayRole else None

    rng = np.random.default_rng(1)
    results = {}
    for name, m in (("DataFrame model", model), ("constant model", Constant())):
        view = QTableView()
        view.setModel(m)
        view.verticalHeader().setSectionResizeMode(view.verticalHeader().ResizeMode.Fixed)
        view.resize(1280, 800)
        view.show()
        app.processEvents()
        bar = view.verticalScrollBar()
        page = bar.pageStep()
        pages = [min(bar.maximum(), i * page) for i in range(1, STEPS + 1)]
        jumps = [int(v) for v in rng.integers(0, bar.maximum(), STEPS)]
        _measure(view, app, pages[:5])  # warm-up
        results[name] = (_measure(view, app, pages), _measure(view, app, jumps))
        view.close()

    print(f"{ROWS:,} rows × {COLUMNS} columns (frame built in {made:.2f} s; columns to numpy and missing masks on the worker "
          f"{converted * 1000:.0f} ms; model reset on the GUI thread {loaded * 1000:.0f} ms)")
    for name, (pages, jumps) in results.items():
        print(f"{name:16s} page step: median {statistics.median(pages):6.2f} ms, p95 {np.percentile(pages, 95):6.2f} ms | "
              f"random jump: median {statistics.median(jumps):6.2f} ms, p95 {np.percentile(jumps, 95):6.2f} ms")
    ours = statistics.median(results["DataFrame model"][0] + results["DataFrame model"][1])
    base = statistics.median(results["constant model"][0] + results["constant model"][1])
    print(f"ratio (DataFrame model / constant model, median per scroll+repaint): {ours / base:.2f}x")
    print(f"frame budget at 60 Hz is 16.7 ms: {'met' if ours < 16.7 else 'NOT met'}")


if __name__ == "__main__":
    main()
