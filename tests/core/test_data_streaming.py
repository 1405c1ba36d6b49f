"""Data larger than the memory budget: prepared once to disk, batches identical to the in-memory path."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from app.core.data import DataConfigError, DataError, inspect_source
from app.core.data import streaming
from app.core.data.config import DataConfig
from app.core.data.datasets import ImageSplit, TensorSplit
from app.core.data.streaming import StreamingSplit
from app.core.progress import Cancelled
from app.core.train.config import TrainConfig
from app.core.train.engine import Trainer

from .data_helpers import make_image_folder

# The module, not the function the package exports under the same name.
prepare_module = importlib.import_module("app.core.data.pipeline")
prepare_fn = prepare_module.prepare


def write_table(path: Path, n: int = 3000, seed: int = 0) -> Path:
    """Mixed columns with gaps, a yes/no column, a few duplicate rows and three classes."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "height": rng.normal(170, 10, n).round(3),
        "colour": rng.choice(["red", "green", "blue", "teal"], n),
        "count": rng.integers(0, 50, n),
        "member": rng.choice(["yes", "no"], n),
        "species": rng.choice(["甲", "乙", "丙"], n),
    })
    df.loc[rng.choice(n, 40, replace=False), "height"] = np.nan
    df.loc[rng.choice(n, 40, replace=False), "colour"] = None
    df = pd.concat([df, df.iloc[:25]], ignore_index=True)
    df.to_csv(path, index=False)
    return path


def table_config(path: Path, tmp: Path, **preparation) -> dict:
    config = inspect_source(path, target="species").to_dict()
    config["preparation"].update(preparation)
    config["split"]["method"] = "stratified"
    config["cache_dir"] = str(tmp / "cache")
    return config


def streamed(config: dict, base: Path, **kwargs):
    return prepare_fn({**config, "memory_limit_mb": 0}, base, **kwargs)


def assert_same_batches(a, b, *, train: bool, seed: int = 7, batch_size: int = 64) -> None:
    """Every batch of two epochs, in the order the engine asks for them, is identical."""
    for epoch in (0, 1):
        order_a, order_b = a.epoch_order(epoch, seed, train), b.epoch_order(epoch, seed, train)
        assert torch.equal(order_a, order_b)
        n_batches = -(-len(order_a) // batch_size)
        for mb in range(n_batches):
            part = order_a[mb * batch_size:(mb + 1) * batch_size]
            xa, ya = a.batch(part, train=train, seed=seed, step=epoch * n_batches + mb)
            xb, yb = b.batch(order_b[mb * batch_size:(mb + 1) * batch_size], train=train, seed=seed,
                             step=epoch * n_batches + mb)
            assert torch.equal(xa, xb) and torch.equal(ya, yb), (epoch, mb)


@pytest.mark.parametrize("preparation", [
    {},
    {"drop_duplicates": True, "missing": "drop", "scaling": "minmax", "categorical": "ordinal"},
    {"missing": "median"},
])
def test_table_prepared_to_disk_gives_the_in_memory_batches(tmp_path, preparation):
    path = write_table(tmp_path / "animals.csv")
    config = table_config(path, tmp_path, **preparation)
    memory, disk = prepare_fn(config, tmp_path), streamed(config, tmp_path)
    assert isinstance(memory.train, TensorSplit) and isinstance(disk.train, StreamingSplit)
    assert disk.info == memory.info
    assert disk.sizes == memory.sizes
    assert disk.warnings == memory.warnings
    assert disk.preprocessor.to_dict() == memory.preprocessor.to_dict()
    assert_same_batches(memory.train, disk.train, train=True)
    for k in ("val", "test"):
        assert_same_batches(getattr(memory, k), getattr(disk, k), train=False, batch_size=100)
    # Evaluation walks the rows in order in large batches.
    whole = torch.arange(len(memory.val))
    assert all(torch.equal(a, b) for a, b in zip(memory.val.batch(whole), disk.val.batch(whole)))
    if preparation.get("drop_duplicates"):
        assert any("duplicate" in w for w in disk.warnings)


def test_parquet_prepared_to_disk_gives_the_in_memory_batches(tmp_path):
    csv = write_table(tmp_path / "animals.csv", n=800)
    pd.read_csv(csv).to_parquet(tmp_path / "animals.parquet", row_group_size=100)
    config = table_config(tmp_path / "animals.parquet", tmp_path)
    memory, disk = prepare_fn(config, tmp_path), streamed(config, tmp_path)
    assert isinstance(disk.train, StreamingSplit)
    assert disk.preprocessor.to_dict() == memory.preprocessor.to_dict()
    assert_same_batches(memory.train, disk.train, train=True)


def test_a_large_table_is_read_in_chunks_never_whole(tmp_path, monkeypatch):
    path = write_table(tmp_path / "animals.csv", n=6000)
    config = table_config(path, tmp_path)

    def never(*args, **kwargs):
        raise AssertionError("the whole table was loaded")

    monkeypatch.setattr(prepare_module, "load_table", never)
    sizes: list[int] = []
    original = streaming.read_chunks

    def spy(reader):
        for chunk in original(reader):
            sizes.append(len(chunk))
            yield chunk

    monkeypatch.setattr(streaming, "read_chunks", spy)
    disk = streamed(config, tmp_path)
    total = sum(disk.sizes.values()) + 0
    assert len(sizes) >= 3 * 3  # three passes of several chunks each
    assert max(sizes) < total / 2
    assert sum(sizes) == 3 * 6025  # every raw row once per pass


def test_images_prepared_to_disk_give_the_in_memory_batches(tmp_path):
    folder = make_image_folder(tmp_path / "pets", per_class=12)
    config = inspect_source(folder).to_dict()
    config["image"] = {"size": [8, 8], "channels": 3,
                       "augmentation": {"flip": True, "crop": 2, "rotation": 10.0, "color_jitter": 0.1}}
    config["cache_dir"] = str(tmp_path / "cache")
    memory, disk = prepare_fn(config, tmp_path), streamed(config, tmp_path)
    assert isinstance(memory.train, ImageSplit) and isinstance(disk.train, StreamingSplit)
    assert disk.preprocessor.to_dict() == memory.preprocessor.to_dict()
    assert disk.warnings == memory.warnings and any("broken.png" in w for w in disk.warnings)
    assert_same_batches(memory.train, disk.train, train=True, batch_size=5)
    assert_same_batches(memory.val, disk.val, train=False, batch_size=2)
    # Previews read a few stored images without loading the split.
    assert disk.train.inputs.dtype == torch.uint8
    assert torch.equal(disk.train.inputs[:3], memory.train.inputs[:3])


def fit(prepared, epochs: int = 2) -> dict:
    torch.manual_seed(0)
    width = prepared.info.input_shape[0]
    model = nn.Sequential(nn.Linear(width, 8), nn.ReLU(), nn.Linear(8, prepared.info.n_outputs))
    cfg = TrainConfig.from_dict({"epochs": epochs, "batch_size": 32, "seed": 3, "device": "cpu",
                                 "optimizer": {"name": "adam", "lr": 0.01}, "loss": {"name": "cross_entropy"}})
    Trainer(model, cfg, task=prepared.info.task, n_outputs=prepared.info.n_outputs).fit(prepared.train, prepared.val)
    return model.state_dict()


def test_training_from_disk_reaches_the_same_weights(tmp_path, monkeypatch):
    path = write_table(tmp_path / "animals.csv", n=600)
    config = table_config(path, tmp_path)
    direct_reads = []
    original = streaming._Rows.read

    def counting(self, *args):
        direct_reads.append(os.getpid())
        return original(self, *args)

    monkeypatch.setattr(streaming._Rows, "read", counting)
    disk = streamed(config, tmp_path)
    disk.train.workers = disk.val.workers = 1
    weights_disk = fit(disk)
    weights_memory = fit(prepare_fn(config, tmp_path))
    assert weights_disk.keys() == weights_memory.keys()
    assert all(torch.equal(weights_disk[k], weights_memory[k]) for k in weights_disk)
    # The batches came from the reader process, read ahead of the loop.
    assert direct_reads.count(os.getpid()) <= 4
    disk.train.close()


def test_requests_outside_the_read_ahead_still_get_the_right_rows(tmp_path):
    path = write_table(tmp_path / "animals.csv", n=500)
    config = table_config(path, tmp_path)
    memory, disk = prepare_fn(config, tmp_path), streamed(config, tmp_path)
    disk.train.workers = 1
    order = disk.train.epoch_order(0, 5, True)
    memory.train.epoch_order(0, 5, True)
    requests = [order[0:16], order[16:32], order[200:216], torch.tensor([3, 1, 2]), order[32:48],
                order.flip(0)[:16], order[48:64]]
    for indices in requests:
        assert all(torch.equal(a, b) for a, b in zip(memory.train.batch(indices), disk.train.batch(indices)))
    disk.train.close()


def test_a_changed_file_is_prepared_again(tmp_path, monkeypatch):
    path = write_table(tmp_path / "animals.csv", n=400)
    config = table_config(path, tmp_path)
    passes = []
    original = streaming.read_chunks
    monkeypatch.setattr(streaming, "read_chunks", lambda reader: passes.append(1) or original(reader))
    first = streamed(config, tmp_path)
    assert len(passes) == 3
    again = streamed(config, tmp_path)
    assert len(passes) == 3, "an unchanged file is read from the cache"
    assert again.sizes == first.sizes
    write_table(path, n=500, seed=1)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    changed = streamed(config, tmp_path)
    assert len(passes) == 6
    assert sum(changed.sizes.values()) == 525
    entries = [p for p in (tmp_path / "cache").iterdir()]
    assert len(entries) == 1, "the entry of the old file is removed"


def test_a_cancelled_preparation_leaves_nothing_on_disk(tmp_path):
    path = write_table(tmp_path / "animals.csv", n=400)
    config = table_config(path, tmp_path)

    def cancel_when_encoding(fraction, message):
        if "pass 3" in message:
            raise Cancelled("Stopped.")

    with pytest.raises(Cancelled):
        streamed(config, tmp_path, progress=cancel_when_encoding)
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_bad_value_late_in_the_file_is_named_by_its_row(tmp_path):
    path = write_table(tmp_path / "animals.csv", n=5000)
    config = table_config(path, tmp_path)
    df = pd.read_csv(path)
    df["height"] = df["height"].astype(object)
    df.loc[4500, "height"] = "tall"
    df.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"row 4501 \(line 4502\) holds 'tall'"):
        streamed(config, tmp_path)
    with pytest.raises(DataError, match=r"row 4501 \(line 4502\) holds 'tall'"):
        prepare_fn(config, tmp_path)


def test_a_missing_column_is_named(tmp_path):
    path = write_table(tmp_path / "animals.csv", n=100)
    config = table_config(path, tmp_path)
    config["columns"].append({"name": "weight", "type": "numeric", "role": "feature"})
    with pytest.raises(DataError, match="'weight' is missing from 'animals.csv'"):
        streamed(config, tmp_path)


def test_memory_settings_are_checked_and_saved():
    base = {"source": {"kind": "synthetic", "generator": "keras-seed"}}
    config = DataConfig.from_dict({**base, "memory_limit_mb": 512, "cache_dir": "prepared"})
    assert config.to_dict()["memory_limit_mb"] == 512 and config.to_dict()["cache_dir"] == "prepared"
    assert "memory_limit_mb" not in DataConfig.from_dict(base).to_dict()
    assert streaming.memory_budget(config) == 512 * 2**20
    with pytest.raises(DataConfigError, match="memory_limit_mb"):
        DataConfig.from_dict({**base, "memory_limit_mb": -1})
    with pytest.raises(DataConfigError, match="cache_dir"):
        DataConfig.from_dict({**base, "cache_dir": ""})


def test_small_data_stays_in_memory(tmp_path):
    path = write_table(tmp_path / "animals.csv", n=200)
    config = table_config(path, tmp_path)
    prepared = prepare_fn(config, tmp_path)
    assert isinstance(prepared.train, TensorSplit)
    assert not (tmp_path / "cache").exists()
