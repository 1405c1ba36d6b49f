"""Evaluate, predict and export use a run's best checkpoint unless told otherwise; a stopped run
stays usable through it; new table projects stop early; the regression default is no worse
than a linear model. Real data (scikit-learn's digits and diabetes tables), real runs."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import numpy as np
import pytest
import torch

from app.cli import main
from app.core.data import prepare
from app.core.new_project import create_project
from app.core.project import load_project
from app.core.runs import read_summary, run_paths
from app.core.train.api import evaluate_run, predict_run, train_project
from app.core.train.callbacks import Callback
from app.core.train.config import TrainConfig, default_patience

sklearn_datasets = pytest.importorskip("sklearn.datasets")
onnxruntime = pytest.importorskip("onnxruntime")


def digits_project(folder: Path, **training) -> Path:
    """``main.py new --template mlp`` on the digits table, with ``training`` changed."""
    frame = sklearn_datasets.load_digits(as_frame=True).frame.rename(columns={"target": "digit"})
    csv = folder / "digits.csv"
    frame.to_csv(csv, index=False)
    project, _ = create_project("mlp", data=csv, target="digit", out=folder / "digits.mwproj")
    d = json.loads(Path(project.path).read_text(encoding="utf-8"))
    d["training"].update(training)
    Path(project.path).write_text(json.dumps(d), encoding="utf-8")
    return Path(project.path)


@pytest.fixture(scope="module")
def overfit_run(tmp_path_factory) -> Path:
    """200 epochs with early stopping off: training goes on long after the best validation loss."""
    folder = tmp_path_factory.mktemp("digits")
    project = digits_project(folder, epochs=200, early_stopping=None)
    return train_project(project, out=folder / "run")


def test_setup_overfits_so_best_and_final_weights_differ(overfit_run):
    summary = read_summary(overfit_run)
    assert summary["status"] == "completed" and summary["epochs_completed"] == 200
    best, final = evaluate_run(overfit_run), evaluate_run(overfit_run, weights="final")
    assert (best["weights"], final["weights"]) == ("best", "final")
    assert best["weights_epoch"] == summary["best"]["epoch"] < 100 and final["weights_epoch"] == 200
    assert best["loss"] < final["loss"] * 0.6  # the final weights are much worse on the test rows
    assert best["accuracy"] != final["accuracy"]


def onnx_test_accuracy(export: Path, run: Path) -> float:
    """The exported ONNX model's accuracy on the run's test rows, computed with onnxruntime."""
    project = load_project(run_paths(run).project)
    test = prepare(project.data, project.folder).test
    inputs, targets = test.batch(torch.arange(len(test)))
    session = onnxruntime.InferenceSession(str(export / "model.onnx"))
    logits = session.run(None, {session.get_inputs()[0].name: inputs.numpy().astype(np.float32)})[0]
    return float((logits.argmax(axis=1) == targets.numpy()).mean())


def test_onnx_export_holds_the_best_weights_and_weights_final_the_final_ones(overfit_run, tmp_path, capsys):
    best, final = evaluate_run(overfit_run), evaluate_run(overfit_run, weights="final")
    assert main(["export", str(overfit_run), "--format", "onnx", "--out", str(tmp_path / "best")]) == 0
    assert onnx_test_accuracy(tmp_path / "best", overfit_run) == pytest.approx(best["accuracy"])
    assert onnx_test_accuracy(tmp_path / "best", overfit_run) != pytest.approx(final["accuracy"])
    assert json.loads((tmp_path / "best" / "export.json").read_text(encoding="utf-8"))["weights"] == "best"
    card = (tmp_path / "best" / "README.md").read_text(encoding="utf-8")
    assert f"Weights: best (epoch {best['weights_epoch']}, val_loss" in card

    args = ["export", str(overfit_run), "--format", "onnx", "--out", str(tmp_path / "final"), "--weights", "final"]
    assert main(args) == 0
    assert onnx_test_accuracy(tmp_path / "final", overfit_run) == pytest.approx(final["accuracy"])

    capsys.readouterr()
    assert main(["evaluate", str(overfit_run), "--weights", "final"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["weights"] == "final" and shown["accuracy"] == pytest.approx(final["accuracy"])
    assert main(["evaluate", str(overfit_run)]) == 0
    assert json.loads(capsys.readouterr().out)["weights"] == "best"


def test_predict_uses_the_best_weights_unless_told_final(overfit_run, tmp_path):
    data = run_paths(overfit_run).root.parent / "digits.csv"
    rows = data.read_text(encoding="utf-8").splitlines()[:301]
    (tmp_path / "rows.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    import pandas as pd

    best = pd.read_csv(predict_run(overfit_run, tmp_path / "rows.csv", tmp_path / "best.csv"))
    final = pd.read_csv(predict_run(overfit_run, tmp_path / "rows.csv", tmp_path / "final.csv", weights="final"))
    assert main(["predict", str(overfit_run), "--data", str(tmp_path / "rows.csv"), "--out",
                 str(tmp_path / "cli.csv")]) == 0
    cli = pd.read_csv(tmp_path / "cli.csv")
    assert np.allclose(cli["prob_0"], best["prob_0"])
    assert not np.allclose(best["prob_0"], final["prob_0"], atol=1e-3)


class StopAfter(Callback):
    """Stops the run the way the GUI's Stop button and Ctrl+C do (no reason: status ``stopped``)."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs

    def on_epoch_end(self, trainer, state, control) -> None:
        if state.epoch >= self.epochs:
            control.request_stop()


def test_a_stopped_run_evaluates_and_exports_from_its_best_checkpoint(tmp_path, capsys):
    project = digits_project(tmp_path, epochs=50)
    run = train_project(project, out=tmp_path / "run", callbacks=[StopAfter(4)])
    paths = run_paths(run)
    assert read_summary(run)["status"] == "stopped"
    assert not paths.weights.exists() and paths.best_checkpoint.is_file()

    capsys.readouterr()
    assert main(["evaluate", str(run)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["weights"] == "best" and shown["run_status"] == "stopped" and shown["accuracy"] > 0.8
    assert main(["export", str(run), "--format", "safetensors", "--out", str(tmp_path / "export")]) == 0
    card = (tmp_path / "export" / "README.md").read_text(encoding="utf-8")
    assert "the run was stopped before the end" in card

    # the final weights do not exist: one sentence naming the way out, nothing written
    capsys.readouterr()
    assert main(["export", str(run), "--format", "onnx", "--out", str(tmp_path / "final"), "--weights", "final"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "unexpected" not in err
    assert "no final weights" in err and "--weights best" in err
    assert not (tmp_path / "final").exists()


def test_new_table_projects_stop_early_with_a_patience_sized_to_the_data(tmp_path):
    project = load_project(digits_project(tmp_path))
    early = TrainConfig.from_dict(project.training).early_stopping
    assert early is not None and early.monitor == "val_loss"
    rows = len(prepare(project.data, project.folder).train)
    assert early.patience == default_patience(project.training["epochs"], rows, project.training["batch_size"])
    assert 3 <= early.patience <= 20
    # small tables wait longer (in epochs) than large data; short runs wait at most a third of their epochs
    assert default_patience(200, 300, 32) == 20 and default_patience(200, 60_000, 64) == 3
    assert default_patience(9, 300, 32) == 3
    # a project written before (no early_stopping, or null) keeps training all its epochs
    assert TrainConfig.from_dict({"epochs": 5}).early_stopping is None
    assert TrainConfig.from_dict({"epochs": 5, "early_stopping": None}).early_stopping is None


def test_the_regression_default_is_no_worse_than_ridge(tmp_path):
    """The diabetes table over 5 seeds (each its own split), as benchmarks/regression_vs_ridge.py runs it."""
    from benchmarks.regression_vs_ridge import compare

    result = compare(seeds=5, folder=tmp_path)
    assert statistics.mean(result["network"]) >= statistics.mean(result["ridge"]), result


def test_a_project_without_validation_data_trains_all_its_epochs_and_uses_its_final_weights(tmp_path, caplog):
    project = digits_project(tmp_path, epochs=3)
    d = json.loads(project.read_text(encoding="utf-8"))
    d["data"]["split"]["ratios"] = {"train": 0.9, "val": 0.0, "test": 0.1}
    project.write_text(json.dumps(d), encoding="utf-8")
    assert d["training"]["early_stopping"]["monitor"] == "val_loss"  # on, with nothing to watch
    run = train_project(project, out=tmp_path / "run")
    summary = read_summary(run)
    assert summary["status"] == "completed" and summary["epochs_completed"] == 3
    assert "no validation data" in caplog.text
    result = evaluate_run(run)
    assert result["weights"] == "final" and result["data"] == "test"
