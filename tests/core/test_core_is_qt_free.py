"""app.core must run in a plain Python process: importing any of it must not need Qt."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import importlib, pkgutil, sys

BLOCKED = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"app.core imported Qt module {name}")
        return None

sys.meta_path.insert(0, Blocker())
import app.core
count = 0
for info in pkgutil.walk_packages(app.core.__path__, "app.core."):
    importlib.import_module(info.name)
    count += 1
print(count)
"""


def test_every_core_module_imports_with_qt_blocked():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 5  # the walk really found the core modules


def test_the_blocker_catches_a_qt_import():
    """Guards the guard: the same blocker must fail a module that imports Qt."""
    probe = SCRIPT.replace("import app.core\n", "import app.core\nimport PySide6\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "imported Qt module PySide6" in result.stderr
