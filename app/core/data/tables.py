"""Read a table file (CSV/TSV/TXT, Excel, Parquet, JSON Lines) into a pandas DataFrame.

CSV goes through ``pyarrow.csv`` on a file wrapper that reports progress and honours
cancellation between blocks; encoding and delimiter are guessed from the file's head only
(see :mod:`app.core.data.sniff`). Every failure becomes a :class:`DataError` that names the
file and, where it can, the line and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from app.core.data import limits, sniff
from app.core.data.errors import DataError
from app.core.progress import Progress

CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
MAX_FIELD_BYTES = 1024 * 1024
_BLOCK_SIZE = 4 * 1024 * 1024


def as_progress(progress: Callable[[float, str], None] | Progress | None) -> Progress:
    return progress if isinstance(progress, Progress) else Progress(progress)


def table_format(path: Path) -> str | None:
    """The table format implied by the file name, or None when it is not a table file."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix == ".xls":
        raise DataError(
            f"'{path.name}' is an old Excel 97-2003 workbook (.xls), which cannot be read. "
            "Open it in Excel and save it as .xlsx or CSV UTF-8."
        )
    return None


class _ProgressReader(io.RawIOBase):
    """A binary file that reports how far it has been read; the report may cancel the read."""

    def __init__(self, fh, size: int, report: Progress, message: str, span: float) -> None:
        self._fh, self._size, self._report, self._message, self._span = fh, max(size, 1), report, message, span
        self._done = 0
        self._last = -1.0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._report.check_cancelled()
        n = self._fh.readinto(buffer)
        self._done += n
        fraction = self._done / self._size
        if fraction - self._last >= 0.01 or n == 0:
            self._last = fraction
            self._report(fraction * self._span, self._message)
        return n


def check_not_empty(path: Path) -> None:
    if not path.exists():
        raise DataError(f"The data file '{path}' does not exist. Check the path in the project's data settings.")
    if path.is_file() and path.stat().st_size == 0:
        raise DataError(f"'{path.name}' is empty: it holds no columns and no rows.")


def read_table(
    path: Path,
    *,
    format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    progress=None,
) -> pd.DataFrame:
    """Read any supported table file; detection fills in what the caller leaves as None."""
    path = Path(path)
    check_not_empty(path)
    report = as_progress(progress)
    fmt = format or table_format(path) or "csv"
    if fmt == "csv":
        df = read_csv(path, encoding=encoding, delimiter=delimiter, progress=report)
    elif fmt == "excel":
        df = read_excel(path, sheet=sheet, progress=report)
    elif fmt == "parquet":
        df = read_parquet(path, progress=report)
    elif fmt == "jsonl":
        df = read_jsonl(path, progress=report)
    else:
        raise DataError(f"Unknown table format '{fmt}' for '{path.name}'.")
    return _check_frame(df, path)


def _check_frame(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    limits.check_column_count(path.name, len(df.columns))
    names = [str(c) for c in df.columns]
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name.strip() == "" or name.startswith("Unnamed:"):
            names[i] = f"column_{i + 1}"
        if names[i] in seen:
            raise DataError(f"The column name '{names[i]}' appears twice in '{path.name}'; give every column its own name.")
        seen.add(names[i])
    df.columns = names
    if len(df.columns) == 0:
        raise DataError(f"'{path.name}' has no columns.")
    if len(df) == 0:
        raise DataError(f"'{path.name}' has column names ({', '.join(names[:5])}) but no data rows.")
    return df


def read_csv(path: Path, *, encoding: str | None = None, delimiter: str | None = None, progress=None) -> pd.DataFrame:
    report = as_progress(progress)
    head = sniff.read_head(path)
    if encoding is None:
        encoding = sniff.detect_encoding(path, head)
    elif sniff.looks_binary(head) and not encoding.lower().startswith("utf-16"):
        raise DataError(f"'{path.name}' does not look like a text table: it contains binary data.")
    elif not sniff.decodes(head, encoding):
        raise _wrong_encoding(path, encoding)
    text = sniff.decode_head(path, encoding, head)
    if not text.strip():
        raise DataError(f"'{path.name}' is empty: it holds only blank space.")
    if delimiter is None:
        delimiter = sniff.detect_delimiter(text, path.suffix.lower()) or ","
    limits.check_csv_header(path, encoding, delimiter)  # the header alone refuses a table too wide to use
    table = None
    for newlines_in_values in (False, True):
        try:
            table = _arrow_csv(path, encoding, delimiter, newlines_in_values, report)
            break
        except pa.ArrowInvalid as exc:
            if newlines_in_values:
                raise locate_csv_problem(path, encoding, delimiter, exc) from None
        except UnicodeDecodeError:
            raise _wrong_encoding(path, encoding) from None
    assert table is not None
    # pyarrow keeps bytes that are not valid UTF-8 as binary columns instead of failing.
    if any(pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in table.schema.types):
        raise _wrong_encoding(path, encoding)
    _check_field_sizes(table, path)
    report(0.95, f"Converting {path.name}")
    return table.to_pandas()


def _wrong_encoding(path: Path, encoding: str) -> DataError:
    return DataError(
        f"'{path.name}' is not valid {encoding} text. Set 'data.source.encoding' to the file's real encoding "
        "(for Chinese Excel files usually gb18030), remove it to detect the encoding, or save the file as UTF-8."
    )


def _arrow_encoding(encoding: str) -> str:
    # pyarrow skips a UTF-8 byte-order mark by itself, so utf-8-sig reads as plain utf8.
    name = codecs.lookup(encoding).name
    return "utf8" if name in ("utf-8", "utf-8-sig") else encoding


def _arrow_csv(path: Path, encoding: str, delimiter: str, newlines_in_values: bool, report: Progress) -> pa.Table:
    with open(path, "rb") as fh:
        raw = _ProgressReader(fh, path.stat().st_size, report, f"Reading {path.name}", 0.9)
        stream = io.BufferedReader(raw, buffer_size=1024 * 1024)
        return pacsv.read_csv(
            stream,
            read_options=pacsv.ReadOptions(encoding=_arrow_encoding(encoding), block_size=_BLOCK_SIZE),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines_in_values),
            convert_options=pacsv.ConvertOptions(strings_can_be_null=True),
        )


def _check_field_sizes(table: pa.Table, path: Path) -> None:
    for name, column in zip(table.column_names, table.columns):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            lengths = pc.binary_length(column)
            longest = pc.max(lengths).as_py()
            if longest is not None and longest > MAX_FIELD_BYTES:
                row = pc.index(lengths, longest).as_py()
                raise DataError(
                    f"Row {row + 1} of '{path.name}' (line {row + 2}) has a value of {longest / 1e6:.1f} MB in column "
                    f"'{name}'; table values are limited to {MAX_FIELD_BYTES // 1024} KB. Remove it, or check that the "
                    "file's quotes are balanced."
                )


def locate_csv_problem(path: Path, encoding: str, delimiter: str, exc: Exception) -> DataError:
    """Re-read the file with the csv module to say which line breaks the table shape."""
    csv.field_size_limit(1 << 30)
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            header = next(reader, None)
            if header is None:
                return DataError(f"'{path.name}' has no header row.")
            for row in reader:
                line = reader.line_num
                if len(row) == 0 or row == [""]:
                    continue
                big = [i for i, value in enumerate(row) if len(value.encode("utf-8", "replace")) > MAX_FIELD_BYTES]
                if big:
                    col = header[big[0]] if big[0] < len(header) else f"#{big[0] + 1}"
                    size = len(row[big[0]].encode("utf-8", "replace"))
                    return DataError(
                        f"Line {line} of '{path.name}' has a value of {size / 1e6:.1f} MB in column '{col}'; table "
                        f"values are limited to {MAX_FIELD_BYTES // 1024} KB. Remove it, or check that the file's "
                        "quotes are balanced."
                    )
                if len(row) != len(header):
                    return DataError(
                        f"Line {line} of '{path.name}' has {len(row)} fields but the header has {len(header)} "
                        f"(delimiter '{_show(delimiter)}'). Fix that line, or quote values that contain the delimiter."
                    )
    except csv.Error as err:
        return DataError(f"'{path.name}' is not a well-formed delimited file: {err}.")
    return DataError(f"'{path.name}' could not be read as a table with delimiter '{_show(delimiter)}': {exc}")


def _show(delimiter: str) -> str:
    return {"\t": "tab", " ": "space"}.get(delimiter, delimiter)


def read_excel(path: Path, *, sheet: str | int | None = None, progress=None) -> pd.DataFrame:
    report = as_progress(progress)
    if not zipfile.is_zipfile(path):
        raise DataError(
            f"'{path.name}' is not an Excel workbook (.xlsx): its content is not a workbook. "
            "If it is a CSV or text file, rename it to .csv; otherwise save it again from Excel as .xlsx."
        )
    report(0.05, f"Reading {path.name}")
    try:
        df = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, engine="openpyxl")
    except ValueError as exc:
        if "Worksheet" in str(exc) or "sheet" in str(exc).lower():
            raise DataError(f"'{path.name}' has no sheet '{sheet}'.") from None
        raise DataError(f"'{path.name}' could not be read as an Excel workbook: {exc}") from None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DataError(f"'{path.name}' is a damaged or unsupported Excel workbook ({exc}). Save it again as .xlsx.") from None
    except Exception as exc:  # openpyxl raises its own types for broken parts of a workbook
        if type(exc).__module__.startswith("openpyxl"):
            raise DataError(f"'{path.name}' is a damaged Excel workbook ({exc}). Save it again as .xlsx.") from None
        raise
    report(0.95, f"Read {path.name}")
    return df


def read_parquet(path: Path, *, progress=None) -> pd.DataFrame:
    import pyarrow.parquet as pq

    report = as_progress(progress)
    with open(path, "rb") as fh:
        start = fh.read(4)
        fh.seek(-4, io.SEEK_END) if path.stat().st_size >= 8 else None
        end = fh.read(4)
    if start != b"PAR1" or end != b"PAR1":
        raise DataError(
            f"'{path.name}' is not a Parquet file: it lacks the Parquet markers at its start and end. "
            "It may be damaged, cut short, or a different format renamed to .parquet."
        )
    try:
        pf = pq.ParquetFile(path)
        limits.check_arrow_schema(pf.schema_arrow, path.name)
        parts = []
        n = max(pf.num_row_groups, 1)
        for i in range(pf.num_row_groups):
            report(i / n * 0.9, f"Reading {path.name}")
            parts.append(pf.read_row_group(i))
        table = pa.concat_tables(parts) if parts else pf.schema_arrow.empty_table()
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"'{path.name}' is a damaged Parquet file ({exc}).") from None
    return table.to_pandas()


def read_jsonl(path: Path, *, progress=None) -> pd.DataFrame:
    import pyarrow.json as pajson

    report = as_progress(progress)
    head = sniff.read_head(path, 4096).lstrip(codecs.BOM_UTF8).lstrip()
    if sniff.looks_binary(head):
        raise DataError(f"'{path.name}' does not look like JSON: it contains binary data.")
    if head.startswith(b"["):
        try:
            return pd.read_json(path, orient="records")
        except ValueError as exc:
            raise DataError(f"'{path.name}' is not a valid JSON list of records: {exc}") from None
    try:
        with open(path, "rb") as fh:
            raw = _ProgressReader(fh, path.stat().st_size, report, f"Reading {path.name}", 0.9)
            table = pajson.read_json(io.BufferedReader(raw, buffer_size=1024 * 1024))
    except pa.ArrowInvalid as exc:
        raise DataError(
            f"'{path.name}' is not valid JSON Lines (one JSON object per line): {str(exc).strip()}"
        ) from None
    limits.check_arrow_schema(table.schema, path.name)
    return table.to_pandas()
