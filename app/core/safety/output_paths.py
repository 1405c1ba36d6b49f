"""Which paths an output may be written to or replace: the one rule behind every overwrite.

An output path comes from the user (``--out``, a Save dialog) and may name anything: the
project's own folder, the run being exported, the data being predicted on, the home folder.
Replacing one of those would destroy the user's work, so every command with an overwrite
flag (``export --force``, ``predict --force``, ``new --force``, the GUI's Replace) asks
:func:`check_output_folder` or :func:`check_output_file` first. A folder is only ever
replaced when Modelwright wrote it (an export carries ``export.json`` saying so), and never
when it is, or holds, something the command reads.

Example::

    check_output_folder("exports/iris", overwrite=True, inputs=[run_dir, data_csv])
    check_output_file("predictions.csv", overwrite=False, inputs=[data_csv])
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from app.core.errors import ModelwrightError

#: Written by every export: its ``producer`` says Modelwright wrote the folder.
EXPORT_MANIFEST = "export.json"
#: Written into every run folder when training claims it (see :mod:`app.core.run_lock`).
RUN_MARKER = ".modelwright-run"
PROJECT_SUFFIX = ".mwproj"


class OutputPathError(ModelwrightError):
    """An output path that would overwrite something it must not; nothing was written."""


def is_export_folder(folder: str | os.PathLike) -> bool:
    """True when ``folder`` holds an ``export.json`` that Modelwright wrote."""
    try:
        manifest = json.loads((Path(folder) / EXPORT_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("producer") == "Modelwright"


def is_run_folder(folder: str | os.PathLike) -> bool:
    """True for a training run's folder: it carries the run marker, or (runs written before the
    marker existed) a project copy next to the run's data preparation or checkpoints."""
    folder = Path(folder)
    if (folder / RUN_MARKER).is_file():
        return True
    return (folder / "project.mwproj").is_file() and any(
        (folder / name).exists() for name in ("preprocessor.json", "checkpoints", "summary.json"))


def project_inputs(project_file: str | os.PathLike) -> list[Path]:
    """A project file and the data it reads (best effort: an unreadable project gives just itself)."""
    project_file = Path(project_file)
    found = [project_file]
    try:
        raw = json.loads(project_file.read_text(encoding="utf-8"))
        source = raw["data"]["source"]["path"]
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return found
    if isinstance(source, str) and source:
        data = Path(source)
        found.append(data if data.is_absolute() else project_file.parent / data)
    return found


def run_inputs(run_dir: str | os.PathLike) -> list[Path]:
    """A run folder, the data its project reads, and the project file it was trained from."""
    run_dir = Path(run_dir)
    found = [run_dir, *project_inputs(run_dir / "project.mwproj")[1:]]
    try:
        marker = json.loads((run_dir / RUN_MARKER).read_text(encoding="utf-8"))
        if isinstance(marker, dict) and isinstance(marker.get("project"), str):
            found += project_inputs(marker["project"])
    except (OSError, ValueError):
        pass
    return found


def check_output_folder(out: str | os.PathLike, *, overwrite: bool, inputs: Iterable[str | os.PathLike] = (),
                        option: str = "--force") -> None:
    """Refuse to write the folder ``out`` where that would destroy something.

    A file is never replaced by a folder. An existing, non-empty folder is replaced only with
    ``overwrite``, only when it is an export Modelwright wrote, and never when it is (or
    holds) one of ``inputs``, a training run, the home folder, the working folder or a
    file-system root.
    """
    out = _absolute(out)
    if out.exists() and not out.is_dir():
        raise OutputPathError(f"'{out}' is a file; this output is a folder. Choose a folder name instead.")
    if not out.is_dir() or not _has_entries(out):
        return
    if not overwrite:
        raise OutputPathError(f"The folder '{out}' already exists and is not empty; choose another folder "
                              f"or allow replacing it ({option}).")
    _refuse_protected_folder(out, inputs)
    if not is_export_folder(out):
        raise OutputPathError(f"'{out}' was not written by a Modelwright export (it has no export.json from "
                              "Modelwright), so it is not replaced; choose another folder.")
    for project in _projects_the_export_did_not_write(out):
        raise OutputPathError(f"'{out}' holds the project file '{project}', which the export did not write; "
                              "it is not replaced. Move the project out or choose another folder.")


def check_output_file(out: str | os.PathLike, *, overwrite: bool, inputs: Iterable[str | os.PathLike] = (),
                      allow_project: bool = False, option: str = "--force") -> None:
    """Refuse to write the file ``out`` where that would destroy something.

    Never over one of ``inputs`` (the data being read) or a file inside an input folder, a
    file of a training run, or (unless ``allow_project``: ``new`` writes projects) a project
    file; an existing file only with ``overwrite``.
    """
    out = _absolute(out)
    if out.is_dir():
        raise OutputPathError(f"'{out}' is a folder; choose a file name for this output.")
    for path in inputs:
        if _same_path(out, path):
            raise OutputPathError(f"'{out}' is the input being read; writing there would destroy it. "
                                  "Choose another output file.")
        if out.exists() and Path(path).is_dir() and _contains(Path(os.path.realpath(path)), out):
            raise OutputPathError(f"'{out}' belongs to '{path}', which is being read; it is not replaced. "
                                  "Choose another output file.")
    if not allow_project and out.suffix.lower() == PROJECT_SUFFIX:
        raise OutputPathError(f"'{out}' is a project file name ({PROJECT_SUFFIX}); choose a .csv file for this output.")
    if out.exists() and is_run_folder(out.parent):
        raise OutputPathError(f"'{out}' is a file of the training run '{out.parent}'; it is not replaced. "
                              "Choose a file outside the run folder.")
    if out.exists() and not overwrite:
        raise OutputPathError(f"'{out}' already exists; choose another file or allow replacing it ({option}).")


def _refuse_protected_folder(out: Path, inputs: Iterable[str | os.PathLike]) -> None:
    real = Path(os.path.realpath(out))
    if real.parent == real:
        raise OutputPathError(f"'{out}' is the root of the file system; it is never replaced. Choose another folder.")
    for label, path in (("your home folder", Path.home()), ("the current working folder", Path.cwd())):
        if _contains(real, path):
            raise OutputPathError(f"'{out}' is or holds {label} ({path}); it is never replaced. "
                                  "Choose another folder.")
    for path in inputs:
        if _contains(real, path):
            raise OutputPathError(f"'{out}' is or holds '{path}', which this command reads; it is not replaced. "
                                  "Choose another folder.")
    if is_run_folder(real):
        raise OutputPathError(f"'{out}' is a training run; it is not replaced. Choose another folder.")


def _projects_the_export_did_not_write(folder: Path) -> list[Path]:
    """Project files saved into an export folder after the export (a bundle's own copy is listed)."""
    try:
        listed = json.loads((folder / EXPORT_MANIFEST).read_text(encoding="utf-8")).get("files") or []
    except (OSError, ValueError, AttributeError):
        listed = []
    written = {str(name).rstrip("/") for name in listed if isinstance(name, str)}
    return [path for path in folder.rglob(f"*{PROJECT_SUFFIX}")
            if path.relative_to(folder).as_posix() not in written]


def _absolute(path: str | os.PathLike) -> Path:
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def _has_entries(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except OSError:
        return True  # unreadable: treat as holding something


def _contains(folder: Path, path: str | os.PathLike) -> bool:
    """True when ``path`` is ``folder`` or lies inside it (links and ``..`` resolved)."""
    try:
        Path(os.path.realpath(path)).relative_to(folder)
        return True
    except ValueError:
        return False


def _same_path(a: Path, b: str | os.PathLike) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)
