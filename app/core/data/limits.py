"""Shapes of table a user can hand the app but that it cannot work with, refused before the
whole file is read.

- More than :data:`MAX_COLUMNS` columns: every column becomes a panel row, a statistics
  entry and a project entry (100,000 columns took minutes to import and made a 9.6 MB
  project), so the header is read first and a table that wide is refused at once.
- A first line longer than :data:`MAX_HEADER_BYTES`: not a header a table file would have.
- Nested values (lists, structs, maps) in Parquet or JSON columns: no column type of the
  app can hold them, and counting their distinct values fails.

Example::

    check_csv_header(Path("wide.csv"), "utf-8", ",")   # DataError: '...' has 100,001 columns ...
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from app.core.data.errors import DataError

MAX_COLUMNS = 10_000
#: 10,000 columns with 200-character names; a longer first line is no header.
MAX_HEADER_BYTES = 2 * 2**20
_CHUNK = 64 * 1024


def too_many_columns(name: str, n_columns: int) -> DataError:
    return DataError(
        f"'{name}' has {n_columns:,} columns; Modelwright works with tables of at most {MAX_COLUMNS:,} columns. "
        "Keep only the columns the model needs (or combine them) in another program, then import the smaller file."
    )


def check_column_count(name: str, n_columns: int) -> None:
    if n_columns > MAX_COLUMNS:
        raise too_many_columns(name, n_columns)


def read_first_line(path: Path, limit: int = MAX_HEADER_BYTES) -> bytes | None:
    """The bytes of the file's first line (without the line end), or None when no line end
    comes within ``limit`` bytes and the file goes on past them."""
    out = bytearray()
    with open(path, "rb") as fh:
        while len(out) <= limit:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return bytes(out)
            end = chunk.find(b"\n")
            if end >= 0:
                out += chunk[:end]
                return bytes(out).rstrip(b"\r")
            out += chunk
    return None


def check_csv_header(path: Path, encoding: str, delimiter: str) -> None:
    """Refuse a delimited file whose header is absurdly long or names too many columns; reads
    only the first line, so it costs milliseconds whatever the file's size."""
    path = Path(path)
    first = read_first_line(path)
    if first is None:
        raise DataError(
            f"The first line of '{path.name}' is longer than {MAX_HEADER_BYTES // 2**20} MB, so it is not a table "
            "header. A table file starts with one line of column names; check that this is the file you meant."
        )
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(first, final=True)
    # Counting delimiters is an upper bound (quoted names may hold one); count exactly only near the limit.
    if text.count(delimiter) + 1 <= MAX_COLUMNS:
        return
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, len(text) + 1))
    try:
        n_columns = len(next(csv.reader([text], delimiter=delimiter), []))
    except csv.Error:
        n_columns = text.count(delimiter) + 1
    finally:
        csv.field_size_limit(previous)
    check_column_count(path.name, n_columns)


def check_arrow_schema(schema, name: str) -> None:
    """Refuse too many columns, or a column of nested values, in a Parquet/JSON table's schema."""
    import pyarrow as pa

    check_column_count(name, len(schema.names))
    for field in schema:
        t = field.type
        if pa.types.is_nested(t) or (pa.types.is_dictionary(t) and pa.types.is_nested(t.value_type)):
            kind = ("lists" if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t)
                    else "maps" if pa.types.is_map(t) else "records (structs)" if pa.types.is_struct(t)
                    else "nested values")
            raise DataError(
                f"Column '{field.name}' of '{name}' holds {kind} ({t}), not single values; Modelwright reads "
                "columns of numbers, text, dates or true/false. Flatten it into separate columns, or remove it, "
                "and import the file again."
            )
