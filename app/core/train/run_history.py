"""The runs of a project (its ``runs/`` folder) for the run history: list, compare, rename, delete.

Qt-free so the CLI or a script can use it too. A run is any folder under ``runs/`` (or, for a
project, under ``runs/<project-stem>/``) holding a ``project.mwproj``; one still training (no
summary yet) is listed with status ``running``. Projects saved in one folder share its
``runs/``: given the project, only its own runs are listed (see :func:`belongs_to`). A long session piles up hundreds of runs, so :class:`RunIndex` re-reads only the
runs whose files changed since it last looked.

Example::

    for run in list_runs(Path("iris.mwproj").parent, project=Path("iris.mwproj")):
        print(run.name, run.status, run.final.get("val_accuracy"))
    settings_diff(a.settings, b.settings)    # [("optimizer.lr", 0.001, 0.01), ...]

    index = RunIndex()
    index.scan(folder)          # every run, read once
    index.scan(folder)          # only stats the files; re-reads runs that changed
    index.update(run_dir)       # one run (just started or finished)
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import ModelwrightError
from app.core.runs import read_metrics, run_paths
from app.core.safety.output_paths import RUN_MARKER

RUNS_FOLDER = "runs"
_BAD_NAME = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")


class RunHistoryError(ModelwrightError):
    """A run cannot be renamed or deleted as asked."""


@dataclass
class RunInfo:
    path: Path
    name: str
    status: str
    settings: dict = field(default_factory=dict)
    final: dict = field(default_factory=dict)
    best: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    modified: float = 0.0
    source_project: str | None = None  # the project file its marker names (absolute), if any
    project_name: str | None = None  # the "name" in its project.mwproj, if any

    def metrics(self) -> list[dict[str, float]]:
        """The rows of the run's metrics.csv (for overlaying its curves)."""
        return read_metrics(self.path)


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def read_run(path: Path) -> RunInfo | None:
    paths = run_paths(path)
    if not paths.project.is_file():
        return None
    project = _read_json(paths.project)
    summary = _read_json(paths.summary)
    status = summary.get("status") or ("running" if paths.metrics.exists() or paths.checkpoints.exists() else "started")
    try:
        modified = max(p.stat().st_mtime for p in (paths.summary, paths.metrics, paths.project) if p.exists())
    except (OSError, ValueError):
        modified = 0.0
    best = summary.get("best") or {}
    # The diagnosis is most of a summary and is read from the run itself when shown; a list
    # of hundreds of runs need not hold it.
    summary.pop("diagnosis", None)
    source = _read_json(paths.root / RUN_MARKER).get("project")
    name = project.get("name")
    return RunInfo(path=paths.root, name=paths.root.name, status=status,
                   settings=project.get("training") or {}, final=summary.get("final") or {},
                   best=best, summary=summary, modified=modified,
                   source_project=source if isinstance(source, str) and source else None,
                   project_name=name.strip() if isinstance(name, str) and name.strip() else None)


def belongs_to(run: RunInfo, project: str | os.PathLike, project_name: str | None = None) -> bool:
    """Whether ``run`` was trained from ``project`` (a project file beside its ``runs/``).

    In order: the project file the run's marker names, when that file is still beside the
    project; the ``runs/<stem>/`` subfolder it lies in; the name in its ``project.mwproj``
    (runs of older versions, all in ``runs/``). A run that says none of these is listed for
    every project of the folder rather than hidden."""
    project = Path(project).resolve()
    if run.source_project is not None:
        source = Path(run.source_project)
        if source.parent == project.parent and source.is_file():
            return source.name == project.name
    runs_root = project.parent / RUNS_FOLDER
    if run.path.parent != runs_root and run.path.parent.parent == runs_root:
        return run.path.parent.name == project.stem
    if run.project_name is not None and project_name:
        return run.project_name == project_name.strip()
    return True


def list_runs(project_folder: str | os.PathLike, project: str | os.PathLike | None = None,
              project_name: str | None = None) -> list[RunInfo]:
    """The runs under ``project_folder/runs``, newest first; given ``project``, only its own."""
    return RunIndex().scan(project_folder, project, project_name)


def _newest_first(runs) -> list[RunInfo]:
    return sorted(runs, key=lambda r: (r.modified, r.name), reverse=True)


def _signature(path: Path) -> tuple | None:
    """What changes when a run's listed facts can change: its three files' sizes, times and inodes
    (an atomic save is a new inode)."""
    paths = run_paths(path)
    stamps = []
    for file in (paths.project, paths.summary, paths.metrics):
        try:
            st = file.stat()
            stamps.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            stamps.append(None)
    return None if stamps[0] is None else tuple(stamps)


class RunIndex:
    """The runs of one project folder, remembered between looks: :meth:`scan` stats every run's
    files and reads only the new or changed ones; :meth:`update` reads one run."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple, RunInfo]] = {}
        self.reads = 0  # runs read from disk so far (what the cache saves is visible in tests)
        self._root: Path | None = None
        self._project: Path | None = None
        self._project_name: str | None = None

    def scan(self, project_folder: str | os.PathLike, project: str | os.PathLike | None = None,
             project_name: str | None = None) -> list[RunInfo]:
        """The runs under ``project_folder/runs``, newest first. Given ``project`` (its file),
        also those under ``runs/<project-stem>/``, and only the project's own (:func:`belongs_to`)."""
        self._root = Path(project_folder).resolve() / RUNS_FOLDER
        self._project = Path(project).resolve() if project is not None else None
        self._project_name = project_name
        folders = _run_candidates(self._root)
        if self._project is not None:
            folders += _run_candidates(self._root / self._project.stem)
        entries: dict[Path, tuple[tuple, RunInfo]] = {}
        for folder in folders:
            entry = self._read_if_changed(folder)
            if entry is not None:
                entries[folder] = entry
        self._entries = entries
        return _newest_first(info for _, info in entries.values() if self.lists(info))

    def lists(self, run: RunInfo) -> bool:
        """Whether the last :meth:`scan` would list ``run`` (its folder and its project)."""
        if self._root is None:
            return False
        if self._project is None:
            return run.path.parent == self._root
        return (run.path.parent in (self._root, self._root / self._project.stem)
                and belongs_to(run, self._project, self._project_name))

    def update(self, run_dir: str | os.PathLike) -> RunInfo | None:
        """Re-read one run (None when it is not, or no longer, a run folder)."""
        folder = Path(run_dir).resolve()
        entry = self._read_if_changed(folder)
        if entry is None:
            self._entries.pop(folder, None)
            return None
        self._entries[folder] = entry
        return entry[1]

    def _read_if_changed(self, folder: Path) -> tuple[tuple, RunInfo] | None:
        signature = _signature(folder)
        if signature is None:
            return None
        known = self._entries.get(folder)
        if known is not None and known[0] == signature:
            return known
        info = read_run(folder)
        self.reads += 1
        return None if info is None else (signature, info)


def _run_candidates(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []
    except OSError:
        return []


def flatten(settings: dict, prefix: str = "") -> dict:
    """``{"optimizer": {"lr": 0.1}}`` -> ``{"optimizer.lr": 0.1}`` (lists kept as values)."""
    out: dict = {}
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def settings_diff(a: dict, b: dict) -> list[tuple[str, object, object]]:
    """The settings that differ between two runs as ``(name, value in a, value in b)``,
    comparing effective values (engine defaults filled in) so an absent key and its
    default are the same."""
    from app.core.train.config import TrainConfig

    def effective(d: dict) -> dict:
        try:
            return flatten(TrainConfig.from_dict(d).to_dict())
        except ModelwrightError:
            return flatten(d)

    fa, fb = effective(a), effective(b)
    return [(k, fa.get(k), fb.get(k)) for k in sorted(set(fa) | set(fb)) if fa.get(k) != fb.get(k)]


def rename_run(path: str | os.PathLike, new_name: str) -> Path:
    """Rename a run folder (in place, same parent); returns the new path."""
    path = Path(path)
    name = new_name.strip()
    if not name or name in (".", "..") or _BAD_NAME.search(name):
        raise RunHistoryError(f"'{new_name}' cannot be a run name; use letters, digits, dashes or spaces "
                              "(no / \\ : * ? \" < > |).")
    target = path.parent / name
    if target.exists():
        raise RunHistoryError(f"A run named '{name}' already exists; choose another name.")
    if not run_paths(path).project.is_file():
        raise RunHistoryError(f"'{path}' is not a run folder (it has no project.mwproj).")
    path.rename(target)
    return target


def delete_run(path: str | os.PathLike) -> None:
    """Delete a run folder; refuses anything that is not a run folder under ``runs/`` (or a
    project's ``runs/<stem>/``)."""
    path = Path(path)
    under_runs = RUNS_FOLDER in (path.parent.name, path.parent.parent.name)
    if not under_runs or not run_paths(path).project.is_file():
        raise RunHistoryError(f"'{path}' is not a run folder of a project; nothing was deleted.")
    shutil.rmtree(path)
