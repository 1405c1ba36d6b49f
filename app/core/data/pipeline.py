"""``prepare(config, base_dir)``: from the data section to train/val/test splits and a fitted preprocessor.

The four paths (table, text column, image folder, language-model text) share the same
ending: a :class:`PreparedData` with the :class:`DataInfo` templates size themselves from,
the splits the engine trains on, the :class:`Preprocessor` saved into the run directory,
and plain-words warnings for the CLI and GUI to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from app.core.data.columns import detect_task
from app.core.data.config import ColumnConfig, DataConfig, ImageConfig, PreparationConfig, TextConfig
from app.core.data.datasets import ImageSplit, TensorSplit, TokenStreamSplit, TrainingSplit
from app.core.data.errors import DataError
from app.core.data.images import load_images, probe, scan_image_folder
from app.core.data.info import DataInfo
from app.core.data.labels import apply_label_overrides
from app.core.data.preparation import TablePipeline, TargetEncoder, clean_rows
from app.core.data.preprocessor import (
    ImagePreprocessor,
    LanguageModelPreprocessor,
    Preprocessor,
    TablePreprocessor,
    TextPreprocessor,
)
from app.core.data.sources import load_table, resolve_path
from app.core.data.split import SPLIT_NAMES, split_rows
from app.core.data.tables import as_progress
from app.core.data.text import read_text_file
from app.core.data.tokenizers import make_tokenizer
from app.core.progress import Progress

MAX_WINDOWS_PER_EPOCH = 10_000


@dataclass
class PreparedData:
    """Everything training needs from the data; ``val``/``test`` are None when their share is 0."""

    info: DataInfo
    train: TrainingSplit
    val: TrainingSplit | None
    test: TrainingSplit | None
    preprocessor: Preprocessor
    warnings: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)


class _Sub:
    """Maps a sub-job's 0..1 onto a slice of the parent's progress."""

    def __init__(self, parent: Progress, start: float, end: float) -> None:
        self.parent, self.start, self.end = parent, start, end

    def __call__(self, fraction: float, message: str = "") -> None:
        self.parent(self.start + (self.end - self.start) * fraction, message)


def prepare(config: DataConfig | dict, base_dir: Path | str | None = None, *, progress=None) -> PreparedData:
    """Load, clean, split and encode the data exactly as ``config`` says."""
    if isinstance(config, dict):
        config = DataConfig.from_dict(config)
    report = as_progress(progress)
    report(0.0, "Loading data")
    kind = config.source.kind
    if kind == "image_folder":
        prepared = _prepare_images(config, base_dir, report)
    elif kind == "text":
        prepared = _prepare_language_model(config, base_dir, report)
    elif kind == "chat":  # instruction/chat examples for a pretrained causal LM
        from app.core.finetune.chat_prepare import prepare_chat_data

        prepared = prepare_chat_data(config, base_dir, report)
    else:
        prepared = _prepare_table(config, base_dir, report)
    report(1.0, "Data ready")
    return prepared


def _source_name(config: DataConfig) -> str:
    if config.source.kind == "synthetic":
        return f"the generated '{config.source.generator}' data"
    return f"'{Path(config.source.path).name}'"


def _checked_task(config: DataConfig, typed: pd.DataFrame, name: str) -> str:
    targets = config.target_columns()
    column = typed[targets[0].name]
    task = config.task or detect_task(column, targets[0].type)
    if task == "language-model":
        raise DataError("The task 'language-model' needs a plain text file as the data source, not a table.")
    if task == "regression":
        if any(c.type != "numeric" for c in targets):
            bad = next(c for c in targets if c.type != "numeric")
            raise DataError(f"Regression needs a numeric target, but '{bad.name}' is {bad.type}. Choose classification.")
        return task
    distinct = column.dropna().map(str).nunique()
    if distinct < 2:
        value = column.dropna().iloc[0]
        raise DataError(
            f"The target column '{targets[0].name}' of {name} has only one value ('{value}'): a model cannot learn "
            "to tell classes apart. Choose another target column or add rows of other classes."
        )
    if task == "binary" and distinct != 2:
        raise DataError(
            f"The task is binary, but the target column '{targets[0].name}' has {distinct} different values. "
            "Set the task to classification."
        )
    return task


def _split_parts(config: DataConfig, frame: pd.DataFrame, labels: np.ndarray | None) -> dict[str, np.ndarray]:
    column = None
    if config.split.method == "column":
        if config.split.column not in frame.columns:
            raise DataError(f"The split column '{config.split.column}' is not in the data.")
        column = frame[config.split.column]
    return split_rows(len(frame), config.split, labels=labels, column=column)


def _prepare_table(config: DataConfig, base_dir, report: Progress) -> PreparedData:
    from app.core.data import streaming

    path = streaming.table_streamable(config, base_dir)
    if path is not None:
        budget = streaming.memory_budget(config)
        if streaming.estimate_table_bytes(config, path) > budget:
            return streaming.prepare_table_streaming(config, base_dir, path, budget, report)
    name = _source_name(config)
    df = load_table(config.source, base_dir, progress=_Sub(report, 0.0, 0.6))
    features, targets = config.feature_columns(), config.target_columns()
    df = apply_label_overrides(df, targets[0].name, config.label_overrides, name)
    report(0.65, "Cleaning rows")
    typed, warnings = clean_rows(df, features, targets, config.preparation, name)
    task = _checked_task(config, typed, name)
    labels = typed[targets[0].name].map(str).to_numpy() if task != "regression" else None
    split_frame = df.loc[typed.index] if config.split.method == "column" else typed
    parts = _split_parts(config, split_frame.reset_index(drop=True), labels)
    typed = typed.reset_index(drop=True)
    report(0.75, "Encoding columns")
    train_rows = typed.iloc[parts["train"]]
    target = TargetEncoder.fit(train_rows if task == "regression" else typed, targets, task, config.preparation)
    text_columns = [c for c in features if c.type == "text"]
    if text_columns:
        text = config.text or TextConfig(level="word", lowercase=True)
        column = text_columns[0].name
        texts = typed[column].map(lambda t: t if isinstance(t, str) else "")
        tokenizer = make_tokenizer(text.level, texts.iloc[parts["train"]], text.max_vocab, text.lowercase,
                                   text.pretrained)
        inputs = tokenizer.encode_padded(texts, text.seq_len)
        info = DataInfo("tokens", (text.seq_len,), task, target.n_outputs, tokenizer.vocab_size, target.class_names)
        preprocessor: Preprocessor = TextPreprocessor(info, target, column, tokenizer, text.seq_len)
    else:
        pipeline = TablePipeline.fit(train_rows, features, config.preparation)
        inputs = torch.from_numpy(pipeline.transform(typed))
        info = DataInfo("vector", (inputs.shape[1],), task, target.n_outputs, None, target.class_names)
        preprocessor = TablePreprocessor(info, target, pipeline, config.preparation.non_finite)
    outputs = torch.from_numpy(target.transform(typed, name))
    splits = {k: TensorSplit(inputs[torch.from_numpy(rows)], outputs[torch.from_numpy(rows)]) if len(rows) else None for k, rows in parts.items()}
    return PreparedData(info, splits["train"], splits["val"], splits["test"], preprocessor, warnings,
                        {k: len(v) for k, v in parts.items()})


def _prepare_images(config: DataConfig, base_dir, report: Progress) -> PreparedData:
    root = resolve_path(config.source, base_dir)
    paths, folder_labels = scan_image_folder(root)
    if folder_labels is None:
        raise DataError(
            f"The images in '{root.name}' are not sorted into class folders. Put each class in its own sub-folder "
            "(for example cats/ and dogs/)."
        )
    image = config.image
    if image is None:
        size, channels = probe(paths)
        image = ImageConfig(size=size, channels=channels)
    needed = len(paths) * image.channels * image.size[0] * image.size[1]
    from app.core.data import streaming

    if needed > streaming.memory_budget(config):
        return streaming.prepare_images_streaming(config, base_dir, root, paths, folder_labels, image, report)
    pixels, ok, warnings = load_images(paths, image.size, image.channels, root, progress=_Sub(report, 0.0, 0.8))
    labels = np.asarray(folder_labels, dtype=object)[ok]
    frame = pd.DataFrame({"label": labels})
    task = _image_task(config, labels, root)
    parts = _split_parts(config, frame, labels if config.split.method == "stratified" else None)
    target = TargetEncoder.fit(frame, [ColumnConfig("label", "categorical", "target")], task, PreparationConfig())
    targets = torch.from_numpy(target.transform(frame, f"'{root.name}'"))
    images = torch.from_numpy(pixels)
    mean, std = channel_stats(pixels, parts["train"])
    info = DataInfo("image", (image.channels, *image.size), task, target.n_outputs, None, target.class_names)
    preprocessor = ImagePreprocessor(info, target, image.size, image.channels, mean, std)
    splits = {}
    for k in SPLIT_NAMES:
        rows = torch.from_numpy(parts[k])
        aug = image.augmentation if k == "train" else None
        splits[k] = ImageSplit(images[rows], targets[rows], mean, std, aug) if len(rows) else None
    return PreparedData(info, splits["train"], splits["val"], splits["test"], preprocessor, warnings,
                        {k: len(v) for k, v in parts.items()})


def _image_task(config: DataConfig, labels: np.ndarray, root: Path) -> str:
    """binary or classification from the class folders; refuses one class or a mismatched task."""
    task = config.task or ("binary" if len(set(labels)) == 2 else "classification")
    if len(set(labels)) < 2:
        raise DataError(f"'{root.name}' has images of only one class ('{labels[0]}'); a classifier needs at least two class folders.")
    if task not in ("binary", "classification"):
        raise DataError(f"An image folder gives a classification task, not '{task}'.")
    if task == "binary" and len(set(labels)) != 2:
        raise DataError(f"The task is binary, but '{root.name}' has {len(set(labels))} class folders. Set the task to classification.")
    return task


def channel_stats(pixels: np.ndarray, rows: np.ndarray, chunk: int = 4096) -> tuple[list[float], list[float]]:
    """Per-channel mean and standard deviation (unbiased) of ``pixels[rows]`` scaled to 0..1.

    Computed from exact per-channel histograms of the uint8 values, chunk by chunk, so the
    result does not depend on the order or the chunking (data in memory and data on disk
    get the same numbers). The deviation is at least 1e-3 (a flat channel).
    """
    channels = pixels.shape[1]
    counts = np.zeros((channels, 256), dtype=np.int64)
    rows = np.sort(np.asarray(rows, dtype=np.int64))
    for start in range(0, len(rows), chunk):
        block = pixels[rows[start:start + chunk]]
        for c in range(channels):
            counts[c] += np.bincount(block[:, c].ravel(), minlength=256)
    values = np.arange(256, dtype=np.float64) / 255.0
    mean, std = [], []
    for c in range(channels):
        n = int(counts[c].sum())
        m = float(counts[c] @ values) / n
        var = float(counts[c] @ (values - m) ** 2) / (n - 1) if n > 1 else 0.0
        mean.append(m)
        std.append(max(float(np.sqrt(var)), 1e-3))
    return mean, std


def _prepare_language_model(config: DataConfig, base_dir, report: Progress) -> PreparedData:
    path = resolve_path(config.source, base_dir)
    text_config = config.text or TextConfig()
    text = read_text_file(path, config.source.encoding, progress=_Sub(report, 0.0, 0.3))
    report(0.4, "Building the vocabulary")
    tokenizer = make_tokenizer(text_config.level, [text], text_config.max_vocab, text_config.lowercase,
                               text_config.pretrained)
    report(0.6, "Encoding the text")
    stream = torch.tensor(tokenizer.encode(text), dtype=torch.long)
    seq_len = text_config.seq_len
    ratios = config.split.ratios
    n = len(stream)
    bounds = np.cumsum([0] + [int(round(ratios[k] * n)) for k in SPLIT_NAMES])
    bounds[-1] = n
    splits: dict[str, TokenStreamSplit | None] = {}
    for i, k in enumerate(SPLIT_NAMES):
        part = stream[bounds[i] : bounds[i + 1]]
        if ratios[k] == 0:
            splits[k] = None
            continue
        if len(part) < seq_len + 1:
            raise DataError(
                f"The {k} part of '{path.name}' has {len(part)} tokens, fewer than one window of {seq_len + 1}. "
                "Use a longer text, a shorter sequence length ('data.text.seq_len'), or a larger share for that part."
            )
        if k == "train":
            windows = text_config.windows_per_epoch or min(MAX_WINDOWS_PER_EPOCH, max(1, len(part) // seq_len))
            splits[k] = TokenStreamSplit(part, seq_len, windows)
        else:
            splits[k] = TokenStreamSplit(part, seq_len)
    info = DataInfo("tokens", (seq_len,), "language-model", tokenizer.vocab_size, tokenizer.vocab_size, None)
    preprocessor = LanguageModelPreprocessor(info, tokenizer, seq_len)
    return PreparedData(info, splits["train"], splits["val"], splits["test"], preprocessor, [],
                        {k: int(bounds[i + 1] - bounds[i]) for i, k in enumerate(SPLIT_NAMES)})
