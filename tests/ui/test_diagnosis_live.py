"""The training view's live diagnosis panel shows what the run's summary.json will say: it
judges the rows with the run's own settings (overrides included), task and classes."""

from __future__ import annotations

import json

from app.core.runs import read_metrics, read_summary


def test_live_findings_are_the_summary_findings(qtbot, window, iris_project):
    from app.core.train.api import TrainingFailed, train_project

    raw = json.loads(iris_project.read_text())
    raw["training"] = {"epochs": 8, "batch_size": 16, "optimizer": {"name": "adam", "lr": 0.001},
                       "metrics": ["accuracy"]}
    iris_project.write_text(json.dumps(raw))
    assert window.open_project(iris_project)
    try:  # a learning rate of 10: the loss explodes (or becomes NaN) in the first epoch
        run = train_project(iris_project, out=iris_project.parent / "runs" / "lr10", overrides={"lr": 10.0})
    except TrainingFailed as exc:
        run = exc.run_dir
    summary = read_summary(run)["diagnosis"]
    assert [d["kind"] for d in summary] == ["divergence"]
    assert summary[0]["fixes"][0]["changes"] == {"training.optimizer.lr": 1.0}  # the run's rate, not 0.001

    train = window.train_view
    train._begin()
    train.run_info = {"run_dir": str(run)}  # what the "started" message carries
    train._records = [dict(r) for r in read_metrics(run)]
    train._diagnose_live()
    assert train.diagnosis.findings == summary
    train._diagnose_finished(str(run))
    assert train.diagnosis.findings == summary
