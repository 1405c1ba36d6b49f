"""``requirements.txt`` for an export folder: exactly the packages its Python code imports.

The names come from the code itself (every ``import`` in ``predict.py``/``model.py``, or in
the model card's snippet when the folder has no script), so the file can never drift from
what the folder needs. Each package is given a compatible range starting at the version the
export was made and checked with: ``torch>=2.13,<3``; for a 0.x package ``tokenizers>=0.23,<0.24``.

Example::

    imports_of(["import numpy as np\\nfrom PIL import Image"])      # {'numpy', 'PIL'}
    write_requirements(folder, {"numpy", "PIL"})                    # numpy>=2.4,<3 / pillow>=13.0,<14
"""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

REQUIREMENTS_FILE = "requirements.txt"
#: Import names whose package (distribution) is called something else.
DISTRIBUTIONS = {"PIL": "pillow", "sklearn": "scikit-learn", "yaml": "pyyaml"}


def imports_of(sources: list[str], local: set[str] = frozenset()) -> set[str]:
    """Top-level names of the third-party modules the sources import (stdlib and ``local`` left out)."""
    names: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in local and n != "__future__"}


def requirement_line(import_name: str) -> str:
    """``package>=X.Y,<next`` from the installed version (just the name when it is not installed)."""
    package = DISTRIBUTIONS.get(import_name, import_name)
    try:
        version = metadata.version(package)
    except metadata.PackageNotFoundError:
        return package
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:2]] + [0]
    major, minor = numbers[0], numbers[1]
    upper = f"0.{minor + 1}" if major == 0 else str(major + 1)
    return f"{package}>={major}.{minor},<{upper}"


def write_requirements(folder: Path, imports: set[str]) -> str:
    """Write ``requirements.txt`` (one package a line, sorted); returns its file name."""
    lines = sorted((requirement_line(name) for name in imports), key=str.lower)
    text = ("# The packages the Python code in this folder imports: pip install -r requirements.txt\n"
            + "".join(f"{line}\n" for line in lines))
    (Path(folder) / REQUIREMENTS_FILE).write_text(text, encoding="utf-8")
    return REQUIREMENTS_FILE


def write_requirements_for_code(folder: Path) -> str:
    """requirements.txt for the ``*.py`` files in ``folder`` (modules of the folder itself left out)."""
    scripts = sorted(Path(folder).glob("*.py"))
    sources = [p.read_text(encoding="utf-8") for p in scripts]
    return write_requirements(folder, imports_of(sources, {p.stem for p in scripts}))
