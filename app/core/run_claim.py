"""Claiming a run folder for training: lock it, check it, mark it; undo the claim when nothing ran.

A new run claims its folder before anything is written: the folder is created (or found
empty), locked (:mod:`app.core.run_lock`), checked again under the lock, and marked with
``.modelwright-run`` (who made it, from which project, with which training settings). The
marker tells a run that was killed before its first checkpoint apart from any other folder,
so ``--resume`` can restart it instead of calling it "not a run directory".

Example::

    claim = claim_new_run(out, project_path=project.path, training=config.to_dict())
    try:
        ...                       # train into claim.root
    finally:
        claim.release()           # unlocks; removes the folder again if nothing was written
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from app.core.fileio import atomic_write_json
from app.core.run_lock import LOCK_NAME, RunBusyError, RunLock, acquire_run_lock, read_holder
from app.core.runs import RunDirError, run_paths
from app.core.safety.output_paths import RUN_MARKER, is_run_folder

#: Files of a run that a restart from scratch removes (only these: never anything else in the folder).
RESTART_REMOVES = ("metrics.csv", "summary.json", "checkpoints", "model.safetensors", "tensorboard",
                   "preprocessor.json", "data_info.json")
_BOOKKEEPING = {LOCK_NAME, LOCK_NAME + ".takeover", RUN_MARKER}


@dataclass
class RunClaim:
    """A run folder this process holds the lock of. ``restart``: a resumed run that had not
    reached its first checkpoint, to be trained again from the beginning."""

    root: Path
    lock: RunLock
    created: tuple[Path, ...] = ()
    restart: bool = False

    def release(self) -> None:
        """Unlock the folder. A claim that wrote nothing but its marker is undone (the folder is
        removed again if this claim made it), so a refused or failed start leaves no trace."""
        try:
            if _entries(self.root) - _BOOKKEEPING == set():
                (self.root / RUN_MARKER).unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            self.lock.release()
        _remove_empty(self.created)


def run_marker(run_dir: str | os.PathLike) -> dict:
    """The run's ``.modelwright-run`` contents ({} when absent or unreadable)."""
    try:
        data = json.loads((Path(run_dir) / RUN_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_unstarted_run(run_dir: str | os.PathLike) -> bool:
    """A run folder with neither a checkpoint nor final weights: killed before its first checkpoint."""
    paths = run_paths(run_dir)
    return is_run_folder(paths.root) and not paths.last_checkpoint.is_file() and not paths.weights.is_file()


def claim_new_run(run_dir: str | os.PathLike, *, project_path: str | os.PathLike | None = None,
                  training: dict | None = None, note: Callable[[str], None] | None = None) -> RunClaim:
    """Create (or take an empty) ``run_dir`` for a new run, locked and marked; refuse anything else."""
    run_dir = Path(run_dir)
    if run_dir.exists() and not run_dir.is_dir():
        raise RunDirError(f"'{run_dir}' is a file; --out must name a folder for the run.")
    _check_unused(run_dir)  # a used folder is refused without touching it (its lock included)
    notes: list[str] = []
    for _ in range(3):  # the folder may vanish between mkdir and lock when a competing claim is undone
        created = _make_folder(run_dir)
        try:
            lock = acquire_run_lock(run_dir, note=notes.append)
            break
        except FileNotFoundError:
            continue
        except BaseException:  # a full disk, a busy run: the folder made for the claim goes again
            _remove_empty(created)
            raise
    else:
        raise RunDirError(f"Cannot claim '{run_dir}': it keeps disappearing; try again.")
    claim = RunClaim(run_dir, lock, created=created)
    try:
        _check_unused(run_dir)  # again under the lock: another process may have used it meanwhile
        write_run_marker(run_dir, project_path, training)
    except BaseException:
        claim.lock.release()
        _remove_empty(created)
        raise
    for message in notes if note is not None else ():
        note(message)
    return claim


def _check_unused(run_dir: Path) -> None:
    """Refuse a folder that holds anything but a lock: a run (finished or not) or other files."""
    if not _entries(run_dir) - _BOOKKEEPING and not (run_dir / RUN_MARKER).exists():
        return
    holder = read_holder(run_dir)
    if holder is not None and holder.alive():
        raise RunBusyError(f"'{run_dir}' is being trained by {holder.describe()}; wait for it to finish "
                           "or choose another --out.")
    if is_unstarted_run(run_dir):
        raise RunDirError(f"'{run_dir}' holds a run that stopped before its first checkpoint; restart it "
                          f"from the beginning with --resume '{run_dir}', or choose another --out.")
    raise RunDirError(f"'{run_dir}' already exists and is not empty; choose another --out, "
                      "or continue that run with --resume.")


def claim_run_to_resume(run_dir: str | os.PathLike, *, note: Callable[[str], None] | None = None) -> RunClaim:
    """Lock an existing run for ``--resume``. A run stopped before its first checkpoint is
    cleared (its own files only) and marked ``restart``; ``note`` says so."""
    paths = run_paths(run_dir)
    if not paths.root.is_dir():
        raise RunDirError(f"Run directory '{paths.root}' does not exist; pass the folder a training run wrote.")
    if not is_run_folder(paths.root) and not paths.project.is_file():
        raise RunDirError(f"'{paths.root}' is not a run directory (it has no project.mwproj); "
                          "pass the folder a training run wrote.")
    try:
        lock = acquire_run_lock(paths.root, note=note)
    except FileNotFoundError:
        raise RunDirError(f"Run directory '{paths.root}' does not exist; pass the folder a training run wrote.") from None
    claim = RunClaim(paths.root, lock)
    try:
        if is_unstarted_run(paths.root):
            marker = run_marker(paths.root)
            if not paths.project.is_file() and not marker.get("project"):
                raise RunDirError(f"'{paths.root}' stopped before it saved its project copy and does not name "
                                  "its project; start a new run in another folder.")
            for name in RESTART_REMOVES:
                _remove(paths.root / name)
            if not marker:
                write_run_marker(paths.root, None, None)
            claim.restart = True
            if note is not None:
                note(f"'{paths.root}' stopped before its first checkpoint; it is restarted from the beginning.")
    except BaseException:
        claim.lock.release()
        raise
    return claim


def write_run_marker(run_dir: Path, project_path: str | os.PathLike | None, training: dict | None) -> None:
    """``.modelwright-run``: this folder is a Modelwright run, and what to restart it from."""
    atomic_write_json(run_dir / RUN_MARKER, {
        "producer": "Modelwright", "kind": "run", "format_version": 1,
        "created": datetime.now().isoformat(timespec="seconds"),
        "project": str(Path(project_path).resolve()) if project_path is not None else None,
        "training": training,
    })


def _make_folder(run_dir: Path) -> tuple[Path, ...]:
    """Create ``run_dir`` and missing parents; the folders this call created, innermost first."""
    missing = []
    folder = run_dir.absolute()
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    try:
        run_dir.mkdir(parents=True)
        return tuple(missing)
    except FileExistsError:
        if not run_dir.is_dir():
            raise RunDirError(f"'{run_dir}' is a file; --out must name a folder for the run.") from None
        return ()
    except OSError as exc:
        raise RunDirError(f"Cannot create the run folder '{run_dir}': {exc.strerror or exc}. "
                          "Choose a folder you can write to.") from exc


def _remove_empty(folders: tuple[Path, ...]) -> None:
    """Remove folders a claim created, innermost first, as long as they are empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _entries(folder: Path) -> set[str]:
    try:
        return {entry.name for entry in folder.iterdir() if not _is_temporary(entry.name)}
    except FileNotFoundError:
        return set()


def _is_temporary(name: str) -> bool:
    """The atomic writer's in-flight ``.NAME.*.tmp`` files of the marker."""
    return name.startswith(f".{RUN_MARKER}.") and name.endswith(".tmp")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
