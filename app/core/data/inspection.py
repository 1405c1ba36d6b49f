"""``inspect_source(path)``: a sensible first data section for a file or folder.

It detects the kind, encoding, delimiter, column types, the target and the task, and
checks the data the way ``prepare`` will, so a broken file is reported when it is chosen,
not at the start of training.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from app.core.data.columns import detect_column_type, detect_task, guess_target, is_identifier, is_split_column, boolean_values
from app.core.data.config import (
    ColumnConfig,
    DataConfig,
    ImageConfig,
    PreparationConfig,
    SplitConfig,
    TextConfig,
)
from app.core.data.errors import DataError
from app.core.data.preparation import typed_column
from app.core.data.images import probe, scan_image_folder
from app.core.data.sources import detect_source, load_table
from app.core.data.tables import as_progress
from app.core.data.text import read_text_file
from app.core.data.tokenizers import make_tokenizer

MAX_DEFAULT_IMAGE_SIDE = 64
MAX_DEFAULT_SEQ_LEN = 256


def inspect_source(path: Path | str, *, target: str | None = None, progress=None) -> DataConfig:
    """The default :class:`DataConfig` for ``path`` (``target`` names the column to predict)."""
    path = Path(path)
    report = as_progress(progress)
    report(0.0, f"Inspecting {path.name}")
    if not path.exists():
        raise DataError(f"'{path}' does not exist.")
    source = detect_source(path)
    source.path = str(path)
    if source.kind == "image_folder":
        config = _inspect_images(source, path)
    elif source.kind == "text":
        read_text_file(path, source.encoding)
        config = DataConfig(
            source=source,
            task="language-model",
            text=TextConfig(level="char", seq_len=64),
            split=SplitConfig(method="random", ratios={"train": 0.9, "val": 0.1, "test": 0.0}),
        )
    else:
        config = _inspect_table(source, path, target, report)
    report(1.0, f"Inspected {path.name}")
    return config


def _inspect_images(source, path: Path) -> DataConfig:
    paths, labels = scan_image_folder(path)
    if labels is None:
        raise DataError(
            f"The images in '{path.name}' are not sorted into class folders. Put each class in its own sub-folder."
        )
    if len(set(labels)) < 2:
        raise DataError(f"'{path.name}' has only one class folder ('{labels[0]}'); a classifier needs at least two.")
    (h, w), channels = probe(paths)
    scale = min(1.0, MAX_DEFAULT_IMAGE_SIDE / max(h, w))
    size = (max(4, round(h * scale)), max(4, round(w * scale)))
    counts = pd.Series(labels).value_counts()
    method = "stratified" if counts.min() >= 3 else "random"
    return DataConfig(
        source=source,
        task=None,
        image=ImageConfig(size=size, channels=channels),
        split=SplitConfig(method=method),
    )


def _inspect_table(source, path: Path, target: str | None, report) -> DataConfig:
    df = load_table(source, progress=lambda f, m: report(f * 0.8, m))
    report(0.85, "Detecting column types")
    types = {c: detect_column_type(df[c]) for c in df.columns}
    if target is not None and target not in df.columns:
        raise DataError(f"There is no column '{target}' in '{path.name}'; its columns are: {', '.join(map(str, df.columns))}.")
    target = target or guess_target(df, types)
    split_column = next((c for c in df.columns if c != target and is_split_column(c, df[c])), None)
    text_columns = [c for c in df.columns if c != target and types[c] == "text"]
    columns = []
    warnings = []
    for name in df.columns:
        if name == target:
            role = "target"
        elif name == split_column:
            role = "ignore"
        elif text_columns:
            role = "feature" if name == text_columns[0] else "ignore"
        elif types[name] == "text" or is_identifier(name, df[name], types[name]):
            role = "ignore"
            warnings.append(f"Column '{name}' looks like an identifier or free text, so it is ignored; change its role to use it.")
        else:
            role = "feature"
        columns.append(ColumnConfig(str(name), types[name], role))
    if not any(c.role == "feature" for c in columns):
        raise DataError(f"'{path.name}' has no column to learn from besides the target '{target}'.")
    # Check the values now, so that a bad file is reported when it is chosen (numbers that
    # are not numbers, or infinite or too large for the model, as preparation will).
    for c in columns:
        if c.role != "ignore" and c.type == "numeric":
            typed_column(df, c, f"'{path.name}'", non_finite=PreparationConfig().non_finite)
        elif c.role == "feature" and c.type == "boolean":
            boolean_values(df[c.name], c.name, f"'{path.name}'")
    target_values = df[target]
    if target_values.isna().all():
        raise DataError(f"The target column '{target}' of '{path.name}' has no values: every row is empty there.")
    target_type = types[target]
    task = detect_task(target_values, target_type)
    if task != "regression" and target_values.dropna().map(str).nunique() < 2:
        raise DataError(
            f"The target column '{target}' of '{path.name}' has only one value ('{target_values.dropna().iloc[0]}'): "
            "a model cannot learn to tell classes apart. Choose another target column or add rows of other classes."
        )
    if split_column is not None:
        split = SplitConfig(method="column", column=str(split_column))
    elif task != "regression" and target_values.dropna().map(str).value_counts().min() >= 3:
        split = SplitConfig(method="stratified")
    else:
        split = SplitConfig(method="random")
    text = None
    if text_columns:
        text = _text_defaults(df[text_columns[0]])
    missing = df[[c.name for c in columns if c.role == "feature"]].isna().any(axis=1)
    if missing.any():
        warnings.append(f"{int(missing.sum())} rows have missing feature values; they are filled with the column mean (or most common value).")
    config = DataConfig(source=source, columns=columns, task=None, preparation=PreparationConfig(), split=split, text=text)
    config.warnings = warnings
    return config


def _text_defaults(series: pd.Series) -> TextConfig:
    sample = series.dropna().astype(str).iloc[:2000]
    cjk_share = float(sample.str.contains(r"[\u3400-\u9fff]").mean()) if len(sample) else 0.0
    level = "char" if cjk_share > 0.5 else "word"
    tokenizer = make_tokenizer(level, sample, 20000, level == "word")
    lengths = np.array([len(tokenizer.split(t)) for t in sample]) if len(sample) else np.array([16])
    seq_len = int(min(MAX_DEFAULT_SEQ_LEN, max(8, np.percentile(lengths, 95))))
    return TextConfig(level=level, max_vocab=20000, seq_len=seq_len, lowercase=level == "word")
