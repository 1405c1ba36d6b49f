"""What the README and the CLI say about training is what happens: ``--steps`` keeps the
project's evaluation interval, F1 is named for the quantity it is, and the bundled Keras
example trains on the rows the README says."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.core.data import prepare, synthetic_config
from app.core.graph.templates import build_template_graph
from app.core.project import Project, save_project
from app.core.runs import read_metrics

ROOT = Path(__file__).resolve().parents[2]


def keras_seed_project(folder: Path, n_samples: int = 200, **training) -> Path:
    config = synthetic_config("keras-seed", n_samples=n_samples)
    info = prepare(config, folder).info
    settings = {"epochs": 3, "batch_size": 10, "optimizer": {"name": "sgd", "lr": 0.05}, "loss": {"name": "bce"},
                "device": "cpu", "seed": 0, **training}
    path = folder / "seed.mwproj"
    save_project(Project(name="seed", graph=build_template_graph("keras-seed", info), data=config.to_dict(),
                         training=settings), path)
    return path


# --------------------------------------------------------------- --steps keeps eval_every
@pytest.mark.parametrize("project_steps", [None, 40])
def test_steps_on_the_command_line_keeps_the_projects_eval_every(tmp_path, capsys, project_steps):
    eval_every, steps = 7, 30
    project = keras_seed_project(tmp_path, eval_every=eval_every, steps=project_steps)
    out = tmp_path / "run"
    assert cli_main(["train", str(project), "--steps", str(steps), "--out", str(out)]) == 0
    evaluated_at = [int(row["step"]) for row in read_metrics(out)]
    assert evaluated_at == [7, 14, 21, 28, 30]
    header = (out / "metrics.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "epoch,step,train_loss,val_loss,val_accuracy,val_f1,lr,seconds"  # as the README lists them


# --------------------------------------------------------------- F1 named for what it is
def _trained(tmp_path, task: str, n_classes: int, metrics: list[str], **training):
    """A small network trained on noisy blobs, with its run directory and validation split."""
    import torch

    from app.core.data.datasets import TensorSplit
    from app.core.train.config import TrainConfig
    from app.core.train.engine import Trainer

    g = torch.Generator().manual_seed(1)
    n = 240
    labels = torch.randint(0, n_classes, (n,), generator=g)
    x = torch.randn(n, 4, generator=g) + torch.nn.functional.one_hot(labels, 4).float() * 1.2
    y = labels.float().unsqueeze(1) if task == "binary" else labels
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(),
                                torch.nn.Linear(8, 1 if task == "binary" else n_classes))
    config = TrainConfig.from_dict({"epochs": 2, "batch_size": 16, "device": "cpu", "metrics": metrics, **training})
    names = ("no", "yes") if task == "binary" else tuple(f"c{i}" for i in range(n_classes))
    trainer = Trainer(model, config, task=task, n_outputs=1 if task == "binary" else n_classes,
                      class_names=names, run_dir=tmp_path / "run")
    val = TensorSplit(x[180:], y[180:])
    trainer.fit(TensorSplit(x[:180], y[:180]), val)
    with torch.no_grad():
        out = model(x[180:])
    predicted = (out.reshape(-1) > 0).long() if task == "binary" else out.argmax(-1)
    return trainer, val, labels[180:].numpy(), predicted.numpy()


def test_binary_f1_is_the_positive_classs_f1_and_says_which_class(tmp_path):
    from sklearn.metrics import f1_score

    from app.core.runs import read_summary

    trainer, val, true, predicted = _trained(tmp_path, "binary", 2, ["accuracy", "f1", "f1_macro"],
                                             loss={"name": "bce_logits"})
    result = trainer.evaluate(val, report=True)
    assert result["f1"] == pytest.approx(f1_score(true, predicted, average="binary"))
    assert result["f1_macro"] == pytest.approx(f1_score(true, predicted, average="macro"))
    assert result["f1"] != pytest.approx(result["f1_macro"])  # the data makes the two differ
    assert result["positive_class"] == "yes"
    summary = read_summary(tmp_path / "run")
    assert summary["positive_class"] == "yes"
    assert {"val_f1", "val_f1_macro"} <= set(summary["final"])


def test_multiclass_f1_is_named_f1_macro_and_is_the_macro_average(tmp_path):
    from sklearn.metrics import f1_score

    from app.core.runs import read_metrics, read_summary

    # "f1", as older projects (and the templates of the time) name it, means the macro F1
    trainer, val, true, predicted = _trained(tmp_path, "classification", 3, ["accuracy", "f1"],
                                             early_stopping={"monitor": "val_f1", "patience": 5})
    result = trainer.evaluate(val, report=True)
    assert "f1" not in result and "positive_class" not in result
    assert result["f1_macro"] == pytest.approx(f1_score(true, predicted, average="macro"))
    summary = read_summary(tmp_path / "run")
    assert summary["status"] == "completed" and "positive_class" not in summary
    assert "val_f1_macro" in read_metrics(tmp_path / "run")[-1]
    assert summary["best"]["monitor"] == "val_f1_macro"


def test_an_old_multiclass_run_with_val_f1_still_shows_it_in_the_run_history(tmp_path):
    import json

    from app.core.train.run_history import list_runs
    from app.ui.training.run_table import metric_keys, row_texts

    run = tmp_path / "runs" / "old"
    run.mkdir(parents=True)
    (run / "project.mwproj").write_text(json.dumps({"training": {"epochs": 2}}), encoding="utf-8")
    (run / "metrics.csv").write_text("epoch,step,train_loss,val_loss,val_accuracy,val_f1,lr,seconds\n"
                                     "1,5,0.9,0.8,0.7,0.6543,0.001,0.1\n", encoding="utf-8")
    (run / "summary.json").write_text(json.dumps({"status": "completed", "task": "classification", "final": {
        "epoch": 1, "step": 5, "train_loss": 0.9, "val_loss": 0.8, "val_accuracy": 0.7, "val_f1": 0.6543}}),
        encoding="utf-8")
    runs = list_runs(tmp_path)
    keys = metric_keys(runs)
    assert "val_f1" in keys
    assert row_texts(runs[0], keys)[8 + keys.index("val_f1")] == "0.6543"
    assert runs[0].metrics()[0]["val_f1"] == pytest.approx(0.6543)


# --------------------------------------------------------------- the bundled Keras example
EXAMPLE = ROOT / "resources" / "examples" / "keras-seed" / "keras-seed.mwproj"


def test_the_keras_example_trains_on_800_of_its_1000_points_as_the_readme_says(tmp_path, capsys):
    """The original fits all 1,000 points; here 200 are held out for validation, and the README
    (English and Chinese) says so, so the figures it shows are on points the model never saw."""
    from app.core.data import prepare as prepare_data
    from app.core.project import load_project
    from app.core.runs import read_summary

    project = load_project(EXAMPLE)
    prepared = prepare_data(project.data, project.folder)
    assert (len(prepared.train), len(prepared.val), prepared.test) == (800, 200, None)
    training = project.training
    assert (training["epochs"], training["batch_size"], training["optimizer"]["name"], training["optimizer"]["lr"],
            training["loss"]["name"]) == (200, 10, "sgd", 0.01, "bce")
    out = tmp_path / "run"
    assert cli_main(["train", str(EXAMPLE), "--epochs", "1", "--out", str(out)]) == 0
    assert read_summary(out)["global_step"] == 800 // 10  # one epoch: 80 batches of 10 rows
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `keras-seed/keras-seed.mwproj`"))
    assert "1,000" in row and "800" in row and "200" in row, row
    template_row = next(line for line in readme.splitlines() if line.startswith("| `keras-seed` |"))
    assert "800" in template_row and "200 epochs, batch 10" in template_row and "SGD lr 0.01" in template_row
    chinese = (ROOT / "docs" / "README.zh_CN.md").read_text(encoding="utf-8")
    row = next(line for line in chinese.splitlines() if line.startswith("| `keras-seed/keras-seed.mwproj`"))
    assert "1,000" in row and "800" in row and "200" in row, row


# --------------------------------------------------------------- checkpoint frequency
def test_last_checkpoint_defaults_every_epoch_end_and_every_30_s_inside_long_epochs(tmp_path):
    import time

    import torch

    from app.core.data.datasets import TensorSplit
    from app.core.train.callbacks import Callback
    from app.core.train.config import TrainConfig
    from app.core.train.engine import Trainer

    defaults = TrainConfig.from_dict({}).checkpoint
    assert (defaults.every_seconds, defaults.epoch_min_seconds) == (30.0, 0.0)

    class Saves(Callback):
        def __init__(self) -> None:
            self.last: list[tuple[int, int]] = []

        def on_batch_end(self, trainer, state, control, batch):
            time.sleep(0.002)  # a "long" epoch: about half a second

        def on_checkpoint(self, trainer, state, control, path, kind):
            if kind == "last":
                self.last.append((state.epoch, state.batch_in_epoch))

    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(800, 3, generator=g), torch.randint(0, 2, (800,), generator=g)
    saves = Saves()
    config = TrainConfig.from_dict({"epochs": 3, "batch_size": 4, "device": "cpu",
                                    "checkpoint": {"every_seconds": 0.1}})  # 30 s, scaled down
    Trainer(torch.nn.Linear(3, 2), config, task="classification", n_outputs=2, run_dir=tmp_path,
            callbacks=[saves]).fit(TensorSplit(x, y), TensorSplit(x[:40], y[:40]))
    mid_epoch = [s for s in saves.last if 0 < s[1] < 200]
    assert len(mid_epoch) >= 3, saves.last
    epoch_ends = sorted({epoch for epoch, batch in saves.last if batch in (0, 200)})
    assert epoch_ends == [1, 2, 3], saves.last


def test_a_plateau_schedule_watching_val_f1_still_works_on_a_multiclass_run():
    """Projects made before f1_macro watch "val_f1"; the schedule reads val_f1_macro for them."""
    import torch

    from app.core.train.config import SchedulerConfig
    from app.core.train.optim import LRSchedule

    optimizer = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
    config = SchedulerConfig.from_dict({"name": "plateau", "monitor": "val_f1", "patience": 0, "factor": 0.5})
    schedule = LRSchedule(optimizer, config, total_steps=100, steps_per_epoch=10)
    for _ in range(3):
        schedule.on_evaluation({"val_loss": 0.5, "val_f1_macro": 0.4})
    assert schedule.lr == pytest.approx(0.1 * 0.5 * 0.5)


def test_a_search_watching_val_f1_still_works_on_a_multiclass_project(tmp_path):
    """A search space written before f1_macro ("metric": "val_f1") watches val_f1_macro."""
    from types import SimpleNamespace

    from app.core.experiments.search import _best_value, _pruning_callback_class
    from app.core.train.callbacks import TrainerControl

    reported = []
    trial = SimpleNamespace(report=lambda value, step: reported.append((value, step)), should_prune=lambda: False)
    callback = _pruning_callback_class()(trial, "val_f1")
    control = TrainerControl()
    record = {"epoch": 1, "step": 5, "val_loss": 0.7, "val_f1_macro": 0.61}
    callback.on_validation_end(SimpleNamespace(task="classification"), SimpleNamespace(history=[record]), control,
                               record)
    assert control.failure is None and reported == [(0.61, 0)]
    (tmp_path / "metrics.csv").write_text("epoch,step,val_loss,val_f1_macro\n1,5,0.7,0.61\n2,10,0.6,0.72\n",
                                          encoding="utf-8")
    space = SimpleNamespace(metric="val_f1", direction="maximize")
    assert _best_value({}, tmp_path, space) == pytest.approx(0.72)
