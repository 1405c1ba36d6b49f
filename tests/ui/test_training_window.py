"""The Train and Evaluate pages inside the main window: unsaved edits are saved before a
run (the run trains what the user sees), and a finished run shows up for evaluation."""

from __future__ import annotations

import json
from pathlib import Path


def test_window_trains_the_saved_project_and_lists_the_run_for_evaluation(qtbot, window, iris_project):
    window.show()
    assert window.open_project(iris_project)
    window.show_view("train")
    view = window.train_view
    view.settings_panel.epochs.setValue(2)  # an unsaved edit...
    assert window.document.modified
    with qtbot.waitSignal(view.run_finished, timeout=60_000) as finished:
        assert view.start()
    assert not window.document.modified  # ...saved before training
    result = finished.args[0]
    assert result["status"] == "completed", result
    trained = json.loads((Path(result["run_dir"]) / "project.mwproj").read_text())
    assert trained["training"]["epochs"] == 2
    assert window.run_state_label.text() == "Idle"
    window.show_view("evaluate")
    assert window.evaluate_view.run_dir() == result["run_dir"]
