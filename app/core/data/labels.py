"""Labels the user typed over a table's target column, applied without touching the file.

The data view lets a person fix or add labels row by row; the edits are kept in the data
section (``label_overrides``) and applied here, right after the table is read, so training,
statistics and "Export labelled data" all see the same relabelled table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.data.errors import DataError

if TYPE_CHECKING:  # pandas is imported by whoever holds a frame; keep the GUI's start light
    import pandas as pd


def apply_label_overrides(frame: "pd.DataFrame", target: str, overrides: dict[int, str], name: str = "the data") -> "pd.DataFrame":
    """A copy of ``frame`` whose ``target`` column carries the overrides (rows by position)."""
    if not overrides:
        return frame
    if target not in frame.columns:
        raise DataError(f"The target column '{target}' is not in {name}, so the edited labels cannot be applied.")
    beyond = [row for row in overrides if row >= len(frame)]
    if beyond:
        raise DataError(
            f"{len(beyond)} edited label(s) refer to rows past the end of {name} (it has {len(frame)} rows, "
            f"first missing row {min(beyond) + 1}); the file has changed since it was labelled."
        )
    out = frame.copy()
    column = out[target].astype(object)
    rows = sorted(overrides)
    column.iloc[rows] = [overrides[r] for r in rows]
    out[target] = column
    return out
