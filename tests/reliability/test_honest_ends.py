"""Honest ends: a run or an import never claims more than it did.

- Ctrl+C stops ``train`` after the batch: exit 130, status "stopped", a checkpoint to resume
  from, and no ``model.safetensors`` that ``export`` could pass off as a finished model.
- Weights or buffers that turn NaN make the run "failed", never "completed", and never
  become the best checkpoint.
- Numbers that are infinite or too large for the model's float32 inputs (inf, -inf, 1e400,
  5e38, a 5 MB string of digits) are refused by ``new``, the Data view, ``train``,
  ``predict`` and ``evaluate`` with the column, the rows and the count, in memory and when
  read in chunks; ``data.preparation.non_finite: "missing"`` treats them as missing instead.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from app.cli import main
from app.core.data import inspect_source, prepare
from app.core.data.errors import DataConfigError, DataError
from app.core.runs import read_summary, run_paths
from app.core.train.callbacks import Callback, TrainerControl, TrainerState
from app.core.train.checkpoint import load_checkpoint
from app.core.train.cli_progress import TextProgress
from app.core.train.config import TrainConfig
from app.core.train.engine import Trainer
from tests.reliability.cli_checks import run_cli

ROOT = Path(__file__).resolve().parents[2]

#: Values that no float32 model input can hold, as they appear in a CSV cell.
BAD_VALUES = {"inf": "inf", "minus-inf": "-inf", "1e400": "1e400", "beyond-float32": "5e38",
              "5MB-digits": "9" * 5_000_000}


def write_table(path: Path, bad: dict[int, str] | None = None, n: int = 80, seed: int = 0) -> Path:
    """Columns a, b (numbers) and label (x/y); ``bad`` puts texts into column a at 0-based rows."""
    rng = np.random.default_rng(seed)
    rows = ["a,b,label"]
    for i in range(n):
        a, b = rng.normal(), rng.normal()
        cell = (bad or {}).get(i, f"{a:.4f}")
        rows.append(f"{cell},{b:.4f},{'x' if a + b > 0 else 'y'}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("honest-ends")


@pytest.fixture(scope="module")
def good_project(area) -> Path:
    write_table(area / "good.csv")
    assert main(["new", "--template", "mlp", "--data", str(area / "good.csv"), "--target", "label",
                 "--out", str(area / "good.mwproj")]) == 0
    return area / "good.mwproj"


@pytest.fixture(scope="module")
def good_run(area, good_project) -> Path:
    assert main(["train", str(good_project), "--epochs", "2", "--out", str(area / "good-run")]) == 0
    return area / "good-run"


def project_reading(area: Path, project: Path, data: Path, name: str, **preparation) -> Path:
    """A copy of ``project`` whose data section reads ``data`` (with preparation settings changed)."""
    d = json.loads(project.read_text(encoding="utf-8"))
    d["data"]["source"]["path"] = str(data)
    d["data"]["preparation"].update(preparation)
    path = area / name
    path.write_text(json.dumps(d), encoding="utf-8")
    return path


# --------------------------------------------------------------------- non-finite values
@pytest.mark.parametrize("kind", list(BAD_VALUES))
def test_new_refuses_values_a_float32_cannot_hold_naming_column_rows_and_count(capsys, area, kind):
    folder = area / f"new-{kind}"
    folder.mkdir()
    data = write_table(folder / "data.csv", {3: BAD_VALUES[kind], 10: BAD_VALUES[kind]})
    out = folder / "p.mwproj"
    line = run_cli(capsys, ["new", "--template", "mlp", "--data", data, "--target", "label", "--out", out], folder)
    assert "Column 'a' of 'data.csv' holds 2 values" in line, line
    assert "rows 4, 11" in line and "lines 5, 12" in line, line
    assert "data.preparation.non_finite" in line and '"missing"' in line, line
    assert not out.exists()


def test_train_predict_and_evaluate_refuse_such_values(capsys, area, good_project, good_run):
    folder = area / "use"
    folder.mkdir()
    data = write_table(folder / "new.csv", {2: "inf", 5: "-inf", 6: "1e400", 7: "9" * 5_000_000, 40: "inf",
                                            41: "inf", 60: "5e38"})
    project = project_reading(folder, good_project, data, "bad.mwproj")
    line = run_cli(capsys, ["train", project, "--out", folder / "run"], folder)
    assert "Column 'a' of 'new.csv' holds 7 values" in line and "rows 3, 6, 7, 8, 41 and 2 more" in line, line
    assert not (folder / "run").exists()
    out = folder / "predictions.csv"
    line = run_cli(capsys, ["predict", good_run, "--data", data, "--out", out], folder)
    assert "holds 7 values" in line and "rows 3, 6, 7, 8, 41" in line and "cannot predict" in line, line
    assert not out.exists()  # never a silent class 0 with empty probabilities
    line = run_cli(capsys, ["evaluate", good_run, "--data", data], folder)
    assert "holds 7 values" in line and "rows 3, 6, 7, 8, 41" in line, line


def test_the_missing_setting_fills_them_in_training_and_prediction(capsys, area, good_project):
    folder = area / "missing"
    folder.mkdir()
    data = write_table(folder / "data.csv", {3: "inf", 9: "1e400", 20: "-inf"})
    project = project_reading(folder, good_project, data, "p.mwproj", non_finite="missing")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no raw numpy warnings on the way
        prepared = prepare(json.loads(project.read_text())["data"], folder)
    assert any("3 infinite or too large values in 'a' were treated as missing" in w for w in prepared.warnings)
    assert torch.isfinite(prepared.train.inputs).all()
    capsys.readouterr()
    assert main(["train", str(project), "--epochs", "2", "--out", str(folder / "run")]) == 0
    assert read_summary(folder / "run")["status"] == "completed"
    assert main(["predict", str(folder / "run"), "--data", str(data), "--out", str(folder / "p.csv")]) == 0
    import pandas as pd

    predictions = pd.read_csv(folder / "p.csv")
    assert predictions[["prob_x", "prob_y"]].notna().all().all()  # every row answered, those three too


def test_reading_in_chunks_gives_the_same_message_with_rows_across_the_file(area, good_project):
    folder = area / "chunks"
    folder.mkdir()
    data = write_table(folder / "big.csv", {5: "inf", 7000: "1e400", 11000: "-inf"}, n=12000)
    config = json.loads(project_reading(folder, good_project, data, "p.mwproj").read_text())["data"]
    messages = []
    for limit in (None, 0):  # in memory, then streamed from disk in 64 KB chunks
        config["memory_limit_mb"] = limit
        with pytest.raises(DataError) as info:
            prepare(config, folder)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert "holds 3 values" in messages[1] and "rows 6, 7001, 11001" in messages[1], messages[1]
    config["preparation"]["non_finite"] = "missing"
    prepared = prepare(config, folder)
    assert type(prepared.train).__name__ == "StreamingSplit"
    assert any("3 infinite or too large values" in w for w in prepared.warnings)


def test_the_setting_is_checked_in_the_project_file():
    from app.core.data.config import PreparationConfig

    assert PreparationConfig().non_finite == "error"
    with pytest.raises(DataConfigError, match="non_finite"):
        PreparationConfig.from_dict({"non_finite": "ignore"})


def test_the_data_view_import_shows_the_rows_and_imports_nothing(qtbot, window, messages, crashes, area):
    from tests.ui.conftest import wait_for_job

    folder = area / "gui"
    folder.mkdir()
    data = write_table(folder / "data.csv", {3: "1e400"})
    window.new_project()
    banner = window.data_view.banner
    window.open_path(data)
    wait_for_job(qtbot, window.data_view)
    qtbot.waitUntil(lambda: banner.isVisibleTo(window) and "data.csv" in banner.text(), timeout=5000)
    assert "Column 'a'" in banner.text() and "row 4" in banner.text(), banner.text()
    assert window.document.data is None
    assert not crashes and not messages


# ------------------------------------------------------------------------- NaN weights
def blobs(n: int, seed: int, label: float | None = None):
    from app.core.data.datasets import TensorSplit

    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g)
    y = (x.sum(1, keepdim=True) > 0).float() if label is None else torch.full((n, 1), label)
    return TensorSplit(x, y)


def binary_trainer(model, run_dir: Path, callbacks=(), **settings) -> Trainer:
    config = TrainConfig.from_dict({"epochs": 2, "batch_size": 8, "device": "cpu", "seed": 0,
                                    "optimizer": {"name": "adam", "lr": 0.05}, "loss": {"name": "bce_logits"},
                                    "checkpoint": {"epoch_min_seconds": 0}, **settings})
    return Trainer(model, config, task="binary", n_outputs=1, callbacks=list(callbacks), run_dir=run_dir)


class SpoilAtEpochEnd(Callback):
    """Sets a tensor to NaN when epoch ``epoch`` ends (after its evaluation, before the final save)."""

    def __init__(self, epoch: int, pick) -> None:
        self.epoch, self.pick = epoch, pick

    def on_epoch_end(self, trainer, state, control) -> None:
        if state.epoch == self.epoch:
            with torch.no_grad():
                self.pick(trainer.model).fill_(math.nan)


def assert_failed_without_final_weights(run_dir: Path, state) -> None:
    summary = read_summary(run_dir)
    assert state.status == "failed" and summary["status"] == "failed"
    assert "stopped being finite (NaN)" in summary["error"] and "Lower the learning rate" in summary["error"]
    assert not run_paths(run_dir).weights.exists()
    for kind in ("best", "last"):
        path = run_paths(run_dir).checkpoints / f"{kind}.pt"
        if path.exists():
            assert all(torch.isfinite(t).all() for t in load_checkpoint(path)["model"].values()), kind
    assert run_paths(run_dir).best_checkpoint.exists()


def test_weights_spoiled_after_the_last_evaluation_fail_the_run(tmp_path):
    trainer = binary_trainer(torch.nn.Linear(3, 1), tmp_path,
                             [SpoilAtEpochEnd(2, lambda m: m.weight)])
    state = trainer.fit(blobs(32, 0), blobs(16, 1))
    assert_failed_without_final_weights(tmp_path, state)


def test_a_nan_buffer_fails_the_run_too(tmp_path):
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 1))
    trainer = binary_trainer(model, tmp_path, [SpoilAtEpochEnd(2, lambda m: m[1].running_var)])
    state = trainer.fit(blobs(32, 0), blobs(16, 1))
    assert_failed_without_final_weights(tmp_path, state)


def test_nan_weights_never_become_the_best_checkpoint(tmp_path):
    """Validation labels are all 0, training labels all 1: the first epoch scores badly; NaN
    outputs then read as class 0, a "perfect" score that must not be saved as best."""

    class SpoilLastStep(Callback):
        def on_batch_end(self, trainer, state, control, batch):
            if state.global_step == 2 * state.batches_per_epoch:
                with torch.no_grad():
                    trainer.model.weight.fill_(math.nan)

    torch.manual_seed(0)
    trainer = binary_trainer(torch.nn.Linear(3, 1), tmp_path, [SpoilLastStep()],
                             optimizer={"name": "adam", "lr": 0.5},
                             early_stopping={"monitor": "val_accuracy", "patience": 5})
    state = trainer.fit(blobs(32, 0, label=1.0), blobs(16, 1, label=0.0))
    assert state.history[0]["val_accuracy"] < 0.5
    assert_failed_without_final_weights(tmp_path, state)
    assert read_summary(tmp_path)["best"]["epoch"] == 1


# ---------------------------------------------------------------------------- Ctrl+C
def test_second_ctrl_c_aborts_at_once():
    progress = TextProgress(io.StringIO())
    control = TrainerControl()
    trainer = type("T", (), {"device": torch.device("cpu"), "n_parameters": 1, "paths": None})()
    previous = signal.getsignal(signal.SIGINT)
    progress.on_fit_start(trainer, TrainerState(max_epochs=3, batches_per_epoch=4), control)
    try:
        handler = signal.getsignal(signal.SIGINT)
        handler(signal.SIGINT, None)
        assert control.stop_requested  # the first one: stop after the batch
        with pytest.raises(KeyboardInterrupt):
            handler(signal.SIGINT, None)
    finally:
        progress.on_exception(trainer, TrainerState(), control, KeyboardInterrupt())
    assert signal.getsignal(signal.SIGINT) is previous


def test_ctrl_c_stops_with_exit_130_a_checkpoint_and_no_final_model(capsys, area, good_project):
    folder = area / "ctrl-c"
    folder.mkdir()
    data = write_table(folder / "good.csv")
    project = project_reading(folder, good_project, data, "long.mwproj")
    d = json.loads(project.read_text(encoding="utf-8"))
    d["training"].update(epochs=100_000, batch_size=4)
    project.write_text(json.dumps(d), encoding="utf-8")
    run = folder / "run"
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "train", str(project), "--out", str(run)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        seen = []
        deadline = time.monotonic() + 90
        for line in proc.stdout:  # the first epoch line, then Ctrl+C
            seen.append(line)
            if line.startswith("epoch "):
                break
            assert time.monotonic() < deadline, "no epoch line within 90 s"
        assert any(line.startswith("epoch ") for line in seen), "".join(seen) + proc.stderr.read()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, (out, err)
    assert err == "", err
    last_line = out.strip().splitlines()[-1]
    assert re.search(r"continue with: python main\.py train --resume \S*run", last_line), last_line
    summary = read_summary(run)
    assert summary["status"] == "stopped"
    paths = run_paths(run)
    assert paths.last_checkpoint.is_file()
    assert not paths.weights.exists()  # nothing that passes for a finished model

    # the half-trained final weights are never handed out; the best checkpoint so far is, and says so
    line = run_cli(capsys, ["export", run, "--format", "safetensors", "--out", folder / "export", "--weights",
                             "final"], folder)
    assert "no final weights" in line and "--resume" in line, line
    run_cli(capsys, ["evaluate", run, "--weights", "final"], folder)
    if paths.best_checkpoint.is_file():
        assert main(["export", str(run), "--format", "safetensors", "--out", str(folder / "best-so-far")]) == 0
        assert "the run was stopped before the end" in (folder / "best-so-far" / "README.md").read_text("utf-8")

    # --resume continues from the checkpoint to the end
    stopped_step = load_checkpoint(paths.last_checkpoint)["trainer_state"]["global_step"]
    assert main(["train", "--resume", str(run), "--epochs", str(summary["epochs_completed"] + 1)]) == 0
    assert read_summary(run)["status"] == "completed"
    assert read_summary(run)["global_step"] > stopped_step
    assert paths.weights.is_file()
    assert main(["export", str(run), "--format", "safetensors", "--out", str(folder / "export")]) == 0
