"""GUI test fixtures: an isolated settings file, a main window, small data files and projects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

ROOT = Path(__file__).resolve().parents[2]
IRIS_CSV = ROOT / "resources" / "examples" / "iris" / "iris.csv"

QStandardPaths.setTestModeEnabled(True)  # logs and app data go to a test folder, not the user's


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def messages(monkeypatch) -> list[tuple[str, str]]:
    """Warnings the app would show in a dialog, collected instead of blocking the test."""
    from app.ui import dialogs

    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "warn", lambda parent, title, text: seen.append((title, text)))
    # Closing a window with changes asks; tests that care replace this answer.
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    return seen


@pytest.fixture
def crashes(monkeypatch) -> list[str]:
    from app.ui import crash

    seen: list[str] = []
    monkeypatch.setattr(crash, "show_dialog_hook", lambda exc, details: seen.append(details))
    return seen


@pytest.fixture
def window(qtbot, settings, messages, crashes):
    from app.ui.main_window import MainWindow

    win = MainWindow(settings, probe_device=False)
    qtbot.addWidget(win)
    win.resize(1100, 700)
    return win


@pytest.fixture
def iris_csv(tmp_path) -> Path:
    path = tmp_path / "iris.csv"
    shutil.copy(IRIS_CSV, path)
    return path


@pytest.fixture
def iris_project(tmp_path, iris_csv) -> Path:
    """A saved project over a copy of iris.csv, built with the core as ``main.py new`` would."""
    from app.core.data import inspect_source
    from app.core.graph.templates import build_template_graph
    from app.core.data.info import DataInfo
    from app.core.project import Project, save_project

    config = inspect_source(iris_csv, target="species")
    info = DataInfo("vector", (4,), "classification", 3, class_names=("setosa", "versicolor", "virginica"))
    project = Project(name="iris", graph=build_template_graph("mlp", info), data=config.to_dict(), training={"epochs": 3})
    return save_project(project, tmp_path / "iris.mwproj")


def wait_for_job(qtbot, view, timeout: int = 15000) -> None:
    """Wait until the data view's current background job has ended."""
    job = view.job
    if job is not None and job.running:
        with qtbot.waitSignal(job.finished, timeout=timeout):
            pass


def wait_for_summary(qtbot, view, timeout: int = 15000) -> str:
    qtbot.waitUntil(lambda: not view._summary_timer.isActive(), timeout=timeout)
    job = view._summary_job
    if job is not None and job.running:
        with qtbot.waitSignal(job.finished, timeout=timeout):
            pass
    qtbot.wait(10)
    return view.summary_text()
