"""The Evaluate view says which weights its figures come from, and lists a run stopped by the
user (no final weights) so it can be evaluated from its best checkpoint."""

from __future__ import annotations

import pytest

RUN_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def stopped_run(tmp_path_factory):
    import shutil

    from app.core.train.api import train_project
    from app.core.train.callbacks import Callback
    from tests.ui.conftest import IRIS_CSV

    class StopAfterTwo(Callback):
        def on_epoch_end(self, trainer, state, control) -> None:
            if state.epoch >= 2:
                control.request_stop()  # as the Stop button does

    folder = tmp_path_factory.mktemp("iris")
    shutil.copy(IRIS_CSV, folder / "iris.csv")
    shutil.copy(IRIS_CSV.parent / "iris.mwproj", folder / "iris.mwproj")
    run = train_project(folder / "iris.mwproj", out=folder / "runs" / "iris-stopped",
                        overrides={"epochs": 50, "seed": 3}, callbacks=[StopAfterTwo()])
    return folder, run


def test_a_stopped_run_is_listed_and_evaluated_from_its_best_checkpoint(qtbot, stopped_run):
    from app.core.project import load_project
    from app.core.runs import read_summary, run_paths
    from app.ui.document import ProjectDocument
    from app.ui.evaluate.evaluate_view import EvaluateView

    folder, run = stopped_run
    assert read_summary(run)["status"] == "stopped" and not run_paths(run).weights.exists()
    document = ProjectDocument()
    document.set_project(load_project(folder / "iris.mwproj"))
    view = EvaluateView(document)
    qtbot.addWidget(view)
    view.show()
    assert view.run_dir() == str(run)
    view.evaluate()
    qtbot.waitUntil(lambda: view.details is not None, timeout=RUN_TIMEOUT_MS)
    label = view.weights_label.text()
    assert "best checkpoint" in label and "stopped" in label
    epoch = view.details["metrics"]["weights_epoch"]
    assert f"epoch {epoch}" in label
    shown = {view.metrics_table.item(r, 0).text() for r in range(view.metrics_table.rowCount())}
    assert "accuracy" in shown and "weights_epoch" not in shown


def test_the_label_names_final_weights_when_they_were_used(qtbot):
    from app.ui.document import ProjectDocument
    from app.ui.evaluate.evaluate_view import EvaluateView

    view = EvaluateView(ProjectDocument())
    qtbot.addWidget(view)
    assert view.weights_text({"weights": "final", "weights_epoch": 30, "run_status": "completed"}) == \
        "Weights: final (epoch 30)"
    assert view.weights_text({"weights": "best", "weights_epoch": 12.0}) == "Weights: best checkpoint (epoch 12)"
