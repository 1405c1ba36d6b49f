"""Plain text files for language modelling: read whole, with the encoding detected."""

from __future__ import annotations

from pathlib import Path

from app.core.data import sniff
from app.core.data.errors import DataError
from app.core.data.tables import as_progress, check_not_empty

MIN_TEXT_CHARS = 32


def read_text_file(path: Path, encoding: str | None = None, progress=None) -> str:
    path = Path(path)
    check_not_empty(path)
    report = as_progress(progress)
    report(0.0, f"Reading {path.name}")
    encoding = encoding or sniff.detect_encoding(path)
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"'{path.name}' is not valid {encoding} text (at byte {exc.start}). Set 'data.source.encoding' to the "
            "file's encoding, or save it as UTF-8."
        ) from None
    text = text.replace("\r\n", "\n")
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise DataError(
            f"'{path.name}' holds only {len(text.strip())} characters of text; a language model needs at least "
            f"{MIN_TEXT_CHARS} (and really thousands)."
        )
    report(1.0, f"Read {path.name}")
    return text
