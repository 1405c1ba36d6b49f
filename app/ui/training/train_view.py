"""The Train view: settings on the left; Start/Pause/Stop, progress and live curves in the
middle; the project's run history below.

Training runs in a child process (:class:`TrainingSupervisor`); this view only turns its
few messages a second into plot points, progress bars and labels. The run trains the
project as saved on disk, so Start saves unsaved changes first (through ``save_project``,
which the main window points at its own Save).
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ModelwrightError
from app.ui import dialogs
from app.ui.document import ProjectDocument
from app.ui.experiments.diagnosis_panel import DiagnosisPanel
from app.ui.icons import icon
from app.ui.training.commands import TrainingSettings
from app.ui.training.history import RunHistory
from app.ui.training.plots import TrainingPlots
from app.ui.training.settings_panel import TrainingSettingsPanel
from app.ui.training.supervisor import TrainingSupervisor

THROUGHPUT_WINDOW_SECONDS = 3.0
#: Bars and labels follow the run at most this often (seconds), the live diagnosis at most
#: once a second: as often as a person reads them. Updates arrive up to 20 times a second,
#: and every repaint of the window is CPU the training process on the same machine loses.
READOUT_SECONDS = 0.25
DIAGNOSIS_SECONDS = 1.0


def format_duration(seconds: float) -> str:
    if not math.isfinite(seconds) or seconds < 0:
        return "—"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


class TrainView(QWidget):
    """Signals: ``run_started(str)`` (run dir), ``run_finished(dict)`` (the child's
    ``finished`` message), ``status_reported(str)`` for the status bar."""

    run_started = Signal(str)
    run_finished = Signal(dict)
    status_reported = Signal(str)
    run_state_changed = Signal(str)  # short words for the status bar: Training, Paused, Idle

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.save_project: Callable[[], bool] | None = None
        self.settings = TrainingSettings(document, self)
        self.settings_panel = TrainingSettingsPanel(self.settings)
        self.supervisor = TrainingSupervisor(self)
        self.plots = TrainingPlots()
        self.history = RunHistory()
        self.diagnosis = DiagnosisPanel()
        self._records: list[dict] = []
        self.run_info: dict = {}
        self.last_result: dict | None = None
        self.updates = 0
        self._samples: list[tuple[float, float]] = []
        self._unshown: dict | None = None  # the latest update not shown in bars and labels yet
        self._shown_at = -math.inf
        self._diagnosis_due = False
        self._diagnosed_at = -math.inf
        self._diagnosis_inputs = None  # (run folder, DiagnosisInputs) read once per run

        self.start_button = QPushButton(icon("run"), self.tr("Start"))
        self.start_button.setToolTip(self.tr("Train the project as saved (unsaved changes are saved first)"))
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop after this batch; the run keeps its last and best checkpoints "
                                            "and can be resumed"))
        self.stop_button.clicked.connect(self.stop)
        self.state_label = QLabel(self.tr("Ready to train."))
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        controls = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button):
            controls.addWidget(button)
        controls.addWidget(self.state_label, 1)

        self.epoch_bar = QProgressBar()
        self.epoch_bar.setFormat(self.tr("epoch %p%"))
        self.run_bar = QProgressBar()
        self.run_bar.setFormat(self.tr("run %p%"))
        self.eta_label = QLabel("")
        self.speed_label = QLabel("")
        self.device_label = QLabel("")
        # One row, so a low window leaves the curves their height.
        bars = QGridLayout()
        bars.addWidget(QLabel(self.tr("Epoch")), 0, 0)
        bars.addWidget(self.epoch_bar, 0, 1)
        bars.addWidget(self.speed_label, 0, 2)
        bars.addWidget(QLabel(self.tr("Run")), 0, 3)
        bars.addWidget(self.run_bar, 0, 4)
        bars.addWidget(self.eta_label, 0, 5)
        bars.addWidget(self.device_label, 0, 6)
        bars.setColumnStretch(1, 1)
        bars.setColumnStretch(4, 1)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addLayout(controls)
        middle_layout.addLayout(bars)
        curves = QSplitter(Qt.Orientation.Horizontal)
        curves.addWidget(self.plots)
        curves.addWidget(self.diagnosis)
        curves.setStretchFactor(0, 3)
        curves.setStretchFactor(1, 1)
        curves.setSizes([800, 260])
        middle_layout.addWidget(curves, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(middle)
        right.addWidget(self.history)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.settings_panel)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.supervisor.preparing.connect(self._on_supervisor_preparing)
        self.supervisor.started.connect(self._on_supervisor_started)
        self.supervisor.updated.connect(self._on_supervisor_updated)
        self.supervisor.status_changed.connect(self._on_supervisor_status_changed)
        self.supervisor.finished.connect(self._on_supervisor_finished)
        self.history.overlays_changed.connect(self.plots.set_overlays)
        self.history.resume_requested.connect(self.resume_run)
        self.diagnosis.fix_requested.connect(self._on_diagnosis_fix_requested)
        document.project_replaced.connect(self._on_document_project_replaced)
        document.path_changed.connect(self._on_document_path_changed)
        self._on_document_project_replaced()  # built after a project was opened: show its runs

    # --- project ---------------------------------------------------------------------------
    def _on_document_project_replaced(self) -> None:
        if not self.supervisor.running:
            self._clear_run_readouts()
        self._on_document_path_changed()
        self._update_buttons()

    def _clear_run_readouts(self) -> None:
        """Another project: nothing of the last run stays (curves, axes, speed, parameters, diagnosis)."""
        self.plots.set_overlays([])
        self.plots.reset()
        self.run_info = {}
        self.last_result = None
        self._records = []
        self._samples = []
        self._unshown = None
        self._diagnosis_inputs = None
        self.diagnosis.clear()
        self.epoch_bar.setValue(0)
        self.run_bar.setValue(0)
        for label in (self.eta_label, self.speed_label, self.device_label):
            label.clear()
        self.state_label.setText(self.tr("Ready to train."))

    def _on_document_path_changed(self) -> None:
        path = self._document.path
        project = self._document.project
        self.history.set_folder(path.parent if path is not None else None, path,
                                project.name if project is not None else None)

    def _ensure_saved(self) -> bool:
        if self._document.project is None:
            return False
        if self._document.path is not None and not self._document.modified:
            return True
        if self.save_project is not None:
            return bool(self.save_project())
        if self._document.path is None:
            dialogs.warn(self, self.tr("Save the project first"),
                         self.tr("Training reads the project from its file: save the project, then start again."))
            return False
        from app.ui.project_io import save_project_file

        try:
            target = save_project_file(self._document.project, self._document.label_overrides)
        except (ModelwrightError, OSError) as exc:
            dialogs.warn(self, self.tr("Cannot save project"), str(exc))
            return False
        self._document.mark_saved(target)
        return True

    # --- controls --------------------------------------------------------------------------
    def start(self) -> bool:
        """Save if needed and train the project in a child process; False if it did not start."""
        if self.supervisor.running or not self._ensure_saved():
            return False
        from app.core.runs import default_run_dir

        project = self._document.project
        out = default_run_dir(project.path)
        self._begin()
        self.supervisor.start(project.path, out=out, lm_tokens_per_sample=self._tokens_per_sample(project.data))
        self.state_label.setText(self.tr("Starting…"))
        self.run_started.emit(str(out))
        return True

    def resume_run(self, run_dir: str) -> bool:
        """Continue a stopped run from its last checkpoint (its own settings and data)."""
        if self.supervisor.running:
            return False
        self._begin()
        project = self._document.project
        self.supervisor.start(None, resume=run_dir,
                              lm_tokens_per_sample=self._tokens_per_sample(project.data if project else None))
        self.state_label.setText(self.tr("Resuming {run}…").format(run=Path(run_dir).name))
        self.run_started.emit(str(run_dir))
        return True

    @staticmethod
    def _tokens_per_sample(data: dict | None) -> int | None:
        if not data or (data.get("source") or {}).get("kind") != "text":
            return None
        return int((data.get("text") or {}).get("seq_len") or 64)

    def _begin(self) -> None:
        self.plots.reset()
        self.run_info = {}
        self.last_result = None
        self.updates = 0
        self._samples = []
        self._unshown = None
        self._shown_at = self._diagnosed_at = -math.inf
        self._diagnosis_due = False
        self.epoch_bar.setValue(0)
        self.run_bar.setValue(0)
        self.eta_label.clear()
        self.speed_label.clear()
        self.settings_panel.set_editable(False)
        self._records = []
        self._diagnosis_inputs = None
        self.diagnosis.clear()

    def _on_pause_clicked(self) -> None:
        if self.supervisor.status == "paused":
            self.supervisor.resume()
        else:
            self.supervisor.pause()

    def pause(self) -> None:
        self.supervisor.pause()

    def resume(self) -> None:
        self.supervisor.resume()

    def stop(self) -> None:
        self.supervisor.stop()

    def shutdown(self) -> None:
        """The window is closing: stop the run cleanly (it stays resumable)."""
        self.supervisor.shutdown()

    def _update_buttons(self) -> None:
        status = self.supervisor.status
        active = self.supervisor.running
        self.start_button.setEnabled(not active and self._document.project is not None)
        self.pause_button.setEnabled(status in ("running", "paused"))
        self.pause_button.setText(self.tr("Resume") if status == "paused" else self.tr("Pause"))
        self.stop_button.setEnabled(status in ("running", "paused", "starting"))

    # --- supervisor events -----------------------------------------------------------------
    def _on_supervisor_status_changed(self, status: str) -> None:
        self._update_buttons()
        self.run_state_changed.emit({"starting": self.tr("Starting"), "running": self.tr("Training"),
                                     "paused": self.tr("Paused"), "stopping": self.tr("Stopping")}
                                    .get(status, self.tr("Idle")))
        text = {"starting": self.tr("Starting…"), "running": self.tr("Training…"), "paused": self.tr("Paused."),
                "stopping": self.tr("Stopping after this batch…")}.get(status)
        if text:
            self.state_label.setText(text)
            self.status_reported.emit(text)
        self.history.busy_run = Path(self.supervisor.process.run_dir).name if (
            self.supervisor.running and self.supervisor.process and self.supervisor.process.run_dir) else None

    def _on_supervisor_preparing(self, fraction: float, message: str) -> None:
        self.state_label.setText(self.tr("Preparing data: {message}").format(message=message))
        self.run_bar.setValue(int(fraction * 100))

    def _on_supervisor_started(self, info: dict) -> None:
        self.run_info = info
        self.plots.reset()
        if info.get("history"):
            self.plots.load_history(info["history"])
            self._records = [dict(r) for r in info["history"]]
        self.device_label.setText(self.tr("{device} · {params} parameters\n{memory}").format(
            device=info.get("device", "?"), params=f"{info.get('parameters', 0):,}",
            memory=format_bytes(info.get("memory") or 0)))
        self.state_label.setText(self.tr("Training {run} on {device}…").format(
            run=Path(info.get("run_dir") or "").name, device=info.get("device", "?")))
        self._show_run_in_history(info.get("run_dir"))

    def _on_supervisor_updated(self, update: dict) -> None:
        self.updates += 1
        self.plots.add_losses(update["steps"], update["losses"], update.get("lrs"))
        self.plots.add_records(update["records"])
        if update["records"]:
            self._records.extend(update["records"])
            self._diagnosis_due = True
        best = update.get("best") or {}
        if best.get("step") is not None:
            self.plots.set_best(best["step"], best.get("epoch"))
        self._samples.append((update.get("elapsed", 0.0), update["step"]))
        while len(self._samples) > 2 and self._samples[-1][0] - self._samples[0][0] > THROUGHPUT_WINDOW_SECONDS:
            self._samples.pop(0)
        now = time.monotonic()
        if self._diagnosis_due and now - self._diagnosed_at >= DIAGNOSIS_SECONDS:
            self._diagnosis_due, self._diagnosed_at = False, now
            self._diagnose_live()
        self._unshown = update
        if now - self._shown_at >= READOUT_SECONDS:
            self._shown_at = now
            self._show_progress()

    def _show_progress(self) -> None:
        """Bars and labels from the latest update."""
        update, self._unshown = self._unshown, None
        if update is None:
            return
        info = self.run_info
        batches = max(update.get("batches") or 1, 1)
        self.epoch_bar.setValue(int(100 * update["batch"] / batches))
        if info.get("max_steps"):
            fraction = update["step"] / info["max_steps"]
        else:
            fraction = (update["epoch"] + update["batch"] / batches) / max(info.get("max_epochs") or 1, 1)
        fraction = min(max(fraction, 0.0), 1.0)
        self.run_bar.setValue(int(100 * fraction))
        elapsed = update.get("elapsed", 0.0)
        start_fraction = self._start_fraction()
        done = fraction - start_fraction
        eta = elapsed * (1 - fraction) / done if done > 0 else math.nan
        self.eta_label.setText(self.tr("{elapsed} elapsed · {eta} left").format(
            elapsed=format_duration(elapsed), eta=format_duration(eta)))
        (t0, s0), (t1, s1) = self._samples[0], self._samples[-1]
        if t1 > t0:
            rate = (s1 - s0) * info.get("samples_per_step", 1) * info.get("units_per_sample", 1) / (t1 - t0)
            unit = self.tr("tokens/s") if info.get("unit") == "tokens" else self.tr("samples/s")
            self.speed_label.setText(f"{rate:,.0f} {unit}")
        self.device_label.setText(self.tr("{device} · {params} parameters\n{memory}").format(
            device=info.get("device", "?"), params=f"{info.get('parameters', 0):,}",
            memory=format_bytes(update.get("memory") or 0)))

    def _start_fraction(self) -> float:
        info = self.run_info
        if info.get("max_steps"):
            return info.get("step", 0) / info["max_steps"]
        batches = max(info.get("batches_per_epoch") or 1, 1)
        return info.get("step", 0) / (batches * max(info.get("max_epochs") or 1, 1))

    def _on_supervisor_finished(self, result: dict) -> None:
        self.last_result = result
        status = result.get("status")
        self._show_progress()
        self.plots.redraw()
        if status == "completed":
            if result.get("stop_reason"):
                if self.plots.raw.n:
                    self.plots.mark_stop(self.plots.raw.x[-1])
                text = self.tr("Finished early: {reason}.").format(reason=result["stop_reason"])
            else:
                text = self.tr("Finished.")
            self.run_bar.setValue(100)
        elif status == "stopped":
            text = self.tr("Stopped; the run keeps its checkpoints and can be resumed from the run list.")
        else:
            text = self.tr("Training failed: {error}").format(error=result.get("error") or self.tr("unknown error"))
        self.state_label.setText(text)
        self.status_reported.emit(text)
        self.settings_panel.set_editable(True)
        self.history.busy_run = None
        self._update_buttons()
        self._show_run_in_history(result.get("run_dir"))
        self._diagnose_finished(result.get("run_dir"))
        self.run_finished.emit(result)

    def _show_run_in_history(self, run_dir: str | None) -> None:
        """Only this run's row changes: re-reading every run at each start and finish was a
        freeze that grew with the session."""
        if run_dir:
            self.history.update_run(run_dir)
        else:
            self.history.refresh()

    # --- diagnosis ---------------------------------------------------------------------------
    def _diagnose_live(self) -> None:
        """The same inputs the engine gives summary.json's diagnosis (the run's own settings,
        task and number of classes), so the live findings are the ones the run ends with."""
        from app.core.experiments.run_diagnosis import DiagnosisInputs

        run_dir = self.run_info.get("run_dir")
        if self._diagnosis_inputs is None or self._diagnosis_inputs[0] != run_dir:
            project = self._document.project
            training, graph = self.settings.training, project.graph if project else None
            inputs = (DiagnosisInputs.from_run(run_dir, fallback_training=training, fallback_graph=graph)
                      if run_dir else DiagnosisInputs(training, graph=graph))
            self._diagnosis_inputs = (run_dir, inputs)
        self.diagnosis.set_findings(self._diagnosis_inputs[1].diagnose(self._records))

    def _diagnose_finished(self, run_dir: str | None) -> None:
        """The run's own diagnosis (summary.json): it also knows the task and the class balance."""
        from app.core.experiments.run_diagnosis import diagnose_run

        if not run_dir or not Path(run_dir, "summary.json").is_file():
            return
        try:
            self.diagnosis.set_findings(diagnose_run(run_dir))
        except (ModelwrightError, OSError) as exc:
            self.status_reported.emit(str(exc))

    def _on_diagnosis_fix_requested(self, changes: dict, label: str) -> None:
        from app.ui.experiments.commands import ApplySettingsCommand

        if self._document.project is None:
            return
        self._document.undo_stack.push(ApplySettingsCommand(self._document, self.settings, changes, label))
        self.status_reported.emit(self.tr("Applied: {fix}. Start a new run to try it (Edit ▸ Undo reverts it).")
                                  .format(fix=label))
