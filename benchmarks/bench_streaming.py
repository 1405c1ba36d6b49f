"""Data prepared to disk (streamed) against data kept in memory, on the same data.

Prints, for a generated table (ROWS x 20 columns) and an image folder (IMAGES PNGs):

- preparation: seconds and peak memory (RSS of a fresh process, less the same process
  after its imports) of ``prepare`` in memory and streamed to disk;
- reading: samples/s of one training epoch of batches asked for as the engine does, from
  the in-memory split (tables: the engine's gather-once-then-slice), the on-disk split with
  no reader process, and with the default reader processes (read-ahead); ratio to memory;
- training: samples/s of one epoch of a small MLP through the engine, memory vs disk.

    python -m benchmarks streaming        (ROWS=100000 IMAGES=1000 for a quicker run;
                                           WORKERS=0,1,2 reader processes to compare; SIDE=64)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from PIL import Image

BATCH = 256


def make_table(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    columns = {f"f{i}": rng.normal(size=rows).round(4) for i in range(16)}
    columns["colour"] = rng.choice(["red", "green", "blue"], rows)
    columns["count"] = rng.integers(0, 100, rows)
    columns["flag"] = rng.choice(["yes", "no"], rows)
    columns["label"] = rng.choice(["a", "b", "c"], rows)
    pd.DataFrame(columns).to_csv(path, index=False)


def make_images(root: Path, n: int) -> None:
    rng = np.random.default_rng(0)
    for c in range(2):
        (root / f"class{c}").mkdir(parents=True)
        for i in range(n // 2):
            pixels = rng.integers(0, 200, (40, 40, 3), dtype=np.uint8) + 50 * c
            Image.fromarray(pixels.astype(np.uint8)).save(root / f"class{c}" / f"{i}.png")


_CHILD = """
import json, sys, threading, time
import psutil, torch
torch.set_num_threads(1)
from app.core.data import prepare
config, base = json.loads(sys.argv[1]), sys.argv[2]
process, peak, done = psutil.Process(), [0], threading.Event()
def watch():
    while not done.is_set():
        peak[0] = max(peak[0], process.memory_info().rss)
        time.sleep(0.002)
before = process.memory_info().rss
threading.Thread(target=watch, daemon=True).start()
started = time.perf_counter()
prepared = prepare(config, base)
seconds = time.perf_counter() - started
done.set()
print(json.dumps({"seconds": seconds, "peak_mb": (peak[0] - before) / 2**20}))
"""


def prepare_in_child(config: dict, base: Path) -> dict:
    """Seconds and the rise of peak RSS (MB) of ``prepare`` in a fresh process."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(config), str(base)], cwd=root,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def epoch_rate(split, *, pregather: bool = False, seed: int = 1) -> float:
    """Samples per second of one epoch of training batches, asked for as the engine does."""
    started = time.perf_counter()
    order = split.epoch_order(0, seed, True)
    n_batches = -(-len(order) // BATCH)
    gathered = split.batch(order) if pregather else None
    total = 0
    for mb in range(n_batches):
        if gathered is not None:
            x = gathered[0][mb * BATCH:(mb + 1) * BATCH]
        else:
            x, _ = split.batch(order[mb * BATCH:(mb + 1) * BATCH], train=True, seed=seed, step=mb)
        total += len(x)
    return total / (time.perf_counter() - started)


def train_rate(prepared) -> float:
    from torch import nn

    from app.core.train.config import TrainConfig
    from app.core.train.engine import Trainer

    torch.manual_seed(0)
    width = int(np.prod(prepared.info.input_shape))
    model = nn.Sequential(nn.Flatten(), nn.Linear(width, 64), nn.ReLU(), nn.Linear(64, prepared.info.n_outputs))
    loss = "bce_logits" if prepared.info.task == "binary" else "cross_entropy"
    cfg = TrainConfig.from_dict({"epochs": 1, "batch_size": BATCH, "seed": 1, "device": "cpu", "threads": 1,
                                 "loss": {"name": loss}})
    started = time.perf_counter()
    Trainer(model, cfg, task=prepared.info.task, n_outputs=prepared.info.n_outputs).fit(prepared.train, None)
    return len(prepared.train) / (time.perf_counter() - started)


def compare(title: str, config: dict, base: Path, limit_mb: float, pregather: bool) -> None:
    from app.core.data import prepare

    streamed_config = {**config, "memory_limit_mb": limit_mb, "cache_dir": str(base / "cache")}
    memory_prep = prepare_in_child(config, base)
    disk_prep = prepare_in_child(streamed_config, base)
    print(f"{title}: prepare in memory {memory_prep['seconds']:.2f} s, peak +{memory_prep['peak_mb']:.0f} MB; "
          f"to disk (budget {limit_mb} MB) {disk_prep['seconds']:.2f} s, peak +{disk_prep['peak_mb']:.0f} MB")
    memory = prepare(config, base)
    base_rate = epoch_rate(memory.train, pregather=pregather)
    rates, trains = {}, {}
    for workers in [int(w) for w in os.environ.get("WORKERS", "0,1").split(",")]:
        disk = prepare(streamed_config, base)
        disk.train.workers = workers
        epoch_rate(disk.train)  # starts the reader processes; warms the page cache
        rates[workers] = epoch_rate(disk.train, seed=2)
        train_rate(disk)  # warm-up: the first engine run pays one-off costs
        trains[workers] = train_rate(disk)
        disk.train.close()
    train_rate(memory)
    mem_train = train_rate(memory)
    print(f"{title}: read an epoch from memory {base_rate:,.0f} samples/s; train one epoch (MLP) from memory "
          f"{mem_train:,.0f} samples/s")
    for workers in rates:
        print(f"{title}: from disk with {workers} reader process(es): read {rates[workers]:,.0f} samples/s "
              f"({rates[workers] / base_rate:.2f}x memory), train {trains[workers]:,.0f} samples/s "
              f"({trains[workers] / mem_train:.2f}x memory)")


def main() -> None:
    torch.set_num_threads(1)
    rows = int(os.environ.get("ROWS", "300000"))
    images = int(os.environ.get("IMAGES", "3000"))
    side = int(os.environ.get("SIDE", "32"))
    from app.core.data import inspect_source

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        make_table(base / "table.csv", rows)
        config = inspect_source(base / "table.csv", target="label").to_dict()
        print(f"table: {rows} rows, {(base / 'table.csv').stat().st_size / 1e6:.0f} MB CSV")
        compare("table", config, base, 16, pregather=True)
        make_images(base / "images", images)
        config = inspect_source(base / "images").to_dict()
        config["image"] = {"size": [side, side], "channels": 3, "augmentation": {"flip": True, "crop": 4}}
        print(f"images: {images} PNGs of 40x40, prepared at {side}x{side} with flip and crop")
        compare("images", config, base, 1, pregather=False)


if __name__ == "__main__":
    main()
