"""The Train view end to end: a real run in a child process feeds the curves; pause,
resume, stop and resume-from-run; a crash of the child is a failed run, not a dead window;
settings edits go through the undo stack."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from app.core.runs import read_metrics

RUN_TIMEOUT_MS = 60_000


def keras_seed_project(folder: Path, epochs: int) -> Path:
    from app.core.data import prepare, synthetic_config
    from app.core.graph.templates import build_template_graph, template_training_defaults
    from app.core.project import Project, save_project

    config = synthetic_config("keras-seed")
    info = prepare(config, folder).info
    training = template_training_defaults("keras-seed", info)
    training["epochs"] = epochs
    training["checkpoint"] = {"epoch_min_seconds": 0.0}
    return save_project(Project(name="seed", graph=build_template_graph("keras-seed", info), data=config.to_dict(),
                                training=training), folder / "seed.mwproj")


@pytest.fixture
def train_view(qtbot, messages):
    from app.ui.document import ProjectDocument
    from app.ui.training.train_view import TrainView

    document = ProjectDocument()
    view = TrainView(document)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    yield view
    view.shutdown()


def open_project(view, path: Path) -> None:
    from app.core.project import load_project

    view._document.set_project(load_project(path))


def test_a_short_run_draws_its_curves_and_joins_the_history(qtbot, tmp_path, train_view):
    open_project(train_view, keras_seed_project(tmp_path, epochs=3))
    with qtbot.waitSignal(train_view.run_finished, timeout=RUN_TIMEOUT_MS) as finished:
        assert train_view.start()
    result = finished.args[0]
    assert result["status"] == "completed", result
    run_dir = Path(result["run_dir"])
    # Every optimizer step reached the loss curve (800 rows / batch 10 = 80 steps per epoch).
    assert train_view.plots.raw.n == 240
    assert list(train_view.plots.raw.x[:3]) == [1, 2, 3]
    rows = read_metrics(run_dir)
    assert [r["val_loss"] for r in train_view.plots.records] == pytest.approx([r["val_loss"] for r in rows])
    train_view.plots.redraw()
    x, y = train_view.plots.val_curve.getData()
    assert len(x) == 3 and list(x) == [80, 160, 240]
    assert train_view.plots.metric_curves_keys() == ["val_accuracy"]
    assert train_view.run_bar.value() == 100
    names = [r.name for r in train_view.history.runs]
    assert names == [run_dir.name]
    assert train_view.history.runs[0].status == "completed"
    assert train_view.settings_panel.isEnabled()


def test_pause_resume_stop_and_resume_from_history(qtbot, tmp_path, train_view):
    open_project(train_view, keras_seed_project(tmp_path, epochs=400))
    train_view.start()
    qtbot.waitUntil(lambda: train_view.plots.raw.n > 0, timeout=RUN_TIMEOUT_MS)
    assert not train_view.settings_panel.isEnabled()  # the run keeps the settings it started with

    with qtbot.waitSignal(train_view.supervisor.status_changed, timeout=RUN_TIMEOUT_MS):
        train_view.pause()
    assert train_view.pause_button.text() == "Resume"
    qtbot.wait(500)  # anything sent before the pause has arrived by now
    paused_at = train_view.plots.raw.n
    qtbot.wait(700)
    assert train_view.plots.raw.n == paused_at  # no steps while paused

    train_view.resume()
    qtbot.waitUntil(lambda: train_view.plots.raw.n > paused_at, timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(train_view.run_finished, timeout=RUN_TIMEOUT_MS) as finished:
        train_view.stop()
    result = finished.args[0]
    assert result["status"] == "stopped"
    run_dir = Path(result["run_dir"])
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == "stopped"
    assert (run_dir / "checkpoints" / "last.pt").is_file()
    stopped_step = summary["global_step"]
    rows_at_stop = read_metrics(run_dir)  # read now: the resumed run appends to the same file

    history = train_view.history
    history.select([run_dir.name])
    assert history.resume_button.isEnabled()
    with qtbot.waitSignal(train_view.supervisor.started, timeout=RUN_TIMEOUT_MS) as started:
        history.resume_button.click()
    assert started.args[0]["step"] == stopped_step  # continues where it stopped
    qtbot.waitUntil(lambda: train_view.plots.raw.n > 0, timeout=RUN_TIMEOUT_MS)
    assert train_view.plots.raw.x[0] == stopped_step + 1
    assert len(train_view.plots.records) >= len(rows_at_stop) - 1  # the curves continue the stopped run's
    with qtbot.waitSignal(train_view.run_finished, timeout=RUN_TIMEOUT_MS) as finished:
        train_view.stop()
    assert finished.args[0]["status"] == "stopped"
    assert json.loads((run_dir / "summary.json").read_text())["global_step"] > stopped_step


def test_a_crashed_child_is_a_failed_run_and_the_window_lives_on(qtbot, tmp_path, train_view):
    open_project(train_view, keras_seed_project(tmp_path, epochs=400))
    train_view.start()
    qtbot.waitUntil(lambda: train_view.plots.raw.n > 0, timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(train_view.run_finished, timeout=RUN_TIMEOUT_MS) as finished:
        os.kill(train_view.supervisor.process.pid, signal.SIGKILL)
    result = finished.args[0]
    assert result["status"] == "failed"
    assert "ended by the system" in result["error"]
    assert "Training failed" in train_view.state_label.text()
    assert train_view.start_button.isEnabled() and train_view.settings_panel.isEnabled()


def test_a_project_that_cannot_train_reports_the_engine_message(qtbot, tmp_path, train_view):
    path = keras_seed_project(tmp_path, epochs=2)
    raw = json.loads(path.read_text())
    raw["training"]["metrics"] = ["perplexity"]  # valid JSON, but no metric of a binary task
    path.write_text(json.dumps(raw))
    open_project(train_view, path)
    with qtbot.waitSignal(train_view.run_finished, timeout=RUN_TIMEOUT_MS) as finished:
        train_view.start()
    assert finished.args[0]["status"] == "failed"
    assert "perplexity" in finished.args[0]["error"]
    assert "Training failed" in train_view.state_label.text()


def test_settings_edits_are_undoable_and_validated_by_the_engine(qtbot, tmp_path, train_view):
    open_project(train_view, keras_seed_project(tmp_path, epochs=3))
    document = train_view._document
    panel = train_view.settings_panel
    assert panel.batch_size.value() == 10 and panel.optimizer.currentData() == "sgd"
    panel.batch_size.setValue(64)
    panel.lr.setValue(0.05)
    assert document.project.training["batch_size"] == 64
    assert document.project.training["optimizer"]["lr"] == pytest.approx(0.05)
    assert document.modified
    document.undo_stack.undo()
    assert document.project.training["optimizer"]["lr"] == pytest.approx(0.01)
    assert panel.lr.value() == pytest.approx(0.01)
    document.undo_stack.undo()
    assert document.project.training["batch_size"] == 10

    panel.metrics.setText("accuracy, f1")
    panel.metrics.editingFinished.emit()
    assert document.project.training["metrics"] == ["accuracy", "f1"]
    steps = document.undo_stack.count()
    assert not panel.apply("optimizer.betas", [2, 0.5], "Change betas")  # refused with the engine's words
    assert "optimizer.betas" in panel.error.text()
    assert document.undo_stack.count() == steps and "betas" not in document.project.training["optimizer"]

    panel.early.setChecked(True)
    assert document.project.training["early_stopping"]["monitor"] == "val_loss"
    document.undo_stack.undo()
    assert "early_stopping" not in document.project.training or document.project.training["early_stopping"] is None
    assert not panel.early.isChecked()
