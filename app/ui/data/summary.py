"""Numbers the data view shows: per-column statistics and the live summary of the split.

Both run on a worker thread over the preview frame. The split summary uses the core's own
row cleaning and split functions, so the counts shown are the counts training will get.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

HISTOGRAM_BINS = 30
TOP_VALUES = 20


@dataclass
class ColumnStats:
    name: str
    type: str
    count: int
    missing: int
    unique: int
    numeric: dict[str, float] = field(default_factory=dict)  # mean, std, min, max, median
    histogram: tuple[np.ndarray, np.ndarray] | None = None  # counts, edges
    top_values: list[tuple[str, int]] = field(default_factory=list)


def column_stats(frame: pd.DataFrame, name: str, type_name: str, *, progress=None) -> ColumnStats:
    """Statistics of one column as typed in the data section (numeric columns get a histogram)."""
    series = frame[name]
    missing = int(series.isna().sum())
    stats = ColumnStats(name=name, type=type_name, count=len(series), missing=missing,
                        unique=int(series.nunique(dropna=True)))
    if type_name == "numeric":
        values = pd.to_numeric(series, errors="coerce").dropna().to_numpy(dtype=float)
        if len(values):
            stats.numeric = {
                "mean": float(values.mean()),
                "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
                "min": float(values.min()),
                "median": float(np.median(values)),
                "max": float(values.max()),
            }
            stats.histogram = np.histogram(values, bins=min(HISTOGRAM_BINS, max(1, stats.unique)))
    counts = series.dropna().astype(str).value_counts()
    stats.top_values = [(str(k), int(v)) for k, v in counts.head(TOP_VALUES).items()]
    return stats


@dataclass
class SplitSummary:
    rows_total: int
    rows_used: int
    parts: dict[str, int]  # train/val/test -> rows
    task: str | None
    classes: dict[str, dict[str, int]]  # part -> class -> rows (classification only)
    missing_features: dict[str, int]  # feature column -> missing cells that will be filled
    warnings: list[str]


def split_summary(frame: pd.DataFrame, data: dict, overrides: dict[int, str] | None = None,
                  *, progress=None) -> SplitSummary:
    """Clean and split ``frame`` exactly as training will (core functions), and count."""
    from app.core.data.columns import detect_task
    from app.core.data.config import DataConfig
    from app.core.data.preparation import clean_rows
    from app.core.data.split import split_rows

    config = DataConfig.from_dict(data)
    features, targets = config.feature_columns(), config.target_columns()
    name = str((data.get("source") or {}).get("path") or "data")
    if overrides and len(targets) == 1:
        from app.ui.data.labels import apply_overrides

        frame = apply_overrides(frame, targets[0].name, overrides)
    if progress:
        progress(0.1, "Cleaning rows")
    typed, warnings = clean_rows(frame, features, targets, config.preparation, name)
    task = config.task
    if task is None and len(targets) == 1:
        task = detect_task(frame[targets[0].name].loc[typed.index], targets[0].type)
    labels = None
    if task in ("binary", "classification") and len(targets) == 1:
        labels = typed[targets[0].name].astype(str).to_numpy()
    column = frame[config.split.column].loc[typed.index] if config.split.method == "column" else None
    if progress:
        progress(0.6, "Splitting")
    parts = split_rows(len(typed), config.split, labels=labels, column=column)
    classes: dict[str, dict[str, int]] = {}
    if labels is not None:
        for part, rows in parts.items():
            values, counts = np.unique(labels[rows], return_counts=True)
            classes[part] = {str(v): int(c) for v, c in zip(values, counts)}
    missing = {}
    if config.preparation.missing != "drop":
        for c in features:
            n = int(typed[c.name].isna().sum())
            if n:
                missing[c.name] = n
    return SplitSummary(
        rows_total=len(frame),
        rows_used=len(typed),
        parts={k: int(len(v)) for k, v in parts.items()},
        task=task,
        classes=classes,
        missing_features=missing,
        warnings=warnings,
    )
