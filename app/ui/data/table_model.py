"""A virtualised table over a pandas DataFrame: only the visible cells are ever formatted.

Columns are held as numpy arrays (indexing one is ~100 ns, against ~10 µs for ``iat``) and
missing-value masks are computed once per column on first use, so scrolling a million rows
costs the same as scrolling a hundred. Label overrides from the document are shown in the
target column; editing a label cell emits :attr:`label_edited` instead of changing the
frame, so the edit can go through the undo stack.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.ui.theme import accent_colours

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def format_value(value) -> str:
    """How a cell reads: floats without trailing noise, missing values as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return f"{value:.6g}"
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return str(value)


def column_arrays(frame) -> tuple[list[np.ndarray], dict[int, np.ndarray]]:
    """The frame's columns as numpy arrays and their missing-value masks. Slow for big string
    columns, so loaders call it on the worker thread and pass it to :meth:`DataFrameModel.set_frame`."""
    import pandas as pd

    arrays = [frame[c].to_numpy() for c in frame.columns]
    masks = {i: pd.isna(frame.iloc[:, i]).to_numpy() for i in range(len(arrays))}
    return arrays, masks


class DataFrameModel(QAbstractTableModel):
    """Read-only view of a frame, plus editable labels in the target column."""

    label_edited = Signal(int, str)  # (row, new label) — the view turns it into an undo command

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._frame = None  # pandas.DataFrame; pandas is imported with the first frame, not at startup
        self._columns: list[np.ndarray] = []
        self._names: list[str] = []
        self._missing: dict[int, np.ndarray] = {}
        self._roles: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._target: str | None = None
        self._target_index = -1
        self._numeric: set[int] = set()
        self._ignored: set[int] = set()
        self._overrides: dict[int, str] = {}
        self._colours = accent_colours()

    # --- content ---------------------------------------------------------------------------
    def set_frame(self, frame, arrays: tuple[list[np.ndarray], dict[int, np.ndarray]] | None = None) -> None:
        self.beginResetModel()
        self._frame = frame
        self._names = [str(c) for c in frame.columns]
        if arrays is None or len(arrays[0]) != len(self._names):
            arrays = column_arrays(frame)
        self._columns, self._missing = arrays[0], dict(arrays[1])
        self._refresh_column_flags()
        self._colours = accent_colours()
        self.endResetModel()

    def refresh_palette(self) -> None:
        """Pick up the colours of a new theme (missing and edited cells)."""
        self._colours = accent_colours()
        if self._names:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def clear(self) -> None:
        self.beginResetModel()
        self._frame, self._names, self._columns, self._missing = None, [], [], {}
        self._target_index = -1
        self.endResetModel()

    def frame(self):
        return self._frame

    def set_columns_config(self, columns: list[dict]) -> None:
        """Roles and types from the data section (drawn in the header)."""
        self._roles = {c["name"]: c.get("role", "feature") for c in columns}
        self._types = {c["name"]: c.get("type", "") for c in columns}
        targets = [c["name"] for c in columns if c.get("role") == "target"]
        self._target = targets[0] if len(targets) == 1 else None
        self._refresh_column_flags()
        if self._names:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._names) - 1)
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def set_overrides(self, overrides: dict[int, str], changed_rows: list[int] | None = None) -> None:
        self._overrides = dict(overrides)
        col = self.target_column()
        if col < 0 or not self._names:
            return
        rows = changed_rows if changed_rows is not None else None
        if rows:
            for r in rows:
                if 0 <= r < self.rowCount():
                    idx = self.index(r, col)
                    self.dataChanged.emit(idx, idx)
        else:
            self.dataChanged.emit(self.index(0, col), self.index(self.rowCount() - 1, col))

    def _refresh_column_flags(self) -> None:
        self._target_index = self._names.index(self._target) if self._target in self._names else -1
        self._numeric = {i for i, n in enumerate(self._names) if self._types.get(n) == "numeric"}
        self._ignored = {i for i, n in enumerate(self._names) if self._roles.get(n) == "ignore"}

    def target_column(self) -> int:
        return self._target_index

    def column_name(self, column: int) -> str:
        return self._names[column]

    def column_names(self) -> list[str]:
        return list(self._names)

    def label(self, row: int) -> str:
        """The label a row has now (override first, then the source's value)."""
        if row in self._overrides:
            return self._overrides[row]
        col = self.target_column()
        return format_value(self._columns[col][row]) if col >= 0 else ""

    def class_names(self) -> list[str]:
        """Existing classes of the target column (with overrides), for the label picker."""
        col = self.target_column()
        if col < 0:
            return []
        import pandas as pd

        values = pd.unique(pd.Series(self._columns[col]).dropna())
        names = {format_value(v) for v in values} | set(self._overrides.values())
        return sorted(n for n in names if n != "")

    def is_missing(self, row: int, column: int) -> bool:
        mask = self._missing.get(column)
        if mask is None:
            import pandas as pd

            mask = pd.isna(self._frame.iloc[:, column]).to_numpy()
            self._missing[column] = mask
        return bool(mask[row])

    # --- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._frame is None else len(self._frame)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        # Called for every visible cell and many roles on each paint: keep each branch cheap.
        if role == _DISPLAY or role == _EDIT:
            row, col = index.row(), index.column()
            if col == self._target_index and row in self._overrides:
                return self._overrides[row]
            return format_value(self._columns[col][row])
        if role == _BACKGROUND:
            row, col = index.row(), index.column()
            if col == self._target_index and row in self._overrides:
                return self._colours["edited"]
            if self.is_missing(row, col):
                return self._colours["missing"]
            return None
        if role == _ALIGN:
            return _RIGHT if index.column() in self._numeric else None
        if role == _FOREGROUND:
            return self._disabled_text() if index.column() in self._ignored else None
        if role == _TOOLTIP:
            row, col = index.row(), index.column()
            if col == self._target_index and row in self._overrides:
                return self.tr("Relabelled (was “{old}”)").format(old=format_value(self._columns[col][row]))
            if self.is_missing(row, col):
                return self.tr("Missing value")
        return None

    def _disabled_text(self):
        from PySide6.QtGui import QGuiApplication, QPalette

        return QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            return None
        if section >= len(self._names):
            return None
        name = self._names[section]
        if role == Qt.ItemDataRole.DisplayRole:
            role_name = self._roles.get(name)
            type_name = self._types.get(name)
            if role_name is None:
                return name
            return f"{name}\n{self._role_text(role_name)} · {self._type_text(type_name)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Right-click to change the role or type of “{name}”").format(name=name)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() == self.target_column():
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.target_column():
            return False
        text = str(value).strip()
        if text == "" or text == self.label(index.row()):
            return False
        self.label_edited.emit(index.row(), text)
        return False  # the document changes, then set_overrides() refreshes the cell

    def _role_text(self, role: str) -> str:
        return {"feature": self.tr("feature"), "target": self.tr("target"), "ignore": self.tr("ignored")}.get(role, role)

    def _type_text(self, type_name: str | None) -> str:
        return {
            "numeric": self.tr("numeric"),
            "categorical": self.tr("categorical"),
            "boolean": self.tr("boolean"),
            "text": self.tr("text"),
        }.get(type_name or "", type_name or "")
