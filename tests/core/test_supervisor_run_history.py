"""The run history's file operations: listing, settings diff, rename and guarded delete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.train.run_history import RunHistoryError, delete_run, list_runs, rename_run, settings_diff


def fake_run(folder: Path, name: str, training: dict, summary: dict | None) -> Path:
    run = folder / "runs" / name
    run.mkdir(parents=True)
    (run / "project.mwproj").write_text(json.dumps({"format": "modelwright-project", "training": training}))
    if summary is not None:
        (run / "summary.json").write_text(json.dumps(summary))
    (run / "metrics.csv").write_text("epoch,step,train_loss,val_loss,lr,seconds\n1,10,0.9,0.8,0.01,0.1\n")
    return run


def test_runs_are_listed_with_status_settings_and_metrics(tmp_path):
    fake_run(tmp_path, "a", {"epochs": 3}, {"status": "completed", "final": {"val_loss": 0.5}})
    fake_run(tmp_path, "b", {"epochs": 4}, None)
    (tmp_path / "runs" / "not-a-run").mkdir()
    runs = {r.name: r for r in list_runs(tmp_path)}
    assert set(runs) == {"a", "b"}
    assert runs["a"].status == "completed" and runs["a"].final["val_loss"] == 0.5
    assert runs["b"].status == "running"
    assert runs["a"].metrics()[0]["val_loss"] == 0.8
    assert list_runs(tmp_path / "elsewhere") == []


def test_settings_diff_compares_effective_values():
    a = {"epochs": 10, "optimizer": {"name": "adam"}}
    b = {"optimizer": {"name": "adam", "lr": 0.01}, "batch_size": 32}
    assert settings_diff(a, b) == [("optimizer.lr", 0.001, 0.01)]
    assert settings_diff(a, {}) == []


def test_rename_and_delete_are_guarded(tmp_path):
    run = fake_run(tmp_path, "a", {}, None)
    fake_run(tmp_path, "b", {}, None)
    with pytest.raises(RunHistoryError, match="already exists"):
        rename_run(run, "b")
    with pytest.raises(RunHistoryError, match="cannot be a run name"):
        rename_run(run, "x/y")
    renamed = rename_run(run, "best lr")
    assert renamed.name == "best lr" and (renamed / "project.mwproj").is_file() and not run.exists()
    with pytest.raises(RunHistoryError, match="nothing was deleted"):
        delete_run(tmp_path)
    delete_run(renamed)
    assert not renamed.exists() and [r.name for r in list_runs(tmp_path)] == ["b"]


def test_the_index_rereads_only_runs_whose_files_changed(tmp_path):
    from app.core.train.run_history import RunIndex

    for i in range(5):
        fake_run(tmp_path, f"r{i}", {"epochs": i}, {"status": "completed", "final": {"val_loss": i}})
    index = RunIndex()
    assert len(index.scan(tmp_path)) == 5 and index.reads == 5
    assert len(index.scan(tmp_path)) == 5 and index.reads == 5  # nothing changed: nothing read

    summary = tmp_path / "runs" / "r2" / "summary.json"
    summary.write_text(json.dumps({"status": "failed", "final": {"val_loss": 9.5}}))
    runs = {r.name: r for r in index.scan(tmp_path)}
    assert index.reads == 6 and runs["r2"].status == "failed" and runs["r2"].final["val_loss"] == 9.5

    fake_run(tmp_path, "new", {}, None)
    assert index.update(tmp_path / "runs" / "new").status == "running" and index.reads == 7
    delete_run(tmp_path / "runs" / "r0")
    assert index.update(tmp_path / "runs" / "r0") is None
    assert sorted(r.name for r in index.scan(tmp_path)) == ["new", "r1", "r2", "r3", "r4"] and index.reads == 7
