"""Soak test of the GUI while it trains: N minutes of back-to-back runs in the Train view (the
child-process supervisor, live plots, progress, run history), measuring what a long session
would reveal — memory that only grows, and moments the window freezes.

Figures (printed as JSON):

- ``rss_growth``: the GUI process's resident memory at the end over its size after the first
  run (warm-up: imports, fonts, plot buffers), as a fraction; goal < 0.10.
- ``max_stall_ms``: the longest gap between ticks of a 10 ms timer on the GUI thread beyond
  its interval while a run trains; goal < 100 ms. ``p99_stall_ms`` for context, and the
  longest stall while a run starts or ends (saving, starting the child process, refreshing
  the run history) reported apart.
- ``max_gui_work_per_pass_ms``: the GUI thread's own CPU time in one event-loop pass while
  training (plots, progress, history): the part of a stall the app causes, as opposed to
  waiting for a CPU on a busy machine (compare the idle baseline).
- ``runs``: training runs completed; ``updates``: live updates the view received.

    python -m benchmarks.soak_gui [--minutes 30]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIMER_MS = 10
IDLE_SECONDS = 15


def soak_project(folder: Path) -> Path:
    """The Keras example (2-3-1 network, batch 10): thousands of tiny steps, the most updates per second."""
    from app.core.data import prepare, synthetic_config
    from app.core.graph.templates import build_template_graph, template_training_defaults
    from app.core.project import Project, save_project

    config = synthetic_config("keras-seed")
    info = prepare(config, folder).info
    training = template_training_defaults("keras-seed", info)
    training.update(threads=1, epochs=150)
    return save_project(Project(name="soak", graph=build_template_graph("keras-seed", info), data=config.to_dict(),
                                training=training), folder / "soak.mwproj")


def rss_bytes() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="how long to train (default 30)")
    args = parser.parse_args(argv if argv is not None else [])

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.project import load_project
    from app.ui.document import ProjectDocument
    from app.ui.training.train_view import TrainView

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = soak_project(folder)
        document = ProjectDocument()
        document.set_project(load_project(project))
        view = TrainView(document)
        view.resize(1280, 800)
        view.show()
        stalls: list[float] = []  # while a run trains
        edge_stalls: list[float] = []  # while a run starts or ends (spawning the child, history refresh)
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            late = max(0.0, (now - last[0]) * 1000 - TIMER_MS)
            (stalls if view.supervisor.status == "running" else edge_stalls).append(late)
            last[0] = now

        timer = QTimer()
        timer.setInterval(TIMER_MS)
        timer.timeout.connect(tick)
        updates = [0]
        view.supervisor.updated.connect(lambda _u: updates.__setitem__(0, updates[0] + 1))
        finished: list[dict] = []
        view.run_finished.connect(finished.append)

        # Baseline in the same run: the same timer with the window idle, so the figures below
        # can be read against what this machine's load alone does to a timer.
        idle: list[float] = []
        idle_end = time.monotonic() + IDLE_SECONDS
        previous = time.perf_counter()
        while time.monotonic() < idle_end:
            app.processEvents()
            time.sleep(TIMER_MS / 1000)
            now = time.perf_counter()
            idle.append(max(0.0, (now - previous) * 1000 - TIMER_MS))
            previous = now

        deadline = time.monotonic() + args.minutes * 60
        baseline = None
        samples: list[tuple[float, int]] = []
        runs = 0
        gui_work: list[float] = []  # GUI-thread CPU time of each event-loop pass while training
        started = time.monotonic()
        while time.monotonic() < deadline:
            count = len(finished)
            assert view.start(), "the Train view refused to start a run"
            if runs == 0:
                timer.start()
                last[0] = time.perf_counter()
            while len(finished) == count:
                cpu = time.thread_time()
                app.processEvents()
                if view.supervisor.status == "running":
                    gui_work.append((time.thread_time() - cpu) * 1000)
                time.sleep(0.001)
                if time.monotonic() >= deadline and view.supervisor.running:
                    view.stop()
            result = finished[-1]
            if result["status"] not in ("completed", "stopped"):
                raise SystemExit(f"run failed: {result.get('error')}")
            runs += 1
            for _ in range(20):  # let the end-of-run redraws and history refresh settle
                app.processEvents()
                time.sleep(0.005)
            gc.collect()
            now_rss = rss_bytes()
            if baseline is None:
                baseline = now_rss  # after one full run: everything a session loads is loaded
                stalls.clear()  # the first run's imports and font loading are start-up, not soak
                gui_work.clear()
                edge_stalls.clear()
            samples.append((round(time.monotonic() - started, 1), now_rss))
            last[0] = time.perf_counter()  # the benchmark's own bookkeeping is not the GUI's
        timer.stop()
        view.shutdown() if hasattr(view, "shutdown") else None
        end_rss = samples[-1][1]
        stalls_sorted = sorted(stalls)
        p99 = stalls_sorted[int(0.99 * (len(stalls_sorted) - 1))] if stalls_sorted else float("nan")
        report = {
            "minutes": round((time.monotonic() - started) / 60, 2),
            "runs": runs,
            "updates": updates[0],
            "rss_after_first_run_mib": round(baseline / 2**20, 1),
            "rss_end_mib": round(end_rss / 2**20, 1),
            "rss_peak_mib": round(max(r for _, r in samples) / 2**20, 1),
            "rss_growth": round(end_rss / baseline - 1, 4),
            "timer_ticks": len(stalls),
            "max_stall_ms": round(max(stalls) if stalls else float("nan"), 1),
            "p99_stall_ms": round(p99, 2),
            "max_gui_work_per_pass_ms": round(max(gui_work), 1),
            "p99_gui_work_per_pass_ms": round(sorted(gui_work)[int(0.99 * (len(gui_work) - 1))], 2),
            "idle_baseline_max_stall_ms": round(max(idle), 1),
            "idle_baseline_p99_stall_ms": round(sorted(idle)[int(0.99 * (len(idle) - 1))], 2),
            "max_stall_starting_or_ending_a_run_ms": round(max(edge_stalls) if edge_stalls else float("nan"), 1),
            "rss_samples_mib": [(t, round(r / 2**20, 1)) for t, r in samples[:: max(1, len(samples) // 12)]],
        }
        report["goal_met"] = bool(report["rss_growth"] < 0.10 and report["max_stall_ms"] < 100)
        view.close()
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
