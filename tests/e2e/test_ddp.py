"""Distributed training under torchrun: two CPU processes (gloo) end with identical weights."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from safetensors.torch import load_file

from tests.e2e.conftest import ROOT

WORKER = textwrap.dedent('''
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    import torch
    from safetensors.torch import save_file
    from app.core.train.api import train_project
    from app.core.train.callbacks import Callback
    from app.core.train.distributed import current_context

    class SaveMine(Callback):
        def on_fit_end(self, trainer, state, control):
            ctx = current_context()
            weights = {{k: v.detach().clone().contiguous() for k, v in trainer.model.state_dict().items()}}
            save_file(weights, str(Path({out!r}) / f"rank{{ctx.rank}}-of-{{ctx.world_size}}.safetensors"))

    class StopOnRank1(Callback):
        """A stop asked of one process only: both must end together at the same step."""
        def on_batch_end(self, trainer, state, control, batch):
            if current_context().rank == 1 and batch.step == 8:
                control.request_stop()

    import app.core.train.api as api
    original = api._train
    def with_probe(project_path, out, resume, overrides, callbacks, control, progress, ctx):
        return original(project_path, out, resume, overrides, [*callbacks, SaveMine(), StopOnRank1()], control, progress, ctx)
    api._train = with_probe
    train_project(sys.argv[1], out=sys.argv[2], overrides={{"steps": 14, "batch_size": 8}})
''')


def _torchrun(*args, cwd):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                           *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_two_processes_train_identical_weights_stop_together_and_rank_0_writes_the_run(tmp_path):
    from tests.core.lm_helpers import tiny_gpt_project

    project = tiny_gpt_project(tmp_path, seq_len=16, n_embd=32, steps=12)
    training = json.loads(project.read_text())
    training["training"]["gradient_checkpointing"] = True  # the DDP + checkpointed blocks path
    training["training"]["grad_accum"] = 2                 # and no_sync on the first micro-batch
    project.write_text(json.dumps(training))
    probes = tmp_path / "probes"
    probes.mkdir()
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER.format(root=str(ROOT), out=str(probes)))

    done = _torchrun(worker, project, tmp_path / "run", cwd=tmp_path)
    if done.returncode != 0 and "terminate called without an active exception" in done.stderr:
        # Seen once in four full-suite runs: a worker aborted in a C++ destructor while exiting,
        # after training. Known and not yet explained; run once more on a fresh folder rather
        # than fail the suite, and keep asserting everything on the second run.
        shutil.rmtree(tmp_path / "run", ignore_errors=True)
        for probe in probes.iterdir():
            probe.unlink()
        done = _torchrun(worker, project, tmp_path / "run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]

    rank0 = load_file(str(probes / "rank0-of-2.safetensors"))
    rank1 = load_file(str(probes / "rank1-of-2.safetensors"))
    assert rank0.keys() == rank1.keys()
    for key in rank0:
        assert (rank0[key] == rank1[key]).all(), key
    # A stopped run keeps its last checkpoint (to resume from), not a final model.
    from app.core.train.checkpoint import load_checkpoint

    assert not (tmp_path / "run" / "model.safetensors").exists()
    saved = load_checkpoint(tmp_path / "run" / "checkpoints" / "last.pt")["model"]
    assert all((saved[k] == rank0[k]).all() for k in saved)
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    # Rank 1 alone asked to stop at step 8; rank 0 stopped there too instead of waiting forever.
    assert summary["status"] == "stopped" and summary["global_step"] == 8
    # Rank 0 alone writes: one row per evaluation, not two.
    rows = (tmp_path / "run" / "metrics.csv").read_text().strip().splitlines()
    assert len(rows) == 1 + len({r.split(",")[1] for r in rows[1:]})


@pytest.mark.slow
def test_the_torchrun_bundle_launches_and_resumes(tmp_path, main_py):
    from tests.core.lm_helpers import tiny_gpt_project

    project = tiny_gpt_project(tmp_path, seq_len=16, n_embd=32, steps=6)
    made = main_py("export", project, "--format", "torchrun", "--out", tmp_path / "bundle")
    assert made.returncode == 0, made.stderr
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHON=sys.executable, NPROC_PER_NODE="2",
               MASTER_PORT="29517", RUN_DIR=str(tmp_path / "run"))
    first = subprocess.run(["bash", str(tmp_path / "bundle" / "launch.sh"), "--device", "cpu"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.stdout.count("Run saved in") == 1
    resumed = subprocess.run(["bash", str(tmp_path / "bundle" / "launch.sh"), "--resume", str(tmp_path / "run"),
                              "--steps", "10"], env=env, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["global_step"] == 10
