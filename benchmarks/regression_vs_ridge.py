"""Is the default regression network at least as good as a linear model?

scikit-learn's diabetes table (442 rows, 10 numbers, offline) goes through what a user does:
``main.py new --template mlp`` (the template's network and training defaults), ``train`` and
``evaluate`` (best weights) on the test part of the split the app makes. For each seed the
split (``data.split.seed``) and the training use that seed; Ridge regression (scikit-learn,
alpha 1) learns from exactly the same prepared training rows and is scored on the same test
rows. A single 44-row test part is too noisy to judge by, hence several splits. Prints R² per
seed for both and the mean ratio (mean network R² / mean Ridge R²; 1.0 or more means the
default is no worse than Ridge).

    python -m benchmarks.regression_vs_ridge [--seeds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")


def write_diabetes_csv(folder: Path) -> Path:
    """The diabetes table as a CSV with its target in the column ``progression``."""
    from sklearn.datasets import load_diabetes

    frame = load_diabetes(as_frame=True).frame.rename(columns={"target": "progression"})
    path = Path(folder) / "diabetes.csv"
    frame.to_csv(path, index=False)
    return path


def new_project(folder: Path) -> Path:
    """A project made as ``main.py new --template mlp --target progression`` makes it."""
    from app.core.new_project import create_project

    data = write_diabetes_csv(folder)
    project, _ = create_project("mlp", data=data, target="progression", out=Path(folder) / "diabetes.mwproj")
    return Path(project.path)


def with_split_seed(project: Path, seed: int, training: dict | None = None) -> Path:
    """A copy of ``project`` whose rows are split with ``seed`` (and ``training`` changed, to try settings)."""
    d = json.loads(project.read_text(encoding="utf-8"))
    d["data"]["split"]["seed"] = seed
    d["training"].update(training or {})
    path = project.with_name(f"{project.stem}-split{seed}.mwproj")
    path.write_text(json.dumps(d), encoding="utf-8")
    return path


def network_r2(project: Path, seed: int, out: Path) -> float:
    """R² on the test part after training with ``seed`` (best weights, as evaluate gives them)."""
    from app.core.train.api import evaluate_run, train_project

    with contextlib.redirect_stderr(io.StringIO()):
        run = train_project(project, out=out, overrides={"seed": seed})
    return float(evaluate_run(run)["r2"])


def ridge_r2(project: Path) -> float:
    """Ridge (alpha 1) on the same prepared training rows, R² on the same test rows."""
    import torch
    from sklearn.linear_model import Ridge
    from sklearn.metrics import r2_score

    from app.core.data import prepare
    from app.core.project import load_project

    loaded = load_project(project)
    prepared = prepare(loaded.data, loaded.folder)
    train, test = prepared.train, prepared.test
    x, y = train.batch(torch.arange(len(train)))
    xt, yt = test.batch(torch.arange(len(test)))
    model = Ridge(alpha=1.0).fit(x.numpy(), y.numpy().ravel())
    # R² does not change under the target's standard scaling, so the prepared units are fine.
    return float(r2_score(yt.numpy().ravel(), model.predict(xt.numpy())))


def compare(seeds: int = 5, training: dict | None = None, folder: Path | None = None) -> dict:
    """``{"network": [R² per seed], "ridge": [R² per seed], "ratio": mean network R² / mean Ridge R²}``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(folder or tmp)
        project = new_project(folder)
        network, ridge = [], []
        for seed in range(seeds):
            split = with_split_seed(project, seed, training)
            ridge.append(ridge_r2(split))
            network.append(network_r2(split, seed, folder / f"run-{seed}"))
    return {"network": network, "ridge": ridge, "ratio": statistics.mean(network) / statistics.mean(ridge)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--training", type=json.loads, default=None,
                        help="training settings to try instead of the template's, as JSON")
    args = parser.parse_args(argv)
    result = compare(args.seeds, args.training)
    print(f"{'seed':>4}  {'network R²':>10}  {'Ridge R²':>8}")
    for seed, (r2, linear) in enumerate(zip(result["network"], result["ridge"])):
        print(f"{seed:>4}  {r2:>10.4f}  {linear:>8.4f}")
    print(f"mean  {statistics.mean(result['network']):>10.4f}  {statistics.mean(result['ridge']):>8.4f}")
    print(f"mean ratio (network / Ridge): {result['ratio']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
