"""Autosave for crash recovery: one recovery file per running app, kept outside the user's folders.

The window saves the open project into a :class:`RecoveryStore` every minute and after each
change; a clean quit (or a save that leaves nothing unsaved) removes the file. A recovery
file whose writer process is no longer running is an *orphan*: the app crashed or was
killed, and the next start offers to restore it. Files of an app still running (a second
window on the same machine) are left alone.

A recovery file is plain JSON (never a pickle), written atomically::

    {"format": "modelwright-recovery", "version": 1, "pid": 4242, "process_started": 1.7e9,
     "saved_at": 1.7e9, "original_path": "/home/ana/iris.mwproj" | null, "name": "iris",
     "project": {... the project file's JSON, data path made absolute ...},
     "label_overrides": {"12": "setosa"}}

Example::

    store = RecoveryStore(app_data / "recovery")
    store.save(project, overrides)            # on every change
    for entry in store.orphans():              # at start
        project, overrides = entry.load()
    store.discard()                            # on a clean quit
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ModelwrightError
from app.core.fileio import atomic_write_json
from app.core.project import Project, ProjectError, project_from_dict

FORMAT = "modelwright-recovery"
VERSION = 1
SUFFIX = ".mwrecover"


class RecoveryError(ModelwrightError):
    """A recovery file that cannot be read back."""


def _process_started(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), None when unknown or gone."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with the app's dependencies
        return None
    try:
        return float(psutil.Process(pid).create_time())
    except (psutil.Error, OSError, ValueError):
        return None


def process_alive(pid: int, started: float | None) -> bool:
    """True when ``pid`` is running and is the same process that started at ``started``
    (a recycled process id of an unrelated program does not count)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    now_started = _process_started(pid)
    if now_started is not None:
        return started is None or abs(now_started - started) < 2.0
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:  # another user's process: alive, not ours to judge
            return True
        return started is None  # alive, but without psutil the start time cannot be compared
    return False


@dataclass(frozen=True)
class RecoveryEntry:
    """One recovery file found on disk."""

    file: Path
    name: str
    original_path: Path | None
    saved_at: float
    pid: int
    process_started: float | None

    def load(self) -> tuple[Project, dict[int, str]]:
        """The autosaved project (its ``path`` is the original file, if it had one) and label overrides."""
        raw = _read(self.file)
        try:
            project = project_from_dict(raw.get("project"), self.original_path)
        except ProjectError as exc:
            raise RecoveryError(f"The autosaved copy of '{self.name}' cannot be restored: {exc}") from exc
        overrides = {}
        for key, value in (raw.get("label_overrides") or {}).items():
            if isinstance(value, str) and str(key).lstrip("-").isdigit():
                overrides[int(key)] = value
        return project, overrides


def _read(file: Path) -> dict:
    try:
        raw = json.loads(Path(file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecoveryError(f"The recovery file '{file}' cannot be read ({exc}).") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise RecoveryError(f"'{file}' is not a Modelwright recovery file.")
    if not isinstance(raw.get("version"), int) or raw["version"] > VERSION:
        raise RecoveryError(f"'{file}' was written by a newer Modelwright; update the app to restore it.")
    return raw


def _entry(file: Path) -> RecoveryEntry:
    raw = _read(file)
    original = raw.get("original_path")
    pid = raw.get("pid")
    started = raw.get("process_started")
    saved_at = raw.get("saved_at")
    return RecoveryEntry(
        file=Path(file),
        name=str(raw.get("name") or "untitled"),
        original_path=Path(original) if isinstance(original, str) and original else None,
        saved_at=float(saved_at) if isinstance(saved_at, (int, float)) else 0.0,
        pid=pid if isinstance(pid, int) and not isinstance(pid, bool) else -1,
        process_started=float(started) if isinstance(started, (int, float)) else None,
    )


class RecoveryStore:
    """The recovery files in ``folder``; this process writes only its own one."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self.pid = os.getpid()
        self.process_started = _process_started(self.pid)
        self.file = self.folder / f"{self.pid}-{secrets.token_hex(4)}{SUFFIX}"

    def save(self, project: Project, label_overrides: dict[int, str] | None = None) -> Path:
        """Write ``project`` as this process's recovery file (atomically) and return its path."""
        raw = project.to_dict()
        data_path = project.data_path()
        if data_path is not None:  # the recovery folder is elsewhere: keep the data reachable
            raw["data"] = {**raw["data"], "source": {**raw["data"]["source"],
                                                     "path": os.path.normpath(os.path.abspath(data_path))}}
        record = {
            "format": FORMAT, "version": VERSION, "pid": self.pid, "process_started": self.process_started,
            "saved_at": time.time(), "original_path": str(project.path) if project.path is not None else None,
            "name": project.name, "project": raw,
            "label_overrides": {str(k): v for k, v in (label_overrides or {}).items()},
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write_json(self.file, record)
        return self.file

    def discard(self) -> None:
        """Remove this process's recovery file (nothing is left to recover)."""
        self.file.unlink(missing_ok=True)

    def orphans(self) -> list[RecoveryEntry]:
        """Recovery files left by app processes that are no longer running, newest first.

        Unreadable files are skipped (they stay on disk, see :meth:`unreadable`)."""
        found = []
        for file in self._files():
            try:
                entry = _entry(file)
            except RecoveryError:
                continue
            if not process_alive(entry.pid, entry.process_started):
                found.append(entry)
        return sorted(found, key=lambda e: e.saved_at, reverse=True)

    def unreadable(self) -> list[Path]:
        """Recovery files that cannot be read (damaged or from a newer app)."""
        bad = []
        for file in self._files():
            try:
                _entry(file)
            except RecoveryError:
                bad.append(file)
        return bad

    def remove(self, entry: RecoveryEntry | Path) -> None:
        Path(entry.file if isinstance(entry, RecoveryEntry) else entry).unlink(missing_ok=True)

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob(f"*{SUFFIX}") if p.is_file() and p != self.file)
