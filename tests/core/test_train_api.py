"""train_project / evaluate_run / predict_run on real projects (data preparation, graph
compiler, run directory), and their plain one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from app.core.data import inspect_source, prepare, synthetic_config
from app.core.errors import ModelwrightError
from app.core.graph.templates import build_template_graph, template_training_defaults
from app.core.project import Project, load_project, save_project
from app.core.runs import read_metrics, read_summary, run_paths
from app.core.train.api import evaluate_run, predict_run, train_project
from app.core.train.checkpoint import load_checkpoint

LABELS = ("甲", "乙", "丙")


def three_class_frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    centers = np.array([[0.0, 3.0, 0.0], [3.0, 0.0, 1.0], [-3.0, -2.0, -1.0]])
    y = rng.integers(0, 3, n)
    x = centers[y] + rng.normal(size=(n, 3))
    return pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "label": [LABELS[i] for i in y]})


def make_project(folder, csv_name: str, frame: pd.DataFrame, target: str, template: str = "mlp",
                 **training) -> Path:
    csv = folder / csv_name
    frame.to_csv(csv, index=False)
    config = inspect_source(csv, target=target)
    info = prepare(config, folder).info
    settings = template_training_defaults(template, info)
    settings.update(training)
    path = folder / f"{csv.stem}.mwproj"
    save_project(Project(name=csv.stem, graph=build_template_graph(template, info), data=config.to_dict(),
                         training=settings), path)
    return path





@pytest.fixture(scope="module")
def classifier_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cls")
    project = make_project(folder, "flowers.csv", three_class_frame(300, 0), "label", epochs=12,
                           optimizer={"name": "adam", "lr": 0.01})
    return train_project(project, out=folder / "run"), folder


def test_train_project_writes_the_whole_run_directory(classifier_run):
    run, folder = classifier_run
    paths = run_paths(run)
    for p in (paths.project, paths.metrics, paths.summary, paths.last_checkpoint, paths.best_checkpoint,
              paths.weights, paths.preprocessor, paths.data_info):
        assert p.is_file(), p
    summary = read_summary(run)
    assert summary["status"] == "completed" and summary["epochs_completed"] == 12
    assert summary["final"]["val_accuracy"] > 0.9
    assert len(read_metrics(run)) == 12
    # The copy of the project loads on its own and points at the same data.
    copy = load_project(paths.project)
    assert copy.data_path().resolve() == (folder / "flowers.csv").resolve()
    assert copy.training["epochs"] == 12
    assert set(json.loads(paths.data_info.read_text())["class_names"]) == set(LABELS)


def test_evaluate_run_reports_accuracy_f1_and_the_confusion_matrix(classifier_run, tmp_path):
    run, _ = classifier_run
    result = evaluate_run(run)
    assert result["accuracy"] > 0.9 and result["f1_macro"] > 0.9
    assert set(result["per_class"]) == set(LABELS)
    assert result["confusion_matrix"]["labels"] and len(result["confusion_matrix"]["matrix"]) == 3
    json.dumps(result)  # plain JSON
    fresh = tmp_path / "fresh.csv"
    three_class_frame(90, 5).to_csv(fresh, index=False)
    on_file = evaluate_run(run, fresh)
    assert on_file["samples"] == 90 and on_file["accuracy"] > 0.9 and on_file["data"] == "fresh.csv"


def test_predict_run_writes_original_labels_and_one_probability_per_class(classifier_run, tmp_path):
    run, _ = classifier_run
    frame = three_class_frame(60, 9)
    new = tmp_path / "new.csv"
    frame.drop(columns=["label"]).to_csv(new, index=False)
    out = predict_run(run, new, tmp_path / "pred.csv")
    pred = pd.read_csv(out)
    assert list(pred.columns[:3]) == ["a", "b", "c"]
    assert set(pred["prediction"]) <= set(LABELS)
    assert (pred["prediction"] == frame["label"]).mean() > 0.9
    probs = pred[[f"prob_{label}" for label in LABELS]].to_numpy()
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_a_regression_project_reaches_r2_above_0_8_in_original_units(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3))
    y = 100 + 20 * (1.5 * x[:, 0] - 2.0 * x[:, 1] + 0.5 * x[:, 2]) + rng.normal(size=300)
    frame = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "price": y})
    project = make_project(tmp_path, "prices.csv", frame, "price", epochs=20, optimizer={"name": "adam", "lr": 0.01})
    run = train_project(project, out=tmp_path / "run")
    assert read_summary(run)["final"]["val_r2"] > 0.8
    result = evaluate_run(run)
    assert result["r2"] > 0.8
    assert result["mae"] < 0.5 * float(np.std(y))  # in the target's own units, not scaled ones
    frame.drop(columns=["price"]).head(5).to_csv(tmp_path / "new.csv", index=False)
    pred = pd.read_csv(predict_run(run, tmp_path / "new.csv", tmp_path / "pred.csv"))
    assert np.allclose(pred["prediction"], y[:5], atol=0.35 * float(np.std(y)))


def keras_seed_project(folder, epochs: int = 3) -> Path:
    config = synthetic_config("keras-seed")
    info = prepare(config, folder).info
    training = template_training_defaults("keras-seed", info)
    training["epochs"] = epochs
    path = folder / "seed.mwproj"
    save_project(Project(name="seed", graph=build_template_graph("keras-seed", info), data=config.to_dict(),
                         training=training), path)
    return path


def test_overrides_and_resume_of_a_keras_seed_project(tmp_path):
    project = keras_seed_project(tmp_path)
    run = train_project(project, out=tmp_path / "run", overrides={"epochs": 2, "lr": 0.05, "batch_size": 20})
    assert read_summary(run)["global_step"] == 2 * 40
    assert load_project(run_paths(run).project).training["optimizer"]["lr"] == 0.05
    with pytest.raises(ModelwrightError, match="already completed its 2 epochs"):
        train_project(None, resume=run)
    train_project(None, resume=run, overrides={"epochs": 3})
    assert read_summary(run)["epochs_completed"] == 3
    assert load_checkpoint(run_paths(run).last_checkpoint)["trainer_state"]["global_step"] == 120


@pytest.mark.parametrize("call, message", [
    (lambda p, t: train_project(p, out=t / "r", overrides={"lr": -1}), "optimizer.lr"),
    (lambda p, t: train_project(p, out=t / "r", overrides={"warp": 9}), "Unknown override 'warp'"),
    (lambda p, t: train_project(p, out=t / "r", overrides={"device": "cuda"}) if not torch.cuda.is_available()
     else (_ for _ in ()).throw(ModelwrightError("cuda")), "cuda"),
    (lambda p, t: train_project(p, out=t, overrides={"epochs": 1}), "already exists and is not empty"),
    (lambda p, t: train_project(None, resume=t / "nowhere"), "does not exist"),
    (lambda p, t: train_project(t / "missing.mwproj"), "not found"),
    (lambda p, t: evaluate_run(t / "nowhere"), "does not exist"),
    (lambda p, t: predict_run(t, t / "x.csv", t / "out.csv"), "not a run directory"),
])
def test_bad_options_and_missing_runs_are_one_line_errors(tmp_path, call, message):
    project = keras_seed_project(tmp_path)
    with pytest.raises(ModelwrightError) as info:
        call(project, tmp_path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_resume_refuses_to_change_settings_and_a_run_without_weights_cannot_predict(tmp_path):
    project = keras_seed_project(tmp_path, epochs=1)
    run = train_project(project, out=tmp_path / "run")
    with pytest.raises(ModelwrightError, match="'lr' cannot be changed when resuming"):
        train_project(None, resume=run, overrides={"lr": 0.5})
    run_paths(run).weights.unlink()
    run_paths(run).best_checkpoint.unlink()  # the best checkpoint alone would still do
    with pytest.raises(ModelwrightError, match="has no trained weights"):
        predict_run(run, tmp_path / "x.csv", tmp_path / "out.csv")
