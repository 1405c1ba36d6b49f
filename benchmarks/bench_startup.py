"""Startup of the desktop app: time from spawning ``main.py`` to the first painted window.

Spawns ``python main.py --timing PROJECT`` (offscreen) N times; the app prints
``first-paint`` from its first paint event and exits. Prints the median time to first
paint and to process exit, next to a plain PySide6 window measured the same way (the floor
any Qt app pays), and whether torch stayed out of the GUI process.

    python -m benchmarks startup
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
EXAMPLE = ROOT / "resources" / "examples" / "iris" / "iris.mwproj"
FALLBACK = ROOT / "resources" / "examples" / "iris" / "iris.csv"
TARGET_S = 1.5

PLAIN_QT = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
w = QLabel("hello")
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            app.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (print("first-paint", flush=True), app.exit(0)))
        return False
f = F(); app.installEventFilter(f)
w.show()
app.exec()
"""


def _time(cmd: list[str]) -> tuple[float, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    painted = None
    for line in proc.stdout:
        if line.strip() == "first-paint":
            painted = time.perf_counter() - start
    proc.wait(timeout=60)
    ended = time.perf_counter() - start
    if painted is None:
        raise RuntimeError(f"{' '.join(cmd)} never painted (exit code {proc.returncode})")
    return painted, ended


def _median(cmd: list[str]) -> tuple[float, float]:
    _time(cmd)  # warm the file cache once; cold-disk numbers are not what users see twice
    runs = [_time(cmd) for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    project = EXAMPLE if EXAMPLE.exists() else FALLBACK
    paint, end = _median([sys.executable, "main.py", "--timing", str(project)])
    base_paint, base_end = _median([sys.executable, "-c", PLAIN_QT])
    probe = subprocess.run(
        [sys.executable, "-c",
         "import os,sys; os.environ['QT_QPA_PLATFORM']='offscreen'; from PySide6.QtWidgets import QApplication; "
         "a=QApplication([]); from app.ui.main_window import MainWindow; from pathlib import Path; "
         f"w=MainWindow(probe_device=False); w.open_path(Path({str(project)!r})); w.show(); a.processEvents(); "
         "print('torch' in sys.modules)"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    print(f"project: {project.relative_to(ROOT)}  ({RUNS} runs each, medians)")
    print(f"Modelwright  first paint {paint:6.3f} s   exit {end:6.3f} s")
    print(f"plain Qt     first paint {base_paint:6.3f} s   exit {base_end:6.3f} s")
    print(f"ratio (first paint, Modelwright / plain Qt): {paint / base_paint:.2f}x")
    print(f"target ≤ {TARGET_S} s to first paint: {'met' if paint <= TARGET_S else 'NOT met'}")
    print(f"torch imported at startup: {probe.stdout.strip().splitlines()[-1] if probe.stdout.strip() else 'unknown'}")


if __name__ == "__main__":
    main()
