"""Split rows into train/val/test: random, stratified by class, or by a column.

Splits come from a local ``numpy`` generator seeded from the config, so the same seed
always gives the same rows, whatever else the process has drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.core.data.columns import SPLIT_VALUES
from app.core.data.config import SplitConfig
from app.core.data.errors import DataError

SPLIT_NAMES = ("train", "val", "test")


def _sizes(n: int, ratios: dict[str, float]) -> list[int]:
    """Rows per part by largest remainder; a part with a positive ratio gets at least one row."""
    wanted = [ratios.get(k, 0.0) * n for k in SPLIT_NAMES]
    sizes = [int(np.floor(w)) for w in wanted]
    for i in np.argsort([-(w - s) for w, s in zip(wanted, sizes)], kind="stable"):
        if sum(sizes) >= n:
            break
        sizes[i] += 1
    for i in (1, 2):
        if ratios.get(SPLIT_NAMES[i], 0.0) > 0 and sizes[i] == 0 and sizes[0] > 1:
            sizes[i], sizes[0] = 1, sizes[0] - 1
    return sizes


def random_split(n: int, ratios: dict[str, float], seed: int) -> dict[str, np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    sizes = _sizes(n, ratios)
    bounds = np.cumsum([0] + sizes)
    return {k: np.sort(order[bounds[i] : bounds[i + 1]]) for i, k in enumerate(SPLIT_NAMES)}


def stratified_split(labels: np.ndarray, ratios: dict[str, float], seed: int) -> dict[str, np.ndarray]:
    """Each class is split by the ratios on its own, so rare classes reach every part."""
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in SPLIT_NAMES}
    keys = pd.Series(labels).astype(str).to_numpy()
    for value in sorted(set(keys)):
        rows = np.flatnonzero(keys == value)
        rows = rows[rng.permutation(len(rows))]
        sizes = _sizes(len(rows), ratios) if len(rows) >= 3 else [len(rows), 0, 0]
        bounds = np.cumsum([0] + sizes)
        for i, k in enumerate(SPLIT_NAMES):
            parts[k].append(rows[bounds[i] : bounds[i + 1]])
    return {k: np.sort(np.concatenate(v)) if v else np.zeros(0, dtype=np.int64) for k, v in parts.items()}


def column_split(values: pd.Series, column: str) -> dict[str, np.ndarray]:
    words = values.astype("string").str.strip().str.lower()
    mapped = words.map(lambda w: SPLIT_VALUES.get(w) if isinstance(w, str) else None)
    unknown = words[mapped.isna()]
    if len(unknown):
        position = int(np.flatnonzero(mapped.isna().to_numpy())[0])
        raise DataError(
            f"The split column '{column}' holds '{unknown.iloc[0]}' in row {position + 1}; use train, val "
            "(or validation) and test."
        )
    return {k: np.flatnonzero((mapped == k).to_numpy()) for k in SPLIT_NAMES}


def split_rows(n: int, config: SplitConfig, *, labels: np.ndarray | None = None, column: pd.Series | None = None) -> dict[str, np.ndarray]:
    """Row positions per part: ``{"train": ..., "val": ..., "test": ...}`` (parts may be empty)."""
    if config.method == "column":
        if column is None:
            raise DataError(f"The split column '{config.column}' is not in the data.")
        parts = column_split(column, config.column)
    elif config.method == "stratified" and labels is not None:
        parts = stratified_split(labels, config.ratios, config.seed)
    else:
        parts = random_split(n, config.ratios, config.seed)
    if len(parts["train"]) == 0:
        raise DataError("The training split is empty: give the train part a larger share or add rows.")
    return parts
