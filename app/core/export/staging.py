"""Write an export into a hidden folder next to its destination and rename it at the end.

So a failed, cancelled or refused export never leaves a half-written folder where the user
asked for one, and an existing export is only replaced once the new one is complete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from app.core.export.errors import ExportError


def check_destination(out: Path, overwrite: bool) -> None:
    """Refuse a destination that is a file, or a non-empty folder unless ``overwrite``."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"'{out}' is a file; exports are folders. Choose a folder name for --out.")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise ExportError(f"The folder '{out}' already exists and is not empty; choose another folder "
                          "or allow replacing it (--force).")


@contextmanager
def staged_folder(out: str | os.PathLike, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield an empty hidden folder beside ``out``; on success it becomes ``out``, else it is deleted."""
    out = Path(out).absolute()
    check_destination(out, overwrite)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    except OSError as exc:
        raise ExportError(f"Cannot write the export to '{out}': {exc.strerror or exc}. "
                          "Choose a folder you can write to.") from exc
    try:
        yield staging
        _publish(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _publish(staging: Path, out: Path) -> None:
    """Move the finished folder into place; an old export there is removed only after that."""
    old = None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; the export is an ordinary folder
    for path in staging.rglob("*"):
        if path.is_file():
            os.chmod(path, 0o666 & ~umask)
    try:
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
        os.replace(staging, out)
    except OSError as exc:
        if old is not None and not out.exists():
            os.replace(old, out)
        raise ExportError(f"Cannot move the finished export into '{out}': {exc.strerror or exc}.") from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
