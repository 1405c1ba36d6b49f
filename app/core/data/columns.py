"""Column types (numeric, categorical, boolean, text), default roles and the task.

The guesses here fill in a new project's data section; the user can change every one of
them, and preparation then follows the config, not the guesses.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from app.core.data.errors import DataError

TARGET_NAMES = ("target", "label", "labels", "class", "y", "species", "outcome", "标签", "类别", "分类", "结果", "目标")
SPLIT_NAMES = ("split", "set", "subset", "fold", "partition")
SPLIT_VALUES = {"train": "train", "training": "train", "val": "val", "valid": "val", "validation": "val",
                "dev": "val", "test": "test", "testing": "test"}
TRUE_WORDS = {"true", "yes", "y", "t", "是", "真"}
FALSE_WORDS = {"false", "no", "n", "f", "否", "假"}
MAX_CLASSES_FOR_INTEGERS = 20
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def is_numeric_dtype(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def detect_column_type(series: pd.Series) -> str:
    """numeric, boolean, text or categorical, from the values (not the name)."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if is_numeric_dtype(series):
        return "numeric"
    values = series.dropna()
    if len(values) == 0:
        return "categorical"
    strings = values.astype(str).str.strip()
    lowered = set(strings.str.lower().unique()[:3])
    if len(lowered) == 2 and lowered <= TRUE_WORDS | FALSE_WORDS and lowered & TRUE_WORDS and lowered & FALSE_WORDS:
        return "boolean"
    head = pd.to_numeric(strings.iloc[:2000], errors="coerce")
    if head.notna().mean() < 0.9:  # clearly not numbers: skip converting the whole column
        numbers = head
        strings = strings.iloc[:2000]
    else:
        numbers = pd.to_numeric(strings, errors="coerce")
    parsed = int(numbers.notna().sum())
    bad = len(strings) - parsed
    # A column that is numbers except for a few stray entries is a numeric column with typos.
    if bad == 0 or (parsed / len(strings) >= 0.95 and bad <= max(3, len(strings) // 100)):
        return "numeric"
    sample = strings.iloc[:2000]
    mean_len = float(sample.str.len().mean())
    words = float(sample.str.count(r"\s+").mean()) + 1
    unique_ratio = sample.nunique() / len(sample)
    cjk = bool(sample.str.contains(_CJK).mean() > 0.5)
    if (mean_len > 20 and words >= 3) or (cjk and mean_len > 12 and unique_ratio > 0.5):
        return "text"
    return "categorical"


def numeric_values(series: pd.Series, column: str, file_name: str) -> pd.Series:
    """The column as float64; a value that is not a number is an error naming column and row."""
    if is_numeric_dtype(series):
        return series.astype("float64")
    if pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    strings = series.astype("string").str.strip()
    numbers = pd.to_numeric(strings.where(strings != ""), errors="coerce")
    bad = numbers.isna() & strings.notna() & (strings != "")
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"Column '{column}' of {file_name} is numeric, but row {position + 1} (line {position + 2}) holds "
            f"'{_short(strings.iloc[position])}', which is not a number. Fix the value, or set the column's type "
            "to categorical."
        )
    return numbers.astype("float64")


def boolean_values(series: pd.Series, column: str, file_name: str) -> pd.Series:
    """The column as 1.0/0.0 (NaN where missing), from bools, 0/1 or yes/no words."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    if is_numeric_dtype(series):
        values = series.astype("float64")
        bad = values.notna() & ~values.isin([0.0, 1.0])
    else:
        words = series.astype("string").str.strip().str.lower()
        values = pd.Series(np.where(words.isin(TRUE_WORDS | {"1"}), 1.0, np.where(words.isin(FALSE_WORDS | {"0"}), 0.0, np.nan)), index=series.index)
        bad = words.notna() & values.isna()
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"Column '{column}' of {file_name} is yes/no, but row {position + 1} holds '{_short(series.iloc[position])}'. "
            "Fix the value, or set the column's type to categorical."
        )
    return values


def _short(value, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_key(value):
    """A hashable, JSON-able form of a label, so 1, 1.0 and '1' from different files agree."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() else float(value)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    if np.isfinite(number) and number.is_integer() and re.fullmatch(r"[+-]?\d+(\.0*)?", text):
        return int(number)
    return text


def detect_task(series: pd.Series, column_type: str) -> str:
    """binary, classification or regression, from the target's values."""
    values = series.dropna()
    if column_type == "boolean":
        return "binary"
    if column_type == "numeric":
        numbers = pd.to_numeric(values, errors="coerce").dropna()
        distinct = numbers.nunique()
        integral = bool(np.all(np.mod(numbers.to_numpy(dtype="float64"), 1) == 0)) if len(numbers) else True
        if integral and distinct <= MAX_CLASSES_FOR_INTEGERS and distinct < max(3, len(numbers) // 2):
            return "binary" if distinct == 2 else "classification"
        return "regression"
    return "binary" if values.astype(str).nunique() == 2 else "classification"


def guess_target(df: pd.DataFrame, types: dict[str, str]) -> str:
    """A column named like a label, else the last column that is not text."""
    lowered = {str(c).strip().lower(): c for c in df.columns}
    for name in TARGET_NAMES:
        if name in lowered:
            return lowered[name]
    for column in reversed(list(df.columns)):
        if types[column] != "text":
            return column
    return df.columns[-1]


def is_split_column(name: str, series: pd.Series) -> bool:
    if str(name).strip().lower() not in SPLIT_NAMES:
        return False
    values = set(series.dropna().astype(str).str.strip().str.lower().unique()[:10])
    return bool(values) and values <= set(SPLIT_VALUES)


def is_identifier(name: str, series: pd.Series, column_type: str) -> bool:
    """Row ids and free labels that a model cannot learn from (all values distinct)."""
    n = len(series)
    if n < 20:
        return str(name).strip().lower() in ("id", "index", "row", "编号", "序号")
    if str(name).strip().lower() in ("id", "index", "编号", "序号") and series.nunique() == n:
        return True
    if column_type == "numeric" and pd.api.types.is_integer_dtype(series):
        return series.is_monotonic_increasing and series.nunique() == n
    if column_type == "categorical":
        return series.nunique() > max(50, 0.5 * n)
    return False
