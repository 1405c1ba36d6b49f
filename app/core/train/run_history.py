"""The runs of a project (its ``runs/`` folder) for the run history: list, compare, rename, delete.

Qt-free so the CLI or a script can use it too. A run is any folder under ``runs/`` holding
a ``project.mwproj``; one still training (no summary yet) is listed with status
``running``.

Example::

    for run in list_runs(Path("iris.mwproj").parent):
        print(run.name, run.status, run.final.get("val_accuracy"))
    settings_diff(a.settings, b.settings)    # [("optimizer.lr", 0.001, 0.01), ...]
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
    return RunInfo(path=paths.root, name=paths.root.name, status=status,
                   settings=project.get("training") or {}, final=summary.get("final") or {},
                   best=best, summary=summary, modified=modified)


def list_runs(project_folder: str | os.PathLike) -> list[RunInfo]:
    """The runs under ``project_folder/runs``, newest first."""
    root = Path(project_folder) / RUNS_FOLDER
    if not root.is_dir():
        return []
    runs = [run for run in (read_run(p) for p in root.iterdir() if p.is_dir()) if run is not None]
    runs.sort(key=lambda r: (r.modified, r.name), reverse=True)
    return runs


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
    """Delete a run folder; refuses anything that is not a run folder under ``runs/``."""
    path = Path(path)
    if path.parent.name != RUNS_FOLDER or not run_paths(path).project.is_file():
        raise RunHistoryError(f"'{path}' is not a run folder of a project; nothing was deleted.")
    shutil.rmtree(path)
