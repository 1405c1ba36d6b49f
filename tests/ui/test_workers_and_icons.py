"""The worker adapter (results, errors, flag-based cancel, throttled progress) and the icons."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from app.core.errors import ModelwrightError
from shiboken6 import isValid

from app.ui.workers import MAX_SIGNALS_PER_SECOND, start_job


def test_a_job_returns_its_result_on_the_gui_thread(qtbot):
    seen = []
    job = start_job(lambda x, progress=None: (threading.current_thread().name, x * 2), 21)
    job.succeeded.connect(lambda result: seen.append((threading.current_thread().name, result)))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    (gui_thread, (worker_thread, value)), = seen
    assert value == 42 and worker_thread != gui_thread == threading.main_thread().name


def test_a_failing_job_reports_its_exception(qtbot):
    def fails(progress=None):
        raise ModelwrightError("bad file")

    job = start_job(fails)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        pass
    assert str(blocker.args[0]) == "bad file"


def test_cancel_stops_the_job_at_its_next_report_and_progress_is_throttled(qtbot):
    reports = []
    steps = []

    def slow(progress=None):
        for i in range(10_000):
            steps.append(i)
            progress(i / 10_000, f"step {i}")
            time.sleep(0.0005)
        return "done"

    job = start_job(slow)
    job.progressed.connect(lambda f, m: reports.append(f))
    finished = []
    job.succeeded.connect(finished.append)
    qtbot.waitUntil(lambda: len(reports) >= 2, timeout=5000)
    started = time.monotonic()
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.cancel()
    job.wait()
    elapsed = max(time.monotonic() - started, 1e-3)
    assert not finished and len(steps) < 10_000
    seconds = len(steps) * 0.0005 + elapsed
    assert len(reports) <= MAX_SIGNALS_PER_SECOND * seconds + 2  # never a signal per step


def test_a_job_whose_view_was_closed_is_forgotten_once_its_thread_ends(qtbot):
    """A view deleted mid-job never receives the job's end; the job must not stay listed as
    running for ever (the app waits for running jobs before it quits)."""
    from PySide6.QtWidgets import QWidget

    from app.ui.workers import running_jobs

    release = threading.Event()
    view = QWidget()
    job = start_job(lambda progress=None: release.wait(5), parent=view)
    thread = job._thread
    view.deleteLater()
    qtbot.waitUntil(lambda: not isValid(job), timeout=5000)
    assert job in running_jobs() and thread.isRunning()  # its thread still runs: kept, and kept alive
    release.set()
    qtbot.waitUntil(lambda: not running_jobs(), timeout=5000)
    assert thread.isFinished()


@pytest.mark.parametrize("dark", [False, True])
def test_every_icon_renders_sharp_in_the_palette_colour(qapp, dark):
    from app.ui.icons import icon, icon_names
    from app.ui.theme import apply_theme

    apply_theme(qapp, "dark" if dark else "light")
    try:
        names = icon_names()
        assert {"new", "open", "save", "undo", "redo", "data", "design", "train", "evaluate", "export"} <= set(names)
        for name in names:
            image = icon(name).pixmap(QSize(24, 24), 2.0).toImage()
            assert image.width() == 48, name  # drawn at device pixels, not scaled up
            inked = [image.pixelColor(x, y) for x in range(48) for y in range(48) if image.pixelColor(x, y).alpha() > 200]
            assert inked, f"icon {name} is empty"
            lightness = sum(c.lightness() for c in inked) / len(inked)
            assert (lightness > 150) if dark else (lightness < 100), name
        assert not icon("save").pixmap(QSize(16, 16), QIcon.Mode.Disabled).isNull()
    finally:
        apply_theme(qapp, "light")
