"""``kill -9`` at random moments: training resumes to bit-identical weights, and a project file
being saved is always a complete old or new version, never a torn one."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from safetensors.torch import load_file

from app.core.graph.graph import Graph
from app.core.project import Project, load_project, save_project
from app.core.runs import read_summary, run_paths
from app.core.train.api import train_project
from tests.e2e.test_train_resume import ROOT, SLOW_TRAINER, make_project

TRAINING_TRIALS = 4
SAVE_TRIALS = 50


def _kill_training_at(project: Path, out: Path, script: Path, delay: float) -> None:
    """Start training in a child, wait for its first checkpoint, then SIGKILL it ``delay`` s later."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, str(script), str(project), str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    last = run_paths(out).last_checkpoint
    deadline = time.monotonic() + 90
    try:
        while not last.exists() and proc.poll() is None:
            assert time.monotonic() < deadline, "no checkpoint within 90 s"
            time.sleep(0.005)
        time.sleep(delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()


@pytest.mark.slow
def test_training_killed_at_random_moments_resumes_to_identical_weights(tmp_path):
    project = make_project(tmp_path)
    reference = run_paths(train_project(project, out=tmp_path / "reference")).weights.read_bytes()
    script = tmp_path / "slow_train.py"
    script.write_text(SLOW_TRAINER)
    rng = random.Random(20240611)
    resumed = 0
    for trial in range(TRAINING_TRIALS):
        out = tmp_path / f"killed-{trial}"
        _kill_training_at(project, out, script, rng.uniform(0.0, 0.6))
        paths = run_paths(out)
        finished = paths.weights.exists() and read_summary(out)["status"] == "completed"
        if not finished:
            assert not paths.weights.exists()  # no final weights from a killed run
            train_project(None, resume=out)
            resumed += 1
        assert read_summary(out)["status"] == "completed"
        assert paths.weights.read_bytes() == reference, f"trial {trial}: weights differ after resume"
        weights = load_file(paths.weights)
        assert weights  # a complete safetensors file
    assert resumed >= TRAINING_TRIALS - 1  # the kills landed while training (not after it ended)


def _version(n_nodes: int, tag: str) -> Project:
    """A project with ``n_nodes`` layers: two versions of very different sizes, so a torn
    file could not pass for either."""
    nodes = [{"id": "input", "type": "io.input", "params": {"kind": "vector", "shape": [4]},
              "position": [0, 0]}]
    edges = []
    previous = "input"
    for i in range(n_nodes):
        nodes.append({"id": f"dense_{i}", "type": "core.linear", "params": {"out_features": 4},
                      "position": [0, 50 * (i + 1)]})
        edges.append({"source": previous, "source_port": "out", "target": f"dense_{i}", "target_port": "in"})
        previous = f"dense_{i}"
    graph = Graph.from_dict({"nodes": nodes, "edges": edges})
    return Project(name=f"{tag}-{n_nodes}", graph=graph, training={"epochs": n_nodes})


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the save loop runs in a forked child")
def test_a_project_file_killed_mid_save_is_always_a_whole_version(tmp_path):
    target = tmp_path / "saved.mwproj"
    old, new = _version(5, "old"), _version(400, "new")
    save_project(old, target)
    rng = random.Random(7)
    seen = {"old-5": 0, "new-400": 0}
    torn_writes = 0
    for trial in range(SAVE_TRIALS):
        pid = os.fork()
        if pid == 0:  # the child: save the two versions in turn until killed (or 20 s pass)
            try:
                end = time.monotonic() + 20
                while time.monotonic() < end:
                    save_project(new, target)
                    save_project(old, target)
            finally:
                os._exit(0)
        try:
            time.sleep(rng.uniform(0.002, 0.05))
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        loaded = load_project(target)  # raises if the file were torn
        assert loaded.name in seen, loaded.name
        assert len(loaded.graph.nodes) == int(loaded.name.split("-")[1]) + 1
        assert json.loads(target.read_text(encoding="utf-8"))["training"]["epochs"] == int(loaded.name.split("-")[1])
        seen[loaded.name] += 1
        leftovers = list(tmp_path.glob(".saved.mwproj.*.tmp"))
        torn_writes += bool(leftovers)
        for leftover in leftovers:  # a half-written temporary file is all a kill leaves behind
            leftover.unlink()
    assert sum(seen.values()) == SAVE_TRIALS
    assert torn_writes > 0, "no kill landed during a write; the trials did not test anything"
