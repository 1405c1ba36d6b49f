"""GUI responsiveness while training: a 5 ms QTimer on the GUI thread while the Train view
supervises a run at full speed in its child process (live plots, progress, history).

Two workloads: the ``keras-seed`` template (2-3-1 MLP, batch 10: thousands of tiny steps,
the worst case for per-step reporting) and a 784-512-256-10 MLP on 12,000 random samples
(batch 128). For each, the same project is also trained headless in a plain process
(``train_project``, as ``main.py train`` does) in the same run; throughput is samples per
second of training time (summary.json ``elapsed_seconds``). The GUI runs its own event
loop (``QEventLoop``, as ``app.exec()`` does in the app) until the run ends. Prints JSON:

    {"keras-seed": {"timer_p99_late_ms": .., "throughput_ratio": .., "gui_cpu_share": .., ...},
     "mlp-784": {...}, "load": {"before": .., "after": ..}}

``gui_cpu_share`` is the GUI process's CPU time over the wall time while the run trains:
on a machine with spare cores the child trains at full speed whatever it is, on a busy
one the training child loses about that share of a core. Headless and GUI runs alternate,
so both arms see the same load.

Goals: p99 timer lateness ≤ 30 ms and throughput ≥ 0.95x headless for both.

    python -m benchmarks.gui_latency [--repeats 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIMER_MS = 5
HEADLESS = """
import json, sys, torch
torch.set_num_threads(1)
sys.path.insert(0, {root!r})
from app.core.train.api import train_project
run = train_project({project!r}, out={out!r}, overrides={{"epochs": {epochs}}})
print(json.dumps(json.load(open(run / "summary.json"))))
"""


def keras_seed_project(folder: Path) -> tuple[Path, int]:
    from app.core.data import prepare, synthetic_config
    from app.core.graph.templates import build_template_graph, template_training_defaults
    from app.core.project import Project, save_project

    config = synthetic_config("keras-seed")
    prepared = prepare(config, folder)
    training = template_training_defaults("keras-seed", prepared.info)
    training["threads"] = 1
    path = save_project(Project(name="keras-seed", graph=build_template_graph("keras-seed", prepared.info),
                                data=config.to_dict(), training=training), folder / "keras-seed.mwproj")
    return path, len(prepared.train)


def mlp_project(folder: Path, n: int = 12_000) -> tuple[Path, int]:
    import numpy as np
    import pandas as pd

    from app.core.data import inspect_source, prepare
    from app.core.graph.templates import build_template_graph
    from app.core.project import Project, save_project

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.random((n, 784), dtype=np.float32), columns=[f"p{i}" for i in range(784)])
    frame["digit"] = rng.integers(0, 10, n).astype(str)
    frame.to_parquet(folder / "digits.parquet")
    config = inspect_source(folder / "digits.parquet", target="digit").to_dict()
    config["preparation"]["scaling"] = "none"
    prepared = prepare(config, folder)
    graph = build_template_graph("mlp", prepared.info, hidden=[512, 256], dropout=0.0)
    training = {"epochs": 3, "batch_size": 128, "optimizer": {"name": "adam", "lr": 1e-3}, "threads": 1,
                "loss": {"name": "cross_entropy"}, "metrics": ["accuracy"]}
    path = save_project(Project(name="mlp-784", graph=graph, data=config, training=training), folder / "mlp.mwproj")
    return path, len(prepared.train)


def headless(project: Path, out: Path, epochs: int) -> dict:
    code = HEADLESS.format(root=str(ROOT), project=str(project), out=str(out), epochs=epochs)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def with_gui(app, project: Path, epochs: int) -> tuple[dict, list[float], float]:
    """Train through the Train view while a 5 ms timer measures how late the GUI thread is.
    Returns the run's summary, the timer's lateness (ms) and the GUI's CPU share."""
    from PySide6.QtCore import QEventLoop, QTimer

    from app.core.project import load_project, save_project
    from app.ui.document import ProjectDocument
    from app.ui.training.train_view import TrainView

    loaded = load_project(project)
    loaded.training["epochs"] = epochs
    save_project(loaded)
    document = ProjectDocument()
    document.set_project(load_project(project))
    view = TrainView(document)
    view.resize(1280, 800)
    view.show()
    lateness: list[float] = []
    last = [time.perf_counter()]
    finished: list[dict] = []
    window: dict[str, tuple[float, float]] = {}  # wall and CPU clocks when training starts/ends

    def tick() -> None:
        now = time.perf_counter()
        if view.supervisor.status == "running":
            window.setdefault("start", (now, time.process_time()))
            lateness.append(max(0.0, (now - last[0]) * 1000 - TIMER_MS))
        last[0] = now

    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(TIMER_MS)
    timer.timeout.connect(tick)
    timer.start()
    view.supervisor.finished.connect(lambda _result: window.setdefault("end", (time.perf_counter(), time.process_time())))
    view.run_finished.connect(finished.append)
    view.run_finished.connect(lambda _result: loop.quit())
    view.start()
    if not finished:
        loop.exec()
    timer.stop()
    result = finished[0]
    summary = json.loads((Path(result["run_dir"]) / "summary.json").read_text())
    view.close()
    view.deleteLater()
    if "start" not in window or "end" not in window:
        return summary, lateness, float("nan")
    (wall0, cpu0), (wall1, cpu1) = window["start"], window["end"]
    return summary, lateness, (cpu1 - cpu0) / max(wall1 - wall0, 1e-9)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="shorter runs (for a smoke test)")
    args = parser.parse_args(argv if argv is not None else [])
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    report: dict = {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "seed").mkdir()
        (tmp / "mlp").mkdir()
        workloads = [("keras-seed", *keras_seed_project(tmp / "seed"), 30 if args.quick else 100),
                     ("mlp-784", *mlp_project(tmp / "mlp"), 1 if args.quick else 3)]
        for name, project, n_train, epochs in workloads:
            plain, gui, late, shares = [], [], [], []
            for r in range(args.repeats):
                plain.append(headless(project, tmp / f"{name}-plain-{r}", epochs))
                summary, lateness, share = with_gui(app, project, epochs)
                gui.append(summary)
                late.extend(lateness)
                shares.append(share)
            plain_rate = statistics.median(n_train * epochs / s["elapsed_seconds"] for s in plain)
            gui_rate = statistics.median(n_train * epochs / s["elapsed_seconds"] for s in gui)
            report[name] = {
                "epochs": epochs, "train_samples": n_train,
                "headless_samples_per_s": round(plain_rate, 1), "gui_samples_per_s": round(gui_rate, 1),
                "throughput_ratio": round(gui_rate / plain_rate, 3),
                "timer_ticks": len(late), "timer_p50_late_ms": round(percentile(late, 50), 2),
                "timer_p99_late_ms": round(percentile(late, 99), 2),
                "timer_max_late_ms": round(max(late) if late else float("nan"), 2),
                "gui_cpu_share": round(statistics.median(shares), 3),
                "goal_met": bool(percentile(late, 99) <= 30 and gui_rate / plain_rate >= 0.95),
            }
    report["load"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2),
                      "cores": os.cpu_count()}
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
