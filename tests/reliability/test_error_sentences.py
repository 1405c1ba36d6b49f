"""Failures that used to print "unexpected <Type>: ..." now print one sentence naming the file
and what is wrong: a full disk, a tampered checkpoint, a nested Parquet column, a 5 MB line
with no delimiter, a layer size of 1e308.

The full disk is a real one: a 2 MB tmpfs mounted for the test (we run as root, CI too). Where
mounting is not allowed, the writers' disk is made to fail with ENOSPC instead.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import torch

from app.cli import main
from tests.reliability.corpus import _valid_project, files_under
from tests.reliability.cli_checks import run_cli, train_table_run


def one_line(capsys, args) -> str:
    """Run ``main.py args``: exit 1 and one plain sentence, whatever it left on disk."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    err = capsys.readouterr().err.strip()
    assert code == 1, f"{args}: exit {code}, stderr {err!r}"
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert "unexpected" not in err and "Traceback" not in err, err
    return err


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("sentences")


@pytest.fixture(scope="module")
def good(area) -> dict[str, Path]:
    return train_table_run(area)


# ------------------------------------------------------------------------------ a full disk
@pytest.fixture(scope="module")
def tiny_disk(area):
    """A 2 MB tmpfs, or None where mounting is not allowed."""
    mount = area / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` until about ``leave`` bytes are free."""
    for p in disk.iterdir():
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    free = shutil.disk_usage(disk).free
    with open(disk / "filler", "wb") as f:
        try:
            f.write(b"\0" * max(0, free - leave))
        except OSError:
            pass


@pytest.fixture
def full_disk(tiny_disk, monkeypatch, tmp_path):
    """A folder on a disk with (almost) no space: ``fill(leave)`` sets how much is left."""
    if tiny_disk is not None:
        return tiny_disk, lambda leave=0: _fill(tiny_disk, leave), True
    # No mount allowed: every durable write in the app's writers fails as on a full disk.
    from app.core import fileio

    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    monkeypatch.setattr(fileio, "_fsync_folder", lambda folder: None)
    return tmp_path, lambda leave=0: None, False


def _no_leftovers(folder: Path) -> None:
    names = files_under(folder)
    assert not [n for n in names if n.endswith(".tmp") or ".partial" in n], names
    for name in names:
        if name.endswith(".json"):
            json.loads((folder / name).read_text(encoding="utf-8"))  # whole, never half-written


def test_full_disk_in_new_predict_and_export(capsys, good, full_disk):
    disk, fill, real = full_disk
    if os.geteuid() == 0:
        assert real, "as root the test mounts a real 2 MB tmpfs"
    fill(0)
    line = one_line(capsys, ["new", "--template", "mlp", "--data", good["csv"], "--target", "label",
                             "--out", disk / "p.mwproj"])
    assert "is full" in line and "p.mwproj" in line and "MB" in line, line
    assert not (disk / "p.mwproj").exists()
    line = one_line(capsys, ["predict", good["run"], "--data", good["csv"], "--out", disk / "pred.csv"])
    assert "is full" in line and "pred.csv" in line, line
    assert not (disk / "pred.csv").exists()
    line = one_line(capsys, ["train", good["project"], "--epochs", "1", "--out", disk / "run"])
    assert "is full" in line, line
    assert not (disk / "run").exists(), "a claim that could not be written leaves no folder"
    if real:  # the simulated disk only fails the atomic writers
        line = one_line(capsys, ["export", good["run"], "--format", "pytorch", "--out", disk / "exp"])
        assert "is full" in line and "exp" in line, line
        assert not (disk / "exp").exists()
    _no_leftovers(disk)


def test_full_disk_while_saving_a_checkpoint(capsys, good, full_disk):
    disk, fill, real = full_disk
    fill(60 * 1024)  # the run's small files fit; its first 76 KB checkpoint does not
    run = disk / "run"
    line = one_line(capsys, ["train", good["project"], "--epochs", "1", "--out", run])
    assert "is full" in line and "Free at least" in line, line
    if real:  # torch.save's own failure ("enforce fail at inline_container.cc") is recognised
        assert ".pt" in line, line
    assert not list((run / "checkpoints").glob("*.pt")) if (run / "checkpoints").exists() else True
    _no_leftovers(disk)


def test_cli_safety_net_names_the_file():
    from app.cli import _one_line

    text = _one_line(OSError(errno.ENOSPC, "No space left on device", "/somewhere/out.csv"))
    assert "unexpected" not in text and "is full" in text and "out.csv" in text
    text = _one_line(OSError(errno.ENOSPC, "No space left on device"))
    assert "unexpected" not in text and "full" in text


def test_metrics_row_on_a_full_disk(tmp_path):
    """metrics.csv is appended to during training: a full disk there is the same sentence."""
    from app.core.fileio import DiskFullError
    from app.core.train.csv_logger import CSVLogger

    class FullFile:
        def write(self, text):
            return len(text)

        def flush(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def close(self):
            self.flush()

    logger = CSVLogger(tmp_path / "metrics.csv")
    logger._columns = ["epoch"]
    logger._file = FullFile()
    import csv

    logger._writer = csv.writer(logger._file)
    with pytest.raises(DiskFullError, match="metrics.csv"):
        logger.on_validation_end(None, None, None, {"epoch": 1})
    logger.on_exception(None, None, None, None)  # closing the full file does not hide the first error


# ------------------------------------------------------------------------ tampered checkpoints
def _tampered_run(good, area: Path, name: str, change) -> Path:
    from app.core.train.checkpoint import write_payload

    run = area / f"tampered-{name}"
    shutil.copytree(good["run"], run)
    last = run / "checkpoints" / "last.pt"
    payload = torch.load(last, weights_only=True)
    payload["trainer_state"] = json.loads(payload["trainer_state"])
    payload["config"] = json.loads(payload["config"])
    change(payload)
    write_payload(last, payload)
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    summary["status"] = "stopped"  # a run one may resume
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return run


def _state(key, value):
    return lambda p: p["trainer_state"].__setitem__(key, value)


TAMPERED = {
    "epoch_is_text": _state("epoch", "three"),
    "step_is_a_list": _state("global_step", [1]),
    "best_metric_is_text": _state("best_metric", "x"),
    "history_is_text": _state("history", "x"),
    "batches_per_epoch_null": _state("batches_per_epoch", None),
    "callback_state_is_a_list": _state("callback_state", [1]),
    "optimizer_state_is_a_list": lambda p: p["optimizer"].__setitem__("state", [1, 2]),
    "optimizer_empty": lambda p: p.__setitem__("optimizer", {}),
    "scheduler_is_text": lambda p: p.__setitem__("scheduler", "x"),
    "rng_empty": lambda p: p.__setitem__("rng", {}),
    "torch_rng_is_text": lambda p: p["rng"].__setitem__("torch", "x"),
    "trainer_state_is_a_list": lambda p: p.__setitem__("trainer_state", [1]),
    "model_missing": lambda p: p.pop("model"),
    "version_is_text": lambda p: p.__setitem__("version", "1"),
    # Well-formed, but not this run's network or optimizer: refused before anything is written too.
    "weight_of_another_shape": lambda p: p["model"].__setitem__(next(iter(p["model"])), torch.zeros(3, 3)),
    "unknown_weight": lambda p: p["model"].__setitem__("extra", torch.zeros(1)),
    "extra_parameter_group": lambda p: p["optimizer"]["param_groups"].append(dict(p["optimizer"]["param_groups"][0])),
    "moment_of_another_shape": lambda p: next(iter(p["optimizer"]["state"].values())).__setitem__("exp_avg",
                                                                                             torch.zeros(1)),
    "schedule_without_rates": lambda p: p["scheduler"].__setitem__("base_lrs", []),
    # Well-formed and fitting, but from other data: the engine refuses it, still writing nothing.
    "other_batches_per_epoch": _state("batches_per_epoch", 7),
}


@pytest.mark.parametrize("name", sorted(TAMPERED))
def test_tampered_checkpoint_is_one_sentence_and_changes_nothing(capsys, good, area, name):
    run = _tampered_run(good, area, name, TAMPERED[name])
    summary = (run / "summary.json").read_bytes()
    line = run_cli(capsys, ["train", "--resume", run, "--epochs", "3"], run)
    assert ("last.pt" in line and ("damaged" in line or "does not fit" in line)) or "data changed" in line, line
    assert (run / "summary.json").read_bytes() == summary


# ------------------------------------------------------------------------------- data files
@pytest.fixture(scope="module")
def bad_data(area) -> dict[str, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = area / "data"
    folder.mkdir()
    pq.write_table(pa.table({"a": [1.0, 2.0, 3.0], "tags": [[1, 2], [3], []], "label": ["x", "y", "x"]}),
                   folder / "list_column.parquet")
    pq.write_table(pa.table({"a": [1.0, 2.0, 3.0], "point": [{"x": 1}, {"x": 2}, {"x": 3}], "label": ["x", "y", "x"]}),
                   folder / "struct_column.parquet")
    (folder / "nested.jsonl").write_text('{"a": 1, "tags": [1, 2], "label": "x"}\n{"a": 2, "tags": [3], "label": "y"}\n')
    (folder / "long_line.csv").write_bytes(b"x" * (5 * 2**20) + b"\n")
    (folder / "long_line_then_rows.csv").write_bytes(b"x" * (5 * 2**20) + b"\n1\n2\n")
    (folder / "long_first_field.csv").write_bytes(b"a,b,label\n" + b"x" * (5 * 2**20) + b"\n1,2,y\n")
    return {p.name: p for p in folder.iterdir()}


@pytest.mark.parametrize("name,column", [("list_column.parquet", "tags"), ("struct_column.parquet", "point"),
                                         ("nested.jsonl", "tags")])
def test_nested_columns_are_refused_naming_the_column(capsys, area, good, bad_data, name, column):
    line = run_cli(capsys, ["new", "--template", "mlp", "--data", bad_data[name], "--out", area / "n.mwproj"], area)
    assert f"'{column}'" in line and name in line, line
    line = run_cli(capsys, ["predict", good["run"], "--data", bad_data[name], "--out", area / "n.csv"], area)
    assert f"'{column}'" in line, line
    # A project that names such a file (written by hand) is refused when training starts.
    project = json.loads(good["project"].read_text(encoding="utf-8"))
    project["data"]["source"] = {"kind": "table", "path": str(bad_data[name]),
                                 "format": "jsonl" if name.endswith(".jsonl") else "parquet"}
    path = area / f"uses-{name}.mwproj"
    path.write_text(json.dumps(project), encoding="utf-8")
    line = run_cli(capsys, ["train", path, "--out", area / f"run-{name}"], area)
    assert f"'{column}'" in line, line


@pytest.mark.parametrize("name", ["long_line.csv", "long_line_then_rows.csv", "long_first_field.csv"])
def test_five_megabyte_line_is_one_sentence(capsys, area, good, bad_data, name):
    line = run_cli(capsys, ["new", "--template", "mlp", "--data", bad_data[name], "--out", area / "l.mwproj"], area)
    assert name in line and "MB" in line, line
    run_cli(capsys, ["predict", good["run"], "--data", bad_data[name], "--out", area / "l.csv"], area)


# ------------------------------------------------------------------------ absurd layer sizes
@pytest.mark.parametrize("value", ["1e308", "Infinity", "NaN", "1" + "0" * 400, "-1e300"])
def test_absurd_layer_sizes_are_refused_at_load(capsys, area, value):
    text = json.dumps(_valid_project()).replace('"out_features": 1', f'"out_features": {value}')
    path = area / f"size-{len(value)}-{value[:4]}.mwproj"
    path.write_text(text, encoding="utf-8")
    for args in (["validate", path], ["train", path, "--out", area / "r"],
                 ["export", path, "--format", "torchrun", "--out", area / "b"]):
        line = run_cli(capsys, args, area)
        assert "'dense'" in line and "'out_features'" in line, line
