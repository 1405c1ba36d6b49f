"""Find out what a path holds (table, image folder, text) and load it as configured."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from app.core.data import sniff, synthetic
from app.core.data.config import SourceConfig
from app.core.data.errors import DataError
from app.core.data.images import is_image_folder
from app.core.data.tables import check_not_empty, read_table, table_format

PLAIN_TEXT_SUFFIXES = {".txt", ".text", ".md"}


def resolve_path(source: SourceConfig, base_dir: Path | str | None) -> Path:
    """``source.path`` made absolute: relative paths are taken from the project's folder."""
    path = Path(source.path).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    if not path.exists():
        raise DataError(f"The data {'folder' if source.kind == 'image_folder' else 'file'} '{path}' does not exist. "
                        "Check the path in the project's data settings.")
    return path


def detect_source(path: Path) -> SourceConfig:
    """The source settings for a path: kind, format, encoding and delimiter where they apply."""
    path = Path(path)
    if path.is_dir():
        if not is_image_folder(path):
            raise DataError(
                f"The folder '{path.name}' holds no images. An image data set is a folder with one sub-folder "
                "of images per class."
            )
        return SourceConfig(kind="image_folder", path=str(path))
    check_not_empty(path)
    fmt = table_format(path)
    if fmt is None:
        raise DataError(
            f"'{path.name}' is not a supported data file. Use CSV/TSV/TXT, Excel (.xlsx), Parquet, JSON Lines, "
            "or a folder of images."
        )
    if fmt != "csv":
        return SourceConfig(kind="table", path=str(path), format=fmt)
    head = sniff.read_head(path)
    encoding = sniff.detect_encoding(path, head)
    text = sniff.decode_head(path, encoding, head)
    delimiter = sniff.detect_delimiter(text, path.suffix.lower())
    if path.suffix.lower() in PLAIN_TEXT_SUFFIXES and not sniff.looks_delimited(text, delimiter):
        return SourceConfig(kind="text", path=str(path), format="plain", encoding=encoding)
    return SourceConfig(kind="table", path=str(path), format="csv", encoding=encoding, delimiter=delimiter or ",")


def load_table(source: SourceConfig, base_dir: Path | str | None = None, progress=None) -> pd.DataFrame:
    """The rows of a table or synthetic source as a DataFrame."""
    if source.kind == "synthetic":
        return synthetic.generate(source)
    if source.kind != "table":
        raise DataError(f"A '{source.kind}' source is not a table.")
    return read_table(
        resolve_path(source, base_dir),
        format=source.format,
        encoding=source.encoding,
        delimiter=source.delimiter,
        sheet=source.sheet,
        progress=progress,
    )
