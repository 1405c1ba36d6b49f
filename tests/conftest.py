"""Test-wide settings: offscreen Qt, one torch thread (the suite shares two cores)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover - torch is a hard dependency; this only keeps collection readable
    pass


import gc  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def garbage_collected_on_the_main_thread_only():
    """As in the app (see MainWindow): Python's automatic collection is off and cycles are
    collected on the main thread between tests. A collection that runs in a worker thread can
    free Qt objects left in cycles (pyqtgraph items of views a test closed), and freeing them
    from there can deadlock against the GUI thread."""
    gc.disable()
    yield
    gc.enable()


_tests_since_full_collection = [0]


@pytest.fixture(autouse=True)
def collect_garbage_after_each_test():
    """The young objects after every test (what the test made), everything every 25 tests:
    a full collection walks torch's ~250k objects and costs a third of a second."""
    yield
    _tests_since_full_collection[0] += 1
    if _tests_since_full_collection[0] >= 25:
        _tests_since_full_collection[0] = 0
        gc.collect()
    else:
        gc.collect(1)


@pytest.fixture(autouse=True)
def closing_a_window_never_waits_on_a_question(request, monkeypatch):
    """A window closed at a test's end while work is still going would ask "Stop and keep the
    checkpoint?" and wait for ever offscreen; tests answer "stop" unless they are about the
    question itself (marked ``asks_on_close``)."""
    if "asks_on_close" not in request.keywords:
        monkeypatch.setattr("app.ui.close_guard.ask_stop_running_work", lambda parent, work: True)
    yield
