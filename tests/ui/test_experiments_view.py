"""The Experiments view runs a search in a child process, fills its table and plots as
trials finish, and promotes the best trial to the project as one undoable edit; the
training view's diagnosis panel applies its fixes the same way."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def slow_iris(iris_project):
    """The iris project with a learning rate far too small for its few epochs."""
    raw = json.loads(iris_project.read_text())
    raw["training"] = {"epochs": 2, "batch_size": 16, "optimizer": {"name": "adam", "lr": 1e-5},
                       "metrics": ["accuracy"]}
    iris_project.write_text(json.dumps(raw))
    return iris_project


def test_search_runs_in_a_child_process_and_the_best_trial_is_promoted(qtbot, window, slow_iris):
    assert window.open_project(slow_iris)
    window.show_view("experiments")
    view = window.experiments_view
    assert "graph.dense_1.out_features" in [view.add_combo.itemData(i) for i in range(view.add_combo.count())]
    view.add_param("training.optimizer.lr", {"low": 0.005, "high": 0.05, "log": True})
    view.add_param("graph.dense_1.out_features", {"choices": [8, 16]})
    view.metric_combo.setCurrentText("val_loss")
    view.trials_spin.setValue(3)
    view.strategy_combo.setCurrentIndex(view.strategy_combo.findData("random"))
    view.pruning_check.setChecked(False)
    with qtbot.waitSignal(view.search_finished, timeout=120000) as finished:
        assert view.start(out=str(slow_iris.parent / "runs" / "study"))
        assert view.stop_button.isEnabled() and not view.start_button.isEnabled()
    assert finished.args[0]["status"] == "completed", finished.args[0]
    qtbot.waitUntil(lambda: len(view.trials) == 3 and bool(view.importances), timeout=30000)

    assert view.trials_table.rowCount() == 3
    states = {view.trials_table.item(r, 1).text() for r in range(3)}
    assert states == {"complete"}
    assert view.plots.lines == 3
    assert set(view.importances) == {"training.optimizer.lr", "graph.dense_1.out_features"}
    assert (slow_iris.parent / "runs" / "study" / "trial-002" / "summary.json").is_file()

    best = view.best_trial()
    project = window.document.project
    assert view.promote_button.isEnabled()
    assert view.promote_best()
    assert project.training["optimizer"]["lr"] == pytest.approx(best["params"]["training.optimizer.lr"])
    assert project.graph.node("dense_1").params["out_features"] == best["params"]["graph.dense_1.out_features"]
    assert window.document.modified
    window.document.undo_stack.undo()
    assert project.training["optimizer"]["lr"] == 1e-5
    assert project.graph.node("dense_1").params["out_features"] == 64


def test_a_bad_space_is_explained_and_nothing_starts(qtbot, window, slow_iris, messages):
    assert window.open_project(slow_iris)
    view = window.experiments_view
    view.add_param("graph.dense_1.out_features", {"low": 64, "high": 8})
    assert not view.start()
    assert messages and "must be below 'high'" in messages[-1][1]
    assert not view.supervisor.running


def test_diagnosis_panel_shows_findings_and_applies_a_fix(qtbot, window, slow_iris):
    from app.core.train.api import train_project

    assert window.open_project(slow_iris)
    run = train_project(slow_iris, out=slow_iris.parent / "runs" / "slow", overrides={"epochs": 4})
    train = window.train_view
    train._diagnose_finished(str(run))
    panel = train.diagnosis
    assert [f["kind"] for f in panel.findings] == ["lr_too_low"]
    assert panel.empty.isHidden() and len(panel.fix_buttons) == 1
    button = panel.fix_buttons[0]
    assert "1e-04" in button.text() or "0.0001" in button.text()
    button.click()
    project = window.document.project
    assert project.training["optimizer"]["lr"] == pytest.approx(1e-4)
    window.document.undo_stack.undo()
    assert project.training["optimizer"]["lr"] == 1e-5
    # Live: the panel follows the epochs as they arrive.
    train._records = [{"epoch": e, "step": e, "train_loss": v, "val_loss": v}
                      for e, v in enumerate([0.9, 0.5, float("nan")], start=1)]
    train._diagnose_live()
    assert [f["kind"] for f in panel.findings] == ["divergence"]
    train._begin()
    assert panel.findings == []
