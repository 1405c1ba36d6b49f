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
- ``max_gui_work_per_tick_ms``: the GUI thread's own CPU time between two ticks of that
  timer while training (plots, progress, history): the part of a stall the app causes, as
  opposed to waiting for a CPU on a busy machine (compare the idle baseline).
- ``rss_growth_per_run_kib``: the slope of a line through the per-run memory samples.
- ``live_objects``: Python objects, Qt objects under the view and widgets every 10 runs —
  where a leak shows first.
- ``runs``: training runs completed; ``updates``: live updates the view received.

Everything runs inside Qt's event loop, as in the app (a hand-written processEvents loop
never runs deferred deletes, which looks like a leak the app does not have).

    python -m benchmarks.soak_gui [--minutes 30] [--runs N]
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


def quiet_offscreen_notes(_mode, _context, message: str) -> None:
    """The offscreen platform notes every window size-hint change; anything else is printed."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def live_counts(view) -> dict:
    """Objects a leak would pile up: Python objects, Qt objects under the view, top-level widgets."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    return {"python_objects": len(gc.get_objects()), "qt_objects_in_view": len(view.findChildren(QObject)),
            "widgets": len(QApplication.allWidgets())}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else float("nan")


class Soak:
    """Drives back-to-back runs from inside Qt's event loop (as the app runs: deferred deletes,
    posted events and timers behave as they do for a user) and records what the timer saw."""

    def __init__(self, view, minutes: float, max_runs: int | None) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        self.view = view
        self.minutes = minutes
        self.max_runs = max_runs
        self.loop = QEventLoop()
        self.stalls: list[float] = []  # lateness of the 10 ms timer while a run trains
        self.edge_stalls: list[float] = []  # while a run starts or ends
        self.gui_work: list[float] = []  # GUI-thread CPU between two ticks while a run trains
        self.samples: list[tuple[float, int]] = []
        self.counts: list[dict] = []
        self.baseline: int | None = None
        self.runs = 0
        self.updates = 0
        self.measuring = False
        self.error: str | None = None
        self.idle: list[float] | None = None
        self.timer = QTimer()
        self.timer.setInterval(TIMER_MS)
        self.timer.timeout.connect(self._tick)
        self._last = (time.perf_counter(), time.thread_time())
        view.supervisor.updated.connect(self._count_update)
        view.run_finished.connect(self._on_run_finished)

    def _count_update(self, _update) -> None:
        self.updates += 1

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        late = max(0.0, (now - self._last[0]) * 1000 - TIMER_MS)
        if self.measuring:
            if self.idle is not None:
                self.idle.append(late)
            elif self.view.supervisor.status == "running":
                self.stalls.append(late)
                self.gui_work.append((cpu - self._last[1]) * 1000)
            else:
                self.edge_stalls.append(late)
        self._last = (now, cpu)

    def idle_baseline(self, seconds: float) -> list[float]:
        """The same timer with the window idle: what this machine's load alone does to it."""
        from PySide6.QtCore import QTimer

        self.idle = []
        self.measuring = True
        self.timer.start()
        self._last = (time.perf_counter(), time.thread_time())
        QTimer.singleShot(int(seconds * 1000), self.loop.quit)
        self.loop.exec()
        self.measuring = False
        idle, self.idle = self.idle, None
        return idle

    def run(self) -> None:
        from PySide6.QtCore import QTimer

        self.started = time.monotonic()
        self.deadline = self.started + self.minutes * 60
        QTimer.singleShot(0, self._start_run)
        self.loop.exec()
        self.timer.stop()

    def _start_run(self) -> None:
        from PySide6.QtCore import QTimer

        if not self.view.start():
            self.error = "the Train view refused to start a run"
            self.loop.quit()
            return
        self._last = (time.perf_counter(), time.thread_time())
        left_ms = int((self.deadline - time.monotonic()) * 1000)
        QTimer.singleShot(max(0, left_ms), self._stop_at_deadline)

    def _stop_at_deadline(self) -> None:
        if time.monotonic() >= self.deadline - 0.05 and self.view.supervisor.running:
            self.view.stop()

    def _on_run_finished(self, result: dict) -> None:
        from PySide6.QtCore import QTimer

        if result["status"] not in ("completed", "stopped"):
            self.error = f"run failed: {result.get('error')}"
            self.loop.quit()
            return
        self.runs += 1
        QTimer.singleShot(200, self._after_run)  # let the end-of-run redraws and deletes settle

    def _after_run(self) -> None:
        gc.collect()
        rss = rss_bytes()
        if self.baseline is None:
            # After one full run everything a session loads is loaded; what the first run's
            # imports and font loading cost is start-up, not soak.
            self.baseline = rss
            self.stalls.clear()
            self.gui_work.clear()
            self.edge_stalls.clear()
            self.measuring = True
        self.samples.append((round(time.monotonic() - self.started, 1), rss))
        if len(self.counts) == 0 or self.runs % 10 == 0:
            self.counts.append({"run": self.runs, **live_counts(self.view)})
        done = time.monotonic() >= self.deadline or (self.max_runs is not None and self.runs >= self.max_runs)
        if done:
            self.counts.append({"run": self.runs, **live_counts(self.view)})
            self.loop.quit()
        else:
            self._start_run()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="how long to train (default 30)")
    parser.add_argument("--runs", type=int, default=None, help="stop after this many runs (a quick check)")
    args = parser.parse_args(argv if argv is not None else [])

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from app.core.project import load_project
    from app.ui.document import ProjectDocument
    from app.ui.training.train_view import TrainView

    app = QApplication.instance() or QApplication([])
    qInstallMessageHandler(quiet_offscreen_notes)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = soak_project(folder)
        document = ProjectDocument()
        document.set_project(load_project(project))
        view = TrainView(document)
        view.resize(1280, 800)
        view.show()
        soak = Soak(view, args.minutes, args.runs)
        idle = soak.idle_baseline(IDLE_SECONDS)
        soak.run()
        view.shutdown()
        if soak.error:
            raise SystemExit(soak.error)
        samples = soak.samples
        end_rss = samples[-1][1]
        # Growth per run from a straight line through the samples after the first: the end
        # figure alone moves with whatever the allocator happens to hold at that moment.
        xs = list(range(len(samples)))
        slope = 0.0
        if len(samples) > 2:
            mean_x, mean_y = sum(xs) / len(xs), sum(r for _, r in samples) / len(samples)
            slope = (sum((x - mean_x) * (r - mean_y) for x, (_, r) in zip(xs, samples))
                     / sum((x - mean_x) ** 2 for x in xs))
        report = {
            "minutes": round((time.monotonic() - soak.started) / 60, 2),
            "runs": soak.runs,
            "updates": soak.updates,
            "rss_after_first_run_mib": round(soak.baseline / 2**20, 1),
            "rss_end_mib": round(end_rss / 2**20, 1),
            "rss_peak_mib": round(max(r for _, r in samples) / 2**20, 1),
            "rss_growth": round(end_rss / soak.baseline - 1, 4),
            "rss_growth_per_run_kib": round(slope / 1024, 1),
            "timer_ticks": len(soak.stalls),
            "max_stall_ms": round(max(soak.stalls) if soak.stalls else float("nan"), 1),
            "p99_stall_ms": round(percentile(soak.stalls, 0.99), 2),
            "max_gui_work_per_tick_ms": round(max(soak.gui_work) if soak.gui_work else float("nan"), 1),
            "p99_gui_work_per_tick_ms": round(percentile(soak.gui_work, 0.99), 2),
            "idle_baseline_max_stall_ms": round(max(idle), 1),
            "idle_baseline_p99_stall_ms": round(percentile(idle, 0.99), 2),
            "max_stall_starting_or_ending_a_run_ms": round(max(soak.edge_stalls) if soak.edge_stalls
                                                           else float("nan"), 1),
            "live_objects": soak.counts,
            "rss_samples_mib": [(t, round(r / 2**20, 1)) for t, r in samples[:: max(1, len(samples) // 12)]],
        }
        report["goal_met"] = bool(report["rss_growth"] < 0.10 and report["max_stall_ms"] < 100)
        view.close()
    print("{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in report.items()) + "\n}")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
