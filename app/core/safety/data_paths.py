"""Data a project would read from outside its own folder.

A project file may come from anyone; its ``data.source.path`` could name ``~/.ssh`` or a
file in another user's folder. Reading it is harmless to the computer (data is parsed, not
run) but may show private data in the window, so the GUI asks first and the CLI notes it.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.core.project import Project


def is_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (after resolving ``..`` and links) lies in ``folder``."""
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(folder))
        return True
    except ValueError:
        return False


def data_paths_outside(project: Project) -> list[Path]:
    """The data paths ``project`` reads that lie outside its folder (empty for generated data).

    Example::

        outside = data_paths_outside(load_project("shared/iris.mwproj"))
        if outside: ask the user before preparing the data
    """
    path = project.data_path()
    if path is None or project.path is None:
        return []
    return [] if is_inside(path, project.folder) else [Path(os.path.normpath(path))]
