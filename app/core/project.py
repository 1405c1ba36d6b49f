"""The project file (``*.mwproj``): versioned JSON, validated on load, migrated, saved atomically.

A project holds everything needed to reproduce a model: the data source and how it is
prepared, the network graph, the training settings and, for fine-tuning, the base model.
The file is plain UTF-8 JSON so that it can be read, diffed and trusted (nothing in it is
ever executed or unpickled)::

    {"format": "modelwright-project", "version": 1, "name": "iris",
     "data": {...}, "graph": {"nodes": [...], "edges": [...]},
     "training": {...}, "finetune": null}

Older versions are upgraded on load by the chain in :data:`MIGRATIONS`; files written by a
newer Modelwright are refused with a message instead of being misread.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from app.core.errors import ModelwrightError
from app.core.fileio import atomic_write_json
from app.core.graph.graph import Graph

FORMAT = "modelwright-project"
CURRENT_VERSION = 1
PROJECT_SUFFIX = ".mwproj"

#: ``MIGRATIONS[n]`` turns a version-``n`` project dict into a version-``n + 1`` one.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


class ProjectError(ModelwrightError):
    """A project file that cannot be read, with the reason in plain words."""


@dataclass
class Project:
    """An open project. ``data`` and ``training`` hold the JSON sections as dicts; their
    owners (``DataConfig``, ``TrainConfig``) validate them on load."""

    name: str
    graph: Graph
    data: dict | None = None
    training: dict = field(default_factory=dict)
    finetune: dict | None = None
    path: Path | None = None

    @property
    def folder(self) -> Path:
        """The folder relative data paths are resolved against."""
        return self.path.parent if self.path is not None else Path.cwd()

    def data_path(self) -> Path | None:
        """The absolute path of the data source, or None for generated data."""
        raw = ((self.data or {}).get("source") or {}).get("path")
        if not raw:
            return None
        p = Path(raw)
        return p if p.is_absolute() else (self.folder / p)

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "version": CURRENT_VERSION,
            "name": self.name,
            "data": self.data,
            "graph": self.graph.to_dict(),
            "training": self.training,
            "finetune": self.finetune,
        }


def project_from_dict(raw: object, path: Path | None = None) -> Project:
    """Validate, migrate and build a project from parsed JSON."""
    where = f"'{path.name}'" if path else "The project"
    if not isinstance(raw, dict):
        raise ProjectError(f"{where} is not a Modelwright project: its JSON is not an object.")
    if raw.get("format") != FORMAT:
        raise ProjectError(f"{where} is not a Modelwright project (its 'format' field is {raw.get('format')!r}).")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError(f"{where} has an invalid 'version' field ({version!r}); expected a whole number ≥ 1.")
    if version > CURRENT_VERSION:
        raise ProjectError(
            f"{where} was saved by a newer Modelwright (project version {version}; this one reads up to "
            f"{CURRENT_VERSION}). Please update Modelwright to open it."
        )
    raw = migrate(raw)
    _check_text_is_unicode(raw, where)

    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        name = path.stem if path else "untitled"
    for key, kind in (("graph", dict), ("training", dict)):
        if not isinstance(raw.get(key), kind):
            raise ProjectError(f"{where} is missing its '{key}' section or it is not a JSON object.")
    for key in ("data", "finetune"):
        if raw.get(key) is not None and not isinstance(raw.get(key), dict):
            raise ProjectError(f"{where}: the '{key}' section must be a JSON object or null.")

    try:
        graph = Graph.from_dict(raw["graph"])
    except ModelwrightError as exc:
        raise ProjectError(f"{where}: its network graph is invalid: {exc}") from exc
    project = Project(
        name=name,
        graph=graph,
        data=raw.get("data"),
        training=raw["training"],
        finetune=raw.get("finetune"),
        path=path,
    )
    _validate_sections(project, where)
    return project


def _check_text_is_unicode(raw: dict, where: str) -> None:
    """Refuse text JSON allows but UTF-8 cannot hold (a lone ``\\ud800`` escape): the project
    could be opened but never saved or printed again."""
    try:
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end].encode("unicode_escape").decode("ascii")
        raise ProjectError(f"{where} holds text that is not valid Unicode ({bad}); edit the file to remove it.") from exc
    except (TypeError, ValueError, RecursionError) as exc:
        raise ProjectError(f"{where} holds values that are not plain JSON ({exc}).") from exc


def _validate_sections(project: Project, where: str) -> None:
    """Let the owners of the data and training sections check them (they raise with reasons)."""
    from app.core.data.config import DataConfig
    from app.core.train.config import TrainConfig

    if project.data is not None:
        try:
            DataConfig.from_dict(project.data)
        except ModelwrightError as exc:
            raise ProjectError(f"{where}: its data settings are invalid: {exc}") from exc
    try:
        TrainConfig.from_dict(project.training)
    except ModelwrightError as exc:
        raise ProjectError(f"{where}: its training settings are invalid: {exc}") from exc


def migrate(raw: dict) -> dict:
    """Run the migration chain from the file's version up to :data:`CURRENT_VERSION`."""
    version = raw["version"]
    while version < CURRENT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ProjectError(f"Project version {version} cannot be upgraded: no migration is known for it.")
        raw = step(dict(raw))
        version += 1
        raw["version"] = version
    return raw


def load_project(path: str | os.PathLike) -> Project:
    """Read a ``.mwproj`` file; every problem becomes a :class:`ProjectError` saying what is wrong."""
    path = Path(path)
    if not path.exists():
        raise ProjectError(f"Project file not found: {path}")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file (*.mwproj).")
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows editors) is fine
    except UnicodeDecodeError as exc:
        raise ProjectError(f"'{path.name}' is not a Modelwright project: it is not UTF-8 text.") from exc
    except OSError as exc:
        raise ProjectError(f"Cannot read '{path}': {exc.strerror or exc}.") from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectError(
            f"'{path.name}' is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from exc
    except (RecursionError, ValueError) as exc:  # absurd nesting, a number with thousands of digits
        raise ProjectError(f"'{path.name}' is not a Modelwright project: its JSON is nested too deeply or "
                           "holds a number too large to read.") from exc
    return project_from_dict(raw, path.resolve())


def save_project(project: Project, path: str | os.PathLike | None = None) -> Path:
    """Write the project atomically; a relative data path is rebased when the folder changes."""
    target = Path(path) if path is not None else project.path
    if target is None:
        raise ProjectError("The project has no file name yet; choose where to save it.")
    target = target.resolve()
    data = _rebase_data_path(project.data, project.folder, target.parent)
    raw = project.to_dict()
    raw["data"] = data
    atomic_write_json(target, raw)
    project.data = data
    project.path = target
    return target


def _rebase_data_path(data: dict | None, old_folder: Path, new_folder: Path) -> dict | None:
    """Keep a data path valid after Save As: relative when the data sits under the project folder."""
    source = (data or {}).get("source") or {}
    raw = source.get("path")
    if not raw:
        return data
    absolute = Path(raw) if Path(raw).is_absolute() else (old_folder / raw)
    absolute = Path(os.path.normpath(absolute))
    try:
        new_raw = absolute.relative_to(new_folder.resolve()).as_posix()
    except ValueError:
        new_raw = str(absolute)
    if new_raw == raw:
        return data
    rebased = dict(data)
    rebased["source"] = {**source, "path": new_raw}
    return rebased
