"""Training settings, metrics, learning-rate schedules and the CLI progress lines."""

from __future__ import annotations

import io
import math

import pytest
import torch

from app.core.errors import ModelwrightError
from app.core.train.callbacks import BatchEnd, TrainerControl, TrainerState
from app.core.train.cli_progress import TextProgress
from app.core.train.config import SchedulerConfig, TrainConfig
from app.core.train.devices import auto_threads
from app.core.train.metrics import MetricSet
from app.core.train.optim import LRSchedule, build_optimizer


# -- settings ------------------------------------------------------------------------------
def test_settings_round_trip_through_json_types():
    cfg = TrainConfig.from_dict({"epochs": 7, "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9,
                                                            "nesterov": True},
                                 "scheduler": {"name": "onecycle", "pct_start": 0.25, "warmup_steps": 0},
                                 "early_stopping": {"patience": 3}, "metrics": ["accuracy", "top3_accuracy"]})
    again = TrainConfig.from_dict(cfg.to_dict())
    assert again == cfg
    assert again.scheduler.options["pct_start"] == 0.25


@pytest.mark.parametrize("section, message", [
    ({"epochs": 0}, "'epochs' is 0; expected a value of at least 1"),
    ({"epochs": 2.5}, "expected a whole number"),
    ({"batch_size": "32"}, "'batch_size' is '32'; expected a number"),
    ({"optimizer": {"name": "lion"}}, "'optimizer.name' is 'lion'; expected one of sgd, adam"),
    ({"optimizer": {"lr": 0}}, "'optimizer.lr' is 0; expected a value above 0"),
    ({"optimizer": {"name": "adam", "nesterov": True}}, "Nesterov momentum needs the sgd optimizer"),
    ({"optimizer": {"betas": [0.9]}}, "'optimizer.betas'"),
    ({"scheduler": {"name": "step", "gamma": 2}}, "'scheduler.gamma' is 2.0; expected a value in (0, 1]"),
    ({"scheduler": {"name": "cosine", "patience": 3}}, "Unknown training setting 'scheduler.patience'"),
    ({"loss": {"name": "hinge"}}, "'loss.name' is 'hinge'"),
    ({"device": "tpu"}, "'device' is 'tpu'; expected one of auto, cpu, cuda, mps"),
    ({"precision": "int8"}, "'precision'"),
    ({"early_stopping": {"patience": 0}}, "'early_stopping.patience' is 0"),
    ({"grad_clip": -1}, "'grad_clip' is -1"),
    ({"learning_rate": 0.1}, "Unknown training setting 'learning_rate'"),
    ({"seed": -1}, "'seed' is -1"),
])
def test_each_bad_setting_is_a_one_line_error_naming_it(section, message):
    with pytest.raises(ModelwrightError) as info:
        TrainConfig.from_dict(section)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_overrides_change_only_what_they_name():
    cfg = TrainConfig.from_dict({"steps": 500, "optimizer": {"name": "sgd", "lr": 0.1}})
    new = cfg.with_overrides({"epochs": 3, "lr": 0.01, "batch_size": None, "seed": 4})
    assert (new.epochs, new.steps, new.optimizer.lr, new.optimizer.name, new.seed) == (3, None, 0.01, "sgd", 4)
    with pytest.raises(ModelwrightError, match="Unknown override 'momentum'"):
        cfg.with_overrides({"momentum": 0.9})


def test_metric_names_must_suit_the_task():
    from app.core.train.engine import Trainer

    cfg = TrainConfig.from_dict({"metrics": ["r2"], "device": "cpu"})
    with pytest.raises(ModelwrightError, match="'metrics' names 'r2', which does not apply to a classification"):
        Trainer(torch.nn.Linear(2, 3), cfg, task="classification", n_outputs=3)
    with pytest.raises(ModelwrightError, match="'loss.name' is 'mse', which does not fit a classification"):
        Trainer(torch.nn.Linear(2, 3), TrainConfig.from_dict({"loss": {"name": "mse"}}), task="classification",
                n_outputs=3)


# -- metrics -------------------------------------------------------------------------------
def test_classification_metrics_match_hand_computed_values():
    m = MetricSet("classification", 3, ["accuracy", "precision", "recall", "f1", "top2_accuracy"],
                  class_names=("a", "b", "c"))
    y = torch.tensor([0, 0, 1, 1, 2, 2])
    pred = torch.tensor([0, 1, 1, 1, 2, 0])
    logits = torch.nn.functional.one_hot(pred, 3).float() * 2
    logits[:, 2] += 1.0  # class 2 is everyone's second choice
    # Accumulated over two batches, as the engine does.
    m.update(logits[:3], y[:3])
    m.update(logits[3:], y[3:])
    out = m.compute()
    assert out["accuracy"] == pytest.approx(4 / 6)
    # per class precision: a 1/2, b 2/3, c 1/1; recall: a 1/2, b 1, c 1/2
    assert out["precision"] == pytest.approx((1 / 2 + 2 / 3 + 1) / 3)
    assert out["recall"] == pytest.approx((1 / 2 + 1 + 1 / 2) / 3)
    f1 = [2 * p * r / (p + r) for p, r in ((1 / 2, 1 / 2), (2 / 3, 1), (1, 1 / 2))]
    assert out["f1_macro"] == pytest.approx(sum(f1) / 3)  # a multiclass "f1" is the macro F1
    assert out["top2_accuracy"] == pytest.approx(5 / 6)  # only sample 2 (true a, scores b then c) misses
    report = m.report()
    assert report["confusion_matrix"] == {"labels": ["a", "b", "c"], "matrix": [[1, 1, 0], [0, 2, 0], [1, 0, 1]]}
    assert report["per_class"]["b"]["support"] == 2


def test_binary_metrics_threshold_probabilities_and_logits_differently():
    y = torch.tensor([[1.0], [0.0], [1.0], [0.0]])
    probs = torch.tensor([[0.9], [0.4], [0.3], [0.6]])
    as_prob = MetricSet("binary", 1, ["accuracy", "precision", "recall"], output_kind="probability")
    as_prob.update(probs, y)
    assert as_prob.compute() == pytest.approx({"accuracy": 0.5, "precision": 0.5, "recall": 0.5})
    as_logit = MetricSet("binary", 1, ["accuracy"], output_kind="logit")
    as_logit.update(probs, y)  # every value > 0: all predicted positive
    assert as_logit.compute()["accuracy"] == 0.5


def test_regression_metrics_and_perplexity():
    m = MetricSet("regression", 1, ["mae", "mse", "rmse", "r2"])
    y = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    out = torch.tensor([[1.5], [2.0], [2.5], [4.0]])
    m.update(out[:2], y[:2])
    m.update(out[2:], y[2:])
    r = m.compute()
    assert r["mae"] == pytest.approx(0.25) and r["mse"] == pytest.approx(0.125)
    assert r["rmse"] == pytest.approx(math.sqrt(0.125)) and r["r2"] == pytest.approx(1 - 0.5 / 5.0)
    lm = MetricSet("language-model", 4, ["perplexity", "accuracy"])
    uniform = torch.zeros(2, 3, 4)
    lm.update(uniform, torch.zeros(2, 3, dtype=torch.long))
    assert lm.compute()["perplexity"] == pytest.approx(4.0)


# -- schedules ------------------------------------------------------------------------------
def _schedule(name: str, total: int = 100, warmup: int = 0, **options) -> LRSchedule:
    opt = build_optimizer([torch.nn.Parameter(torch.zeros(1))], TrainConfig.from_dict(
        {"optimizer": {"name": "sgd", "lr": 0.1}}).optimizer)
    cfg = SchedulerConfig.from_dict({"name": name, "warmup_steps": warmup, **options})
    return LRSchedule(opt, cfg, total_steps=total, steps_per_epoch=10)


def _lrs(schedule: LRSchedule, steps: int) -> list[float]:
    out = [schedule.lr]
    for _ in range(steps):
        schedule.step()
        out.append(schedule.lr)
    return out


def test_warmup_then_cosine_and_step_schedules():
    lrs = _lrs(_schedule("cosine", total=100, warmup=10, min_lr=0.01), 100)
    assert lrs[0] == pytest.approx(0.01) and lrs[9] == pytest.approx(0.1)  # linear warm-up
    assert lrs[10] == pytest.approx(0.1) and lrs[55] == pytest.approx(0.055, abs=1e-3)
    assert lrs[100] == pytest.approx(0.01)
    steps = _lrs(_schedule("step", step_size=2, gamma=0.5), 45)
    assert steps[19] == pytest.approx(0.1) and steps[20] == pytest.approx(0.05) and steps[40] == pytest.approx(0.025)
    one = _lrs(_schedule("onecycle", total=100, max_lr=0.5), 100)
    assert max(one) == pytest.approx(0.5) and one[0] == pytest.approx(0.02) and one[-1] < 1e-4


def test_plateau_lowers_the_rate_after_patience_and_state_round_trips():
    s = _schedule("plateau", patience=1, factor=0.5)
    for loss in (1.0, 0.9, 0.95, 0.95):
        s.on_evaluation({"val_loss": loss})
    assert s.lr == pytest.approx(0.05)
    t = _schedule("plateau", patience=1, factor=0.5)
    t.load_state_dict(s.state_dict())
    assert t.lr == pytest.approx(0.05)


# -- state, control, threads ------------------------------------------------------------------
def test_state_round_trips_and_control_flags():
    state = TrainerState(epoch=2, global_step=17, history=[{"epoch": 1, "step": 8, "train_loss": 0.5}])
    assert TrainerState.from_dict(state.to_dict()) == state
    control = TrainerControl()
    control.request_pause()
    assert control.pause_requested
    control.request_stop()
    assert not control.pause_requested and control.should_end and control.stop_reason is None


def test_automatic_threads_rule():
    assert auto_threads(13, 10, cores=16) == 1              # tiny model
    assert auto_threads(600_000, 128, cores=2) == 1         # two cores
    assert auto_threads(600_000, 128, cores=16) == 8        # big step, many cores


# -- CLI progress ---------------------------------------------------------------------------
class _FakeTrainer:
    device = torch.device("cpu")
    n_parameters = 13


def test_text_progress_prints_one_line_per_epoch_without_a_tty():
    out = io.StringIO()
    p = TextProgress(out, handle_interrupt=False)
    state = TrainerState(max_epochs=20, batches_per_epoch=80)
    control = TrainerControl()
    p.on_fit_start(_FakeTrainer(), state, control)
    p.on_batch_end(_FakeTrainer(), state, control, BatchEnd(0, 1, 80, 1, 1e-3, torch.tensor(0.5)))
    p.on_validation_end(_FakeTrainer(), state, control, {"epoch": 3, "step": 240, "train_loss": 0.4123,
                                                         "val_loss": 0.398, "val_accuracy": 0.912, "lr": 1e-3,
                                                         "seconds": 6.2})
    state.status, state.elapsed_seconds = "completed", 6.3
    p.on_fit_end(_FakeTrainer(), state, control)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Training 20 epochs on cpu (13 parameters, 80 batches per epoch")
    assert lines[1].startswith("epoch 3/20  train_loss 0.4123  val_loss 0.398  val_accuracy 0.912  lr 1.0e-03  ")
    assert lines[1].endswith("s") and lines[2] == "Finished in 6.3s."
    assert "\r" not in out.getvalue()  # no progress bar when not a terminal
