"""Exact resume for real: a training process is killed with SIGKILL mid-epoch, resumed from
its run directory, and must end with the very same weights as a run never interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from app.core.data import prepare, synthetic_config
from app.core.graph.templates import build_template_graph
from app.core.project import Project, save_project
from app.core.runs import read_summary, run_paths
from app.core.train.api import train_project
from app.core.train.checkpoint import load_checkpoint

ROOT = Path(__file__).resolve().parents[2]

# Trains the project with a pause after every batch, so the test can kill it mid-epoch.
SLOW_TRAINER = textwrap.dedent("""
    import sys, time
    import torch
    torch.set_num_threads(1)
    from app.core.train.api import train_project
    from app.core.train.callbacks import Callback

    class Slow(Callback):
        def on_batch_end(self, trainer, state, control, batch):
            time.sleep(0.004)

    train_project(sys.argv[1], out=sys.argv[2], callbacks=[Slow()])
""")


def make_project(folder: Path) -> Path:
    config = synthetic_config("keras-seed", n_samples=600)
    info = prepare(config, folder).info
    # The mlp template has dropout, so the random generators' state matters on resume.
    graph = build_template_graph("mlp", info, hidden=[16, 16], dropout=0.2)
    training = {"epochs": 3, "batch_size": 8, "optimizer": {"name": "adam", "lr": 0.003},
                "scheduler": {"name": "cosine", "warmup_steps": 10}, "loss": {"name": "bce_logits"},
                "device": "cpu", "seed": 3, "checkpoint": {"every_n_batches": 5, "epoch_min_seconds": 0}}
    path = folder / "seed.mwproj"
    save_project(Project(name="seed", graph=graph, data=config.to_dict(), training=training), path)
    return path


@pytest.mark.slow
def test_resume_after_sigkill_mid_epoch_gives_bit_identical_weights(tmp_path):
    project = make_project(tmp_path)
    reference = train_project(project, out=tmp_path / "reference")

    killed = tmp_path / "killed"
    script = tmp_path / "slow_train.py"
    script.write_text(SLOW_TRAINER)
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, str(script), str(project), str(killed)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    last = run_paths(killed).last_checkpoint
    deadline = time.monotonic() + 60
    try:
        while not last.exists():
            assert proc.poll() is None, f"training ended before its first checkpoint: {proc.stderr.read().decode()}"
            assert time.monotonic() < deadline, "no checkpoint within 60 s"
            time.sleep(0.005)
        time.sleep(0.05)  # a few more batches, so the kill lands after the checkpoint
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    position = load_checkpoint(last)["trainer_state"]
    assert 0 < position["batch_in_epoch"] < position["batches_per_epoch"]  # killed mid-epoch
    assert not run_paths(killed).weights.exists()

    train_project(None, resume=killed)
    assert read_summary(killed)["status"] == "completed"
    a = load_file(run_paths(reference).weights)
    b = load_file(run_paths(killed).weights)
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert run_paths(reference).weights.read_bytes() == run_paths(killed).weights.read_bytes()
    # And the log reads as if nothing happened (apart from the wall-clock column).
    ref_rows = run_paths(reference).metrics.read_text().splitlines()
    res_rows = run_paths(killed).metrics.read_text().splitlines()
    assert [r.rsplit(",", 1)[0] for r in ref_rows] == [r.rsplit(",", 1)[0] for r in res_rows]
