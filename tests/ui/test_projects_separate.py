"""Projects that do not bleed into each other, and closing that does not lose a run.

Two projects saved in one folder list only their own runs (old runs kept directly in ``runs/``
included); opening or creating a project leaves nothing of the last one on screen; closing
the window while a run is going asks, and Stop ends the run cleanly before the window goes."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.run_claim import write_run_marker
from app.core.runs import default_run_dir
from tests.ui.conftest import wait_for_job

RUN_TIMEOUT_MS = 60_000


def fake_trained_run(run: Path, project: Path | None, name: str, age_seconds: float) -> Path:
    """A finished run folder as the app lists it (weights present); ``project`` None: one made
    before runs were marked with their project."""
    run.mkdir(parents=True)
    (run / "project.mwproj").write_text(json.dumps({"format": "modelwright-project", "name": name,
                                                    "training": {"epochs": 1}}))
    (run / "summary.json").write_text(json.dumps({"status": "completed", "final": {"val_loss": 0.5}}))
    (run / "model.safetensors").write_bytes(b"")
    if project is not None:
        write_run_marker(run, project, None)
    stamp = datetime.now().timestamp() - age_seconds
    for file in run.iterdir():
        os.utime(file, (stamp, stamp))
    return run


@pytest.fixture
def two_projects(iris_project):
    """iris.mwproj and wine.mwproj in one folder, sharing ``runs/`` in the old flat layout and
    the new one; wine's runs are the newest, so a shared list would offer them first."""
    folder = iris_project.parent
    wine = folder / "wine.mwproj"
    raw = json.loads(iris_project.read_text())
    raw["name"] = "wine"
    wine.write_text(json.dumps(raw))
    runs = folder / "runs"
    now = datetime(2026, 12, 3, 14, 5, 9)
    expected = {
        "iris": {fake_trained_run(runs / "iris-earliest", None, "iris", 500),
                 fake_trained_run(runs / "iris-20250101-100000", iris_project, "iris", 400),
                 fake_trained_run(default_run_dir(iris_project, now), iris_project, "iris", 300)},
        "wine": {fake_trained_run(runs / "wine-earliest", None, "wine", 200),
                 fake_trained_run(runs / "wine-20250101-110000", wine, "wine", 100),
                 fake_trained_run(default_run_dir(wine, now), wine, "wine", 0)},
    }
    return iris_project, wine, expected


def combo_paths(combo) -> set[Path]:
    return {Path(combo.itemData(i)) for i in range(combo.count())}


def test_projects_in_one_folder_list_only_their_own_runs(qtbot, window, two_projects):
    iris, wine, expected = two_projects
    window.show()
    for project, name in ((iris, "iris"), (wine, "wine")):
        assert window.open_project(project)
        window.show_view("evaluate")
        assert combo_paths(window.evaluate_view.run_combo) == expected[name]
        window.show_view("export")
        export = window.export_view
        assert combo_paths(export.run_combo) == expected[name]
        assert Path(export.run_combo.currentData()) in expected[name]  # the default is its own run
        out = Path(export.out_edit.text()).name
        assert out.startswith(name), out
        window.show_view("train")
        assert {run.path for run in window.train_view.history.runs} == expected[name]


def test_new_project_leaves_nothing_of_the_last_one(qtbot, window, two_projects, monkeypatch):
    from app.ui.training import train_view as train_module

    iris, _wine, expected = two_projects
    window.show()
    assert window.open_project(iris)
    wait_for_job(qtbot, window.data_view)
    qtbot.waitUntil(lambda: "150" in window.data_view.summary_text(), timeout=15_000)
    # What a run of the iris project showed in the Train header and plots.
    monkeypatch.setattr(train_module, "READOUT_SECONDS", 0.0)
    train = window.train_view
    window.show_view("train")
    train.supervisor.started.emit({"device": "cpu", "parameters": 1234, "max_epochs": 3, "run_dir": "x"})
    for step, elapsed in ((50, 1.0), (100, 2.0)):
        train.supervisor.updated.emit({"steps": [step], "losses": [0.5], "records": [], "step": step,
                                       "elapsed": elapsed, "batch": 1, "batches": 10, "epoch": 0})
    train.plots.redraw()
    assert "1,234" in train.device_label.text() and "samples/s" in train.speed_label.text()
    assert train.plots.loss_plot.vb.viewRange()[0][1] >= 100
    window.show_view("evaluate")
    window.show_view("export")
    assert window.evaluate_view.run_combo.count() == 3 and window.export_view.run_combo.count() == 3
    window.evaluate_view.status.setText("accuracy 0.93")  # what an evaluation left on screen
    window.document.mark_saved(iris)  # a save is no new project: everything stays
    assert window.evaluate_view.status.text() == "accuracy 0.93" and "1,234" in train.device_label.text()
    assert window.export_view.out_edit.text() != ""

    assert window.new_project()
    qtbot.wait(400)  # a summary or read still under way must not bring the old one back
    assert window.data_view.summary_text() == ""
    assert train.device_label.text() == "" and train.speed_label.text() == "" and train.eta_label.text() == ""
    assert train.plots.raw.n == 0 and train.plots.records == []
    assert train.plots.loss_plot.vb.viewRange()[0][1] <= 1
    assert window.evaluate_view.run_combo.count() == 0 and window.evaluate_view.metrics_table.rowCount() == 0
    assert window.export_view.run_combo.count() == 0 and window.export_view.out_edit.text() == ""
    assert train.history.runs == []
    assert window.experiments_view.trials == {} and window.experiments_view.trials_table.rowCount() == 0


def answer_close_question(answer: str, seen: list) -> None:
    """Click ``answer`` on the next message box, noting what it asked."""
    def attempt() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, attempt)
            return
        seen.append((box.informativeText(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == answer).click()

    QTimer.singleShot(0, attempt)


@pytest.mark.asks_on_close
def test_closing_during_training_asks_and_stop_keeps_the_checkpoint(qtbot, window, tmp_path, monkeypatch):
    from tests.ui.test_training import keras_seed_project

    project = keras_seed_project(tmp_path, epochs=400)
    window.show()
    assert window.open_project(project, trusted=True)
    window.show_view("train")
    train = window.train_view
    try:
        assert train.start()
        qtbot.waitUntil(lambda: train.plots.raw.n > 0, timeout=RUN_TIMEOUT_MS)
        run_dir = Path(train.supervisor.process.run_dir)

        seen: list = []
        answer_close_question("Cancel", seen)
        assert not window.close()
        assert seen and seen[0][1] == ["Stop and keep the checkpoint", "Cancel"]
        assert "A training run" in seen[0][0]
        assert window.isVisible() and train.supervisor.running
        steps = train.plots.raw.n
        qtbot.waitUntil(lambda: train.plots.raw.n > steps, timeout=RUN_TIMEOUT_MS)  # it trains on

        answer_close_question("Stop and keep the checkpoint", seen)
        assert window.close()
        assert len(seen) == 2 and not window.isVisible()
        summary = json.loads((run_dir / "summary.json").read_text())
        assert summary["status"] == "stopped"
        assert (run_dir / "checkpoints" / "last.pt").is_file()
        assert run_dir.parent == tmp_path / "runs" / "seed"  # the project's own runs folder
    finally:  # whatever happened above, the window closes at teardown without a question
        monkeypatch.setattr("app.ui.close_guard.ask_stop_running_work", lambda parent, work: True, raising=False)
        train.shutdown()
