"""Fitted preparation of table columns: missing values, encoding, scaling, labels.

Each step is fitted on the training split only and its constants kept as plain JSON, so
``predict`` applies exactly the same steps to new files and exporters can read them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.core.data.columns import boolean_values, label_key, numeric_values
from app.core.data.config import ColumnConfig, PreparationConfig
from app.core.data.errors import DataError


def typed_column(df: pd.DataFrame, column: ColumnConfig, file_name: str) -> pd.Series:
    """The column converted to its configured type (floats for numeric/boolean, strings otherwise).

    ``file_name`` is how messages name the data, already quoted: ``"'iris.csv'"``.
    """
    if column.name not in df.columns:
        raise DataError(
            f"The column '{column.name}' is missing from {file_name}. The model was prepared with it; "
            f"the file has: {', '.join(map(str, list(df.columns)[:12]))}."
        )
    series = df[column.name]
    if column.type == "numeric":
        return numeric_values(series, column.name, file_name)
    if column.type == "boolean":
        return boolean_values(series, column.name, file_name)
    strings = series.astype("string").str.strip()
    strings = strings.mask(strings == "")
    return strings.astype(object).where(strings.notna(), None)


def clean_rows(
    df: pd.DataFrame,
    features: list[ColumnConfig],
    targets: list[ColumnConfig],
    prep: PreparationConfig,
    file_name: str,
) -> tuple[pd.DataFrame, list[str]]:
    """Row-level steps before the split: typed columns, drop duplicates, drop missing."""
    warnings: list[str] = []
    # A yes/no target keeps its own words as labels, so it is read as categorical.
    target_types = [ColumnConfig(c.name, "categorical" if c.type == "boolean" else c.type, c.role) for c in targets]
    typed = pd.DataFrame({c.name: typed_column(df, c, file_name) for c in features + target_types}, index=df.index)
    missing_target = typed[[c.name for c in targets]].isna().any(axis=1)
    if missing_target.all():
        names = ", ".join(c.name for c in targets)
        raise DataError(f"The target column '{names}' of {file_name} has no values: every row is empty there.")
    if missing_target.any():
        warnings.append(f"{int(missing_target.sum())} rows without a value in the target column were left out.")
        typed = typed[~missing_target]
    if prep.drop_duplicates:
        before = len(typed)
        typed = typed[~typed.duplicated()]
        if len(typed) < before:
            warnings.append(f"{before - len(typed)} duplicate rows were removed.")
    if prep.missing == "drop":
        incomplete = typed.isna().any(axis=1)
        if incomplete.all():
            raise DataError(
                f"Every row of {file_name} has a missing value in some feature column, so dropping incomplete "
                "rows leaves nothing. Fill missing values (mean, median, mode) instead, or ignore the sparse columns."
            )
        if incomplete.any():
            warnings.append(f"{int(incomplete.sum())} rows with missing values were dropped.")
            typed = typed[~incomplete]
    return typed, warnings


def _json_value(value):
    if isinstance(value, (np.floating, float)):
        return float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


@dataclass
class TablePipeline:
    """Turns typed feature columns into one float32 matrix; ``state`` is plain JSON."""

    state: list[dict]

    @classmethod
    def fit(cls, train: pd.DataFrame, features: list[ColumnConfig], prep: PreparationConfig) -> "TablePipeline":
        state = []
        for column in features:
            values = train[column.name]
            present = values.dropna()
            entry: dict = {"name": column.name, "type": column.type}
            if column.type in ("numeric", "boolean"):
                numbers = present.astype("float64")
                if prep.missing == "constant":
                    if not isinstance(prep.fill_value, (int, float)) or isinstance(prep.fill_value, bool):
                        raise DataError(
                            f"'data.preparation.fill_value' is '{prep.fill_value}', but column '{column.name}' is "
                            "numeric: use a number as the fill value."
                        )
                    fill = float(prep.fill_value)
                elif column.type == "boolean" or prep.missing == "mode":
                    fill = float(numbers.mode().iloc[0]) if len(numbers) else 0.0
                elif prep.missing == "median":
                    fill = float(numbers.median()) if len(numbers) else 0.0
                else:  # mean; also the predict-time fill when training dropped incomplete rows
                    fill = float(numbers.mean()) if len(numbers) else 0.0
                entry["fill"] = fill
                if column.type == "numeric":
                    entry["scaling"] = _fit_scaler(numbers.fillna(fill) if len(numbers) else pd.Series([fill]), prep.scaling)
            else:
                counts = present.astype(str).value_counts()
                if prep.missing == "constant":
                    fill = str(prep.fill_value)
                else:
                    fill = str(counts.index[0]) if len(counts) else "missing"
                entry["fill"] = fill
                categories = sorted(set(counts.index.astype(str)) | {fill})
                entry["encoding"] = prep.categorical
                entry["categories"] = categories
                if prep.categorical == "ordinal":
                    codes = pd.Series(range(len(categories)), dtype="float64")
                    entry["scaling"] = _fit_scaler(codes, prep.scaling)
            state.append(entry)
        return cls(state)

    @property
    def output_names(self) -> list[str]:
        names = []
        for entry in self.state:
            if entry.get("encoding") == "onehot":
                names += [f"{entry['name']}={c}" for c in entry["categories"]]
            else:
                names.append(entry["name"])
        return names

    def transform(self, typed: pd.DataFrame) -> np.ndarray:
        """Typed columns (as from :func:`typed_column`) -> float32 matrix (rows, features)."""
        blocks = []
        for entry in self.state:
            values = typed[entry["name"]]
            if entry["type"] in ("numeric", "boolean"):
                numbers = values.astype("float64").fillna(entry["fill"]).to_numpy()
                blocks.append(_apply_scaler(numbers, entry.get("scaling"))[:, None])
                continue
            strings = values.where(values.notna(), entry["fill"]).astype(str)
            codes = pd.Index(entry["categories"]).get_indexer(strings)  # -1 for an unseen category
            if entry["encoding"] == "onehot":
                onehot = np.zeros((len(codes), len(entry["categories"])), dtype=np.float32)
                known = codes >= 0  # a category never seen in training gets all zeros
                onehot[np.flatnonzero(known), codes[known]] = 1.0
                blocks.append(onehot)
            else:
                blocks.append(_apply_scaler(codes.astype("float64"), entry.get("scaling"))[:, None])
        if not blocks:
            return np.zeros((len(typed), 0), dtype=np.float32)
        return np.concatenate(blocks, axis=1).astype(np.float32, copy=False)


def _fit_scaler(values: pd.Series, method: str) -> dict:
    numbers = values.to_numpy(dtype="float64")
    if method == "standard":
        center, scale = float(numbers.mean()), float(numbers.std())
    elif method == "minmax":
        center, scale = float(numbers.min()), float(numbers.max() - numbers.min())
    else:
        return {"method": "none", "center": 0.0, "scale": 1.0}
    return {"method": method, "center": center, "scale": scale if scale > 1e-12 else 1.0}


def _apply_scaler(values: np.ndarray, scaler: dict | None) -> np.ndarray:
    if not scaler:
        return values
    return (values - scaler["center"]) / scaler["scale"]


@dataclass
class TargetEncoder:
    """Targets to tensors and model outputs back to the user's labels or units.

    ``state`` for classification: ``{"task", "columns", "labels": [original values, JSON]}``;
    for regression: ``{"task", "columns", "scalers": [{"method", "center", "scale"}, ...]}``.
    """

    state: dict

    @classmethod
    def fit(cls, train: pd.DataFrame, targets: list[ColumnConfig], task: str, prep: PreparationConfig) -> "TargetEncoder":
        names = [c.name for c in targets]
        if task == "regression":
            scalers = [_fit_scaler(train[n].astype("float64"), prep.target_scaling) for n in names]
            return cls({"task": task, "columns": names, "scalers": scalers})
        distinct = pd.unique(train[names[0]].dropna())
        keys = sorted({label_key(v) for v in distinct}, key=lambda k: (str(type(k).__name__), k))
        return cls({"task": task, "columns": names, "labels": [_json_value(k) for k in keys]})

    @property
    def task(self) -> str:
        return self.state["task"]

    @property
    def labels(self) -> list | None:
        return self.state.get("labels")

    @property
    def class_names(self) -> tuple[str, ...] | None:
        labels = self.labels
        return tuple(str(v) for v in labels) if labels is not None else None

    @property
    def n_outputs(self) -> int:
        if self.task == "regression":
            return len(self.state["columns"])
        return 1 if self.task == "binary" else len(self.labels)

    def transform(self, typed: pd.DataFrame, file_name: str) -> np.ndarray:
        """(N,) int64 class indices, (N, 1) float32 0/1 for binary, (N, k) float32 for regression."""
        if self.task == "regression":
            columns = [
                _apply_scaler(typed[n].astype("float64").to_numpy(), s) for n, s in zip(self.state["columns"], self.state["scalers"])
            ]
            return np.stack(columns, axis=1).astype(np.float32)
        name = self.state["columns"][0]
        index = {label: i for i, label in enumerate(self.labels)}
        # Look up each distinct value once; rows then take their code by position.
        inverse, uniques = pd.factorize(typed[name], use_na_sentinel=True)
        lookup = np.array([index.get(label_key(u), -1) for u in uniques] + [-1], dtype=np.int64)
        codes = lookup[inverse]
        if (codes < 0).any():
            row = int(np.flatnonzero(codes < 0)[0])
            value = typed[name].iloc[row]
            known = ", ".join(str(v) for v in self.labels[:10])
            raise DataError(
                f"Row {row + 1} of {file_name} has the label '{value}' in column '{name}', which the model "
                f"was not trained on (known labels: {known})."
            )
        if self.task == "binary":
            return codes.astype(np.float32)[:, None]
        return codes

    def inverse_regression(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, dtype="float64").reshape(len(values), -1)
        out = np.empty_like(values)
        for j, s in enumerate(self.state["scalers"]):
            out[:, j] = values[:, j] * s["scale"] + s["center"]
        return out
