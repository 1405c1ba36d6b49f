"""CSV import speed: our table loader against a plain ``pandas.read_csv(engine="pyarrow")``.

Generates a 1 M-row x 20-column CSV in a temporary folder, then times both readers (the
median of several runs each) and prints the ratio; the target is at most 1.3x. Our loader
also detects the encoding and delimiter and reports progress with cancellation between
blocks, so the ratio is the cost of those.

    python -m benchmarks csv_import          (ROWS=200000 to try a smaller file)
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from app.core.data.tables import read_table

TARGET_RATIO = 1.3


def make_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    columns = {f"f{i}": rng.normal(size=rows).round(4) for i in range(16)}
    columns["colour"] = rng.choice(["red", "green", "blue"], rows)
    columns["count"] = rng.integers(0, 100, rows)
    columns["level"] = rng.integers(0, 5, rows)
    columns["label"] = rng.choice(["yes", "no"], rows)
    pd.DataFrame(columns).to_csv(path, index=False)


def seconds(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    rows = int(os.environ.get("ROWS", "1000000"))
    runs = int(os.environ.get("RUNS", "5"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        make_csv(path, rows)
        size_mb = path.stat().st_size / 1e6
        progress_calls = []
        ours_df = read_table(path, progress=lambda f, m: progress_calls.append(f))
        plain_df = pd.read_csv(path, engine="pyarrow")
        assert ours_df.shape == plain_df.shape == (rows, 20), (ours_df.shape, plain_df.shape)
        # Interleave the two readers so that a busy neighbour on the machine slows both alike.
        plain_times, ours_times = [], []
        for _ in range(runs):
            plain_times.append(seconds(lambda: pd.read_csv(path, engine="pyarrow")))
            ours_times.append(seconds(lambda: read_table(path, progress=lambda f, m: None)))
        plain, ours = statistics.median(plain_times), statistics.median(ours_times)
    ratio = ours / plain
    print(f"file: {rows:,} rows x 20 columns, {size_mb:.0f} MB; {runs} runs each, medians")
    print(f"pandas.read_csv(engine='pyarrow'): {plain:.3f} s")
    print(f"modelwright read_table (detect + progress): {ours:.3f} s ({len(progress_calls)} progress reports)")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET_RATIO}x) -> {'OK' if ratio <= TARGET_RATIO else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
