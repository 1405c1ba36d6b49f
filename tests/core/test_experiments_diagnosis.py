"""Learning-curve diagnosis: each rule on made-up curves, and on real runs that the tests
provoke (a learning rate of 10 diverges, 1e-5 crawls, a big network on a few noisy rows
overfits, a rare class is ignored until the classes are weighted)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.core.experiments.diagnosis import balanced_class_weights, diagnose, fix_changes_training
from app.core.experiments.run_diagnosis import diagnose_run
from app.core.graph.graph import Graph
from app.core.runs import read_summary
from app.core.train.config import TrainConfig

TRAINING = {"epochs": 10, "batch_size": 16, "optimizer": {"name": "adam", "lr": 0.01}}


def rows(train, val=None, **columns):
    out = []
    for i, t in enumerate(train):
        row = {"epoch": i + 1, "step": 10 * (i + 1), "train_loss": t}
        if val is not None:
            row["val_loss"] = val[i]
        for name, values in columns.items():
            row[name] = values[i]
        out.append(row)
    return out


def kinds(findings):
    return [f.kind for f in findings]


def fix(findings, kind, index=0):
    return next(f for f in findings if f.kind == kind).fixes[index].changes


# ---------------------------------------------------------------- synthetic curves
def test_divergence_from_a_non_finite_or_exploding_loss():
    found = diagnose(rows([0.9, 0.7, math.nan], [0.8, 0.7, math.nan]), TRAINING)
    assert kinds(found) == ["divergence"] and found[0].severity == "problem"
    assert fix(found, "divergence") == {"training.optimizer.lr": 0.001}
    # A failed run may have no rows: the guard's message is enough.
    assert kinds(diagnose([], TRAINING, error="The training loss became nan at step 3 (epoch 1); ...")) == ["divergence"]
    rising = diagnose(rows([1.0, 0.6, 0.9, 1.4, 2.5, 4.0], [1.0, 0.7, 1.0, 1.5, 2.6, 4.2]), TRAINING)
    assert kinds(rising) == ["divergence"] and rising[0].epoch == 2
    exploded = diagnose(rows([5e4, 2e4, 3e4], [6e4, 1e4, 2e4]), TRAINING, task="classification", n_outputs=3)
    assert kinds(exploded) == ["divergence"]


def test_learning_rate_too_low_from_a_slow_steady_descent():
    found = diagnose(rows([1.10, 1.098, 1.096, 1.095, 1.093], [1.10, 1.099, 1.097, 1.096, 1.094]),
                     {**TRAINING, "optimizer": {"lr": 1e-5}})
    assert kinds(found) == ["lr_too_low"]
    assert fix(found, "lr_too_low") == {"training.optimizer.lr": 1e-4}
    # A fast descent is not "too low".
    assert "lr_too_low" not in kinds(diagnose(rows([1.1, 0.8, 0.5, 0.3], [1.1, 0.8, 0.5, 0.35]), TRAINING))


def test_overfitting_names_the_epoch_where_it_began():
    graph = Graph()
    graph.add_node("core.dropout", {"p": 0.1}, id="dropout_1")
    train = [1.0, 0.7, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08]
    val = [1.0, 0.75, 0.6, 0.55, 0.6, 0.68, 0.8, 0.95]
    found = diagnose(rows(train, val), TRAINING, graph=graph)
    assert kinds(found) == ["overfitting"]
    finding = found[0]
    assert finding.epoch == 4 and "epoch 4" in finding.explanation
    labels = [f.label for f in finding.fixes]
    assert labels[0].startswith("Stop early") and any("dropout" in l.lower() for l in labels)
    changes = {k: v for f in finding.fixes for k, v in f.changes.items()}
    assert changes["training.epochs"] == 4
    assert changes["graph.dropout_1.p"] == 0.3
    assert changes["training.early_stopping"]["monitor"] == "val_loss"
    # Every fix gives settings the engine accepts.
    for f in finding.fixes:
        TrainConfig.from_dict(fix_changes_training(f.changes, TRAINING))
    # Validation loss rising together with the training loss is not overfitting.
    assert "overfitting" not in kinds(diagnose(rows([1, 0.8, 0.7, 0.75, 0.8, 0.9], [1, 0.8, 0.7, 0.8, 0.9, 1.0]),
                                               TRAINING))


def test_plateau_and_underfitting():
    plateau = diagnose(rows([1.0, 0.6, 0.4, 0.3, 0.3, 0.2999, 0.2998, 0.2997, 0.2997],
                            [1.0, 0.6, 0.45, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4]), TRAINING,
                       task="classification", n_outputs=3)
    assert kinds(plateau) == ["plateau"]
    TrainConfig.from_dict(fix_changes_training(plateau[0].fixes[0].changes, TRAINING))
    # Stuck close to guessing (ln 3 = 1.10), no gap between training and validation.
    stuck = diagnose(rows([1.2, 1.0, 0.9, 0.9, 0.9, 0.9], [1.2, 1.0, 0.9, 0.9, 0.9, 0.9]), TRAINING,
                     task="classification", n_outputs=3)
    assert "underfitting" in kinds(stuck)
    still_learning = diagnose(rows([1.0, 0.8, 0.6, 0.45, 0.33, 0.24], [1.0, 0.8, 0.62, 0.47, 0.35, 0.26]),
                              TRAINING, task="regression")
    assert kinds(still_learning) == ["underfitting"]
    assert fix(still_learning, "underfitting")["training.epochs"] == 20
    # A good run says nothing.
    assert diagnose(rows([1.0, 0.5, 0.2, 0.1, 0.08, 0.07], [1.0, 0.5, 0.25, 0.15, 0.13, 0.13]), TRAINING,
                    task="classification", n_outputs=3) == []


def test_noisy_training_suggests_larger_batches():
    val = [1.0, 0.6, 0.9, 0.5, 0.85, 0.45, 0.8, 0.5]
    found = diagnose(rows([1.0, 0.7, 0.65, 0.6, 0.58, 0.55, 0.53, 0.5], val), {**TRAINING, "batch_size": 4})
    assert "noisy" in kinds(found)
    assert fix(found, "noisy") == {"training.batch_size": 16}
    assert "noisy" not in kinds(diagnose(rows([1.0, 0.7, 0.65, 0.6, 0.58, 0.55, 0.53, 0.5], val),
                                         {**TRAINING, "batch_size": 512}))


def test_class_imbalance_dominating_accuracy():
    curves = rows([0.5, 0.4, 0.35, 0.33], [0.5, 0.42, 0.36, 0.34], val_accuracy=[0.9, 0.9, 0.9, 0.9],
                  val_f1=[0.47, 0.47, 0.47, 0.47])
    found = diagnose(curves, TRAINING, task="binary", n_outputs=1, class_counts=[90, 10])
    assert "class_imbalance" in kinds(found)
    weights = fix(found, "class_imbalance")["training.loss.class_weights"]
    assert weights == balanced_class_weights([90, 10]) == [pytest.approx(0.5556), 5.0]
    TrainConfig.from_dict(fix_changes_training({"training.loss.class_weights": weights}, TRAINING))
    # Balanced classes, or a model that beats the majority share clearly: no finding.
    assert "class_imbalance" not in kinds(diagnose(curves, TRAINING, task="binary", class_counts=[50, 50]))
    good = rows([0.5, 0.3, 0.2, 0.15], [0.5, 0.3, 0.2, 0.15], val_accuracy=[0.9, 0.95, 0.97, 0.98],
                val_f1=[0.6, 0.8, 0.9, 0.93])
    assert "class_imbalance" not in kinds(diagnose(good, TRAINING, task="binary", class_counts=[90, 10]))


# ---------------------------------------------------------------- real runs
def _table_project(tmp_path: Path, frame: pd.DataFrame, training: dict, *, hidden: int = 16) -> Path:
    from app.core.data import inspect_source
    from app.core.data.info import DataInfo
    from app.core.graph.templates import build_template_graph
    from app.core.project import Project, save_project

    csv = tmp_path / "table.csv"
    frame.to_csv(csv, index=False)
    config = inspect_source(csv, target="label")
    n_features = frame.shape[1] - 1
    labels = sorted(frame["label"].unique())
    task = "binary" if len(labels) == 2 else "classification"
    info = DataInfo("vector", (n_features,), task, 1 if task == "binary" else len(labels),
                    class_names=tuple(map(str, labels)))
    graph = build_template_graph("mlp", info)
    for node in graph.nodes:
        if node.type == "core.linear":
            graph.set_param(node.id, "out_features", hidden)
    project = Project(name="table", graph=graph, data=config.to_dict(), training=training)
    return save_project(project, tmp_path / "table.mwproj")


def _blobs(n: int, seed: int = 0, minority: float = 0.5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < minority).astype(int)
    x = rng.normal(0, 1, (n, 4)) + y[:, None] * 1.5
    frame = pd.DataFrame(x, columns=[f"f{i}" for i in range(4)])
    frame["label"] = np.where(y == 1, "yes", "no")
    return frame


def test_real_runs_divergence_and_slow_learning(tmp_path):
    from app.core.train.api import TrainingFailed, train_project

    project = _table_project(tmp_path, _blobs(200), {"epochs": 6, "batch_size": 16, "metrics": ["accuracy"]})
    try:
        run = train_project(project, out=tmp_path / "lr10", overrides={"lr": 10.0})
    except TrainingFailed as exc:  # the loss became NaN: the run fails, the diagnosis is still written
        run = exc.run_dir
    diagnosis = read_summary(run)["diagnosis"]
    assert [d["kind"] for d in diagnosis] == ["divergence"]
    assert diagnosis[0]["fixes"][0]["changes"] == {"training.optimizer.lr": 1.0}

    run = train_project(project, out=tmp_path / "slow", overrides={"lr": 1e-5, "epochs": 5})
    assert [d["kind"] for d in read_summary(run)["diagnosis"]] == ["lr_too_low"]


def test_real_run_overfitting(tmp_path):
    from app.core.train.api import train_project

    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.normal(0, 1, (60, 12)), columns=[f"f{i}" for i in range(12)])
    frame["label"] = np.where(rng.random(60) < 0.5, "a", "b")  # labels unrelated to the features
    project = _table_project(tmp_path, frame, {"epochs": 40, "batch_size": 8, "optimizer": {"lr": 0.01}},
                             hidden=128)
    raw = json.loads(project.read_text())
    for node in raw["graph"]["nodes"]:
        if node["type"] == "core.dropout":
            node["params"]["p"] = 0.0
    project.write_text(json.dumps(raw))
    run = train_project(project, out=tmp_path / "overfit")
    findings = diagnose_run(run)
    overfitting = next(d for d in findings if d["kind"] == "overfitting")
    assert 1 <= overfitting["epoch"] < 20
    labels = [f["label"] for f in overfitting["fixes"]]
    assert labels[0].startswith("Stop early") and "More dropout" in labels


def test_real_run_class_imbalance_and_class_weights(tmp_path):
    from app.core.train.api import train_project

    frame = _blobs(400, seed=3, minority=0.08)
    frame[[f"f{i}" for i in range(4)]] = np.random.default_rng(3).normal(0, 1, (400, 4)) + (
        (frame["label"] == "yes").to_numpy()[:, None] * 0.8)
    project = _table_project(tmp_path, frame, {"epochs": 4, "batch_size": 32, "metrics": ["accuracy", "f1"],
                                               "optimizer": {"lr": 0.003}})
    run = train_project(project, out=tmp_path / "plain")
    findings = read_summary(run)["diagnosis"]
    imbalance = next(d for d in findings if d["kind"] == "class_imbalance")
    weights = imbalance["fixes"][0]["changes"]["training.loss.class_weights"]
    assert weights[1] > 5 * weights[0]
    # The fix is a setting the engine honours: the weighted run finds the rare class.
    weighted = _table_project(tmp_path, frame, fix_changes_training(imbalance["fixes"][0]["changes"],
                                                                    json.loads(project.read_text())["training"]))
    run = train_project(weighted, out=tmp_path / "weighted")
    final = read_summary(run)["final"]
    plain = read_summary(tmp_path / "plain")["final"]
    assert final["val_f1"] > plain["val_f1"] + 0.2, (final, plain)


def test_live_diagnosis_of_a_run_matches_its_summary(tmp_path):
    """The training view judges the rows as they arrive through DiagnosisInputs read from the
    run folder; with all rows in, that is exactly what the engine wrote into summary.json."""
    from app.core.experiments.run_diagnosis import DiagnosisInputs
    from app.core.runs import read_metrics
    from app.core.train.api import train_project

    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.normal(0, 1, (80, 10)), columns=[f"f{i}" for i in range(10)])
    frame["label"] = rng.choice(["a", "b", "c"], 80)  # nothing to learn, everything to memorise
    project = _table_project(tmp_path, frame, {"epochs": 30, "batch_size": 8, "optimizer": {"lr": 0.003}},
                             hidden=128)
    # The run trains with other settings than the project's: the live view must use the run's.
    run = train_project(project, out=tmp_path / "run", overrides={"lr": 0.01})
    summary = read_summary(run)["diagnosis"]
    assert "overfitting" in [d["kind"] for d in summary]
    inputs = DiagnosisInputs.from_run(run, fallback_training={"epochs": 1})
    assert inputs.task == "classification" and inputs.n_outputs == 3
    assert inputs.training["optimizer"]["lr"] == 0.01
    rows = read_metrics(run)
    assert inputs.diagnose(rows) == summary
    # Old runs without a diagnosis in summary.json get the same from their files.
    data = json.loads((run / "summary.json").read_text())
    del data["diagnosis"]
    (run / "summary.json").write_text(json.dumps(data))
    assert diagnose_run(run) == summary
