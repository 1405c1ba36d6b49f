"""Summaries for the data view: per-column statistics, histograms, class balance, examples.

Everything returned is plain JSON-able data (dicts, lists, numbers, strings), so the GUI
can draw it and tests can compare it; nothing here imports torch or Qt.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from app.core.data.columns import detect_column_type, is_numeric_dtype
from app.core.data.config import DataConfig
from app.core.data.images import scan_image_folder
from app.core.data.sources import load_table, resolve_path
from app.core.data.tables import as_progress
from app.core.data.text import read_text_file

TOP_VALUES = 10


def _number(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _plain(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return _number(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value if isinstance(value, (int, float, bool, str)) else str(value)


def histogram(values, bins: int = 20) -> dict:
    """``{"edges": [...], "counts": [...]}`` of the finite values (empty lists when none)."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64")
    numbers = numbers[np.isfinite(numbers)]
    if len(numbers) == 0:
        return {"edges": [], "counts": []}
    counts, edges = np.histogram(numbers, bins=bins)
    return {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}


def class_balance(values) -> list[dict]:
    """``[{"label", "count", "share"}]``, most frequent first."""
    series = pd.Series(values).dropna().map(str)
    counts = series.value_counts()
    total = int(counts.sum()) or 1
    return [{"label": label, "count": int(n), "share": int(n) / total} for label, n in counts.items()]


def column_summary(series: pd.Series, column_type: str | None = None, bins: int = 20) -> dict:
    """Type, missing and unique counts, and numbers (mean/std/min/max + histogram) or top values."""
    column_type = column_type or detect_column_type(series)
    summary = {
        "name": str(series.name),
        "type": column_type,
        "count": int(series.notna().sum()),
        "missing": int(series.isna().sum()),
        "unique": int(series.nunique(dropna=True)),
    }
    if column_type == "numeric":
        numbers = series if is_numeric_dtype(series) else pd.to_numeric(series, errors="coerce")
        numbers = numbers.astype("float64").dropna()
        summary.update(
            mean=_number(numbers.mean()) if len(numbers) else None,
            std=_number(numbers.std()) if len(numbers) > 1 else None,
            min=_number(numbers.min()) if len(numbers) else None,
            max=_number(numbers.max()) if len(numbers) else None,
            histogram=histogram(numbers, bins),
        )
    else:
        top = series.dropna().map(str).value_counts().head(TOP_VALUES)
        summary["top"] = [{"value": v, "count": int(n)} for v, n in top.items()]
        if column_type == "text":
            lengths = series.dropna().map(str).str.len()
            summary["mean_length"] = _number(lengths.mean()) if len(lengths) else None
    return summary


def table_statistics(df: pd.DataFrame, types: dict[str, str] | None = None, target: str | None = None, examples: int = 5) -> dict:
    """Summaries of every column, the target's class balance and a few example rows."""
    types = types or {}
    result = {
        "rows": int(len(df)),
        "columns": [column_summary(df[c], types.get(c)) for c in df.columns],
        "examples": [{str(k): _plain(v) for k, v in row.items()} for row in df.head(examples).to_dict("records")],
    }
    if target is not None and target in df.columns:
        result["class_balance"] = class_balance(df[target])
    return result


def data_statistics(config: DataConfig, base_dir: Path | str | None = None, *, progress=None, examples: int = 5) -> dict:
    """Statistics for the data a config points at (table, image folder or text file)."""
    report = as_progress(progress)
    kind = config.source.kind
    if kind in ("table", "synthetic"):
        df = load_table(config.source, base_dir, progress=lambda f, m: report(f * 0.8, m))
        types = {c.name: c.type for c in config.columns}
        targets = config.target_columns()
        stats = table_statistics(df, types, targets[0].name if targets else None, examples)
        stats["kind"] = "table"
    elif kind == "image_folder":
        root = resolve_path(config.source, base_dir)
        paths, labels = scan_image_folder(root)
        stats = {
            "kind": "images",
            "images": len(paths),
            "class_balance": class_balance(labels) if labels is not None else [],
            "examples": [
                {"path": str(paths[i]), "label": labels[i] if labels is not None else None}
                for i in _spread(list(range(len(paths))), examples)
            ],
        }
    else:
        text = read_text_file(resolve_path(config.source, base_dir), config.source.encoding)
        lines = [ln for ln in text.splitlines() if ln.strip()]
        stats = {
            "kind": "text",
            "characters": len(text),
            "lines": len(lines),
            "distinct_characters": len(set(text)),
            "examples": lines[:examples],
        }
    report(1.0, "Statistics ready")
    return stats


def _spread(items: list, n: int) -> list:
    """Up to ``n`` items spread over the list (so examples show several classes)."""
    if len(items) <= n:
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]
