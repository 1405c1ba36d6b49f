"""Training failures end the run with a specific message and a fix, keeping the best checkpoint:
running out of memory (injected), a loss that turns NaN, and a crashed training process."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch

from app.core.data import prepare, synthetic_config
from app.core.graph.templates import build_template_graph
from app.core.project import Project, save_project
from app.core.runs import read_summary, run_paths
from app.core.safety.training_failures import is_out_of_memory
from app.core.train.api import TrainingFailed, train_project
from app.core.train.callbacks import Callback
from app.core.train.checkpoint import load_checkpoint
from app.core.train.config import TrainConfig
from app.core.train.engine import Trainer

OOM_TEXT = "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total capacity)"


def make_project(folder: Path, **checkpoint) -> Path:
    config = synthetic_config("keras-seed", n_samples=200)
    info = prepare(config, folder).info
    graph = build_template_graph("mlp", info, hidden=[8], dropout=0.0)
    training = {"epochs": 4, "batch_size": 16, "optimizer": {"name": "adam", "lr": 0.01},
                "loss": {"name": "bce_logits"}, "device": "cpu", "seed": 1,
                "checkpoint": {"epoch_min_seconds": 0, **checkpoint}}
    return save_project(Project(name="seed", graph=graph, data=config.to_dict(), training=training),
                        folder / "seed.mwproj")


class FailAt(Callback):
    """Raises ``error`` (or spoils the weights with NaN) after optimizer step ``step``."""

    def __init__(self, step: int, error: BaseException | None = None) -> None:
        self.step, self.error = step, error

    def on_batch_end(self, trainer, state, control, batch) -> None:
        if state.global_step == self.step:
            if self.error is not None:
                raise self.error
            with torch.no_grad():
                next(trainer.model.parameters()).fill_(math.nan)


@pytest.mark.parametrize("error", [torch.OutOfMemoryError(OOM_TEXT), RuntimeError(OOM_TEXT),
                                   RuntimeError("[enforce fail at alloc_cpu.cpp:83] DefaultCPUAllocator: "
                                                "can't allocate memory: you tried to allocate 1099511627776 bytes")],
                         ids=["OutOfMemoryError", "cuda-RuntimeError", "cpu-RuntimeError"])
def test_out_of_memory_ends_the_run_with_a_fix_and_keeps_the_best_checkpoint(tmp_path, error):
    project = make_project(tmp_path)
    run = tmp_path / "run"
    with pytest.raises(TrainingFailed) as info:
        train_project(project, out=run, callbacks=[FailAt(30, error)])  # 10 steps an epoch: in epoch 3
    message = str(info.value)
    # Raised right after step 30, so during the step that follows (as a real one would be).
    assert "ran out of memory at step 31 (epoch 3) with batch size 16" in message
    assert "batch size 8" in message and "gradient accumulation 2" in message
    assert str(run) in message
    summary = read_summary(run)
    assert summary["status"] == "failed" and "ran out of memory" in summary["error"]
    best = load_checkpoint(run_paths(run).best_checkpoint)["trainer_state"]
    assert best["best_epoch"] == summary["best"]["epoch"] and best["global_step"] <= 26
    assert not run_paths(run).weights.exists()  # no final weights from a broken run


def test_a_best_checkpoint_held_in_memory_is_written_when_the_run_crashes(tmp_path):
    project = make_project(tmp_path, epoch_min_seconds=3600)  # later bests wait in memory
    run = tmp_path / "run"
    with pytest.raises(TrainingFailed):
        train_project(project, out=run, callbacks=[FailAt(35, torch.OutOfMemoryError(OOM_TEXT))])
    summary = read_summary(run)
    assert summary["best"]["epoch"] >= 2
    saved = load_checkpoint(run_paths(run).best_checkpoint)["trainer_state"]
    assert saved["best_epoch"] == summary["best"]["epoch"]


def test_out_of_memory_in_the_first_forward_pass_is_not_called_a_shape_mismatch():
    class Hungry(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(2, 1)

        def forward(self, x):
            raise RuntimeError(OOM_TEXT)

    split_x, split_y = torch.randn(32, 2), torch.randint(0, 2, (32, 1)).float()
    from app.core.data.datasets import TensorSplit

    trainer = Trainer(Hungry(), TrainConfig.from_dict({"epochs": 1, "batch_size": 64, "loss": {"name": "bce_logits"}}),
                      task="binary", n_outputs=1)
    with pytest.raises(Exception) as info:
        trainer.fit(TensorSplit(split_x, split_y))
    assert "ran out of memory" in str(info.value) and "batch size 32" in str(info.value)
    assert "does not fit the data" not in str(info.value)
    assert trainer.state.status == "failed"


def test_is_out_of_memory_knows_the_kinds():
    assert is_out_of_memory(torch.OutOfMemoryError("x")) and is_out_of_memory(MemoryError())
    assert is_out_of_memory(RuntimeError("MPS backend out of memory (MPS allocated: 1 GB)"))
    assert not is_out_of_memory(RuntimeError("mat1 and mat2 shapes cannot be multiplied"))
    assert not is_out_of_memory(ValueError("out of memory"))


@pytest.mark.parametrize("step, words", [(25, "The training loss became nan at step 26 (epoch 3)"),
                                         (30, "weights stopped being finite (NaN) at step 30 (epoch 3)")],
                         ids=["mid-epoch", "last-step-of-an-epoch"])
def test_spoiled_weights_end_the_run_with_advice_and_no_checkpoint_holds_them(tmp_path, step, words):
    """Weights turned NaN by a step: the next loss, or (at an epoch end) the validation loss,
    ends the run; no checkpoint is written from them and the best one stays."""
    project = make_project(tmp_path, every_n_batches=1)  # a checkpoint after every step
    run = tmp_path / "run"
    with pytest.raises(TrainingFailed) as info:
        train_project(project, out=run, callbacks=[FailAt(step)])
    assert words in str(info.value) and "Lower the learning rate" in str(info.value)
    best = load_checkpoint(run_paths(run).best_checkpoint)
    assert all(torch.isfinite(t).all() for t in best["model"].values())
    last = load_checkpoint(run_paths(run).last_checkpoint)
    assert last["trainer_state"]["global_step"] < step + (step % 10 != 0)
    assert all(torch.isfinite(t).all() for t in last["model"].values())
    assert read_summary(run)["status"] == "failed"


def test_a_failed_training_child_is_logged_with_its_traceback(qtbot, window):
    from app.ui.crash import log_file

    window.train_view.run_finished.emit({"kind": "finished", "status": "failed", "run_dir": "/runs/x",
                                         "error": "ValueError: boom in the child",
                                         "details": "Traceback (most recent call last):\n  File 'x'\nValueError"})
    text = log_file().read_text(encoding="utf-8")
    assert "Training failed (run /runs/x): ValueError: boom in the child" in text
    assert "Traceback (most recent call last)" in text


def test_a_killed_training_child_ends_the_run_with_a_plain_message(tmp_path):
    import signal

    from app.core.train.supervisor import TrainingProcess

    project = make_project(tmp_path)
    raw = json.loads(project.read_text(encoding="utf-8"))
    raw["training"]["epochs"] = 10_000
    project.write_text(json.dumps(raw), encoding="utf-8")
    job = TrainingProcess(project, out=tmp_path / "run", threads=1).start()
    while job.running:
        if any(m["kind"] == "update" for m in job.poll(0.1)):
            break
    import os

    os.kill(job.pid, signal.SIGKILL)
    result = job.wait(30)
    assert result["status"] == "failed" and result.get("crashed")
    assert "ended by the system (SIGKILL)" in result["error"] and "smaller batch size" in result["error"]
