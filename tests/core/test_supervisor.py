"""The child-process training protocol: plain messages, throttled, one ending per run,
commands honoured, crashes reported in plain words."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest

from app.core.train.supervisor import MAX_MESSAGES_PER_SECOND, TrainingProcess, crash_message


def keras_seed_project(folder: Path, epochs: int) -> Path:
    from app.core.data import prepare, synthetic_config
    from app.core.graph.templates import build_template_graph, template_training_defaults
    from app.core.project import Project, save_project

    config = synthetic_config("keras-seed")
    info = prepare(config, folder).info
    training = template_training_defaults("keras-seed", info)
    training["epochs"] = epochs
    return save_project(Project(name="seed", graph=build_template_graph("keras-seed", info), data=config.to_dict(),
                                training=training), folder / "seed.mwproj")


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def collect(job: TrainingProcess, timeout: float = 60.0) -> list[tuple[float, dict]]:
    seen = []
    deadline = time.monotonic() + timeout
    while job.running and time.monotonic() < deadline:
        for message in job.poll(0.1):
            seen.append((time.monotonic(), message))
    assert not job.running, "the run did not finish in time"
    return seen


def test_a_run_reports_plain_throttled_messages_and_ends_once(tmp_path):
    project = keras_seed_project(tmp_path, epochs=4)
    job = TrainingProcess(project, out=tmp_path / "run", threads=1).start()
    seen = collect(job)
    kinds = [m["kind"] for _t, m in seen]
    assert kinds[-1] == "finished" and kinds.count("finished") == 1
    assert kinds.index("started") < kinds.index("update")
    assert all(_plain(m) for _t, m in seen)
    started = next(m for _t, m in seen if m["kind"] == "started")
    assert started["batches_per_epoch"] == 80 and started["max_epochs"] == 4 and started["samples_per_step"] == 10
    updates = [(t, m) for t, m in seen if m["kind"] == "update"]
    steps = [s for _t, m in updates for s in m["steps"]]
    assert steps == list(range(1, 321))  # every step's loss, once, in order
    assert all(math.isfinite(v) for _t, m in updates for v in m["losses"])
    assert len([r for _t, m in updates for r in m["records"]]) == 4
    # At most 20 updates a second (plus the final flush).
    span = updates[-1][0] - updates[0][0]
    assert len(updates) <= span * MAX_MESSAGES_PER_SECOND + 3
    result = job.result
    assert result["status"] == "completed" and Path(result["run_dir"]) == tmp_path / "run"
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["status"] == "completed"


def test_stop_ends_the_run_as_stopped_and_resumable(tmp_path):
    project = keras_seed_project(tmp_path, epochs=500)
    job = TrainingProcess(project, out=tmp_path / "run", threads=1).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(m["kind"] == "update" for m in job.poll(0.1)):
        pass
    assert job.pause()
    acks = []
    while not acks:
        acks = [m for m in job.poll(0.1) if m["kind"] == "status"]
    assert acks[0]["status"] == "paused"
    assert job.stop()  # a paused run wakes up to stop
    seen = collect(job)
    assert seen[-1][1]["status"] == "stopped"
    assert (tmp_path / "run" / "checkpoints" / "last.pt").is_file()
    assert not job.send("stop")  # nothing to command any more


def test_an_error_before_training_is_a_failed_run_with_the_message(tmp_path):
    job = TrainingProcess(tmp_path / "missing.mwproj", out=tmp_path / "run").start()
    result = job.wait(60)
    assert result["status"] == "failed"
    assert "missing.mwproj" in result["error"] and result.get("details") is None


@pytest.mark.parametrize("code, words", [(-9, "ran out of memory"), (3, "exit code 3")])
def test_crash_messages_say_what_happened(code, words):
    assert words in crash_message(code)
