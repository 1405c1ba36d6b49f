"""One writer per run: two ``train`` processes on one ``--out`` never mix into one run, a dead
process's lock is taken over, a run killed before its first checkpoint can be restarted with
``--resume``, and the staging folders of killed exports are swept.

The race runs 20 times at the claim level with real processes (no torch: fast) and twice with
real ``main.py train`` processes.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

# The on-disk contract: the lock and the marker a run folder carries.
LOCK_NAME = ".modelwright-run.lock"
RUN_MARKER = ".modelwright-run"
ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
RACE_ROUNDS = 20

# Waits for the start signal, then claims the folder; the winner writes its name into the run and
# holds the claim a moment (as training would), the loser prints why it was refused.
CLAIMER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from app.core.errors import ModelwrightError
    from app.core.run_claim import claim_new_run

    out, me, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.001)
    try:
        claim = claim_new_run(out, training={"seed": int(me)})
    except ModelwrightError as exc:
        print("refused:", exc)
        sys.exit(1)
    try:
        (out / "owner.txt").write_text(me)
        time.sleep(0.05)
    finally:
        claim.release()
""")

# Trains, but hangs once the run folder is written and before the first checkpoint.
HANGING_TRAINER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from app.core.train.api import train_project
    from app.core.train.callbacks import Callback

    class Hang(Callback):
        def on_fit_start(self, trainer, state, control):
            Path(sys.argv[3]).write_text("started")
            time.sleep(120)

    train_project(sys.argv[1], out=sys.argv[2], callbacks=[Hang()])
""")


def test_two_claims_started_together_have_exactly_one_winner(tmp_path):
    script = tmp_path / "claim.py"
    script.write_text(CLAIMER)
    for round_ in range(RACE_ROUNDS):
        out, go = tmp_path / f"race-{round_}" / "run", tmp_path / f"go-{round_}"
        procs = [subprocess.Popen([sys.executable, str(script), str(out), str(me), str(go)], env=ENV,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for me in (1, 2)]
        time.sleep(0.3)  # both interpreters started and waiting
        go.touch()
        outputs = [p.communicate(timeout=60)[0] for p in procs]
        codes = [p.returncode for p in procs]
        assert sorted(codes) == [0, 1], (round_, codes, outputs)
        winner = str(codes.index(0) + 1)
        loser_output = outputs[codes.index(1)]
        assert loser_output.startswith("refused:") and len(loser_output.strip().splitlines()) == 1, loser_output
        assert (out / "owner.txt").read_text() == winner
        assert json.loads((out / RUN_MARKER).read_text())["training"]["seed"] == int(winner)
        assert not (out / LOCK_NAME).exists()  # released at the end


@pytest.fixture(scope="module")
def tiny_project(tmp_path_factory) -> Path:
    from app.core.data import prepare, synthetic_config
    from app.core.graph.templates import build_template_graph
    from app.core.project import Project, save_project

    folder = tmp_path_factory.mktemp("claim-project")
    config = synthetic_config("keras-seed", n_samples=300)
    info = prepare(config, folder).info
    graph = build_template_graph("mlp", info, hidden=[8], dropout=0.1)
    training = {"epochs": 2, "batch_size": 16, "optimizer": {"name": "adam", "lr": 0.003},
                "loss": {"name": "bce_logits"}, "device": "cpu", "seed": 3,
                "checkpoint": {"every_n_batches": 5, "epoch_min_seconds": 0}}
    path = folder / "tiny.mwproj"
    save_project(Project(name="tiny", graph=graph, data=config.to_dict(), training=training), path)
    return path


def _train_cli(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "train", *map(str, args)], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_train_processes_on_one_out_leave_one_consistent_run(tiny_project, tmp_path):
    from safetensors.torch import load_file

    from app.core.runs import read_metrics, read_summary

    for round_ in range(2):
        out = tmp_path / f"run-{round_}"
        settings = {1: ("--seed", "11", "--epochs", "2"), 2: ("--seed", "22", "--epochs", "3")}
        procs = {me: _train_cli(tiny_project, "--out", out, *extra) for me, extra in settings.items()}
        results = {me: (p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for me, p in procs.items()}
        winners = [me for me, (code, _, _) in results.items() if code == 0]
        assert len(winners) == 1, results
        loser = results[3 - winners[0]]
        assert loser[0] == 1 and len(loser[2].strip().splitlines()) == 1, loser
        assert loser[2].startswith("error: ") and "unexpected" not in loser[2], loser
        seed, epochs = int(settings[winners[0]][1]), int(settings[winners[0]][3])
        project_copy = json.loads((out / "project.mwproj").read_text())
        assert project_copy["training"]["seed"] == seed and project_copy["training"]["epochs"] == epochs
        assert json.loads((out / RUN_MARKER).read_text())["training"]["seed"] == seed
        summary = read_summary(out)
        assert summary["status"] == "completed" and summary["epochs_completed"] == epochs
        assert [row["epoch"] for row in read_metrics(out)] == list(range(1, epochs + 1))
        assert load_file(out / "model.safetensors")
        assert not (out / LOCK_NAME).exists()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _write_lock(folder: Path, pid: int, host: str | None = None) -> None:
    """A lock as the process ``pid`` would have written it (just now, after it started)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LOCK_NAME).write_text(json.dumps({"pid": pid, "host": host or socket.gethostname(),
                                                "started": time.time(), "token": "x"}))


def test_a_dead_process_lock_is_taken_over_with_a_note(tiny_project, tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "run"
    _write_lock(out, _dead_pid())
    capsys.readouterr()
    assert main(["train", str(tiny_project), "--epochs", "1", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "note:" in err and "no longer running" in err and "taking it over" in err
    assert (out / "model.safetensors").is_file() and not (out / LOCK_NAME).exists()


def test_a_live_lock_refuses_train_and_resume_in_one_line(tiny_project, tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "run"
    assert main(["train", str(tiny_project), "--epochs", "1", "--out", str(out)]) == 0
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for host in (None, "another-machine"):
            pid = sleeper.pid if host is None else 1
            _write_lock(out, pid, host)
            before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
            for args in (["train", "--resume", str(out), "--epochs", "2"],
                         ["train", str(tiny_project), "--out", str(out)]):
                capsys.readouterr()
                assert main(args) == 1
                err = capsys.readouterr().err.strip()
                assert len(err.splitlines()) == 1 and "is being trained by process" in err, err
                assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    finally:
        sleeper.kill()
        sleeper.wait()
    (out / LOCK_NAME).unlink()


def test_lock_takeover_race_has_one_winner(tmp_path):
    """Several processes finding the same stale lock: exactly one takes it over."""
    from app.core.run_lock import RunBusyError, acquire_run_lock

    folder = tmp_path / "run"
    _write_lock(folder, _dead_pid())
    script = tmp_path / "take.py"
    script.write_text(textwrap.dedent("""
        import sys, time
        from pathlib import Path
        from app.core.run_lock import acquire_run_lock, RunBusyError
        go = Path(sys.argv[2])
        while not go.exists():
            time.sleep(0.001)
        try:
            lock = acquire_run_lock(sys.argv[1])
        except RunBusyError:
            sys.exit(1)
        time.sleep(0.5)
        lock.release()
    """))
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, str(script), str(folder), str(go)], env=ENV) for _ in range(4)]
    time.sleep(0.3)
    go.touch()
    assert sorted(p.wait(timeout=60) for p in procs) == [0, 1, 1, 1]
    with acquire_run_lock(folder):  # released: free again
        with pytest.raises(RunBusyError):
            acquire_run_lock(folder)


def test_a_run_killed_before_its_first_checkpoint_restarts_with_resume(tiny_project, tmp_path, capsys):
    from app.cli import main
    from app.core.train.api import train_project

    reference = train_project(tiny_project, out=tmp_path / "reference") / "model.safetensors"
    out, started = tmp_path / "killed", tmp_path / "started"
    script = tmp_path / "hang.py"
    script.write_text(HANGING_TRAINER)
    proc = subprocess.Popen([sys.executable, str(script), str(tiny_project), str(out), str(started)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not started.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "training did not start"
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert (out / LOCK_NAME).exists() and not (out / "checkpoints" / "last.pt").exists()

    capsys.readouterr()
    assert main(["train", str(tiny_project), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--resume" in err and "another --out" in err, err

    assert main(["train", "--resume", str(out)]) == 0
    err = capsys.readouterr().err
    assert "restarted from the beginning" in err and "no longer running" in err  # the dead lock is taken over
    assert (out / "model.safetensors").read_bytes() == reference.read_bytes()  # same as a run never killed
    assert not (out / LOCK_NAME).exists()


def test_a_run_killed_right_after_its_claim_restarts_from_its_marker(tiny_project, tmp_path, capsys):
    """Killed before even the project copy was written: the marker names the project to restart."""
    from app.cli import main

    out = tmp_path / "claimed"
    subprocess.run([sys.executable, "-c", "import os, sys; from app.core.run_claim import claim_new_run; "
                    "claim_new_run(sys.argv[1], project_path=sys.argv[2], training={'epochs': 1, 'seed': 5}); "
                    "os._exit(9)", str(out), str(tiny_project)], env=ENV, check=False)
    assert sorted(p.name for p in out.iterdir()) == [RUN_MARKER, LOCK_NAME]
    capsys.readouterr()
    assert main(["train", "--resume", str(out)]) == 0
    copy = json.loads((out / "project.mwproj").read_text())
    assert copy["training"]["epochs"] == 1 and copy["training"]["seed"] == 5
    assert (out / "model.safetensors").is_file()


def test_a_refused_start_leaves_no_folder_behind(tmp_path, capsys):
    """A claim that wrote nothing else is undone: no empty run folder (or parents) remains."""
    from app.core.run_claim import claim_new_run

    claim = claim_new_run(tmp_path / "a" / "b" / "run")
    claim.release()
    assert not (tmp_path / "a").exists()


def test_stale_export_staging_folders_are_swept_by_the_next_export(tmp_path):
    from app.core.export.staging import staged_folder

    out = tmp_path / "exports" / "iris"
    out.parent.mkdir()
    old = out.parent / ".iris.k1ll3d.partial"
    fresh = out.parent / ".iris.running.partial"
    other = out.parent / ".other.k1ll3d.partial"
    for folder in (old, fresh, other):
        folder.mkdir()
        (folder / "model.onnx").write_bytes(b"half written")
    two_hours_ago = time.time() - 7200
    for folder in (old, other):
        os.utime(folder, (two_hours_ago, two_hours_ago))
    with staged_folder(out) as staging:
        (staging / "export.json").write_text('{"producer": "Modelwright"}')
    assert not old.exists()  # killed over an hour ago: swept
    assert fresh.exists()  # may belong to an export still running
    assert other.exists()  # another destination's: not this export's to sweep
    assert (out / "export.json").is_file()
