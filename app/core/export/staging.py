"""Write an export into a hidden folder next to its destination and rename it at the end.

So a failed, cancelled or refused export never leaves a half-written folder where the user
asked for one, and an existing export is only replaced once the new one is complete.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from app.core.export.errors import ExportError
from app.core.fileio import STALE_TEMPORARY_SECONDS, disk_full_error, sweep_stale_siblings
from app.core.safety.output_paths import OutputPathError, check_output_folder


def check_destination(out: Path, overwrite: bool, inputs: Iterable[str | os.PathLike] = ()) -> None:
    """Refuse a destination that is a file, a non-empty folder unless ``overwrite``, and with it
    anything but an earlier export that holds none of ``inputs`` (see
    :func:`app.core.safety.output_paths.check_output_folder`)."""
    try:
        check_output_folder(out, overwrite=overwrite, inputs=inputs)
    except OutputPathError as exc:
        raise ExportError(str(exc)) from None


def sweep_stale_staging(out: str | os.PathLike, older_than: float = STALE_TEMPORARY_SECONDS) -> list[Path]:
    """Remove ``.NAME.*.partial`` folders beside ``out`` left by exports that were killed (the
    folders' counterpart of :func:`app.core.fileio.sweep_stale_temporaries`); returns them."""
    def remove(path: Path) -> None:
        if not path.is_dir() or path.is_symlink():
            raise NotADirectoryError(path)  # not a staging folder of ours: leave it
        shutil.rmtree(path)

    return sweep_stale_siblings(out, ".partial", remove, older_than)


@contextmanager
def staged_folder(out: str | os.PathLike, *, overwrite: bool = False,
                  inputs: Iterable[str | os.PathLike] = ()) -> Iterator[Path]:
    """Yield an empty hidden folder beside ``out``; on success it becomes ``out``, else it is deleted."""
    out = Path(out).absolute()
    inputs = list(inputs)
    check_destination(out, overwrite, inputs)
    sweep_stale_staging(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    except OSError as exc:
        raise ExportError(f"Cannot write the export to '{out}': {exc.strerror or exc}. "
                          "Choose a folder you can write to.") from exc
    try:
        yield staging
        check_destination(out, overwrite, inputs)  # the folder may have changed while the export ran
        _publish(staging, out)
    except BaseException as exc:
        full = disk_full_error(exc, out) if isinstance(exc, Exception) else None
        shutil.rmtree(staging, ignore_errors=True)
        if full is not None and full is not exc:
            raise full from exc
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


def write_export_manifest(folder: Path, result, **fields) -> None:
    """``export.json``: what was written, and ``"producer": "Modelwright"``, the mark that lets a
    later ``--force`` replace this folder (and nothing else)."""
    manifest = {"format_version": 1, "producer": "Modelwright", **fields, **result.to_dict(),
                "path": Path(result.path).name}
    (folder / "export.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
