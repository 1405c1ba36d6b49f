"""The main window: projects (open, save, reopen, recent), prompts, drops, settings, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence

from tests.ui.conftest import ROOT, wait_for_job


def open_and_wait(qtbot, window, path) -> None:
    assert window.open_project(path)
    wait_for_job(qtbot, window.data_view)


def test_open_shows_the_project_in_every_view(qtbot, window, iris_project):
    open_and_wait(qtbot, window, iris_project)
    assert window.windowTitle().startswith("iris")
    assert window.data_view.model.rowCount() == 150
    window.show_view("design")
    assert window.stack.currentWidget() is window.design_view
    for name in ("train", "evaluate", "export", "data"):
        window.show_view(name)
        assert window.current_view() == name and window.mode_actions[name].isChecked()
    assert str(iris_project) in window.recent_files()


def test_train_and_experiments_pages_are_built_after_start_up_or_when_first_opened(qtbot, window, iris_project):
    from app.ui.main_window import VIEWS
    from app.ui.training.train_view import TrainView

    assert window._deferred_pages == {}  # nothing with plots while the window first paints
    open_and_wait(qtbot, window, iris_project)
    run = iris_project.parent / "runs" / "iris-earlier"
    run.mkdir(parents=True)
    (run / "project.mwproj").write_text(iris_project.read_text())
    window.show_view("train")  # opened before the deferred build: built now, with the open project's runs
    assert isinstance(window.stack.currentWidget(), TrainView) and window.current_view() == "train"
    assert [r.name for r in window.train_view.history.runs] == ["iris-earlier"]
    assert window.train_view.start_button.isEnabled()
    qtbot.waitUntil(lambda: len(window._deferred_pages) == 3, timeout=5000)
    assert window.stack.widget(VIEWS.index("experiments")) is window.experiments_view
    assert window.stack.widget(VIEWS.index("evaluate")) is window.evaluate_view
    assert window.stack.count() == len(VIEWS) and window.current_view() == "train"


def test_save_and_reopen_keeps_data_edits_and_labels(qtbot, window, iris_project, settings, tmp_path):
    open_and_wait(qtbot, window, iris_project)
    view = window.data_view
    view.set_column_role("sepal_width", "ignore")
    view.preparation_panel.seed.setValue(9)
    view.relabel_rows([5, 6], "virginica")
    assert window.isWindowModified()
    out = tmp_path / "copy" / "iris-edited.mwproj"
    out.parent.mkdir()
    assert window._save_to(out)
    assert not window.isWindowModified() and not window.document.modified
    saved = json.loads(out.read_text(encoding="utf-8"))["data"]
    assert saved["source"]["path"].endswith("iris.csv")
    # the labels travel inside the data section, where training applies them
    assert saved["label_overrides"] == [{"row": 5, "label": "virginica"}, {"row": 6, "label": "virginica"}]
    assert "label_overrides" not in window.document.data  # the document keeps them apart while editing

    from app.ui.main_window import MainWindow

    again = MainWindow(settings, probe_device=False)
    qtbot.addWidget(again)
    open_and_wait(qtbot, again, out)
    data = again.document.data
    assert {c["name"]: c["role"] for c in data["columns"]}["sepal_width"] == "ignore"
    assert data["split"]["seed"] == 9
    assert again.document.label_overrides == {5: "virginica", 6: "virginica"}
    target = again.data_view.model.target_column()
    assert again.data_view.model.index(5, target).data() == "virginica"
    assert again.data_view.model.rowCount() == 150  # the relative data path still resolves


def test_a_corrupt_project_shows_a_message_and_keeps_the_open_one(qtbot, window, iris_project, messages, tmp_path):
    open_and_wait(qtbot, window, iris_project)
    bad = tmp_path / "broken.mwproj"
    bad.write_text('{"format": "modelwright-project", "version": 1, "graph": ', encoding="utf-8")
    assert not window.open_project(bad)
    assert messages and "not valid JSON" in messages[-1][1] and "broken.mwproj" in messages[-1][1]
    assert window.document.path == iris_project
    newer = tmp_path / "newer.mwproj"
    newer.write_text(json.dumps({"format": "modelwright-project", "version": 99}), encoding="utf-8")
    assert not window.open_project(newer)
    assert "newer Modelwright" in messages[-1][1]


def test_unsaved_changes_prompt_can_cancel_or_save(qtbot, window, iris_project, monkeypatch):
    from app.ui import dialogs

    open_and_wait(qtbot, window, iris_project)
    window.data_view.preparation_panel.seed.setValue(3)
    asked = []
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: asked.append(name) or "cancel")
    assert not window.new_project()
    assert asked == ["iris"] and window.document.path == iris_project

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "save")
    assert window.new_project()
    saved = json.loads(iris_project.read_text(encoding="utf-8"))
    assert saved["data"]["split"]["seed"] == 3
    assert window.document.path is None and window.document.data is None


def test_closing_with_changes_asks_first(qtbot, window, iris_project, monkeypatch):
    from app.ui import dialogs

    open_and_wait(qtbot, window, iris_project)
    window.show()
    window.data_view.set_column_role("sepal_width", "ignore")
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "cancel")
    assert not window.close()
    assert window.isVisible()


def test_dropping_a_project_or_a_data_file_opens_it(qtbot, window, iris_project, iris_csv):
    def drop(path: Path) -> None:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
        window.dropEvent(event)

    drop(iris_project)
    qtbot.waitUntil(lambda: window.document.path == iris_project, timeout=5000)
    wait_for_job(qtbot, window.data_view)
    window.new_project()
    drop(iris_csv)
    qtbot.waitUntil(lambda: window.data_view.job is not None or window.document.data is not None, timeout=5000)
    wait_for_job(qtbot, window.data_view)
    assert window.document.data["source"]["path"] == str(iris_csv)
    assert window.current_view() == "data"


def test_layout_theme_and_view_are_kept_in_settings(qtbot, window, settings):
    from app.ui.main_window import MainWindow

    window.show_view("train")
    window.data_view.column_dock.hide()
    window.set_theme("dark")
    window.save_settings()
    again = MainWindow(settings, probe_device=False)
    qtbot.addWidget(again)
    assert again.current_view() == "train"
    assert again.data_view.column_dock.isHidden()
    assert again.theme_actions["dark"].isChecked()
    from app.ui.theme import is_dark

    assert is_dark()
    window.set_theme("light")
    assert not is_dark()


def test_standard_shortcuts_and_undo_text(qtbot, window, iris_project):
    open_and_wait(qtbot, window, iris_project)
    assert window.open_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    window.data_view.set_column_role("sepal_width", "ignore")
    assert "sepal_width" in window.undo_action.text()


def test_an_unexpected_error_is_logged_and_shown_without_closing(qtbot, window, crashes):
    from app.ui import crash

    window.show()
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        crash.install_excepthook()
        sys.excepthook(*sys.exc_info())
    assert crashes and "RuntimeError: boom in a slot" in crashes[-1]
    assert "boom in a slot" in crash.log_file().read_text(encoding="utf-8")
    assert window.isVisible()
    dialog = crash.CrashDialog("Traceback: details")
    qtbot.addWidget(dialog)
    dialog._on_copy_clicked()
    from PySide6.QtGui import QGuiApplication

    assert "Traceback: details" in QGuiApplication.clipboard().text()


def test_a_worker_bug_reaches_the_crash_dialog(qtbot, window, crashes, monkeypatch):
    import app.ui.data.data_view as data_view_module

    def broken(path, progress=None):
        raise ZeroDivisionError("bug in the reader")

    window.new_project()
    monkeypatch.setattr(data_view_module, "import_data", broken)
    window.data_view.import_path(Path("whatever.csv"))
    wait_for_job(qtbot, window.data_view)
    assert crashes and "ZeroDivisionError" in crashes[-1]
    assert "unexpected error" in window.data_view.banner.text()
    assert window.document.data is None


def test_startup_does_not_import_torch():
    """Building the window on the example project must leave torch unloaded (1 s, 218 MiB)."""
    script = r"""
import os, sys, tempfile
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.ui.launch import EXAMPLE_PROJECT
from app.ui.main_window import MainWindow
settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
w = MainWindow(settings, probe_device=False)
project = Path(sys.argv[1]) if not EXAMPLE_PROJECT.exists() else EXAMPLE_PROJECT
assert w.open_path(project), "could not open " + str(project)
w.show()
for _ in range(30):
    app.processEvents()
w.data_view.wait_idle()
app.processEvents()
loaded = "torch" in sys.modules
from app.ui.workers import cancel_all
cancel_all()
print("rows", w.data_view.model.rowCount())
print(loaded)
"""
    fallback = ROOT / "resources" / "examples" / "iris" / "iris.csv"
    result = subprocess.run([sys.executable, "-c", script, str(fallback)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    assert lines[-1] == "False", "torch was imported while starting the GUI"


def test_screenshot_flag_writes_a_png(tmp_path, iris_project):
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, "main.py", "--screenshot", str(out), "--view", "data", "--size", "1024x700", str(iris_project)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 700)
