"""The run history table: rows for runs on disk, a run that starts or finishes changes only
its own row (hundreds of runs in one session must not re-read every folder), the selection
survives new runs, and rename, delete, compare and overlay act on the selected runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt


def fake_run(project_folder: Path, name: str, *, lr: float = 0.01, summary: dict | None = None) -> Path:
    run = project_folder / "runs" / name
    run.mkdir(parents=True)
    training = {"epochs": 5, "batch_size": 16, "optimizer": {"name": "sgd", "lr": lr}}
    (run / "project.mwproj").write_text(json.dumps({"format": "modelwright-project", "training": training}))
    if summary is not None:
        (run / "summary.json").write_text(json.dumps(summary))
    (run / "metrics.csv").write_text("epoch,step,train_loss,val_loss,val_accuracy,lr,seconds\n"
                                     "1,10,0.9,0.8,0.6,0.01,0.1\n2,20,0.7,0.6,0.7,0.01,0.2\n")
    return run


def completed(val_loss: float, **final) -> dict:
    return {"status": "completed", "epochs_completed": 5, "elapsed_seconds": 1.5,
            "final": {"train_loss": val_loss + 0.1, "val_loss": val_loss, **final}}


@pytest.fixture
def history(qtbot, messages):
    from app.ui.training.history import RunHistory

    widget = RunHistory()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    return widget


def cell(history, row: int, header: str) -> str:
    model = history.model
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return model.data(model.index(row, columns.index(header)))


def touch_run(run: Path, when: int) -> None:
    for file in run.iterdir():
        os.utime(file, (when, when))


def test_rows_show_each_runs_settings_and_results_newest_first(history, tmp_path):
    touch_run(fake_run(tmp_path, "a", summary=completed(0.5, val_accuracy=0.8)), 1_000_000)
    touch_run(fake_run(tmp_path, "c"), 3_000_000)  # still training: no summary
    touch_run(fake_run(tmp_path, "b", lr=0.1, summary={"status": "failed", "error": "Loss became NaN at step 3",
                                                       "final": {}}), 2_000_000)
    history.set_folder(tmp_path)
    assert [r.name for r in history.runs] == ["c", "b", "a"]
    rows = {r.name: i for i, r in enumerate(history.runs)}
    assert cell(history, rows["a"], "Status") == "completed"
    assert cell(history, rows["a"], "val_accuracy") == "0.8"
    assert cell(history, rows["a"], "Epochs") == "5/5"
    assert cell(history, rows["b"], "LR") == "0.1"
    assert cell(history, rows["c"], "Status") == "running"
    error = history.model.data(history.model.index(rows["b"], 0), Qt.ItemDataRole.ToolTipRole)
    assert error == "Loss became NaN at step 3"


def test_a_run_that_starts_or_finishes_rereads_only_itself_and_keeps_the_selection(history, tmp_path):
    for i in range(30):
        fake_run(tmp_path, f"old-{i:02d}", summary=completed(0.5 + i / 100))
    history.set_folder(tmp_path)
    assert len(history.runs) == 30 and history.index.reads == 30
    history.select(["old-07"])
    reads = history.index.reads

    new = fake_run(tmp_path, "new")  # started: no summary yet
    history.update_run(new)
    assert history.runs[0].name == "new" and cell(history, 0, "Status") == "running"
    (new / "summary.json").write_text(json.dumps(completed(0.25, val_accuracy=0.9)))
    history.update_run(new)
    assert len(history.runs) == 31 and cell(history, 0, "Status") == "completed"
    assert cell(history, 0, "val_accuracy") == "0.9"  # a metric no run had: the column appears
    assert history.index.reads == reads + 2  # the new run, twice; none of the 30 others
    assert [r.name for r in history.selected_runs()] == ["old-07"]

    history.refresh()  # Refresh button: stats every folder, re-reads none that did not change
    assert history.index.reads == reads + 2 and len(history.runs) == 31
    assert [r.name for r in history.selected_runs()] == ["old-07"]


def test_rename_delete_and_compare_act_on_the_selection(history, tmp_path, monkeypatch):
    fake_run(tmp_path, "a", summary=completed(0.5))
    fake_run(tmp_path, "b", lr=0.1, summary=completed(0.4))
    history.set_folder(tmp_path)
    history.select(["a", "b"])
    assert history.compare_button.isEnabled() and not history.rename_button.isEnabled()
    dialog = history.compare_selected()
    assert [row[0] for row in dialog.rows] == ["optimizer.lr"]
    dialog.close()

    history.select(["a"])
    assert history.rename(history.selected_runs()[0], "best lr")
    assert sorted(r.name for r in history.runs) == ["b", "best lr"]
    assert [r.name for r in history.selected_runs()] == ["best lr"]
    assert (tmp_path / "runs" / "best lr" / "project.mwproj").is_file()

    assert not history.rename(history.selected_runs()[0], "b")  # taken: refused with a message
    assert sorted(r.name for r in history.runs) == ["b", "best lr"]

    history.delete(history.selected_runs())
    assert [r.name for r in history.runs] == ["b"] and not (tmp_path / "runs" / "best lr").exists()


def test_overlay_sends_the_selected_runs_curves(history, tmp_path, qtbot):
    fake_run(tmp_path, "a", summary=completed(0.5))
    fake_run(tmp_path, "b", summary=completed(0.4))
    history.set_folder(tmp_path)
    sent: list = []
    history.overlays_changed.connect(sent.append)
    history.select(["a"])
    history.overlay_check.setChecked(True)
    name, rows = sent[-1][0]
    assert name == "a" and [r["val_loss"] for r in rows] == [0.8, 0.6]
    history.overlay_check.setChecked(False)
    assert sent[-1] == []
