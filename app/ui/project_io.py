"""Open, save and create projects for the GUI, including the label overrides beside them.

Thin glue over :mod:`app.core.project`: errors stay ``ModelwrightError`` with the core's
message, and nothing is written unless the whole save succeeds.
"""

from __future__ import annotations

import copy
from pathlib import Path

from app.core.project import Project, load_project, save_project
from app.ui.data import labels


def open_project_file(path: Path) -> tuple[Project, dict[int, str]]:
    project = load_project(path)
    project.data, overrides = labels.take_from_data(project.data)
    if not overrides and project.path is not None:
        overrides = labels.load_sidecar(project.path)
    return project, overrides


def save_project_file(project: Project, overrides: dict[int, str], path: Path | None = None) -> Path:
    """Save atomically; overrides go into the data section or the sidecar (see labels)."""
    in_data = bool(overrides) and project.data is not None and labels.core_stores_labels()
    if in_data:
        original = project.data
        project.data = {**copy.deepcopy(original), labels.LABELS_KEY: labels.overrides_to_list(overrides)}
        try:
            target = save_project(project, path)
        finally:
            stored = project.data
            project.data = {k: v for k, v in stored.items() if k != labels.LABELS_KEY}
        labels.write_sidecar(target, {}, None)
        return target
    target = save_project(project, path)
    source = ((project.data or {}).get("source") or {}).get("path")
    labels.write_sidecar(target, overrides, source)
    return target


def new_project(name: str = "untitled") -> Project:
    """An empty project: no data yet, an empty network, default training settings."""
    from app.core.graph.graph import Graph

    return Project(name=name, graph=Graph.from_dict({"nodes": [], "edges": []}), data=None, training={}, path=None)
