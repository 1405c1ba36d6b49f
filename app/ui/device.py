"""Which device training would use, found without importing torch into the GUI process.

A short child process (``QProcess``) asks torch and prints one line; the status bar shows
"CPU" until it answers. Started a moment after the window is painted so it never competes
with startup.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QProcess, Signal

PROBE = r"""
import torch
if torch.cuda.is_available():
    print("CUDA: " + torch.cuda.get_device_name(0))
elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
    print("Apple GPU (MPS)")
else:
    print("CPU")
"""


class DeviceProbe(QObject):
    detected = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process = QProcess(self)
        self._process.finished.connect(self._on_process_finished)

    def start(self) -> None:
        if self._process.state() == QProcess.ProcessState.NotRunning:
            # A frozen app has no interpreter to run "-c"; main.py answers --probe-device there.
            args = ["--probe-device"] if getattr(sys, "frozen", False) else ["-c", PROBE]
            self._process.start(sys.executable, args)

    def stop(self) -> None:
        if self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()
            self._process.waitForFinished(1000)

    def _on_process_finished(self, code: int, _status) -> None:
        text = bytes(self._process.readAllStandardOutput()).decode("utf-8", "replace").strip().splitlines()
        self.detected.emit(text[-1] if code == 0 and text else "CPU")
