"""Autosave and crash recovery: unsaved work survives a kill -9 of the app, a clean quit or a
save leaves nothing behind, and files of a running app are never offered."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.project import load_project
from app.core.safety.recovery import SUFFIX, RecoveryStore, process_alive
from app.ui.commands import EditDataCommand
from tests.ui.conftest import ROOT

# The app in a child process: opens the project, changes the split seed, waits for the
# autosave after the change, says so, then waits to be killed.
CHILD = r"""
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.ui.commands import EditDataCommand
from app.ui.main_window import MainWindow
settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
w = MainWindow(settings, probe_device=False)
assert w.open_project(Path(sys.argv[2]))
data = w.document.data
data["split"] = {**(data.get("split") or {}), "seed": 4242}
w.document.undo_stack.push(EditDataCommand(w.document, data, "Change split seed"))
deadline = time.monotonic() + 20
while not w.recovery.store.file.exists() and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
print("autosaved", flush=True)
while True:
    app.processEvents()
    time.sleep(0.05)
"""


def recovery_files(settings) -> list[Path]:
    return sorted((Path(settings.fileName()).parent / "recovery").glob(f"*{SUFFIX}"))


def change_seed(window, seed: int) -> None:
    data = window.document.data
    data["split"] = {**(data.get("split") or {}), "seed": seed}
    window.document.undo_stack.push(EditDataCommand(window.document, data, "Change split seed"))


def test_unsaved_changes_survive_kill_9_and_are_offered_at_the_next_start(qtbot, tmp_path, settings,
                                                                           iris_project, messages, crashes):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", CHILD, settings.fileName(), str(iris_project)], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "autosaved", child.stderr.read()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    [orphan] = recovery_files(settings)
    assert orphan.parent != iris_project.parent  # never beside the user's file
    assert json.loads(iris_project.read_text(encoding="utf-8"))["data"].get("split", {}).get("seed") != 4242

    from app.ui.main_window import MainWindow
    from app.ui.recovery import RecoveryManager

    offered = []

    def answer(self, entry):
        offered.append(entry)
        return "restore"

    RecoveryManager.ask_restore, original = answer, RecoveryManager.ask_restore
    try:
        window = MainWindow(settings, probe_device=False)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: bool(offered), timeout=5000)
    finally:
        RecoveryManager.ask_restore = original
    assert offered[0].name == "iris" and offered[0].original_path == iris_project
    project = window.document.project
    assert project.path == iris_project and project.data["split"]["seed"] == 4242
    assert window.document.modified and window.isWindowModified()
    # The orphan was taken over: one recovery file, this process's own.
    assert recovery_files(settings) == [window.recovery.store.file]
    assert project.data_path() == iris_project.parent / "iris.csv"
    # Saving makes the file on disk the truth: nothing left to recover.
    assert window.save()
    assert load_project(iris_project).data["split"]["seed"] == 4242
    assert recovery_files(settings) == []
    assert not messages and not crashes


def test_autosave_follows_changes_and_a_clean_quit_removes_it(qtbot, window, settings, iris_project, messages):
    assert window.open_project(iris_project)
    assert recovery_files(settings) == []  # nothing unsaved, nothing written
    change_seed(window, 7)
    qtbot.waitUntil(lambda: window.recovery.store.file.exists(), timeout=3000)
    saved = json.loads(window.recovery.store.file.read_text(encoding="utf-8"))
    assert saved["project"]["data"]["split"]["seed"] == 7 and saved["pid"] == os.getpid()
    change_seed(window, 8)
    qtbot.waitUntil(lambda: json.loads(window.recovery.store.file.read_text(encoding="utf-8"))
                    ["project"]["data"]["split"]["seed"] == 8, timeout=3000)
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()  # back at the saved state: nothing to recover
    assert not window.recovery.store.file.exists()
    change_seed(window, 9)
    qtbot.waitUntil(lambda: window.recovery.store.file.exists(), timeout=3000)
    assert window.close()  # the messages fixture answers "discard"
    assert recovery_files(settings) == []


def test_the_minute_timer_saves_too(qtbot, window, iris_project):
    from app.ui import recovery

    assert recovery.AUTOSAVE_INTERVAL_MS == 60_000
    assert window.recovery._timer.isActive() and window.recovery._timer.interval() == 60_000
    assert window.open_project(iris_project)
    window.document.undo_stack.resetClean()  # modified without a change signal
    window.recovery._timer.timeout.emit()
    assert window.recovery.store.file.exists()


def test_a_running_apps_file_is_not_offered_and_a_damaged_one_is_skipped(tmp_path, iris_project):
    mine = RecoveryStore(tmp_path)
    mine.save(load_project(iris_project))
    other = RecoveryStore(tmp_path)
    assert other.orphans() == []  # the writer (this process) is alive
    (tmp_path / f"1-broken{SUFFIX}").write_text("{not json", encoding="utf-8")
    assert other.orphans() == [] and other.unreadable() == [tmp_path / f"1-broken{SUFFIX}"]
    assert not process_alive(2**22 + 12345, None)
    # A file whose process is gone (or whose pid now belongs to another program) is an orphan.
    raw = json.loads(mine.file.read_text(encoding="utf-8"))
    raw["pid"], raw["process_started"] = os.getppid(), raw["process_started"] - 3600
    mine.file.write_text(json.dumps(raw), encoding="utf-8")
    [entry] = other.orphans()
    project, overrides = entry.load()
    assert project.name == "iris" and project.path == iris_project and overrides == {}


def test_restore_of_a_damaged_autosave_says_why_and_keeps_the_file(qtbot, window, messages, settings):
    folder = Path(settings.fileName()).parent / "recovery"
    folder.mkdir(exist_ok=True)
    bad = folder / f"{2**22 + 4321}-dead{SUFFIX}"
    bad.write_text(json.dumps({"format": "modelwright-recovery", "version": 1, "pid": 2**22 + 4321,
                               "saved_at": time.time(), "name": "ghost", "project": {"format": "x"}}),
                   encoding="utf-8")
    window.recovery.ask_restore = lambda entry: "restore"
    assert window.recovery.offer_restore() == "later"
    assert messages and "ghost" in messages[-1][1]
    assert bad.exists()
    window.recovery.ask_restore = lambda entry: "discard"
    assert window.recovery.offer_restore() == "discard"
    assert not bad.exists()


@pytest.mark.parametrize("answer", [True, False])
def test_data_outside_the_project_folder_is_read_only_after_asking(qtbot, window, tmp_path, iris_csv, answer,
                                                                    messages):
    folder = tmp_path / "shared"
    folder.mkdir()
    raw = json.loads(json.dumps(load_project_raw(iris_csv)))
    raw["data"]["source"]["path"] = str(iris_csv)
    (folder / "borrowed.mwproj").write_text(json.dumps(raw), encoding="utf-8")
    asked = []
    window.ask_outside_data = lambda name, paths: asked.append(paths) or answer
    assert window.open_project(folder / "borrowed.mwproj") is answer
    assert asked == [[iris_csv]]
    assert (window.document.project is not None and window.document.path == folder / "borrowed.mwproj") is answer
    # Once agreed, the same project and file are not asked about again.
    asked.clear()
    window.open_project(folder / "borrowed.mwproj")
    assert bool(asked) is not answer


def load_project_raw(iris_csv: Path) -> dict:
    from app.core.data import inspect_source
    from app.core.data.info import DataInfo
    from app.core.graph.templates import build_template_graph
    from app.core.project import Project

    config = inspect_source(iris_csv, target="species")
    info = DataInfo("vector", (4,), "classification", 3, class_names=("setosa", "versicolor", "virginica"))
    return Project(name="borrowed", graph=build_template_graph("mlp", info), data=config.to_dict(),
                   training={"epochs": 1}).to_dict()
