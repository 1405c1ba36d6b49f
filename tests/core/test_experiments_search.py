"""Hyper-parameter search: finds better settings than a bad default, resumes after a stop
or a kill, checks its space file, and its trials can be promoted to the project."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.experiments.search import (
    SearchControl,
    SearchError,
    open_study,
    param_importances,
    promoted_project,
    read_study,
    run_search,
)
from app.core.experiments.space import SearchSpace, SearchSpaceError, load_space
from app.core.runs import read_metrics, read_summary

ROOT = Path(__file__).resolve().parents[2]
IRIS = ROOT / "resources" / "examples" / "iris"

SPACE = {
    "metric": "val_accuracy",
    "params": {
        "training.optimizer.lr": {"low": 1e-3, "high": 0.1, "log": True},
        "graph.dense_1.out_features": {"low": 8, "high": 32, "step": 8},
    },
}


@pytest.fixture
def bad_iris(tmp_path) -> Path:
    """Iris with a learning rate far too small to learn anything in a few epochs."""
    for name in ("iris.csv", "iris.mwproj"):
        shutil.copy(IRIS / name, tmp_path / name)
    path = tmp_path / "iris.mwproj"
    raw = json.loads(path.read_text())
    raw["training"] = {"epochs": 4, "batch_size": 16, "optimizer": {"name": "adam", "lr": 1e-5},
                       "metrics": ["accuracy"]}
    path.write_text(json.dumps(raw))
    return path


def test_search_beats_a_bad_default_and_the_best_trial_can_be_promoted(bad_iris, tmp_path):
    from app.core.train.api import train_project

    baseline = train_project(bad_iris, out=tmp_path / "baseline")
    default_best = max(r["val_accuracy"] for r in read_metrics(baseline))

    result = run_search(bad_iris, SearchSpace.from_dict(SPACE), trials=8, strategy="tpe", out=tmp_path / "study")

    assert len(result.trials) == 8
    assert {t.state for t in result.trials} <= {"complete", "pruned"}
    best = result.best
    assert best.value > default_best + 0.2, (best.value, default_best)
    # Each trial is a normal run directory trained with the trial's values.
    run = Path(best.run_dir)
    assert run == tmp_path / "study" / f"trial-{best.number:03d}"
    trained = json.loads((run / "project.mwproj").read_text())
    assert trained["training"]["optimizer"]["lr"] == pytest.approx(best.params["training.optimizer.lr"])
    node = next(n for n in trained["graph"]["nodes"] if n["id"] == "dense_1")
    assert node["params"]["out_features"] == best.params["graph.dense_1.out_features"]
    assert read_summary(run)["status"] == "completed"
    # Pruned trials stopped before their last epoch.
    for t in result.trials:
        if t.state == "pruned":
            assert len(read_metrics(t.run_dir)) < 4
    # Promotion: the trial's project carries its values; the original file is untouched.
    promoted = promoted_project(tmp_path / "study", best.number)
    assert promoted.training["optimizer"]["lr"] == pytest.approx(best.params["training.optimizer.lr"])
    assert json.loads(bad_iris.read_text())["training"]["optimizer"]["lr"] == 1e-5
    importances = param_importances(tmp_path / "study")
    assert set(importances) == set(SPACE["params"]) and sum(importances.values()) == pytest.approx(1.0)


def test_a_stopped_search_resumes_and_reruns_the_interrupted_trial(bad_iris, tmp_path):
    space = SearchSpace.from_dict({**SPACE, "pruning": False})
    control = SearchControl()
    started: list[tuple[int, dict]] = []

    def stop_in_second_trial(number, epoch, value):
        if number == 1 and epoch == 2:
            control.request_stop()

    first = run_search(bad_iris, space, trials=4, strategy="random", out=tmp_path / "study", control=control,
                       on_trial_start=lambda n, p: started.append((n, p)), on_epoch=stop_in_second_trial)
    assert [t.state for t in first.trials] == ["complete", "interrupted"]
    interrupted_params = started[1][1]
    assert read_summary(tmp_path / "study" / "trial-001")["status"] == "stopped"

    resumed: list[tuple[int, dict]] = []
    second = run_search(bad_iris, space, trials=4, strategy="random", out=tmp_path / "study",
                        on_trial_start=lambda n, p: resumed.append((n, p)))
    states = [t.state for t in second.trials]
    assert states.count("complete") == 4 and states.count("interrupted") == 1
    assert resumed[0][1] == interrupted_params  # the cut-short trial runs again first
    assert len(resumed) == 3


def test_a_killed_search_resumes(bad_iris, tmp_path):
    space = SearchSpace.from_dict(SPACE)
    run_search(bad_iris, space, trials=1, strategy="tpe", out=tmp_path / "study")
    # A process killed mid-trial leaves the trial RUNNING in the journal.
    study, _ = open_study(tmp_path / "study", space, "tpe")
    orphan = study.ask()
    orphan_params = {p.name: orphan.suggest_float(p.name, p.low, p.high, log=p.log) if p.kind == "float"
                     else orphan.suggest_int(p.name, p.low, p.high, step=p.step) for p in space.params}
    seen: list[dict] = []
    result = run_search(bad_iris, space, trials=2, strategy="tpe", out=tmp_path / "study",
                        on_trial_start=lambda n, p: seen.append(p))
    assert seen == [orphan_params]
    assert [t.state for t in result.trials] == ["complete", "interrupted", "complete"]


def test_grid_strategy_tries_each_combination_once(bad_iris, tmp_path):
    space = SearchSpace.from_dict({"metric": "val_loss", "epochs": 1, "pruning": False, "params": {
        "training.optimizer.name": ["adam", "sgd"], "training.batch_size": {"choices": [16, 32]}}})
    result = run_search(bad_iris, space, trials=10, strategy="grid", out=tmp_path / "grid")
    combos = {(t.params["training.optimizer.name"], t.params["training.batch_size"]) for t in result.trials}
    assert len(result.trials) == 4 and len(combos) == 4
    assert all(len(read_metrics(t.run_dir)) == 1 for t in result.trials)  # the space's epochs apply


def test_space_mistakes_are_explained(bad_iris, tmp_path):
    from app.core.project import load_project

    project = load_project(bad_iris)
    with pytest.raises(SearchSpaceError, match="no layer 'dense_9'.*dense_1"):
        SearchSpace.from_dict({"params": {"graph.dense_9.out_features": [8, 16]}}).check_project(project)
    with pytest.raises(SearchSpaceError, match="has no parameter 'width'.*out_features"):
        SearchSpace.from_dict({"params": {"graph.dense_1.width": [8, 16]}}).check_project(project)
    with pytest.raises(SearchSpaceError, match="'low' .* must be below 'high'"):
        SearchSpace.from_dict({"params": {"training.optimizer.lr": {"low": 0.1, "high": 0.01}}})
    with pytest.raises(SearchSpaceError, match="must start with 'training.'"):
        SearchSpace.from_dict({"params": {"lr": {"low": 0.1, "high": 1}}})
    with pytest.raises(SearchSpaceError, match="engine refuses.*optimizer.name"):
        SearchSpace.from_dict({"params": {"training.optimizer.name": ["adam", "lion"]}}).apply(
            project, {"training.optimizer.name": "lion"})
    (tmp_path / "broken.json").write_text("{\"params\": ")
    with pytest.raises(SearchSpaceError, match="not valid JSON"):
        load_space(tmp_path / "broken.json")
    # A metric the runs do not record ends the search with the names it could use.
    space = SearchSpace.from_dict({"metric": "val_r2", "epochs": 1, "params": {"training.batch_size": [16, 32]}})
    with pytest.raises(SearchError, match="val_r2.*val_accuracy"):
        run_search(bad_iris, space, trials=2, strategy="random", out=tmp_path / "wrong-metric")
    # Resuming with another space is refused instead of mixing two searches.
    run_search(bad_iris, SearchSpace.from_dict({"epochs": 1, "params": {"training.batch_size": [16]}}),
               trials=1, out=tmp_path / "s")
    with pytest.raises(SearchError, match="different search space"):
        run_search(bad_iris, SearchSpace.from_dict({"epochs": 1, "params": {"training.batch_size": [32]}}),
                   trials=1, out=tmp_path / "s")


def test_search_command_line(bad_iris, tmp_path):
    (tmp_path / "space.json").write_text(json.dumps({"epochs": 2, "metric": "val_loss",
                                                     "params": {"training.optimizer.lr": [0.01, 0.05]}}))
    cmd = [sys.executable, str(ROOT / "main.py"), "search", str(bad_iris), "--space", str(tmp_path / "space.json"),
           "--trials", "2", "--strategy", "grid", "--out", str(tmp_path / "cli")]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={"OMP_NUM_THREADS": "1",
                                                                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "Best: trial" in done.stdout and "Search saved in" in done.stdout
    assert len(read_study(tmp_path / "cli").trials) == 2
    bad = subprocess.run(cmd[:5] + [str(tmp_path / "missing.json"), "--trials", "2"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 1 and "Search space file not found" in bad.stderr and "Traceback" not in bad.stderr
