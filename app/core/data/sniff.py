"""Guess a text file's encoding and delimiter from its first few hundred kilobytes.

Only the head of the file is examined, so detection costs the same for 1 KB or 1 GB;
the full read then goes through pyarrow with the guessed settings.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from app.core.data.errors import DataError

SAMPLE_BYTES = 256 * 1024
DELIMITERS = ",;\t|"
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_GB_NAMES = {"gb2312", "gbk", "gb18030", "cp936", "hz"}


def read_head(path: Path, n: int = SAMPLE_BYTES) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def decodes(sample: bytes, encoding: str) -> bool:
    """True when ``sample`` decodes; a multibyte character cut at the end is forgiven."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control characters mean this is not a text file."""
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample[:65536] if b < 32 and b not in (9, 10, 13, 12))
    return controls > 0.01 * min(len(sample), 65536)


def detect_encoding(path: Path, sample: bytes | None = None) -> str:
    """The Python codec name for ``path``: BOMs first, then UTF-8, then a statistical guess."""
    sample = read_head(path) if sample is None else sample
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if looks_binary(sample):
        raise DataError(
            f"'{path.name}' does not look like a text table: it contains binary data. "
            "Choose a CSV/TSV/TXT, Excel (.xlsx), Parquet or JSON Lines file."
        )
    if decodes(sample, "utf-8"):
        return "utf-8"
    # Excel in Chinese locales saves GBK; gb18030 is its superset and also reads GB2312.
    if decodes(sample, "gb18030") and _mostly_cjk(sample):
        return "gb18030"
    from charset_normalizer import from_bytes

    matches = from_bytes(sample[:65536])
    best = matches.best()
    if best is not None:
        # Equally plausible guesses are common for short Western text: prefer Windows-1252
        # (what Excel writes in Western locales), which also covers Latin-1 letters.
        for match in matches:
            if match.encoding in _WESTERN and match.chaos <= best.chaos + 0.01:
                best = match
                break
    if best is None:
        raise DataError(
            f"Could not tell the text encoding of '{path.name}'. Save it as UTF-8 (in Excel: "
            "'CSV UTF-8'), or set 'data.source.encoding' to the file's encoding."
        )
    name = best.encoding.lower().replace("_", "")
    if name in _GB_NAMES or name.startswith("gb"):
        return "gb18030"
    return codecs.lookup(best.encoding).name


def _mostly_cjk(sample: bytes) -> bool:
    text = codecs.getincrementaldecoder("gb18030")(errors="ignore").decode(sample, final=False)
    high = [ch for ch in text if ord(ch) > 127]
    if not high:
        return False
    cjk = sum(1 for ch in high if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return cjk / len(high) > 0.9


def decode_head(path: Path, encoding: str, sample: bytes | None = None) -> str:
    sample = read_head(path) if sample is None else sample
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)


def detect_delimiter(text: str, suffix: str = "") -> str | None:
    """The delimiter of a delimited text, or None when the lines have one field each."""
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()]
    if len(lines) > 1 and not text.endswith("\n"):
        lines = lines[:-1]  # the last line of the sample may be cut mid-row
    if not lines:
        return "\t" if suffix == ".tsv" else ","
    if suffix == ".tsv" and "\t" in lines[0]:
        return "\t"
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=DELIMITERS)
        if dialect.delimiter in DELIMITERS:
            return dialect.delimiter
    except csv.Error:
        pass
    # The sniffer gives up on quoted fields with embedded delimiters; count fields per line instead.
    best, best_score = None, 0
    for d in DELIMITERS:
        counts = _field_counts(lines[:100], d)
        if counts and counts[0] > 1:
            score = sum(1 for c in counts if c == counts[0]) / len(counts) * counts[0]
            if score > best_score:
                best, best_score = d, score
    return best


def looks_delimited(text: str, delimiter: str | None) -> bool:
    """True when most lines split into the same number (2 or more) of fields: a table, not prose."""
    if delimiter is None:
        return False
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()]
    if len(lines) > 1 and not text.endswith("\n"):
        lines = lines[:-1]
    if len(lines) < 2:
        return False
    counts = _field_counts(lines, delimiter)
    if not counts:
        return False
    width = max(set(counts), key=counts.count)
    return width >= 2 and counts[0] == width and counts.count(width) >= 0.9 * len(counts)


def _field_counts(lines: list[str], delimiter: str) -> list[int]:
    """Fields per row; lines too long for the csv module (a field over its limit) are left
    out, since the full read reports over-long values with their line and column."""
    limit = csv.field_size_limit()
    try:
        return [len(row) for row in csv.reader([ln for ln in lines if len(ln) <= limit], delimiter=delimiter)]
    except csv.Error:  # a quoted field that runs on past the limit
        return []
