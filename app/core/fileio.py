"""Atomic file writes: a reader (or a crash) never sees a half-written file.

Everything Modelwright saves for the user (projects, run summaries, predictions, exports)
goes through these helpers: write a temporary file in the same folder, flush and fsync it,
then ``os.replace`` it over the target, which is atomic on every platform we support.
A process killed between the two steps leaves only its hidden temporary file behind (the
target is whole); the next save of the same file sweeps such leftovers once they are stale.
"""

from __future__ import annotations

import errno
import glob
import json
import math
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from app.core.errors import ModelwrightError

#: A temporary file this old belongs to no save still in progress (saves take seconds).
STALE_TEMPORARY_SECONDS = 3600.0

#: The errors a full disk (or a full quota) gives.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
#: torch.save reports a failed write as a RuntimeError from its zip writer, without the errno.
_TORCH_WRITE_FAILURES = ("inline_container", "file write failed", "unexpected pos")
#: With less free space than this, a write that failed without saying why failed for lack of space.
_NEARLY_FULL_BYTES = 16 * 2**20


class DiskFullError(ModelwrightError, OSError):
    """The disk (or the user's quota) ran out while saving; nothing was changed.

    Also an ``OSError`` (errno ENOSPC), so code that handles failed writes keeps doing so.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.errno = errno.ENOSPC


def _free_bytes(folder: Path) -> int | None:
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


def disk_full_error(exc: BaseException, path: str | os.PathLike, written: int = 0) -> DiskFullError | None:
    """A :class:`DiskFullError` naming ``path`` when ``exc`` means the disk is full, else None.

    ``written`` is how many bytes of ``path`` were written before the failure: at least that
    much must be freed.
    """
    if isinstance(exc, DiskFullError):
        return exc
    target = Path(path)
    folder = target if target.is_dir() else target.parent
    free = _free_bytes(folder)
    chain, seen = exc, set()
    full = False
    while chain is not None and id(chain) not in seen:  # torch may wrap the OSError
        seen.add(id(chain))
        if isinstance(chain, OSError) and chain.errno in DISK_FULL_ERRNOS:
            full = True
            break
        if isinstance(chain, RuntimeError) and any(m in str(chain) for m in _TORCH_WRITE_FAILURES):
            full = free is not None and free < _NEARLY_FULL_BYTES
            break
        chain = chain.__cause__ or chain.__context__
    if not full:
        return None
    need = max(1, math.ceil(max(written, 0) / 1e6))
    left = f" ({free / 1e6:.1f} MB left)" if free is not None else ""
    return DiskFullError(
        f"The disk holding '{folder}' is full{left}, so '{target.name}' could not be saved; nothing was "
        f"changed. Free at least {need} MB there (or choose a folder on another disk) and try again."
    )


@contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """Open a temporary sibling of ``path``; on success it replaces ``path``, on error it is removed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    binary = "b" in mode
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        full = disk_full_error(exc, target)
        if full is not None:
            raise full from exc
        raise
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException as exc:
        full = None
        if isinstance(exc, Exception):  # judged before the temporary file gives its space back
            try:
                written = os.path.getsize(tmp_name)
            except OSError:
                written = 0
            full = disk_full_error(exc, target, written)
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        if full is not None and full is not exc:
            raise full from exc
        raise
    _fsync_folder(target.parent)
    sweep_stale_temporaries(target)


def sweep_stale_temporaries(target: str | os.PathLike, older_than: float = STALE_TEMPORARY_SECONDS) -> list[Path]:
    """Remove ``.NAME.*.tmp`` siblings of ``target`` left by saves that were killed; returns them."""
    return sweep_stale_siblings(target, ".tmp", lambda path: path.unlink(), older_than)


def sweep_stale_siblings(target: str | os.PathLike, suffix: str, remove, older_than: float = STALE_TEMPORARY_SECONDS,
                         ) -> list[Path]:
    """Call ``remove`` on each ``.NAME.*<suffix>`` sibling of ``target`` older than ``older_than``
    seconds (what a killed save or export leaves; a younger one may belong to a save still
    going). A sibling that vanished or cannot be removed is left alone. Returns those removed."""
    target = Path(target)
    pattern = os.path.join(glob.escape(str(target.parent)), f".{glob.escape(target.name)}.*{glob.escape(suffix)}")
    removed = []
    now = time.time()
    for name in glob.glob(pattern):
        path = Path(name)
        try:
            if now - path.lstat().st_mtime > older_than:
                remove(path)
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
