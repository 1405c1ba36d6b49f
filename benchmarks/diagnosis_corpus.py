"""Rebuild the labelled learning-curve corpus in ``tests/data/diagnosis/``.

Real trainings (the bundled iris and shapes examples, scikit-learn's bundled tables and a
few made tables) run with deliberate settings: a learning rate far too high or far too low,
long training of a wide network without regularisation on little data, a tiny network,
heavy class imbalance, and healthy settings. Their ``metrics.csv`` columns the diagnosis
reads are kept in ``curves/<name>.csv``; ``labels.json`` holds what a practitioner says
about each curve (``expected`` findings, ``allowed`` ones that are defensible too, and the
epoch where overfitting began) with the settings the diagnosis needs. A few synthetic
curves with realistic noise cover shapes the trainings do not produce reliably.

    OMP_NUM_THREADS=1 python -m benchmarks.diagnosis_corpus            all (about 10 minutes on 2 cores)
    OMP_NUM_THREADS=1 python -m benchmarks.diagnosis_corpus iris_400   only the curves named
    python -m benchmarks.diagnosis_corpus --relabel                    labels only, curves kept

The labels are written by hand below (``label=``), after looking at each curve; a rebuild on
another machine gives slightly different numbers but the same shapes (seeds are fixed).
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "diagnosis"
KEEP = ("epoch", "train_loss", "val_loss", "val_accuracy", "val_f1", "val_f1_macro")

# --------------------------------------------------------------------------- the tables
def _write_tables(folder: Path) -> dict[str, tuple[Path, str]]:
    """Every table a spec may name: ``name -> (csv path, target column)``."""
    import numpy as np
    import pandas as pd
    from sklearn import datasets

    tables: dict[str, tuple[Path, str]] = {"iris": (ROOT / "resources/examples/iris/iris.csv", "species")}

    def save(name: str, x, y, classes: bool) -> None:
        frame = pd.DataFrame(np.asarray(x, dtype="float64"), columns=[f"f{i}" for i in range(np.shape(x)[1])])
        frame["target"] = [f"c{int(v)}" for v in y] if classes else np.asarray(y, dtype="float64")
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        tables[name] = (path, "target")

    for name in ("wine", "breast_cancer", "digits"):
        bunch = getattr(datasets, f"load_{name}")()
        save(name, bunch.data, bunch.target, True)
    bunch = datasets.load_diabetes()
    save("diabetes", bunch.data, bunch.target, False)
    rng = np.random.default_rng(7)
    # three well separated clusters: a network reaches accuracy 1.0 within a few epochs
    y = rng.integers(0, 3, 300)
    save("blobs3", rng.normal(0, 0.6, (300, 4)) + np.eye(3, 4)[y] * 6, y, True)
    # two overlapping clusters, 6 % of them the rare class
    y = (rng.random(600) < 0.06).astype(int)
    save("rare_blobs", rng.normal(0, 1, (600, 4)) + y[:, None] * 0.8, y, True)
    # breast cancer with only 15 malignant examples among 357 benign ones
    bunch = datasets.load_breast_cancer()
    keep = np.concatenate([np.where(bunch.target == 1)[0], np.where(bunch.target == 0)[0][:15]])
    save("rare_cancer", bunch.data[keep], bunch.target[keep], True)
    # labels unrelated to the features: nothing to learn, everything to memorise
    y = rng.integers(0, 2, 120)
    save("noise_labels", rng.normal(0, 1, (120, 10)), y, True)
    return tables


# --------------------------------------------------------------------------- the runs
def spec(name, data, *, epochs, lr=1e-3, batch=32, hidden=None, dropout=None, decay=None, residual=False,
         seed=0, label, template="mlp"):
    return {"name": name, "data": data, "epochs": epochs, "lr": lr, "batch": batch, "hidden": hidden,
            "dropout": dropout, "decay": decay, "residual": residual, "seed": seed, "label": label,
            "template": template}


def L(*expected, allowed=(), onset=None, note=""):
    """A label: findings a practitioner names, others that are defensible, overfitting's onset."""
    return {"expected": list(expected), "allowed": list(allowed), "onset": onset, "note": note}


HEALTHY = L()
SPECS = [
    # the four overfitting runs the old rules missed, and the two perfect runs they called underfitting
    spec("residual_3000", "breast_cancer", epochs=3000, batch=64, hidden=64, dropout=0.0, residual=True,
         label=L("overfitting", onset=[5, 120], note="3,000 epochs of a residual MLP")),
    spec("iris_lr0.01_60", "iris", epochs=60, lr=0.01, label=L("overfitting", onset=[8, 25])),
    spec("iris_400", "iris", epochs=400, label=L("overfitting", onset=[40, 160], note="the bundled iris project")),
    spec("breast_cancer_200", "breast_cancer", epochs=200, label=L("overfitting", onset=[8, 40])),
    spec("diabetes_200", "diabetes", epochs=200, label=L("overfitting", onset=[5, 60])),
    spec("blobs3_perfect_30", "blobs3", epochs=30, lr=0.01, label=HEALTHY),
    spec("shapes_cnn_20", "shapes", epochs=20, template="shapes", label=HEALTHY),
]
for seed in (0, 1):
    SPECS += [
        spec(f"iris_healthy_s{seed}", "iris", epochs=50, seed=seed, label=HEALTHY),
        spec(f"wine_healthy_s{seed}", "wine", epochs=40, lr=3e-3, seed=seed, label=HEALTHY),
        spec(f"cancer_healthy_s{seed}", "breast_cancer", epochs=15, seed=seed, label=HEALTHY),
        spec(f"digits_healthy_s{seed}", "digits", epochs=15, seed=seed, label=HEALTHY),
        spec(f"diabetes_healthy_s{seed}", "diabetes", epochs=10, seed=seed, label=HEALTHY),
        spec(f"blobs3_healthy_s{seed}", "blobs3", epochs=20, seed=seed, label=HEALTHY),
        # learning rate far too high
        spec(f"iris_lr10_s{seed}", "iris", epochs=20, lr=10.0, seed=seed, label=L("divergence")),
        spec(f"digits_lr5_s{seed}", "digits", epochs=10, lr=5.0, seed=seed, label=L("divergence")),
        spec(f"cancer_lr10_s{seed}", "breast_cancer", epochs=15, lr=10.0, seed=seed, label=L("divergence")),
        spec(f"diabetes_lr3_s{seed}", "diabetes", epochs=20, lr=3.0, seed=seed, label=L("divergence")),
        # learning rate far too low
        spec(f"iris_lr1e-6_s{seed}", "iris", epochs=30, lr=1e-6, seed=seed,
             label=L("lr_too_low", allowed=["underfitting"])),
        spec(f"digits_lr1e-6_s{seed}", "digits", epochs=10, lr=1e-6, seed=seed,
             label=L("lr_too_low", allowed=["underfitting"])),
        spec(f"wine_lr1e-5_s{seed}", "wine", epochs=30, lr=1e-5, seed=seed,
             label=L("lr_too_low", allowed=["underfitting"])),
        # long training of a wide network without regularisation on little data
        spec(f"wine_wide_300_s{seed}", "wine", epochs=300, hidden=256, dropout=0.0, lr=3e-3, seed=seed,
             label=L(note="wine is easy: even unregularised, the validation loss ends near 0")),
        spec(f"noise_wide_150_s{seed}", "noise_labels", epochs=150, hidden=256, dropout=0.0, lr=3e-3, seed=seed,
             label=L("overfitting")),
        spec(f"cancer_wide_300_s{seed}", "breast_cancer", epochs=300, hidden=256, dropout=0.0, lr=3e-3, seed=seed,
             label=L("overfitting")),
        # a tiny network
        spec(f"digits_tiny_s{seed}", "digits", epochs=20, hidden=1, lr=3e-3, seed=seed, label=L("underfitting")),
        spec(f"wine_tiny_s{seed}", "wine", epochs=40, hidden=1, seed=seed, label=L("underfitting")),
        # heavy class imbalance
        spec(f"rare_blobs_s{seed}", "rare_blobs", epochs=8, lr=3e-3, seed=seed, label=L("class_imbalance")),
        spec(f"rare_cancer_s{seed}", "rare_cancer", epochs=10, seed=seed,
             label=L("class_imbalance", note="always answers 'benign'")),
    ]
SPECS += [
    spec("digits_wide_120", "digits", epochs=120, hidden=256, dropout=0.0, lr=3e-3, label=L("overfitting")),
    spec("iris_tiny", "iris", epochs=60, hidden=1, lr=3e-3, label=L("underfitting")),
    spec("cancer_tiny", "breast_cancer", epochs=30, hidden=1, label=L("underfitting")),
    spec("diabetes_lr1e-6", "diabetes", epochs=20, lr=1e-6, label=L("lr_too_low", allowed=["underfitting"])),
    spec("iris_regularised_200", "iris", epochs=200, lr=3e-3, dropout=0.3, decay=1e-3, label=HEALTHY),
    spec("wine_regularised_150", "wine", epochs=150, dropout=0.3, decay=1e-3, label=HEALTHY),
    spec("digits_healthy_30", "digits", epochs=30, dropout=0.3, label=HEALTHY),
    spec("iris_400_s1", "iris", epochs=400, seed=1, label=L("overfitting")),
    spec("breast_cancer_100_s1", "breast_cancer", epochs=100, seed=1,
         label=L("overfitting", note="mild and noisy: the validation loss doubles after epoch 50, then falls back")),
    spec("noise_wide_150_s2", "noise_labels", epochs=150, hidden=256, dropout=0.0, lr=3e-3, seed=2,
         label=L("overfitting")),
    spec("wine_lr10", "wine", epochs=20, lr=10.0, label=L("divergence")),
    spec("blobs3_lr10", "blobs3", epochs=20, lr=10.0, label=L("divergence")),
    spec("digits_tiny2", "digits", epochs=20, hidden=2, lr=3e-3, label=L("underfitting")),
    spec("wine_tiny_s2", "wine", epochs=40, hidden=1, seed=2, label=L("underfitting")),
    spec("digits_short_lr1e-4", "digits", epochs=4, lr=1e-4, label=L("lr_too_low", allowed=["underfitting"])),
    spec("cancer_healthy_s2", "breast_cancer", epochs=15, seed=2, label=HEALTHY),
    spec("wine_healthy_s2", "wine", epochs=40, lr=3e-3, seed=2, label=HEALTHY),
    spec("digits_healthy_s2", "digits", epochs=15, seed=2, label=HEALTHY),
    spec("diabetes_lr1e-6_s1", "diabetes", epochs=20, lr=1e-6, seed=1, label=L("lr_too_low", allowed=["underfitting"])),
]

#: Labelled before they were trained, after the rules were written: a check that the rules
#: were not merely fitted to the curves above.
HELD_OUT = [
    spec("iris_300_s2", "iris", epochs=300, seed=2, label=L("overfitting")),
    spec("breast_cancer_200_s2", "breast_cancer", epochs=200, seed=2, label=L("overfitting")),
    spec("diabetes_150_s1", "diabetes", epochs=150, seed=1, label=L("overfitting")),
    spec("digits_lr3_s2", "digits", epochs=10, lr=3.0, seed=2, label=L("divergence")),
    spec("wine_lr5_s1", "wine", epochs=20, lr=5.0, seed=1, label=L("divergence")),
    spec("digits_tiny_s2", "digits", epochs=20, hidden=1, lr=3e-3, seed=2, label=L("underfitting")),
    spec("iris_tiny_s1", "iris", epochs=60, hidden=1, lr=3e-3, seed=1, label=L("underfitting")),
    spec("blobs3_perfect_s1", "blobs3", epochs=30, lr=0.01, seed=1, label=HEALTHY),
    spec("digits_healthy_s3", "digits", epochs=15, seed=3, label=HEALTHY),
    spec("cancer_healthy_s3", "breast_cancer", epochs=15, seed=3, label=HEALTHY),
    spec("wine_healthy_s3", "wine", epochs=40, lr=3e-3, seed=3, label=HEALTHY),
    spec("iris_lr1e-6_s2", "iris", epochs=30, lr=1e-6, seed=2, label=L("lr_too_low", allowed=["underfitting"])),
    spec("rare_blobs_s2", "rare_blobs", epochs=8, lr=3e-3, seed=2, label=L("class_imbalance")),
    # batches of 4 at a high rate: steps that follow a few examples
    spec("iris_b4_lr0.03", "iris", epochs=40, batch=4, lr=0.03,
         label=L("noisy", allowed=["overfitting", "plateau", "divergence"])),
    spec("wine_b4_lr0.03", "wine", epochs=30, batch=4, lr=0.03,
         label=L("noisy", allowed=["overfitting", "plateau", "divergence"])),
    spec("cancer_b4_lr0.03", "breast_cancer", epochs=20, batch=4, lr=0.03,
         label=L("noisy", allowed=["overfitting", "plateau", "divergence"])),
]
for _spec in HELD_OUT:
    _spec["label"] = {**_spec["label"], "held_out": True}
SPECS += HELD_OUT

#: Where a practitioner puts the start of overfitting: the epochs around the lowest validation
#: loss before it climbs (read off each curve; ranges, because noise blurs the turn).
ONSETS = {
    "residual_3000": [15, 125], "iris_400": [50, 90], "breast_cancer_200": [10, 30], "diabetes_200": [5, 20],
    "iris_lr0.01_60": [8, 25], "breast_cancer_100_s1": [25, 75], "cancer_wide_300_s0": [2, 12],
    "cancer_wide_300_s1": [5, 20], "digits_wide_120": [3, 12], "iris_400_s1": [50, 110],
    "noise_wide_150_s0": [1, 10], "noise_wide_150_s1": [1, 10], "noise_wide_150_s2": [1, 10],
    "iris_300_s2": [45, 95], "breast_cancer_200_s2": [10, 35], "diabetes_150_s1": [2, 15],
}
for _spec in SPECS:
    if _spec["name"] in ONSETS:
        _spec["label"] = {**_spec["label"], "onset": ONSETS[_spec["name"]]}


def _project(s: dict, tables: dict, folder: Path) -> Path:
    from app.core.new_project import create_project
    from app.core.project import load_project, save_project

    if s["template"] == "shapes":
        source = ROOT / "resources/examples/shapes/shapes.mwproj"
        project = load_project(source)  # saving it elsewhere rebases its image folder
    else:
        path, target = tables[s["data"]]
        project, _ = create_project("mlp", data=path, target=target, out=folder / f"{s['name']}.mwproj")
    graph = project.graph
    for node in list(graph.nodes):
        if node.type == "core.linear" and s["hidden"] is not None:
            graph.set_param(node.id, "out_features", s["hidden"])
        if node.type == "core.dropout" and s["dropout"] is not None:
            graph.set_param(node.id, "p", s["dropout"])
    if s["residual"]:
        head = next(n.id for n in graph.nodes if n.type.startswith("head."))
        last = graph.incoming(head)[0].source
        graph.disconnect(last, head)
        add = graph.add_node("merge.add", {}).id
        graph.connect("dropout_1", add)
        graph.connect(last, add)
        graph.connect(add, head)
    training = dict(project.training)
    training.update({"epochs": s["epochs"], "batch_size": s["batch"], "seed": s["seed"]})
    optimizer = dict(training.get("optimizer") or {})
    optimizer["lr"] = s["lr"]
    if s["decay"]:
        optimizer.update({"name": "adamw", "weight_decay": s["decay"]})
    training["optimizer"] = optimizer
    training.pop("early_stopping", None)
    project.training = training
    return save_project(project, folder / f"{s['name']}.mwproj")


def _class_counts(run: Path, task: str) -> list[int] | None:
    if task not in ("classification", "binary"):
        return None
    from app.core.experiments.run_diagnosis import class_counts
    from app.core.project import load_project
    from app.core.data import prepare

    project = load_project(run / "project.mwproj")
    prepared = prepare(project.data, project.folder)
    return class_counts(prepared.train, task)


def run_one(s: dict, tables: dict, folder: str) -> dict:
    """Train one spec and return its curve and description."""
    import torch

    torch.set_num_threads(1)
    from app.core.train.api import TrainingFailed, train_project

    folder = Path(folder)
    project = _project(s, tables, folder)
    try:
        run = train_project(project, out=folder / f"run-{s['name']}")
    except TrainingFailed as exc:
        run = Path(exc.run_dir)
    with open(run / "metrics.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    info = json.loads((run / "data_info.json").read_text(encoding="utf-8"))
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    training = json.loads((run / "project.mwproj").read_text(encoding="utf-8"))["training"]
    try:
        counts = _class_counts(run, info["task"])
    except Exception:  # the counts only feed the imbalance rule
        counts = None
    return {"name": s["name"], "rows": rows, "task": info["task"], "n_outputs": info["n_outputs"],
            "class_counts": counts, "error": summary.get("error"),
            "training": {k: training.get(k) for k in ("epochs", "batch_size", "optimizer", "loss")}}


def _short(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:.6g}" if math.isfinite(number) or math.isnan(number) else str(number)


def save_curve(result: dict, folder: Path) -> None:
    rows = result["rows"]
    columns = [c for c in KEEP if rows and c in rows[0]]
    with open(folder / f"{result['name']}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_short(row[c]) for c in columns])


# --------------------------------------------------------------------------- synthetic curves
def synthetic_curves() -> list[dict]:
    """Shapes with realistic noise: overfitting on a tiny validation set, a zig-zag, NaN, slow drift."""
    import numpy as np

    rng = np.random.default_rng(11)
    out = []

    def add(name, train, val, label, *, task="classification", n_outputs=3, batch=16, error=None, **extra):
        rows = [{"epoch": str(i + 1), "train_loss": f"{t:.6g}", "val_loss": f"{v:.6g}",
                 **{k: f"{vals[i]:.6g}" for k, vals in extra.items()}} for i, (t, v) in enumerate(zip(train, val))]
        out.append({"name": name, "rows": rows, "task": task, "n_outputs": n_outputs, "class_counts": None,
                    "error": error, "synthetic": True, "label": label,
                    "training": {"epochs": len(rows), "batch_size": batch,
                                 "optimizer": {"name": "adam", "lr": 1e-3}, "loss": None}})

    e = np.arange(1, 101)
    train = 1.1 * np.exp(-e / 12) + 0.002
    val = 0.35 + 0.8 * np.exp(-e / 10) + 0.004 * np.clip(e - 30, 0, None)
    add("syn_overfit_noisy", train, val * (1 + rng.normal(0, 0.12, e.size)), L("overfitting", onset=[20, 40]))
    val = 0.3 + 0.8 * np.exp(-e / 10) + 0.0003 * np.clip(e - 40, 0, None) ** 1.5
    add("syn_overfit_late", train, val * (1 + rng.normal(0, 0.05, e.size)), L("overfitting", onset=[35, 60]))
    val = 0.3 + 0.8 * np.exp(-e / 10)
    add("syn_healthy_noisy", train + 0.04, (val - 0.2) * (1 + rng.normal(0, 0.06, e.size)), HEALTHY)
    add("syn_zigzag", train + 0.3, val * (1 + 0.25 * (-1) ** e), L("noisy", allowed=["plateau"]), batch=8)
    e = np.arange(1, 31)
    train = 1.0 * np.exp(-e / 8) + 0.3
    add("syn_still_falling_fast", 1.1 - 0.03 * e, 1.12 - 0.03 * e, L("underfitting", allowed=["lr_too_low"]),
        task="regression", n_outputs=1)
    bad = list(1.0 * np.exp(-e[:6] / 4)) + [math.nan] * 0
    add("syn_nan", bad + [math.nan], bad + [math.nan], L("divergence"))
    rising = 0.8 * np.exp(-e / 5) + 0.2 + 0.08 * np.clip(e - 12, 0, None) ** 1.3
    add("syn_diverging", rising, rising * 1.05, L("divergence"))
    flat = 1.09 + rng.normal(0, 0.004, e.size)
    add("syn_stuck_at_chance", flat, flat + 0.01, L("underfitting"), val_accuracy=np.full(e.size, 0.34))
    perfect = 0.9 * np.exp(-e / 2.5) + 1e-4
    add("syn_perfect", perfect, perfect * 0.8, HEALTHY, val_accuracy=np.minimum(1.0, 0.6 + e / 10))
    return out


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    curves = OUT / "curves"
    curves.mkdir(parents=True, exist_ok=True)
    labels_path = OUT / "labels.json"
    if argv == ["--relabel"]:  # labels edited below, curves kept
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        by_name = {s["name"]: s["label"] for s in SPECS}
        by_name.update({c["name"]: c["label"] for c in synthetic_curves()})
        labels = {name: {**old, **by_name[name]} for name, old in labels.items() if name in by_name}
        _write_labels(labels_path, labels, merge=False)
        for stale in set(p.stem for p in curves.glob("*.csv")) - set(labels):
            (curves / f"{stale}.csv").unlink()
        return 0
    chosen = [s for s in SPECS if not argv or s["name"] in argv]
    labels: dict[str, dict] = {}  # the curves this rebuild makes, merged into the file as they come
    with tempfile.TemporaryDirectory() as tmp:
        tables = _write_tables(Path(tmp))
        with ProcessPoolExecutor(max_workers=2) as pool:
            jobs = [(s, pool.submit(run_one, s, tables, tmp)) for s in chosen]
            for s, job in jobs:
                try:
                    result = job.result()
                except Exception as exc:  # one broken spec should not lose the others
                    print(f"{s['name']} failed: {type(exc).__name__}: {exc}", flush=True)
                    continue
                save_curve(result, curves)
                labels[s["name"]] = {**s["label"], "source": s["data"], "task": result["task"],
                                     "n_outputs": result["n_outputs"], "class_counts": result["class_counts"],
                                     "error": result["error"], "training": result["training"]}
                print(f"{s['name']}: {len(result['rows'])} epochs", flush=True)
                _write_labels(labels_path, labels)
    for result in synthetic_curves():
        if argv and result["name"] not in argv:
            continue
        save_curve(result, curves)
        labels[result["name"]] = {**result["label"], "source": "synthetic", "task": result["task"],
                                  "n_outputs": result["n_outputs"], "class_counts": None, "error": result["error"],
                                  "training": result["training"]}
    _write_labels(labels_path, labels)
    return 0


def _write_labels(path: Path, labels: dict, *, merge: bool = True) -> None:
    """Merge ``labels`` into the file as it is now (another rebuild may be adding curves)."""
    if merge and path.exists():
        labels = {**json.loads(path.read_text(encoding="utf-8")), **labels}
    path.write_text(json.dumps(dict(sorted(labels.items())), indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
