"""The Experiments view: choose what to vary, run a hyper-parameter search in a child
process, watch its trials live, see which settings mattered, and promote the best trial
to the project (one undo step).

The search itself is :func:`app.core.experiments.search.run_search` in a child process
(:class:`SearchSupervisor`), so the window never imports torch and never freezes; reading
a finished study and optuna's parameter importance run on a worker thread.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ModelwrightError
from app.ui import dialogs
from app.ui.document import ProjectDocument
from app.ui.experiments.commands import ApplySettingsCommand
from app.ui.experiments.plots import SearchPlots
from app.ui.experiments.supervisor import SearchSupervisor
from app.ui.icons import icon
from app.ui.training.commands import TrainingSettings
from app.ui.workers import start_job

METRICS = ("val_loss", "val_accuracy", "val_f1", "val_f1_macro", "val_mae", "val_rmse", "val_r2", "train_loss")
TRAINING_SUGGESTIONS = {
    "training.optimizer.lr": {"low": 1e-4, "high": 0.1, "log": True},
    "training.batch_size": {"choices": [16, 32, 64, 128]},
    "training.optimizer.name": {"choices": ["adam", "adamw", "sgd"]},
    "training.optimizer.weight_decay": {"low": 1e-6, "high": 1e-2, "log": True},
}


def suggestions(project) -> dict[str, dict]:
    """Settings worth varying in ``project`` with a sensible starting range each."""
    out = dict(TRAINING_SUGGESTIONS)
    if project is None:
        return out
    for node in project.graph.nodes:
        if node.type == "core.dropout":
            out[f"graph.{node.id}.p"] = {"low": 0.0, "high": 0.5}
        for name in ("out_features", "out_channels", "hidden_size", "num_layers"):
            value = node.params.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0 and not node.type.startswith("head."):
                low, high = max(1, value // 4), value * 2
                out[f"graph.{node.id}.{name}"] = ({"low": low, "high": high, "log": True} if high / low >= 8
                                                  else {"low": low, "high": high})
    return out


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


class ExperimentsView(QWidget):
    """Signals: ``status_reported(str)`` for the status bar, ``search_finished(dict)``."""

    status_reported = Signal(str)
    search_finished = Signal(dict)

    COLUMNS_FIXED = 4  # trial, state, metric, time

    def __init__(self, document: ProjectDocument, training_settings: TrainingSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._training_settings = training_settings
        self.supervisor = SearchSupervisor(self)
        self.folder: Path | None = None
        self.trials: dict[int, dict] = {}
        self.metric = "val_loss"
        self.direction = "minimize"
        self.param_names: list[str] = []
        self.log_params: set[str] = set()
        self.importances: dict[str, float] = {}
        self._jobs: list = []

        # --- the search space
        self.space_table = QTableWidget(0, 4)
        self.space_table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("From / choices"), self.tr("To"),
                                                    self.tr("Log")])
        header = self.space_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.space_table.verticalHeader().setVisible(False)
        self.add_combo = QComboBox()
        self.add_combo.setToolTip(self.tr("A training setting or a layer parameter of the network"))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_combo, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)

        self.metric_combo = QComboBox()
        self.metric_combo.setEditable(True)
        self.metric_combo.addItems(METRICS)
        for row, tip in ((METRICS.index("val_f1"), self.tr("F1 of the positive class (binary tasks)")),
                         (METRICS.index("val_f1_macro"), self.tr("F1 averaged over the classes (each class counts the same)"))):
            self.metric_combo.setItemData(row, tip, Qt.ItemDataRole.ToolTipRole)
        self.strategy_combo = QComboBox()
        for key, text in (("tpe", self.tr("TPE (learns from earlier trials)")), ("random", self.tr("Random")),
                          ("grid", self.tr("Grid (every combination)"))):
            self.strategy_combo.addItem(text, key)
        self.trials_spin = QSpinBox()
        self.trials_spin.setRange(1, 10000)
        self.trials_spin.setValue(8)
        self.minutes_spin = QDoubleSpinBox()
        self.minutes_spin.setRange(0, 100000)
        self.minutes_spin.setDecimals(1)
        self.minutes_spin.setSpecialValueText(self.tr("no limit"))
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(0, 100000)
        self.epochs_spin.setSpecialValueText(self.tr("as in the project"))
        self.pruning_check = QCheckBox(self.tr("Stop hopeless trials early"))
        self.pruning_check.setChecked(True)
        form = QFormLayout()
        form.addRow(self.tr("Optimise"), self.metric_combo)
        form.addRow(self.tr("Strategy"), self.strategy_combo)
        form.addRow(self.tr("Trials"), self.trials_spin)
        form.addRow(self.tr("Time budget (minutes)"), self.minutes_spin)
        form.addRow(self.tr("Epochs per trial"), self.epochs_spin)
        form.addRow("", self.pruning_check)

        self.start_button = QPushButton(icon("run"), self.tr("Start Search"))
        self.start_button.setToolTip(self.tr("Train the saved project once per trial, each in runs/<search>/trial-NNN"))
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop after this batch; starting the same search again resumes it"))
        self.stop_button.clicked.connect(self.stop)
        self.open_button = QPushButton(icon("open"), self.tr("Open Search…"))
        self.open_button.clicked.connect(self._on_open_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.open_button)
        self.state_label = QLabel(self.tr("Choose settings to vary, then start a search."))
        self.state_label.setWordWrap(True)

        space_box = QGroupBox(self.tr("What to vary"))
        space_layout = QVBoxLayout(space_box)
        space_layout.addWidget(self.space_table, 1)
        space_layout.addLayout(add_row)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(space_box, 1)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.state_label)

        # --- the trials
        self.trials_table = QTableWidget(0, self.COLUMNS_FIXED)
        self.trials_table.setHorizontalHeaderLabels(self._fixed_headers(self.tr("Metric")))
        self.trials_table.verticalHeader().setVisible(False)
        self.trials_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trials_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.trials_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.trials_table.setSortingEnabled(False)
        self.promote_button = QPushButton(self.tr("Promote Best Trial to the Project"))
        self.promote_button.setToolTip(self.tr("Copy the best trial's settings into the project (Edit ▸ Undo reverts it)"))
        self.promote_button.clicked.connect(self.promote_best)
        self.promote_selected_button = QPushButton(self.tr("Promote Selected"))
        self.promote_selected_button.clicked.connect(self._on_promote_selected_clicked)
        self.best_label = QLabel("")
        self.best_label.setWordWrap(True)
        self.importance_table = QTableWidget(0, 2)
        self.importance_table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Importance")])
        self.importance_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.importance_table.verticalHeader().setVisible(False)
        self.importance_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.importance_table.setMaximumHeight(110)
        promote_row = QHBoxLayout()
        promote_row.addWidget(self.promote_button)
        promote_row.addWidget(self.promote_selected_button)
        promote_row.addWidget(self.best_label, 1)
        trials_box = QWidget()
        trials_layout = QVBoxLayout(trials_box)
        trials_layout.setContentsMargins(0, 0, 0, 0)
        trials_layout.addWidget(QLabel(self.tr("Trials")))
        trials_layout.addWidget(self.trials_table, 1)
        trials_layout.addLayout(promote_row)
        trials_layout.addWidget(QLabel(self.tr("Which settings mattered (parameter importance)")))
        trials_layout.addWidget(self.importance_table)
        self.plots = SearchPlots()
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(trials_box)
        right.addWidget(self.plots)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        right.setSizes([420, 480])
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 980])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.supervisor.received.connect(self._on_supervisor_received)
        document.project_replaced.connect(self._on_document_project_replaced)
        self._on_document_project_replaced()

    # --- the space ----------------------------------------------------------------------------
    def _on_document_project_replaced(self) -> None:
        self.add_combo.clear()
        for name in suggestions(self._document.project):
            self.add_combo.addItem(name, name)
        if not self.supervisor.running:
            self._clear_search()
        self._update_buttons()

    def _clear_search(self) -> None:
        """Another project: the last project's search (space, trials, importances) goes."""
        self.folder = None
        self.trials = {}
        self.importances = {}
        self.param_names = []
        self.space_table.setRowCount(0)
        self.importance_table.setRowCount(0)
        self.trials_table.setColumnCount(self.COLUMNS_FIXED)
        self.state_label.setText(self.tr("Choose settings to vary, then start a search."))
        self._refresh()

    def add_param(self, name: str, spec: dict | None = None) -> None:
        """Add (or replace) a row of the space: a range ``{"low", "high", "log"}`` or ``{"choices"}``."""
        spec = spec or suggestions(self._document.project).get(name) or {"low": 0.0, "high": 1.0}
        for row in range(self.space_table.rowCount()):
            if self.space_table.item(row, 0).text() == name:
                self.space_table.removeRow(row)
                break
        row = self.space_table.rowCount()
        self.space_table.insertRow(row)
        setting = QTableWidgetItem(name)
        setting.setFlags(setting.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.space_table.setItem(row, 0, setting)
        if "choices" in spec:
            self.space_table.setItem(row, 1, QTableWidgetItem(", ".join(map(str, spec["choices"]))))
            self.space_table.setItem(row, 2, QTableWidgetItem(""))
        else:
            self.space_table.setItem(row, 1, QTableWidgetItem(_fmt(spec["low"])))
            self.space_table.setItem(row, 2, QTableWidgetItem(_fmt(spec["high"])))
        log = QTableWidgetItem()
        log.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        log.setCheckState(Qt.CheckState.Checked if spec.get("log") else Qt.CheckState.Unchecked)
        self.space_table.setItem(row, 3, log)
        self._update_buttons()

    def _on_add_clicked(self) -> None:
        name = self.add_combo.currentData()
        if name:
            self.add_param(name)

    def _on_remove_clicked(self) -> None:
        row = self.space_table.currentRow()
        if row >= 0:
            self.space_table.removeRow(row)
        self._update_buttons()

    @staticmethod
    def _parse_value(text: str):
        text = text.strip()
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        return {"true": True, "false": False, "null": None}.get(text.lower(), text)

    def space(self) -> dict:
        """The SPACE.json dict the table describes (checked by the core when the search starts)."""
        params: dict = {}
        for row in range(self.space_table.rowCount()):
            name = self.space_table.item(row, 0).text()
            first = self.space_table.item(row, 1).text()
            second = self.space_table.item(row, 2).text().strip()
            if not second:
                params[name] = {"choices": [self._parse_value(v) for v in first.split(",") if v.strip()]}
                continue
            low, high = self._parse_value(first), self._parse_value(second)
            spec = {"low": low, "high": high}
            if self.space_table.item(row, 3).checkState() == Qt.CheckState.Checked:
                spec["log"] = True
            params[name] = spec
        space = {"metric": self.metric_combo.currentText().strip() or "val_loss", "params": params,
                 "pruning": self.pruning_check.isChecked()}
        if self.epochs_spin.value() > 0:
            space["epochs"] = self.epochs_spin.value()
        return space

    # --- running -------------------------------------------------------------------------------
    def start(self, out: str | None = None) -> bool:
        """Check the space, save the project if needed and start the search; False if it did not start."""
        from app.core.experiments.space import SearchSpace

        project = self._document.project
        if self.supervisor.running or project is None:
            return False
        if self._document.path is None or self._document.modified:
            if not (self.save_project and self.save_project()):
                dialogs.warn(self, self.tr("Save the project first"),
                             self.tr("A search trains the project from its file: save the project, then start again."))
                return False
            project = self._document.project
        try:
            space = SearchSpace.from_dict(self.space())
            space.check_project(project)
        except ModelwrightError as exc:
            dialogs.warn(self, self.tr("Cannot start the search"), str(exc))
            return False
        folder = Path(out) if out else self._resumable_folder(space) or self._new_folder(project.path)
        self._reset(folder, space.to_dict())
        minutes = self.minutes_spin.value() or None
        self.supervisor.start(project.path, space.to_dict(), trials=self.trials_spin.value(),
                              strategy=self.strategy_combo.currentData(), timeout_minutes=minutes, out=folder)
        self.state_label.setText(self.tr("Searching… (results in {folder})").format(folder=folder.name))
        self._update_buttons()
        return True

    save_project = None  # the main window points this at its Save

    def _resumable_folder(self, space) -> Path | None:
        """The shown search, when it was stopped with this same space and strategy (so Start resumes it)."""
        from app.core.experiments.search import read_study_meta

        if self.folder is None or not (self.folder / "study.json").is_file():
            return None
        try:
            meta = read_study_meta(self.folder)
        except ModelwrightError:
            return None
        same = meta.get("space") == space.to_dict() and meta.get("strategy") == self.strategy_combo.currentData()
        unfinished = any(t.get("state") in ("interrupted", "running") for t in self.trials.values()) or (
            sum(t.get("state") in ("complete", "pruned", "failed") for t in self.trials.values())
            < self.trials_spin.value())
        return self.folder if same and unfinished else None

    @staticmethod
    def _new_folder(project_path) -> Path:
        from app.core.experiments.search import default_study_dir

        return default_study_dir(project_path)

    def stop(self) -> None:
        self.supervisor.stop()
        self.state_label.setText(self.tr("Stopping after this batch…"))

    def shutdown(self) -> None:
        self.supervisor.shutdown()

    def _fixed_headers(self, metric: str) -> list[str]:
        return [self.tr("Trial"), self.tr("State"), metric, self.tr("Time")]

    def _reset(self, folder: Path, space: dict) -> None:
        self.folder = folder
        self.trials = {}
        self.importances = {}
        self.metric = space.get("metric", "val_loss")
        from app.core.experiments.space import metric_direction

        self.direction = space.get("direction") or metric_direction(self.metric)
        self.param_names = list(space.get("params", {}))
        self.log_params = {n for n, s in space.get("params", {}).items() if isinstance(s, dict) and s.get("log")}
        self.trials_table.setColumnCount(self.COLUMNS_FIXED + len(self.param_names))
        self.trials_table.setHorizontalHeaderLabels(
            self._fixed_headers(self.metric) + [n.split(".", 1)[1] for n in self.param_names])
        self._refresh()

    def _on_supervisor_received(self, message: dict) -> None:
        kind = message.get("kind")
        if kind == "trial_started":
            self.trials[message["number"]] = {"number": message["number"], "state": "running",
                                              "params": message["params"], "value": None, "seconds": None}
            self.state_label.setText(self.tr("Trial {n} is training…").format(n=message["number"]))
        elif kind == "epoch":
            trial = self.trials.setdefault(message["number"], {"number": message["number"], "params": {},
                                                               "state": "running"})
            trial["value"] = message["value"]
            trial["epochs"] = message["epoch"]
        elif kind == "trial":
            record = message["record"]
            self.trials[record["number"]] = record
            self._compute_importances()
        elif kind == "finished":
            self._on_search_finished(message)
            return
        self._refresh()

    def _on_search_finished(self, message: dict) -> None:
        status = message.get("status")
        if status == "completed":
            text = self.tr("Search finished.")
        elif status == "stopped":
            text = self.tr("Search stopped; start it again with the same settings to resume (Open Search… shows it).")
        else:
            text = self.tr("Search failed: {error}").format(error=message.get("error") or self.tr("unknown error"))
        self.state_label.setText(text)
        self.status_reported.emit(text)
        if self.folder is not None and (self.folder / "study.json").is_file():
            self.load_study(self.folder)
        self._update_buttons()
        self.search_finished.emit(message)

    # --- reading a study ---------------------------------------------------------------------
    def _on_open_clicked(self) -> None:
        start = str(self._document.path.parent / "runs") if self._document.path else ""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a search folder"), start)
        if folder:
            self.load_study(Path(folder))

    def load_study(self, folder: Path) -> None:
        """Show a search folder's trials (read on a worker thread)."""
        from app.core.experiments.search import read_study, read_study_meta

        try:
            meta = read_study_meta(folder)
        except ModelwrightError as exc:
            dialogs.warn(self, self.tr("Cannot open the search"), str(exc))
            return
        self._reset(Path(folder), meta.get("space") or {})
        self._show_space(meta)
        job = start_job(_read_study_job, read_study, Path(folder), parent=self)
        job.succeeded.connect(self._on_study_read)
        job.failed.connect(lambda exc: self.state_label.setText(str(exc)))
        self._jobs.append(job)

    def _show_space(self, meta: dict) -> None:
        """Fill the form from a search's description, so Start resumes it as it was."""
        space = meta.get("space") or {}
        self.space_table.setRowCount(0)
        for name, spec in (space.get("params") or {}).items():
            self.add_param(name, spec)
        self.metric_combo.setCurrentText(space.get("metric", "val_loss"))
        index = self.strategy_combo.findData(meta.get("strategy", "tpe"))
        self.strategy_combo.setCurrentIndex(max(index, 0))
        self.epochs_spin.setValue(int(space.get("epochs") or 0))
        self.pruning_check.setChecked(bool(space.get("pruning", True)))

    def _on_study_read(self, trials: list[dict]) -> None:
        self.trials = {t["number"]: t for t in trials}
        self._refresh()
        self._compute_importances()

    def _compute_importances(self) -> None:
        if self.folder is None or sum(t.get("state") == "complete" for t in self.trials.values()) < 2:
            return
        from app.core.experiments.search import param_importances

        job = start_job(_importances_job, param_importances, self.folder, parent=self)
        job.succeeded.connect(self._on_importances_computed)
        self._jobs.append(job)

    def _on_importances_computed(self, importances: dict) -> None:
        self.importances = dict(importances)
        rows = sorted(self.importances.items(), key=lambda kv: -kv[1])
        self.importance_table.setRowCount(len(rows))
        for r, (name, value) in enumerate(rows):
            self.importance_table.setItem(r, 0, QTableWidgetItem(name.split(".", 1)[1]))
            self.importance_table.setItem(r, 1, QTableWidgetItem(f"{value:.0%}"))

    # --- showing ---------------------------------------------------------------------------------
    def best_trial(self) -> dict | None:
        done = [t for t in self.trials.values() if t.get("state") == "complete"
                and isinstance(t.get("value"), (int, float)) and math.isfinite(t["value"])]
        if not done:
            return None
        return (min if self.direction == "minimize" else max)(done, key=lambda t: t["value"])

    def _refresh(self) -> None:
        trials = [self.trials[n] for n in sorted(self.trials)]
        best = self.best_trial()
        self.trials_table.setRowCount(len(trials))
        states = {"running": self.tr("running"), "complete": self.tr("complete"), "pruned": self.tr("pruned"),
                  "failed": self.tr("failed"), "interrupted": self.tr("interrupted")}
        for r, t in enumerate(trials):
            cells = [str(t["number"]), states.get(t.get("state"), t.get("state") or ""), _fmt(t.get("value")),
                     f"{t['seconds']:.1f} s" if isinstance(t.get("seconds"), (int, float)) else ""]
            cells += [_fmt(t.get("params", {}).get(n)) for n in self.param_names]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (0, 2, 3) or c >= self.COLUMNS_FIXED:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if t is best:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if t.get("error"):
                    item.setToolTip(str(t["error"]))
                self.trials_table.setItem(r, c, item)
        self.trials_table.resizeColumnsToContents()
        if best is not None:
            self.best_label.setText(self.tr("Best: trial {n}, {metric} = {value}").format(
                n=best["number"], metric=self.metric, value=_fmt(best["value"])))
        else:
            self.best_label.setText("")
        self.plots.set_trials(trials, self.param_names, self.metric, self.direction, self.log_params)
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.supervisor.running
        has_project = self._document.project is not None
        self.start_button.setEnabled(not running and has_project and self.space_table.rowCount() > 0)
        self.stop_button.setEnabled(running)
        self.promote_button.setEnabled(has_project and self.best_trial() is not None)
        self.promote_selected_button.setEnabled(has_project and bool(self.trials))

    # --- promoting -----------------------------------------------------------------------------
    def promote(self, number: int) -> bool:
        """Copy trial ``number``'s values into the open project as one undoable edit."""
        trial = self.trials.get(number)
        if trial is None or self._document.project is None or not trial.get("params"):
            return False
        command = ApplySettingsCommand(self._document, self._training_settings, trial["params"],
                                       self.tr("Promote trial {n}").format(n=number))
        self._document.undo_stack.push(command)
        text = self.tr("Trial {n}'s settings are now the project's (Edit ▸ Undo reverts it).").format(n=number)
        self.status_reported.emit(text)
        self.state_label.setText(text)
        return True

    def promote_best(self) -> bool:
        best = self.best_trial()
        return best is not None and self.promote(best["number"])

    def _on_promote_selected_clicked(self) -> None:
        row = self.trials_table.currentRow()
        if row >= 0:
            self.promote(int(self.trials_table.item(row, 0).text()))


def _read_study_job(read_study, folder, progress=None) -> list[dict]:
    return [t.to_dict() for t in read_study(folder).trials]


def _importances_job(param_importances, folder, progress=None) -> dict:
    return param_importances(folder)
