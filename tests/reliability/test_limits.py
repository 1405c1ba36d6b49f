"""Limits checked before anything is allocated or read in full: a network too big for the
machine's memory, more threads than cores, a table too wide to work with.

Each case is refused (or, for threads, lowered) in well under the time a user would wait,
with the numbers in the message, and leaves nothing on disk.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from app.cli import main
from tests.reliability.corpus import _valid_project
from tests.reliability.cli_checks import run_cli
from tests.ui.conftest import wait_for_job

GB = 10**9


def _dense_chain(widths: list[int]) -> dict:
    """The corpus's valid project with dense layers of ``widths`` between its input and output."""
    project = _valid_project("wide-net")
    nodes = project["graph"]["nodes"]
    layers = [{"id": f"dense{i}", "type": "core.linear", "params": {"out_features": w}, "position": [0, 100 + i]}
              for i, w in enumerate(widths)]
    project["graph"]["nodes"] = [nodes[0], *layers, nodes[-1]]
    chain = ["input", *(layer["id"] for layer in layers), "output"]
    project["graph"]["edges"] = [{"source": a, "source_port": "out", "target": b, "target_port": "in"}
                                 for a, b in zip(chain, chain[1:])]
    return project


@pytest.fixture(scope="module")
def giant(tmp_path_factory) -> Path:
    """2 -> 36,500 -> 36,500 -> 1: 1.33 x 10^9 parameters (5.3 GB of weights, ~27 GB to train with Adam)."""
    path = tmp_path_factory.mktemp("limits") / "giant.mwproj"
    path.write_text(json.dumps(_dense_chain([36_500, 36_500, 1])), encoding="utf-8")
    return path


def test_billion_parameter_network_is_refused_with_the_numbers(giant):
    from app.core.project import load_project
    from app.core.train.config import TrainConfig
    from app.core.train.memory_check import MemoryBudgetError, check_training_fits

    project = load_project(giant)
    config = TrainConfig.from_dict(project.training)
    started = time.perf_counter()
    with pytest.raises(MemoryBudgetError) as refused:
        check_training_fits(project.graph, config, "cpu", free_bytes=16 * GB)
    assert time.perf_counter() - started < 2.0
    text = str(refused.value)
    assert "1,332,432,501 parameters" in text and "batch size 32" in text and "16.0 GB free" in text, text
    assert "26.7 GB" in text, text  # weights 5.3 + gradients 5.3 + Adam 10.7 + step 5.3 + activations
    assert "smaller" in text
    # The same network fits a machine with enough memory: the check counts, it does not guess.
    parts = check_training_fits(project.graph, config, "cpu", free_bytes=64 * GB)
    assert parts["weights"] == 4 * 1_332_432_501 and parts["optimizer state"] == 8 * 1_332_432_501
    # SGD without momentum keeps no state: the estimate follows the optimizer.
    sgd = TrainConfig.from_dict({**project.training, "optimizer": {"name": "sgd"}})
    assert check_training_fits(project.graph, sgd, "cpu", free_bytes=64 * GB)["optimizer state"] == 0


def test_activations_at_the_batch_size_count(tmp_path):
    """A small network at a huge batch: the activations, not the weights, fill the memory."""
    from app.core.graph.graph import Graph
    from app.core.train.config import TrainConfig
    from app.core.train.memory_check import MemoryBudgetError, check_training_fits

    graph = Graph.from_dict(_dense_chain([4096, 4096, 1])["graph"])
    small = TrainConfig.from_dict({"batch_size": 32})
    assert check_training_fits(graph, small, "cpu", free_bytes=4 * GB)["activations"] < 0.01 * GB
    with pytest.raises(MemoryBudgetError, match="lower the batch size"):
        check_training_fits(graph, TrainConfig.from_dict({"batch_size": 1_000_000}), "cpu", free_bytes=4 * GB)


def test_train_refuses_it_before_reading_data_or_writing(capsys, monkeypatch, giant, tmp_path):
    """Through ``main.py train`` (as the GUI's training child calls it): refused in seconds,
    no run folder. Free memory is pinned so the case holds on a machine with 512 GB too."""
    from app.core.train import memory_check
    from app.core.train.startup import import_training_modules

    import_training_modules()
    monkeypatch.setattr(memory_check, "free_memory_bytes", lambda device: 16 * GB)
    out = tmp_path / "run"
    started = time.perf_counter()
    line = run_cli(capsys, ["train", giant, "--out", out], tmp_path)
    assert time.perf_counter() - started < 5.0, "the size must be judged without building the model"
    assert "1,332,432,501 parameters" in line and "GB" in line and "batch size 32" in line, line
    assert not out.exists()


def test_free_memory_is_the_machines():
    import psutil

    from app.core.train.memory_check import free_memory_bytes

    free = free_memory_bytes("cpu")
    assert free is not None and 0 < free <= psutil.virtual_memory().total


def test_threads_above_the_core_count_are_lowered_with_a_note(caplog, tmp_path, capsys):
    from app.core.train.config import TrainConfig, machine_cores

    with caplog.at_level(logging.WARNING):
        config = TrainConfig.from_dict({"threads": 10**6})
    assert config.threads == machine_cores()
    assert any("1,000,000" in r.getMessage() and f"{machine_cores()} CPU cores" in r.getMessage()
               for r in caplog.records)
    assert TrainConfig.from_dict({"threads": 1}).threads == 1
    with pytest.raises(Exception, match="threads"):
        TrainConfig.from_dict({"threads": 0})
    # And a run with the setting trains (it aborted in the OpenMP runtime before).
    project = _valid_project()
    project["training"]["threads"] = 10**6
    path = tmp_path / "threads.mwproj"
    path.write_text(json.dumps(project), encoding="utf-8")
    assert main(["train", str(path), "--out", str(tmp_path / "run")]) == 0
    kept = json.loads((tmp_path / "run" / "project.mwproj").read_text(encoding="utf-8"))
    assert kept["training"]["threads"] == machine_cores()


def _wide_csv(path: Path, columns: int = 100_000, rows: int = 5) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(f"c{i}" for i in range(columns)) + ",label\n")
        row = ",".join("1" for _ in range(columns))
        for r in range(rows):
            f.write(f"{row},{'xy'[r % 2]}\n")
    return path


@pytest.fixture(scope="module")
def wide(tmp_path_factory) -> Path:
    return _wide_csv(tmp_path_factory.mktemp("wide") / "wide.csv")


def test_new_refuses_a_100000_column_table_at_once(capsys, wide, tmp_path):
    out = tmp_path / "wide.mwproj"
    started = time.perf_counter()
    line = run_cli(capsys, ["new", "--template", "mlp", "--data", wide, "--target", "label", "--out", out], tmp_path)
    took = time.perf_counter() - started
    assert took < 2.0, f"{took:.1f} s (it took 159 s and wrote a 9.6 MB project before)"
    assert "100,001 columns" in line and "10,000" in line and wide.name in line, line
    assert not out.exists()


def test_wide_parquet_and_the_limit_itself(tmp_path, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from app.core.data.limits import MAX_COLUMNS

    wide = tmp_path / "wide.parquet"
    pq.write_table(pa.table({f"c{i}": [1.0, 2.0] for i in range(MAX_COLUMNS + 1)}), wide)
    line = run_cli(capsys, ["new", "--template", "mlp", "--data", wide, "--out", tmp_path / "p.mwproj"], tmp_path)
    assert f"{MAX_COLUMNS + 1:,} columns" in line
    # Exactly at the limit is still a table.
    at_limit = _wide_csv(tmp_path / "at_limit.csv", columns=MAX_COLUMNS - 1, rows=4)
    assert main(["new", "--template", "mlp", "--data", str(at_limit), "--target", "label",
                 "--out", str(tmp_path / "ok.mwproj")]) == 0


def test_gui_import_refuses_it_without_spinning(qtbot, window, messages, crashes, wide):
    window.new_project()
    banner = window.data_view.banner
    started = time.perf_counter()
    window.open_path(wide)
    wait_for_job(qtbot, window.data_view)
    qtbot.waitUntil(lambda: banner.isVisibleTo(window) and "100,001 columns" in banner.text(), timeout=5000)
    assert time.perf_counter() - started < 5.0
    assert window.document.data is None and not crashes
