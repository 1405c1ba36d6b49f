"""The training loop: hook order, control (stop/pause), early stopping, the NaN guard,
checkpoints, exact resume and that models really learn."""

from __future__ import annotations

import json
import math
import threading
import time

import pytest
import torch
from torch import nn

from app.core.runs import read_metrics, read_summary, run_paths
from app.core.train.callbacks import Callback, TrainerControl
from app.core.train.config import TrainConfig
from app.core.train.engine import Trainer


class Split:
    """A minimal TrainingSplit: whole tensors, deterministic order from (seed, epoch)."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def epoch_order(self, epoch: int, seed: int, shuffle: bool) -> torch.Tensor:
        if not shuffle:
            return torch.arange(len(self))
        g = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
        return torch.randperm(len(self), generator=g)

    def batch(self, indices, *, train=False, seed=0, step=0):
        return self.x[indices], self.y[indices]


def blobs(n: int, seed: int, classes: int = 3, dim: int = 4) -> Split:
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(classes, dim, generator=torch.Generator().manual_seed(99)) * 5
    y = torch.randint(0, classes, (n,), generator=g)
    x = centers[y] + torch.randn(n, dim, generator=g)
    return Split(x, y)


def linear_regression(n: int, seed: int) -> Split:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g)
    y = x @ torch.tensor([[1.5], [-2.0], [0.5]]) + 0.3 + 0.1 * torch.randn(n, 1, generator=g)
    return Split(x, y)


def mlp(inputs: int, outputs: int, seed: int = 0, dropout: float = 0.0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(inputs, 16), nn.ReLU(), nn.Dropout(dropout), nn.Linear(16, outputs))


def config(**overrides) -> TrainConfig:
    base = {"epochs": 2, "batch_size": 4, "optimizer": {"name": "sgd", "lr": 0.05}, "device": "cpu",
            "checkpoint": {"epoch_min_seconds": 0}}
    base.update(overrides)
    return TrainConfig.from_dict(base)


class Recorder(Callback):
    def __init__(self) -> None:
        self.events: list[str] = []

    def on_fit_start(self, trainer, state, control):
        self.events.append("fit_start")

    def on_epoch_start(self, trainer, state, control):
        self.events.append("epoch_start")

    def on_batch_end(self, trainer, state, control, batch):
        self.events.append("batch_end")

    def on_train_losses(self, trainer, state, control, steps, losses):
        self.events.append(f"train_losses{steps}")

    def on_validation_end(self, trainer, state, control, record):
        self.events.append("validation_end")

    def on_epoch_end(self, trainer, state, control):
        self.events.append("epoch_end")

    def on_checkpoint(self, trainer, state, control, path, kind):
        self.events.append(f"checkpoint:{kind}")

    def on_fit_end(self, trainer, state, control):
        self.events.append("fit_end")

    def on_exception(self, trainer, state, control, error):
        self.events.append("exception")


@pytest.fixture
def no_time_flush(monkeypatch):
    """Read losses only by count, so the hook order does not depend on machine speed."""
    monkeypatch.setattr(Trainer, "loss_flush_seconds", math.inf)


def test_hook_order_of_a_tiny_run_is_exact(tmp_path, no_time_flush):
    train, val = linear_regression(12, 0), linear_regression(8, 1)
    rec = Recorder()
    trainer = Trainer(nn.Linear(3, 1), config(), task="regression", n_outputs=1, callbacks=[rec], run_dir=tmp_path)
    state = trainer.fit(train, val)
    epoch = ["epoch_start", "batch_end", "batch_end", "batch_end"]
    assert rec.events == [
        "fit_start",
        *epoch, "train_losses[1, 2, 3]", "validation_end", "checkpoint:best", "epoch_end", "checkpoint:last",
        *epoch, "train_losses[4, 5, 6]", "validation_end", "checkpoint:best", "epoch_end",
        "checkpoint:last", "fit_end",
    ]
    assert state.status == "completed" and state.global_step == 6 and state.epoch == 2
    rows = read_metrics(tmp_path)
    assert [r["epoch"] for r in rows] == [1, 2] and [r["step"] for r in rows] == [3, 6]
    assert list(rows[0]) == ["epoch", "step", "train_loss", "val_loss", "val_mae", "val_rmse", "val_r2", "lr", "seconds"]
    summary = read_summary(tmp_path)
    assert summary["status"] == "completed"
    assert summary["final"]["val_loss"] == pytest.approx(rows[-1]["val_loss"])
    assert summary["parameters"] == 4 and summary["device"] == "cpu"
    assert run_paths(tmp_path).weights.is_file()


def test_stop_from_a_callback_takes_effect_within_one_batch(tmp_path):
    class StopAt(Callback):
        def __init__(self):
            self.steps = []

        def on_batch_end(self, trainer, state, control, batch):
            self.steps.append(batch.step)
            if batch.step == 5:
                control.request_stop()

    cb = StopAt()
    trainer = Trainer(mlp(4, 3), config(epochs=3), task="classification", n_outputs=3, callbacks=[cb],
                      run_dir=tmp_path)
    state = trainer.fit(blobs(40, 0), blobs(12, 1))
    assert cb.steps == [1, 2, 3, 4, 5]
    assert state.status == "stopped"
    ckpt = torch.load(run_paths(tmp_path).last_checkpoint, weights_only=True)
    assert ckpt["data_position"] == {"epoch": 0, "batch_in_epoch": 5}
    assert read_summary(tmp_path)["status"] == "stopped"
    assert not run_paths(tmp_path).weights.exists()  # a stopped run resumes from last.pt; no "final" model


def test_pause_blocks_within_one_batch_until_resumed():
    seen: list[int] = []
    after_pause: list[int] = []
    control = TrainerControl()

    class PauseAt(Callback):
        def on_batch_end(self, trainer, state, control, batch):
            seen.append(batch.step)
            if batch.step == 2:
                control.request_pause()

                def later():
                    time.sleep(0.3)
                    after_pause.extend(seen)
                    control.resume()

                threading.Thread(target=later, daemon=True).start()

    t0 = time.perf_counter()
    state = Trainer(mlp(4, 3), config(epochs=1), task="classification", n_outputs=3, callbacks=[PauseAt()],
                    control=control).fit(blobs(24, 0))
    assert after_pause == [1, 2]          # nothing ran while paused
    assert seen == [1, 2, 3, 4, 5, 6]     # and everything ran after resuming
    assert time.perf_counter() - t0 >= 0.3
    assert state.status == "completed"


def test_early_stopping_ends_after_patience_evaluations_without_progress(tmp_path):
    cfg = config(epochs=20, optimizer={"name": "sgd", "lr": 1e-12},
                 early_stopping={"monitor": "val_loss", "patience": 2, "min_delta": 0.01})
    trainer = Trainer(mlp(4, 3), cfg, task="classification", n_outputs=3, run_dir=tmp_path)
    state = trainer.fit(blobs(16, 0), blobs(8, 1))
    assert state.epoch == 3  # best at epoch 1, no progress at 2 and 3
    assert state.status == "completed"
    summary = read_summary(tmp_path)
    assert summary["stop_reason"].startswith("early stopping")
    assert len(read_metrics(tmp_path)) == 3


def test_early_stopping_on_an_unmeasured_metric_is_a_clear_error(tmp_path):
    cfg = config(early_stopping={"monitor": "val_accuracy"})
    with pytest.raises(Exception, match="early_stopping.monitor.*val_mae"):
        Trainer(nn.Linear(3, 1), cfg, task="regression", n_outputs=1, run_dir=tmp_path).fit(
            linear_regression(8, 0), linear_regression(8, 1))
    summary = read_summary(tmp_path)
    assert summary["status"] == "failed" and "val_accuracy" in summary["error"]


class NaNAfter(nn.Module):
    """A linear model whose output turns NaN after ``k`` training forward passes."""

    def __init__(self, k: int) -> None:
        super().__init__()
        self.linear = nn.Linear(3, 1)
        self.k = k
        self.calls = 0

    def forward(self, x):
        out = self.linear(x)
        if self.training:
            self.calls += 1
            if self.calls > self.k:
                out = out * float("nan")
        return out


def test_nan_guard_fails_the_run_names_the_step_and_keeps_the_best_checkpoint(tmp_path):
    rec = Recorder()
    trainer = Trainer(NaNAfter(7), config(epochs=5), task="regression", n_outputs=1, callbacks=[rec],
                      run_dir=tmp_path)
    state = trainer.fit(linear_regression(12, 0), linear_regression(8, 1))  # 3 steps per epoch
    assert state.status == "failed"
    summary = read_summary(tmp_path)
    assert summary["status"] == "failed"
    assert "step 8" in summary["error"] and "learning rate" in summary["error"]
    best = torch.load(run_paths(tmp_path).best_checkpoint, weights_only=True)
    assert all(torch.isfinite(t).all() for t in best["model"].values())
    assert json.loads(best["trainer_state"])["global_step"] in (3, 6)
    assert not run_paths(tmp_path).weights.exists()   # no NaN weights handed out as "final"
    assert rec.events[-1] == "fit_end" and "validation_end" in rec.events
    assert len(read_metrics(tmp_path)) == 2   # epochs 1 and 2 only


def test_exceptions_reach_on_exception_mark_the_run_failed_and_propagate(tmp_path):
    class Boom(Callback):
        def on_batch_end(self, trainer, state, control, batch):
            if batch.step == 2:
                raise RuntimeError("disk on fire")

    rec = Recorder()
    with pytest.raises(RuntimeError, match="disk on fire"):
        Trainer(nn.Linear(3, 1), config(), task="regression", n_outputs=1, callbacks=[Boom(), rec],
                run_dir=tmp_path).fit(linear_regression(12, 0))
    assert rec.events[-1] == "exception"
    summary = read_summary(tmp_path)
    assert summary["status"] == "failed" and "disk on fire" in summary["error"]


def test_checkpoints_load_with_weights_only_and_hold_everything_resume_needs(tmp_path):
    cfg = config(optimizer={"name": "adam", "lr": 0.01}, scheduler={"name": "cosine", "warmup_steps": 2})
    Trainer(mlp(4, 3, dropout=0.2), cfg, task="classification", n_outputs=3, run_dir=tmp_path).fit(
        blobs(12, 0), blobs(8, 1))
    ckpt = torch.load(run_paths(tmp_path).last_checkpoint, weights_only=True)
    assert set(ckpt) >= {"model", "optimizer", "scheduler", "scaler", "rng", "trainer_state", "data_position"}
    assert set(ckpt["rng"]) >= {"torch", "numpy", "python"}
    assert ckpt["optimizer"]["state"]  # Adam moments are there
    state = json.loads(ckpt["trainer_state"])
    assert state["global_step"] == 6 and state["epoch"] == 2 and len(state["history"]) == 2


def _weights(trainer: Trainer) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in trainer.model.state_dict().items()}


@pytest.mark.parametrize("optimizer", [{"name": "adamw", "lr": 0.01, "weight_decay": 0.01},
                                       {"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True}])
def test_resume_after_a_mid_epoch_stop_is_bit_exact(tmp_path, optimizer):
    cfg = config(epochs=3, optimizer=optimizer, scheduler={"name": "step", "step_size": 1, "gamma": 0.5,
                                                           "warmup_steps": 3})
    train, val = blobs(20, 0), blobs(8, 1)
    full = Trainer(mlp(4, 3, dropout=0.3), cfg, task="classification", n_outputs=3, run_dir=tmp_path / "a")
    full.fit(train, val)

    class StopAt(Callback):
        def on_batch_end(self, trainer, state, control, batch):
            if batch.step == 7:
                control.request_stop()

    first = Trainer(mlp(4, 3, dropout=0.3), cfg, task="classification", n_outputs=3, callbacks=[StopAt()],
                    run_dir=tmp_path / "b")
    assert first.fit(train, val).status == "stopped"
    torch.manual_seed(12345)  # whatever happened in between must not matter
    second = Trainer(mlp(4, 3, seed=5, dropout=0.3), cfg, task="classification", n_outputs=3,
                     run_dir=tmp_path / "b")
    state = second.fit(train, val, resume_from=run_paths(tmp_path / "b").last_checkpoint)
    assert state.status == "completed" and state.global_step == full.state.global_step
    a, b = _weights(full), _weights(second)
    assert all(torch.equal(a[k], b[k]) for k in a)
    rows_a, rows_b = read_metrics(tmp_path / "a"), read_metrics(tmp_path / "b")
    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]  # noqa: E731
    assert strip(rows_a) == strip(rows_b)


def test_gradient_accumulation_matches_a_larger_batch():
    train = linear_regression(16, 0)
    cfg_big = config(epochs=2, batch_size=8, shuffle=False)
    cfg_acc = config(epochs=2, batch_size=4, grad_accum=2, shuffle=False)
    big = Trainer(nn.Linear(3, 1), cfg_big, task="regression", n_outputs=1)
    torch.manual_seed(0)
    big.model.load_state_dict(nn.Linear(3, 1).state_dict())
    acc = Trainer(nn.Linear(3, 1), cfg_acc, task="regression", n_outputs=1)
    acc.model.load_state_dict(big.model.state_dict())
    big.fit(train)
    acc.fit(train)
    assert acc.state.global_step == big.state.global_step == 4
    for k, v in big.model.state_dict().items():
        assert torch.allclose(v, acc.model.state_dict()[k], atol=1e-6)


def test_step_based_run_evaluates_every_n_steps_and_at_the_end(tmp_path):
    cfg = config(steps=11, eval_every=5)
    Trainer(nn.Linear(3, 1), cfg, task="regression", n_outputs=1, run_dir=tmp_path).fit(
        linear_regression(12, 0), linear_regression(8, 1))
    rows = read_metrics(tmp_path)
    assert [r["step"] for r in rows] == [5, 10, 11]
    assert rows[-1]["epoch"] == pytest.approx(11 / 3, abs=1e-3)
    assert read_summary(tmp_path)["global_step"] == 11


def test_a_classifier_reaches_90_percent_validation_accuracy(tmp_path):
    cfg = config(epochs=15, batch_size=16, optimizer={"name": "adam", "lr": 0.01})
    trainer = Trainer(mlp(4, 3), cfg, task="classification", n_outputs=3, run_dir=tmp_path)
    trainer.fit(blobs(300, 0), blobs(100, 1))
    assert read_summary(tmp_path)["final"]["val_accuracy"] > 0.9
    report = trainer.evaluate(blobs(100, 2), report=True)
    assert report["accuracy"] > 0.9
    assert sum(sum(row) for row in report["confusion_matrix"]["matrix"]) == 100


def test_a_regressor_reaches_r2_above_0_8(tmp_path):
    cfg = config(epochs=20, batch_size=16, optimizer={"name": "adam", "lr": 0.02}, loss={"name": "huber"})
    trainer = Trainer(mlp(3, 1), cfg, task="regression", n_outputs=1, run_dir=tmp_path)
    trainer.fit(linear_regression(300, 0), linear_regression(100, 1))
    assert read_summary(tmp_path)["final"]["val_r2"] > 0.8


def test_binary_with_probabilities_and_bce(tmp_path):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(200, 2, generator=g)
    y = ((x[:, 0] + x[:, 1]) > 0).float().unsqueeze(1)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1), nn.Sigmoid())
    cfg = config(epochs=30, batch_size=10, optimizer={"name": "sgd", "lr": 0.1}, loss={"name": "bce"})
    trainer = Trainer(model, cfg, task="binary", n_outputs=1)
    trainer.fit(Split(x[:150], y[:150]), Split(x[150:], y[150:]))
    assert trainer.state.history[-1]["val_accuracy"] > 0.9
