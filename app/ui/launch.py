"""Start the desktop app: parse GUI arguments, create the QApplication, show the main window.

Kept apart from ``main.py`` so the CLI never imports Qt, and from ``main_window.py`` so the
window can be built in tests without touching ``sys.argv``. Nothing on this path imports
torch: the first paint must not wait for it (a test checks this).

    python main.py [PROJECT] [--view data|design|train|evaluate|export] [--theme system|light|dark]
                   [--language system|en|zh_CN]
                   without PROJECT: the last project, else the user's copy of the iris example
                   (the bundled examples are copied to Documents/Modelwright/examples once)
    python main.py --screenshot FILE.png [--view V] [--size 1280x800] [PROJECT]
    python main.py --timing [PROJECT]     print "first-paint" when the window is painted, then exit
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

VIEWS = ("data", "design", "train", "evaluate", "export", "experiments")
EXAMPLE_PROJECT = Path(__file__).resolve().parents[2] / "resources" / "examples" / "iris" / "iris.mwproj"
SCREENSHOT_TIMEOUT_MS = 8000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="Open the Modelwright app.")
    parser.add_argument("project", nargs="?", type=Path, help="project (*.mwproj) or data file to open")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", help="render the window to a PNG and exit")
    parser.add_argument("--view", choices=VIEWS, default=None, help="view to show first")
    parser.add_argument("--theme", choices=("system", "light", "dark"), default=None, help="colour theme")
    parser.add_argument("--language", choices=("system", "en", "zh_CN"), default=None,
                        help="language of the window (default: the one chosen in Preferences, else the system's)")
    parser.add_argument("--size", default="1280x800", help="window size for --screenshot (WIDTHxHEIGHT)")
    parser.add_argument("--timing", action="store_true", help="print 'first-paint' once painted, then exit")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    offscreen = args.screenshot is not None or args.timing
    if args.screenshot is not None:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Modelwright")
    app.setOrganizationName("Modelwright")
    app.setOrganizationDomain("modelwright.org")

    from app.ui.crash import install_excepthook
    from app.ui.fonts import ensure_chinese_font
    from app.ui.main_window import MainWindow
    from app.ui.theme import apply_theme

    install_excepthook()
    ensure_chinese_font()  # before any widget: Chinese texts are measured and drawn with it
    if offscreen:
        from app.ui.unattended import answer_dialogs_automatically

        # Nobody is there to answer: every question takes its safe answer and is logged.
        answer_dialogs_automatically(app)
        # Screenshots and timings must not depend on (or change) the user's saved layout.
        settings = QSettings(str(Path(tempfile.mkdtemp(prefix="modelwright-")) / "settings.ini"), QSettings.Format.IniFormat)
    else:
        settings = QSettings()
    _install_translator(app, args.language, settings)
    theme = args.theme or str(settings.value("appearance/theme", "system"))
    apply_theme(app, theme)

    window = MainWindow(settings, probe_device=not offscreen)
    # Reading the data (pandas, the file) waits for the first paint: the window shows at once.
    window.data_view.hold_reads()
    if args.theme:
        window.theme_actions[args.theme].setChecked(True)
    if args.screenshot is not None:
        width, _, height = args.size.partition("x")
        window.resize(int(width), int(height))
    not_opened = None
    if args.project is None and not offscreen:
        # The user's last project, else their own copy of the examples (never the installation).
        window.open_start_project()
    else:
        # Screenshots and timings only read: the installed example serves when no project is given.
        target = args.project if args.project is not None else (EXAMPLE_PROJECT if EXAMPLE_PROJECT.exists() else None)
        if target is not None and not window.open_path(target):
            not_opened = target
    if args.view:
        window.show_view(args.view)
    elif args.screenshot is not None:
        window.show_view("data")

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.window() is window:
                app.removeEventFilter(self)
                QTimer.singleShot(0, self._on_painted)
            return False

        def _on_painted(self) -> None:
            if args.timing:
                print("first-paint", flush=True)
                app.exit(0)
                return
            window.data_view.release_reads()

    painted = FirstPaint(app)
    app.installEventFilter(painted)
    window.show()

    if args.screenshot is not None:
        _schedule_screenshot(app, window, args.screenshot, not_opened)
    from app.ui.workers import cancel_all

    # Quitting while a file is still being read: stop the job and let its thread end cleanly.
    app.aboutToQuit.connect(cancel_all)
    return app.exec()


def _install_translator(app, language: str | None, settings) -> None:
    """Load ``resources/translations/modelwright_<locale>.qm`` (e.g. zh_CN) and Qt's own
    translation for the language asked on the command line, else the one chosen in
    Preferences, else the system's. Screenshots use the system's unless asked."""
    from app.ui.preferences import install_translators, language_setting

    install_translators(app, language or language_setting(settings))


def _schedule_screenshot(app, window, path: Path, not_opened: Path | None = None) -> None:
    """Grab the window once background reads have finished (or after a timeout). When the
    project asked for could not be opened, the window is still saved (it shows how the app
    met the problem) but the exit status is 1, so a script does not take it for the project."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    from app.ui.workers import running_jobs

    clock = QElapsedTimer()
    clock.start()

    def attempt() -> None:
        busy = running_jobs() or window.data_view._summary_timer.isActive() or window.data_view._pending_read is not None
        if busy and clock.elapsed() < SCREENSHOT_TIMEOUT_MS:
            QTimer.singleShot(100, attempt)
            return
        QTimer.singleShot(150, save)  # one more round for charts to repaint

    def save() -> None:
        pixmap = window.grab()
        if not pixmap.save(str(path)):
            print(f"error: could not write {path}", file=sys.stderr)
            app.exit(1)
        elif not_opened is not None:
            print(f"error: '{not_opened}' could not be opened (see the note above); {path} shows the window "
                  "without it.", file=sys.stderr)
            app.exit(1)
        else:
            app.exit(0)

    QTimer.singleShot(300, attempt)
