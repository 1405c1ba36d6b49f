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

#: The largest magnitude a model input (float32) holds; a number beyond it becomes infinity.
FLOAT32_MAX = float(np.finfo(np.float32).max)
#: How many row numbers a message about non-finite values lists.
ROWS_SHOWN = 5


class NonFiniteValuesError(DataError):
    """A numeric column holds numbers that are infinite or too large for a float32 input
    ("inf", "1e400", a thousand-digit number): named by column, rows and count, because a
    model fed with them learns NaN and predicts nothing."""

    def __init__(self, column: str, file_name: str, rows: list[int], count: int, example: float, *,
                 new_data: bool = False) -> None:
        self.column, self.file_name, self.rows, self.count = column, file_name, list(rows), int(count)
        self.example, self.new_data = example, new_data
        super().__init__(self._message())

    def _message(self) -> str:
        shown = [r + 1 for r in self.rows[:ROWS_SHOWN]]
        rows = ", ".join(map(str, shown))
        lines = ", ".join(str(r + 1) for r in shown)
        more = f" and {self.count - len(shown)} more" if self.count > len(shown) else ""
        what = "value that is" if self.count == 1 else "values that are"
        head = (f"Column '{self.column}' of {self.file_name} holds {self.count} {what} infinite or too large "
                f"for a 32-bit number (such as {self.example:g}) in row{'s' if self.count > 1 else ''} {rows}{more} "
                f"(line{'s' if len(shown) > 1 else ''} {lines} of the file)")
        if self.new_data:
            return (f"{head}; the model cannot predict from them, so fix or remove those rows "
                    "(or train with 'data.preparation.non_finite' set to \"missing\" to fill them in).")
        them = "it" if self.count == 1 else "them"
        return (f"{head}; fix or remove {them}, or set 'data.preparation.non_finite' to \"missing\" to treat {them} "
                f"as missing.")


def non_finite_rows(numbers: pd.Series) -> np.ndarray:
    """Positions of the numbers that are infinite or beyond the float32 range (NaN is missing, not one)."""
    values = numbers.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(np.abs(values) > FLOAT32_MAX)


class NonFiniteTally:
    """Infinite or too-large numbers met so far, per column (count, first rows, an example),
    for data read in pieces: the whole file is counted before the import is refused."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {}  # name -> [count, first row positions, example]

    def add(self, column: str, positions: np.ndarray, example: float) -> None:
        entry = self.columns.setdefault(column, [0, [], example])
        entry[0] += len(positions)
        entry[1] = (entry[1] + positions[:ROWS_SHOWN].tolist())[:ROWS_SHOWN]

    def error(self, file_name: str, *, new_data: bool = False) -> NonFiniteValuesError | None:
        """The error naming the first column that had such values, or None."""
        if not self.columns:
            return None
        column, (count, rows, example) = next(iter(self.columns.items()))
        return NonFiniteValuesError(column, file_name, rows, count, example, new_data=new_data)

    def warning(self) -> str | None:
        """The note that such values were treated as missing (``data.preparation.non_finite``)."""
        if not self.columns:
            return None
        total = sum(entry[0] for entry in self.columns.values())
        names = ", ".join(f"'{c}'" for c in self.columns)
        return f"{total} infinite or too large values in {names} were treated as missing (data.preparation.non_finite)."


def finite_numbers(numbers: pd.Series, column: str, file_name: str, non_finite: str = "error", *,
                   new_data: bool = False, tally: NonFiniteTally | None = None, offset: int = 0) -> pd.Series:
    """``numbers`` with infinite or too-large values refused (``"error"``) or made missing
    (``"missing"``, noted in ``tally`` with row positions ``offset`` further on). The one check
    every path goes through: a project's data in memory or in chunks, and new files for
    evaluate and predict."""
    bad = non_finite_rows(numbers)
    if len(bad) == 0:
        return numbers
    example = float(numbers.iloc[bad[0]])
    if non_finite == "missing":
        if tally is not None:
            tally.add(column, bad + offset, example)
        numbers = numbers.copy()
        numbers.iloc[bad] = np.nan
        return numbers
    raise NonFiniteValuesError(column, file_name, (bad[:ROWS_SHOWN] + offset).tolist(), len(bad), example,
                               new_data=new_data)


def typed_column(df: pd.DataFrame, column: ColumnConfig, file_name: str, *, non_finite: str = "error",
                 new_data: bool = False, tally: NonFiniteTally | None = None, offset: int = 0) -> pd.Series:
    """The column converted to its configured type (floats for numeric/boolean, strings otherwise).

    ``file_name`` is how messages name the data, already quoted: ``"'iris.csv'"``. Numbers
    that are infinite or too large for the model go through :func:`finite_numbers` with
    ``non_finite`` (``"error"`` or ``"missing"``); ``new_data`` words its error for predict,
    ``tally`` and ``offset`` are for data read in chunks.
    """
    if column.name not in df.columns:
        raise DataError(
            f"The column '{column.name}' is missing from {file_name}. The model was prepared with it; "
            f"the file has: {', '.join(map(str, list(df.columns)[:12]))}."
        )
    series = df[column.name]
    if column.type == "numeric":
        return finite_numbers(numeric_values(series, column.name, file_name), column.name, file_name, non_finite,
                              new_data=new_data, tally=tally, offset=offset)
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
    tally = NonFiniteTally()
    typed = pd.DataFrame({c.name: typed_column(df, c, file_name, non_finite=prep.non_finite, tally=tally)
                          for c in features + target_types}, index=df.index)
    note = tally.warning()
    if note:
        warnings.append(note)
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
