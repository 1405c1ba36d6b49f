"""Open, save and create projects for the GUI, including the label overrides of the data view.

Thin glue over :mod:`app.core.project`: errors stay ``ModelwrightError`` with the core's
message, and nothing is written unless the whole save succeeds.
"""

from __future__ import annotations

from pathlib import Path

from app.core.project import Project, load_project, save_project
from app.ui.data import labels


def open_project_file(path: Path) -> tuple[Project, dict[int, str]]:
    project = load_project(path)
    project.data, overrides = labels.take_from_data(project.data)
    return project, overrides


def save_project_file(project: Project, overrides: dict[int, str], path: Path | None = None) -> Path:
    """Save atomically with the overrides inside the data section; the document keeps them apart."""
    editing = project.data
    project.data = labels.put_into_data(editing, overrides)
    try:
        return save_project(project, path)
    finally:
        # save_project may have rebased the data path; keep that, drop the overrides again
        project.data, _ = labels.take_from_data(project.data)


def new_project(name: str = "untitled") -> Project:
    """An empty project: no data yet, an empty network, default training settings."""
    from app.core.graph.graph import Graph

    return Project(name=name, graph=Graph.from_dict({"nodes": [], "edges": []}), data=None, training={}, path=None)
