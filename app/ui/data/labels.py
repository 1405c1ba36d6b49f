"""Label overrides: labels typed over the source's target column, kept with the project.

The user's source file is never changed. Overrides are ``{row: label}`` where ``row`` is the
0-based data row of the source as read (before any cleaning). They are stored in the data
section under :data:`LABELS_KEY` as ``[{"row": 12, "label": "versicolor"}, ...]`` when the
core's ``DataConfig`` accepts that key; otherwise in a sidecar file ``<project>.labels.json``
next to the project, written atomically on every save. "Export labelled data" writes a copy
of the table with the overrides applied, which any tool (and training) can read.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from app.core.errors import ModelwrightError
from app.core.fileio import atomic_open, atomic_write_json

LABELS_KEY = "label_overrides"
SIDECAR_SUFFIX = ".labels.json"
SIDECAR_FORMAT = "modelwright-labels"


class LabelsError(ModelwrightError):
    """The saved label overrides cannot be read."""


@lru_cache(maxsize=1)
def core_stores_labels() -> bool:
    """Whether the data section itself may hold :data:`LABELS_KEY` (the core validates keys)."""
    from app.core.data.config import DataConfig

    probe = {
        "source": {"kind": "synthetic", "generator": "keras-seed"},
        "columns": [{"name": "x1", "type": "numeric", "role": "feature"}, {"name": "y", "type": "numeric", "role": "target"}],
        LABELS_KEY: [{"row": 0, "label": "1"}],
    }
    try:
        DataConfig.from_dict(probe)
    except ModelwrightError:
        return False
    return True


def sidecar_path(project_path: Path) -> Path:
    return project_path.with_name(project_path.stem + SIDECAR_SUFFIX)


def overrides_to_list(overrides: dict[int, str]) -> list[dict]:
    return [{"row": int(row), "label": str(label)} for row, label in sorted(overrides.items())]


def overrides_from_list(raw: object, where: str) -> dict[int, str]:
    if not isinstance(raw, list):
        raise LabelsError(f"{where}: the label overrides must be a list of {{row, label}} entries.")
    result: dict[int, str] = {}
    for entry in raw:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("row"), int)
            or isinstance(entry.get("row"), bool)
            or entry["row"] < 0
            or not isinstance(entry.get("label"), str)
        ):
            raise LabelsError(f"{where}: a label override is malformed ({entry!r}); expected {{\"row\": 3, \"label\": \"cat\"}}.")
        result[entry["row"]] = entry["label"]
    return result


def take_from_data(data: dict | None) -> tuple[dict | None, dict[int, str]]:
    """Split the overrides out of a loaded data section (when the core stored them there)."""
    if not data or LABELS_KEY not in data:
        return data, {}
    data = dict(data)
    overrides = overrides_from_list(data.pop(LABELS_KEY), "The project's data section")
    return data, overrides


def load_sidecar(project_path: Path) -> dict[int, str]:
    path = sidecar_path(project_path)
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelsError(f"The label file '{path.name}' next to the project cannot be read ({exc}). "
                          "Move it away to open the project without its label edits.") from exc
    if not isinstance(raw, dict) or raw.get("format") != SIDECAR_FORMAT:
        raise LabelsError(f"'{path.name}' is not a Modelwright label file.")
    return overrides_from_list(raw.get("overrides"), f"'{path.name}'")


def write_sidecar(project_path: Path, overrides: dict[int, str], source: str | None) -> None:
    """Write (or, with no overrides, remove) the sidecar next to the project."""
    path = sidecar_path(project_path)
    if not overrides:
        path.unlink(missing_ok=True)
        return
    atomic_write_json(path, {"format": SIDECAR_FORMAT, "version": 1, "source": source,
                             "overrides": overrides_to_list(overrides)})


def apply_overrides(frame, target: str, overrides: dict[int, str]):
    """A copy of ``frame`` with the target column relabelled (rows by position)."""
    out = frame.copy()
    if not overrides:
        return out
    if target not in out.columns:
        raise LabelsError(f"The target column '{target}' is not in the table, so the labels cannot be applied.")
    rows = [r for r in overrides if 0 <= r < len(out)]
    column = out[target].astype(object)
    positions = out.index[rows]
    column.loc[positions] = [overrides[r] for r in rows]
    out[target] = column
    return out


def export_labelled_csv(frame, target: str, overrides: dict[int, str], path: Path) -> Path:
    """Write the table with overrides applied as UTF-8 CSV (with BOM, so Excel reads Chinese)."""
    labelled = apply_overrides(frame, target, overrides)
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as handle:
        labelled.to_csv(handle, index=False)
    return path
