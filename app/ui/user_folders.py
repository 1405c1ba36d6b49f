"""Where the user's files go: ``Documents/Modelwright``, never the installation.

The installation (the folder that holds the ``app`` package and ``resources``) is often
read-only, and training writes runs next to a project, so the app must not open projects
from it by default nor offer it as the place to save. This module answers three questions:
is a path inside the installation, which folder should a file dialog start in, and where
are the user's copies of the bundled examples (copied there on first use).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

import app

INSTALL_ROOT = Path(app.__file__).resolve().parent.parent
FIRST_EXAMPLE = "iris/iris.mwproj"


def user_home() -> Path:
    """``Documents/Modelwright`` (the home folder when the system names no Documents)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(documents) / "Modelwright"


def is_inside_installation(path: Path | str, root: Path = INSTALL_ROOT) -> bool:
    try:
        Path(path).resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def dialog_directory(project_path: Path | None, last_dir: str | None = None) -> Path:
    """The folder a file dialog starts in: the project's own folder, else the last folder the
    user chose, else ``Documents/Modelwright`` (made when missing); never the installation."""
    for candidate in (Path(project_path).parent if project_path else None, Path(last_dir) if last_dir else None):
        if candidate is not None and candidate.is_dir() and not is_inside_installation(candidate):
            return candidate
    home = user_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.home()
    return home


def copy_examples(home: Path | None = None) -> Path:
    """Copy every bundled example that the user does not have yet into ``home`` (default
    ``Documents/Modelwright/examples``) and return the project file of the first one (iris).
    Copies the user already has are left as they are, with their edits and runs."""
    from app.ui.examples import EXAMPLES, available_examples, examples_home, working_copy

    home = home if home is not None else examples_home()
    for example in available_examples():
        working_copy(example, home=home)
    first = next(e for e in EXAMPLES if e.project == FIRST_EXAMPLE)
    return working_copy(first, home=home)
