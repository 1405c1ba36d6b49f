"""The run directory: where a training run keeps everything it produced.

Layout (the contract other tools read)::

    RUN_DIR/
      project.mwproj        the project exactly as trained
      metrics.csv           epoch, step, train_loss, val_loss, val_<metric>..., lr, seconds
      summary.json          status, final and best metrics, device, parameters, elapsed time
      checkpoints/last.pt   resumable state (torch.load(..., weights_only=True))
      checkpoints/best.pt   the same, at the best monitored metric
      model.safetensors     final weights
      preprocessor.json     fitted data preparation (for evaluate/predict/export)
      data_info.json        shape of the prepared data
      tensorboard/          event files, when TensorBoard logging is on

Every file is written atomically (temporary file, fsync, rename), so a crash or ``kill -9``
never leaves a half-written file behind.
"""

from __future__ import annotations

import csv
import json
import math
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.core.errors import ModelwrightError
from app.core.fileio import atomic_open


class RunDirError(ModelwrightError):
    """A run directory is missing, incomplete or unreadable."""


@dataclass(frozen=True)
class RunPaths:
    """The paths of one run directory (nothing is created by building this)."""

    root: Path

    @property
    def project(self) -> Path:
        return self.root / "project.mwproj"

    @property
    def metrics(self) -> Path:
        return self.root / "metrics.csv"

    @property
    def summary(self) -> Path:
        return self.root / "summary.json"

    @property
    def checkpoints(self) -> Path:
        return self.root / "checkpoints"

    @property
    def last_checkpoint(self) -> Path:
        return self.checkpoints / "last.pt"

    @property
    def best_checkpoint(self) -> Path:
        return self.checkpoints / "best.pt"

    @property
    def weights(self) -> Path:
        return self.root / "model.safetensors"

    @property
    def preprocessor(self) -> Path:
        return self.root / "preprocessor.json"

    @property
    def data_info(self) -> Path:
        return self.root / "data_info.json"

    @property
    def tensorboard(self) -> Path:
        return self.root / "tensorboard"


def run_paths(run_dir: str | os.PathLike) -> RunPaths:
    return RunPaths(Path(run_dir))


def default_run_dir(project_path: str | os.PathLike, now: datetime | None = None, *, kind: str = "") -> Path:
    """``runs/<project-stem>/[<kind>-]<YYYYmmdd-HHMMSS>`` next to the project file (never an
    existing one): each project of a folder keeps its runs in its own subfolder, so two projects
    saved side by side never list each other's runs."""
    project_path = Path(project_path)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    label = f"{kind}-{stamp}" if kind else stamp
    base = project_path.resolve().parent / "runs" / project_path.stem / label
    candidate, n = base, 2
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    return candidate


def open_run(run_dir: str | os.PathLike, *, need_weights: bool = False) -> RunPaths:
    """Check that ``run_dir`` is a run directory (and has final weights when asked)."""
    paths = run_paths(run_dir)
    if not paths.root.is_dir():
        raise RunDirError(f"Run directory '{paths.root}' does not exist; pass the folder a training run wrote.")
    if not paths.project.is_file():
        raise RunDirError(f"'{paths.root}' is not a run directory (it has no project.mwproj); "
                          "pass the folder a training run wrote.")
    if need_weights and not paths.weights.is_file():
        raise RunDirError(f"Run '{paths.root}' has no trained weights (model.safetensors); "
                          "train it to the end or resume it with --resume first.")
    return paths


def find_checkpoint(run_dir: str | os.PathLike, which: str = "last") -> Path:
    """The path of the ``last`` or ``best`` checkpoint, or a plain error when there is none."""
    if which not in ("last", "best"):
        raise RunDirError(f"Unknown checkpoint '{which}'; expected last or best.")
    paths = run_paths(run_dir)
    path = paths.last_checkpoint if which == "last" else paths.best_checkpoint
    if not path.is_file():
        raise RunDirError(f"Run '{paths.root}' has no {which} checkpoint ({path.name}); "
                          "it stopped before the first checkpoint was saved, start a new run instead.")
    return path


def read_summary(run_dir: str | os.PathLike) -> dict:
    paths = run_paths(run_dir)
    try:
        return json.loads(paths.summary.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunDirError(f"Run '{paths.root}' has no summary.json yet; it has not finished.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunDirError(f"'{paths.summary}' is not valid JSON ({exc}).") from exc


def read_metrics(run_dir: str | os.PathLike) -> list[dict[str, float]]:
    """The rows of metrics.csv as dicts of floats (empty cells become NaN)."""
    path = run_paths(run_dir).metrics
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        rows = []
        for row in csv.DictReader(f):
            rows.append({k: (float(v) if v not in ("", None) else math.nan) for k, v in row.items()})
        return rows


def read_json(path: Path, what: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunDirError(f"'{path}' is missing; the run directory is incomplete ({what}).") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunDirError(f"'{path}' is not valid JSON ({exc}).") from exc


def atomic_writer(path: str | os.PathLike, mode: str = "wb", *, encoding: str | None = None,
                  newline: str | None = None):
    """The run directory's name for :func:`app.core.fileio.atomic_open` (binary by default):
    a temporary file next to ``path``, fsynced and renamed over it on success."""
    return atomic_open(path, mode, encoding=encoding or "utf-8", newline=newline)


def write_json_atomic(path: str | os.PathLike, data) -> None:
    with atomic_writer(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, ensure_ascii=False, allow_nan=True)
        f.write("\n")


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    with atomic_writer(path, "w", encoding="utf-8") as f:
        f.write(text)
