"""What every refusal of the command line must look like, and the small trained run the CLI
corpus tests share: one place, so each test file asserts the same contract."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from app.cli import main
from tests.reliability.corpus import files_under

# Words that mean an error escaped as a crash or a raw warning instead of a sentence.
CRASH_WORDS = ("unexpected", "Traceback", "RuntimeWarning")


def run_cli(capsys, args, *watch: Path, snapshot: Callable[[Path], object] = files_under) -> str:
    """Run ``main.py args`` in this process; assert exit 1, one plain ``error:`` line and
    nothing under each ``watch`` changed (by ``snapshot``: file names, or names and bytes)."""
    before = [snapshot(w) for w in watch]
    capsys.readouterr()
    code = main([str(a) for a in args])
    err = capsys.readouterr().err.strip()
    assert code == 1, f"{args}: exit {code}, stderr {err!r}"
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert not any(word in err for word in CRASH_WORDS), err
    for folder, old in zip(watch, before):
        assert snapshot(folder) == old, f"{args} changed the files under {folder}"
    return lines[0]


def train_table_run(area: Path) -> dict[str, Path]:
    """A two-class table, its project and a one-epoch run of a tiny MLP, under ``area``."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.random(60), "b": rng.random(60), "label": rng.choice(["x", "y"], 60)})
    frame.to_csv(area / "good.csv", index=False)
    assert main(["new", "--template", "mlp", "--data", str(area / "good.csv"), "--target", "label",
                 "--out", str(area / "good.mwproj")]) == 0
    assert main(["train", str(area / "good.mwproj"), "--epochs", "1", "--out", str(area / "run")]) == 0
    return {"csv": area / "good.csv", "project": area / "good.mwproj", "run": area / "run"}
