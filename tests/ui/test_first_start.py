"""The first start works in the user's Documents, never inside the installation.

QStandardPaths' test mode does not move Documents (it stays ``$HOME/Documents``), so every
test here points HOME at a temporary folder: nothing touches the real home.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from app.ui.examples import examples_home
from app.ui.user_folders import INSTALL_ROOT, is_inside_installation, user_home

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(documents).is_relative_to(folder), documents
    return folder


def test_installation_root_is_the_folder_that_holds_the_app():
    assert INSTALL_ROOT == ROOT
    assert is_inside_installation(ROOT / "resources" / "examples" / "iris" / "iris.mwproj")
    assert not is_inside_installation(ROOT.parent / "elsewhere.mwproj")


def test_first_start_opens_a_copy_under_documents(qtbot, window, home):
    opened = window.open_start_project()
    assert opened is not None and window.document.path is not None
    path = window.document.path
    assert path.is_relative_to(home / "Documents" / "Modelwright" / "examples"), path
    assert not is_inside_installation(path)
    assert path.name == "iris.mwproj" and (path.parent / "iris.csv").is_file()
    # every bundled example is there to open, not only iris
    for project in ("shapes/shapes.mwproj", "reviews/reviews-lstm.mwproj", "keras-seed/keras-seed.mwproj"):
        assert (examples_home() / project).is_file(), project
    assert str(examples_home()) in window.statusBar().currentMessage()


def test_second_start_keeps_the_users_edited_copy(qtbot, window, settings, home, messages):
    from app.ui.main_window import MainWindow

    first = window.open_start_project()
    edited = first.parent / "iris.csv"
    edited.write_text("sepal_length,species\n1.0,setosa\n", encoding="utf-8")
    (first.parent / "notes.txt").write_text("mine", encoding="utf-8")
    window.close()

    second = MainWindow(settings, probe_device=False)
    qtbot.addWidget(second)
    settings.setValue("recent_files", [])  # no last project: the examples are offered again
    assert second.open_start_project() == first
    assert edited.read_text(encoding="utf-8") == "sepal_length,species\n1.0,setosa\n"
    assert (first.parent / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_later_start_reopens_the_last_project(qtbot, window, home, iris_project):
    assert window.open_project(iris_project)
    window.settings.setValue("recent_files", [str(iris_project)])
    assert window.open_start_project() == iris_project
    assert not examples_home().exists()


def test_a_last_project_inside_the_installation_is_not_reopened(qtbot, window, home):
    installed = ROOT / "resources" / "examples" / "iris" / "iris.mwproj"
    window.settings.setValue("recent_files", [str(installed)])
    opened = window.open_start_project()
    assert opened is not None and not is_inside_installation(opened)


def _capture_save_dialog(monkeypatch) -> list[str]:
    seen: list[str] = []

    def fake(parent, caption, directory, *args, **kwargs):
        seen.append(directory)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return seen


def test_save_as_never_starts_inside_the_installation(qtbot, window, home, monkeypatch):
    installed = ROOT / "resources" / "examples" / "iris" / "iris.mwproj"
    assert window.open_project(installed)  # e.g. opened by hand with python main.py PROJECT
    window.settings.setValue("last_dir", str(installed.parent))
    seen = _capture_save_dialog(monkeypatch)
    assert window.save_as() is False
    assert seen and not is_inside_installation(seen[0]), seen
    assert Path(seen[0]).parent == user_home()


def test_save_as_starts_at_the_projects_own_folder(qtbot, window, home, iris_project, monkeypatch):
    assert window.open_project(iris_project)
    seen = _capture_save_dialog(monkeypatch)
    window.save_as()
    assert seen == [str(iris_project)]


def test_open_and_import_dialogs_start_outside_the_installation(qtbot, window, home, monkeypatch):
    seen: list[str] = []

    def fake(parent, caption, directory, *args, **kwargs):
        seen.append(directory)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))
    installed = ROOT / "resources" / "examples" / "iris" / "iris.mwproj"
    assert window.open_project(installed)
    window._on_open_triggered()
    window.new_project()
    window.data_view.choose_file()
    assert len(seen) == 2
    assert all(Path(d) == user_home() for d in seen), seen
