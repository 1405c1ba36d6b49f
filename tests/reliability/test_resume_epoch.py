"""A run killed with SIGKILL after epoch k resumes at epoch k + 1: with the default settings the
``last`` checkpoint is written at every epoch end, so a crash costs at most the epoch under way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from app.core.data import prepare, synthetic_config
from app.core.graph.templates import build_template_graph
from app.core.project import Project, save_project
from app.core.runs import read_metrics, read_summary, run_paths
from app.core.train.api import train_project
from app.core.train.callbacks import Callback
from app.core.train.checkpoint import load_checkpoint

ROOT = Path(__file__).resolve().parents[2]
EPOCHS, KILLED_AFTER = 12, 7

# Trains the project; when epoch K+1 is about to start it says so and waits to be killed.
WAITING_TRAINER = textwrap.dedent("""
    import sys, time
    import torch
    torch.set_num_threads(1)
    from app.core.train.api import train_project
    from app.core.train.callbacks import Callback

    class WaitAfter(Callback):
        def on_epoch_start(self, trainer, state, control):
            if state.epoch == int(sys.argv[3]):
                print("epoch-ended", state.epoch, flush=True)
                time.sleep(120)

    train_project(sys.argv[1], out=sys.argv[2], callbacks=[WaitAfter()])
""")


class FirstEpoch(Callback):
    """Remembers the epoch number a (resumed) run starts with."""

    def __init__(self) -> None:
        self.started: list[int] = []

    def on_epoch_start(self, trainer, state, control) -> None:
        self.started.append(state.epoch + 1)


def make_project(folder: Path) -> Path:
    """Tiny epochs (a fraction of a second): the case a time-throttled checkpoint skipped."""
    config = synthetic_config("keras-seed", n_samples=200)
    info = prepare(config, folder).info
    training = {"epochs": EPOCHS, "batch_size": 20, "optimizer": {"name": "sgd", "lr": 0.05},
                "loss": {"name": "bce"}, "device": "cpu", "seed": 1}  # checkpoint settings: the defaults
    path = folder / "tiny.mwproj"
    save_project(Project(name="tiny", graph=build_template_graph("keras-seed", info), data=config.to_dict(),
                         training=training), path)
    return path


def test_sigkill_after_epoch_k_resumes_at_epoch_k_plus_1(tmp_path):
    project = make_project(tmp_path)
    out = tmp_path / "killed"
    script = tmp_path / "waiting_train.py"
    script.write_text(WAITING_TRAINER)
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, str(script), str(project), str(out), str(KILLED_AFTER)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # blocks until epoch K has ended (or the child died)
        assert line.startswith("epoch-ended"), f"training ended early: {line!r} {proc.stderr.read()}"
        time.sleep(0.2)  # nothing more is written while the child waits; let the file system settle
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    paths = run_paths(out)
    assert not paths.weights.exists()
    assert load_checkpoint(paths.last_checkpoint)["trainer_state"]["epoch"] == KILLED_AFTER

    first = FirstEpoch()
    train_project(None, resume=out, callbacks=[first])
    assert first.started[0] == KILLED_AFTER + 1, f"resumed at epoch {first.started[0]}, not {KILLED_AFTER + 1}"
    assert read_summary(out)["status"] == "completed"
    assert [row["epoch"] for row in read_metrics(out)] == list(range(1, EPOCHS + 1))
