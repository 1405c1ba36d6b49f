"""Atomic file writes: a reader (or a crash) never sees a half-written file.

Everything Modelwright saves for the user (projects, run summaries, predictions, exports)
goes through these helpers: write a temporary file in the same folder, flush and fsync it,
then ``os.replace`` it over the target, which is atomic on every platform we support.
A process killed between the two steps leaves only its hidden temporary file behind (the
target is whole); the next save of the same file sweeps such leftovers once they are stale.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

#: A temporary file this old belongs to no save still in progress (saves take seconds).
STALE_TEMPORARY_SECONDS = 3600.0


@contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """Open a temporary sibling of ``path``; on success it replaces ``path``, on error it is removed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    binary = "b" in mode
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(target.parent)
    sweep_stale_temporaries(target)


def sweep_stale_temporaries(target: str | os.PathLike, older_than: float = STALE_TEMPORARY_SECONDS) -> list[Path]:
    """Remove ``.NAME.*.tmp`` siblings of ``target`` left by saves that were killed; returns them."""
    target = Path(target)
    pattern = os.path.join(glob.escape(str(target.parent)), f".{glob.escape(target.name)}.*.tmp")
    removed = []
    now = time.time()
    for name in glob.glob(pattern):
        path = Path(name)
        try:
            if now - path.stat().st_mtime > older_than:
                path.unlink()
                removed.append(path)
        except OSError:  # gone already, or not ours to remove: leave it
            continue
    return removed


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a power cut then keeps the new file, not an empty name."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on folders; the data itself is already synced
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    with atomic_open(path, "w", encoding=encoding, newline="") as handle:
        handle.write(text)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def atomic_write_json(path: str | os.PathLike, obj) -> None:
    """Write ``obj`` as pretty, UTF-8 JSON (Chinese stays readable, not \\u-escaped)."""
    atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
