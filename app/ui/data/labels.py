"""Label overrides in the GUI: kept beside the data section while editing, saved inside it.

The document holds ``{row: label}`` separately so that every label edit is one cheap undo
step; on save they go into the data section's ``label_overrides`` (see
:class:`app.core.data.config.DataConfig`), which training applies. The user's source file is
never changed; "Export labelled data" writes a relabelled copy.
"""

from __future__ import annotations

from pathlib import Path

from app.core.data.config import label_overrides_from_list, label_overrides_to_list
from app.core.data.labels import apply_label_overrides
from app.core.fileio import atomic_open

LABELS_KEY = "label_overrides"


def take_from_data(data: dict | None) -> tuple[dict | None, dict[int, str]]:
    """Split the overrides out of a loaded data section."""
    if not data or LABELS_KEY not in data:
        return data, {}
    data = dict(data)
    return data, label_overrides_from_list(data.pop(LABELS_KEY))


def put_into_data(data: dict | None, overrides: dict[int, str]) -> dict | None:
    """The data section as saved: with the overrides, or without the key when there are none."""
    if data is None:
        return None
    data = {k: v for k, v in data.items() if k != LABELS_KEY}
    if overrides:
        data[LABELS_KEY] = label_overrides_to_list(overrides)
    return data


def apply_overrides(frame, target: str, overrides: dict[int, str]):
    """A copy of ``frame`` with the target column relabelled (rows by position)."""
    return apply_label_overrides(frame, target, overrides)


def export_labelled_csv(frame, target: str, overrides: dict[int, str], path: Path) -> Path:
    """Write the table with overrides applied as UTF-8 CSV (with BOM, so Excel reads Chinese)."""
    labelled = apply_overrides(frame, target, overrides)
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as handle:
        labelled.to_csv(handle, index=False)
    return path
