"""Start the desktop app: parse GUI arguments, create the QApplication, show the main window.

Kept apart from ``main.py`` so the CLI never imports Qt, and from ``main_window.py`` so the
window can be built in tests without touching ``sys.argv``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

VIEWS = ("data", "design", "train", "evaluate", "export")
EXAMPLE_PROJECT = Path(__file__).resolve().parents[2] / "resources" / "examples" / "iris" / "iris.mwproj"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="Open the Modelwright app.")
    parser.add_argument("project", nargs="?", type=Path, help="project file to open (*.mwproj)")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", help="render the window to a PNG and exit")
    parser.add_argument("--view", choices=VIEWS, default="design", help="view to show first")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.screenshot is not None:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Modelwright")
    app.setOrganizationName("Modelwright")

    window = MainWindow()
    project = args.project if args.project is not None else (EXAMPLE_PROJECT if EXAMPLE_PROJECT.exists() else None)
    if project is not None:
        window.open_project(project)
    window.resize(1280, 800)
    window.show()

    if args.screenshot is not None:
        def _save() -> None:
            pixmap = window.grab()
            if not pixmap.save(str(args.screenshot)):
                print(f"error: could not write {args.screenshot}", file=sys.stderr)
                app.exit(1)
            else:
                app.exit(0)

        QTimer.singleShot(300, _save)
    return app.exec()
