"""The run history's table model: one row per run, newest first.

A model (not a QTableWidget) so that a finished run changes one row instead of rebuilding
the whole table: after hundreds of runs in one session, a rebuild on every start and finish
was a visible freeze and kept growing.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.train.run_history import RunInfo
from app.ui.core_texts import core_text

MAX_METRIC_COLUMNS = 3
_FIXED_COLUMNS = 8  # Run, Status, Epochs, Batch, Optimizer, LR, Train loss, Val loss


def format_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return "—" if not math.isfinite(value) else f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def metric_keys(runs: list[RunInfo]) -> list[str]:
    """The validation metrics shown as columns (the first few any run has, val_loss apart)."""
    keys: list[str] = []
    for run in runs:
        for key in run.final:
            if key.startswith("val_") and key != "val_loss" and key not in keys:
                keys.append(key)
                if len(keys) == MAX_METRIC_COLUMNS:
                    return keys
    return keys


def row_texts(run: RunInfo, metrics: list[str]) -> list[str]:
    s = run.settings
    optimizer = s.get("optimizer") or {}
    epochs = run.summary.get("epochs_completed")
    values = [run.name, run.status, f"{epochs if epochs is not None else '—'}/{s.get('steps') or s.get('epochs', 10)}",
              format_value(s.get("batch_size", 32)), format_value(optimizer.get("name", "adam")),
              format_value(optimizer.get("lr", 1e-3)), format_value(run.final.get("train_loss")),
              format_value(run.final.get("val_loss"))]
    values += [format_value(run.final.get(k)) for k in metrics]
    values.append(format_value(run.summary.get("elapsed_seconds")))
    return values


class RunTableModel(QAbstractTableModel):
    """Rows are :class:`RunInfo`; texts are computed once per change of a run, not per paint."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.runs: list[RunInfo] = []
        self._texts: list[list[str]] = []
        self._metrics: list[str] = []

    # --- what the view asks ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else _FIXED_COLUMNS + len(self._metrics) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._metric_tooltip(section)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        fixed = [self.tr("Run"), self.tr("Status"), self.tr("Epochs"), self.tr("Batch"), self.tr("Optimizer"),
                 self.tr("LR"), self.tr("Train loss"), self.tr("Val loss")]
        headers = fixed + list(self._metrics) + [self.tr("Time (s)")]
        return headers[section] if 0 <= section < len(headers) else None

    def _metric_tooltip(self, section: int) -> str | None:
        """What a metric column measures where its name alone could mislead (binary F1)."""
        key = self._metrics[section - _FIXED_COLUMNS] if 0 <= section - _FIXED_COLUMNS < len(self._metrics) else None
        if key == "val_f1":
            return self.tr("F1 of the positive class for binary tasks (in runs made before val_f1_macro, "
                           "multiclass F1 averaged over the classes)")
        if key == "val_f1_macro":
            return self.tr("F1 averaged over the classes (each class counts the same)")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.runs):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.runs[index.row()].summary.get("error") or None
        return None

    # --- changes -----------------------------------------------------------------------------
    def set_runs(self, runs: list[RunInfo]) -> None:
        """Replace every row (a new project folder, a rename or delete, Refresh)."""
        self.beginResetModel()
        self.runs = list(runs)
        self._metrics = metric_keys(self.runs)
        self._texts = [self._row_texts(run) for run in self.runs]
        self.endResetModel()

    def put_run(self, run: RunInfo) -> None:
        """Add a new run at the top or refresh the row of a known one; nothing else is touched."""
        keys = metric_keys(self.runs + [run]) if len(self._metrics) < MAX_METRIC_COLUMNS else self._metrics
        if keys != self._metrics:  # a metric no run had before: the columns change
            known = self.row_of(run.path) is not None
            self.set_runs([run if r.path == run.path else r for r in self.runs] if known else [run] + self.runs)
            return
        texts = self._row_texts(run)
        row = self.row_of(run.path)
        if row is None:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self.runs.insert(0, run)
            self._texts.insert(0, texts)
            self.endInsertRows()
            return
        self.runs[row] = run
        self._texts[row] = texts
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def _row_texts(self, run: RunInfo) -> list[str]:
        texts = row_texts(run, self._metrics)
        texts[1] = core_text(run.status)
        return texts

    def remove_run(self, path) -> None:
        row = self.row_of(path)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.runs[row]
            del self._texts[row]
            self.endRemoveRows()

    def row_of(self, path) -> int | None:
        for row, run in enumerate(self.runs):
            if run.path == path:
                return row
        return None
