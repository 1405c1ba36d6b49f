"""The hyper-parameter panel: every field edits the project's ``training`` section through
an undo command; the engine's own validation (``TrainConfig.from_dict``) decides what is
allowed, and its message is shown under the form when a value is refused."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ModelwrightError
from app.core.train.config import DEVICES, LOSSES, OPTIMIZERS, PRECISIONS, SCHEDULERS, TrainConfig
from app.ui.training.commands import EditTrainingCommand, TrainingSettings, set_path

ERROR_STYLE = "color: #b3261e;"


def _spin(low: int, high: int, special: str | None = None) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setKeyboardTracking(False)
    if special:
        box.setSpecialValueText(special)
    return box


def _double(low: float, high: float, decimals: int, special: str | None = None) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setKeyboardTracking(False)
    box.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
    if special:
        box.setSpecialValueText(special)
    return box


def _combo(values) -> QComboBox:
    box = QComboBox()
    for value in values:
        box.addItem(value, value)
    return box


def _get(d: dict, path: str):
    node = d
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


class TrainingSettingsPanel(QWidget):
    """Edits :class:`TrainingSettings`; ``edited(str)`` names the setting after each change."""

    edited = Signal(str)

    def __init__(self, settings: TrainingSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._loading = False
        self._bindings: list[tuple[str, QWidget, Callable, Callable]] = []

        self.epochs = _spin(1, 1_000_000)
        self.steps = _spin(0, 100_000_000, self.tr("off (use epochs)"))
        self.batch_size = _spin(1, 1_000_000)
        self.optimizer = _combo(OPTIMIZERS)
        self.lr = _double(1e-7, 10.0, 7)
        self.momentum = _double(0.0, 1.0, 3)
        self.weight_decay = _double(0.0, 10.0, 6)
        self.scheduler = _combo(SCHEDULERS)
        self.warmup = _spin(0, 10_000_000)
        self.loss = _combo(("auto",) + LOSSES)
        self.metrics = QLineEdit()
        self.metrics.setPlaceholderText(self.tr("default for the task, e.g. accuracy, f1"))
        self.metrics.setToolTip(self.tr("Binary tasks: f1, precision and recall are of the positive class (the "
                                        "second label); f1_macro averages both classes. Several classes: f1_macro, "
                                        "precision and recall average the classes."))
        self.grad_clip = _double(0.0, 1e6, 3, self.tr("off"))
        self.device = _combo(DEVICES)
        self.precision = _combo(PRECISIONS)
        self.seed = _spin(0, 2**31 - 1)
        self.early = QGroupBox(self.tr("Early stopping"))
        self.early.setCheckable(True)
        self.early_monitor = QLineEdit()
        self.early_patience = _spin(1, 100_000)
        self.early_delta = _double(0.0, 1e6, 6)
        self.checkpoint_seconds = _double(0.0, 86_400.0, 1, self.tr("off"))
        self.checkpoint_batches = _spin(0, 10_000_000, self.tr("off"))

        general = QFormLayout()
        general.addRow(self.tr("Epochs"), self.epochs)
        general.addRow(self.tr("Steps"), self.steps)
        general.addRow(self.tr("Batch size"), self.batch_size)
        general.addRow(self.tr("Optimizer"), self.optimizer)
        general.addRow(self.tr("Learning rate"), self.lr)
        general.addRow(self.tr("Momentum"), self.momentum)
        general.addRow(self.tr("Weight decay"), self.weight_decay)
        general.addRow(self.tr("Schedule"), self.scheduler)
        general.addRow(self.tr("Warm-up steps"), self.warmup)
        general.addRow(self.tr("Loss"), self.loss)
        general.addRow(self.tr("Metrics"), self.metrics)
        general.addRow(self.tr("Gradient clip"), self.grad_clip)
        general.addRow(self.tr("Device"), self.device)
        general.addRow(self.tr("Precision"), self.precision)
        general.addRow(self.tr("Seed"), self.seed)
        early_form = QFormLayout(self.early)
        early_form.addRow(self.tr("Watch"), self.early_monitor)
        early_form.addRow(self.tr("Patience"), self.early_patience)
        early_form.addRow(self.tr("Min. change"), self.early_delta)
        checkpoints = QGroupBox(self.tr("Checkpoints"))
        checkpoint_form = QFormLayout(checkpoints)
        checkpoint_form.addRow(self.tr("Every (seconds)"), self.checkpoint_seconds)
        checkpoint_form.addRow(self.tr("Every (batches)"), self.checkpoint_batches)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)

        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addLayout(general)
        column.addWidget(self.early)
        column.addWidget(checkpoints)
        column.addWidget(self.error)
        column.addStretch(1)
        self._keep_values_whole(inner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Scroll down, never sideways: the panel is as wide as its labels and values need.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setMinimumWidth(inner.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self._bind_spin("epochs", self.epochs, self.tr("Change epochs"))
        self._bind_spin("steps", self.steps, self.tr("Change steps"), zero_is_none=True)
        self._bind_spin("batch_size", self.batch_size, self.tr("Change batch size"))
        self._bind_combo("optimizer.name", self.optimizer, self.tr("Change optimizer"))
        self._bind_spin("optimizer.lr", self.lr, self.tr("Change learning rate"))
        self._bind_spin("optimizer.momentum", self.momentum, self.tr("Change momentum"))
        self._bind_spin("optimizer.weight_decay", self.weight_decay, self.tr("Change weight decay"))
        self._bind_combo("scheduler.name", self.scheduler, self.tr("Change schedule"))
        self._bind_spin("scheduler.warmup_steps", self.warmup, self.tr("Change warm-up"))
        self._bind_combo("loss.name", self.loss, self.tr("Change loss"))
        self._bind_spin("grad_clip", self.grad_clip, self.tr("Change gradient clipping"), zero_is_none=True)
        self._bind_combo("device", self.device, self.tr("Change device"))
        self._bind_combo("precision", self.precision, self.tr("Change precision"))
        self._bind_spin("seed", self.seed, self.tr("Change seed"))
        self._bind_spin("early_stopping.patience", self.early_patience, self.tr("Change patience"))
        self._bind_spin("early_stopping.min_delta", self.early_delta, self.tr("Change early-stopping change"))
        self._bind_spin("checkpoint.every_seconds", self.checkpoint_seconds, self.tr("Change checkpoint interval"))
        self._bind_spin("checkpoint.every_n_batches", self.checkpoint_batches, self.tr("Change checkpoint interval"))
        self.metrics.editingFinished.connect(self._on_metrics_editing_finished)
        self.early_monitor.editingFinished.connect(self._on_early_monitor_editing_finished)
        self.early.toggled.connect(self._on_early_toggled)
        settings.changed.connect(self._on_settings_changed)
        self.load()

    @staticmethod
    def _keep_values_whole(inner: QWidget) -> None:
        """Fields never get narrower than their widest value (a squeezed spin box showed "30(")."""
        for kind in (QAbstractSpinBox, QComboBox, QLineEdit):
            for field in inner.findChildren(kind):
                if kind is QLineEdit and isinstance(field.parent(), (QAbstractSpinBox, QComboBox)):
                    continue  # the editor inside a spin box or combo box
                field.setMinimumWidth(max(field.minimumSizeHint().width(), min(field.sizeHint().width(), 180)))

    # --- bindings ----------------------------------------------------------------------------
    def _bind_spin(self, path: str, box, text: str, *, zero_is_none: bool = False) -> None:
        def read(value):
            return None if zero_is_none and not value else value

        box.valueChanged.connect(lambda value: self.apply(path, read(value), text))
        self._bindings.append((path, box, lambda v, b=box: b.setValue(v if v is not None else 0), read))

    def _bind_combo(self, path: str, box: QComboBox, text: str) -> None:
        box.currentIndexChanged.connect(lambda _i: self.apply(path, box.currentData(), text))
        self._bindings.append((path, box, lambda v, b=box: b.setCurrentIndex(max(0, b.findData(v))), None))

    def _on_metrics_editing_finished(self) -> None:
        names = [n.strip() for n in self.metrics.text().replace(";", ",").split(",") if n.strip()]
        self.apply("metrics", names, self.tr("Change metrics"))

    def _on_early_monitor_editing_finished(self) -> None:
        self.apply("early_stopping.monitor", self.early_monitor.text().strip() or "val_loss",
                   self.tr("Change early-stopping metric"))

    def _on_early_toggled(self, on: bool) -> None:
        if self._loading:
            return
        value = {"monitor": self.early_monitor.text().strip() or "val_loss", "patience": self.early_patience.value(),
                 "min_delta": self.early_delta.value()} if on else None
        self.apply("early_stopping", value, self.tr("Turn early stopping on") if on else self.tr("Turn early stopping off"))

    # --- editing -----------------------------------------------------------------------------
    def apply(self, path: str, value, text: str) -> bool:
        """Validate the change with the engine's rules and push it as an undo command."""
        if self._loading or self._settings.document.project is None:
            return False
        current = self._settings.training
        after = set_path(current, path, value)
        if path == "steps" and value is None:
            after.pop("eval_every", None)
        if after == current:
            return False
        try:
            TrainConfig.from_dict(after)
        except ModelwrightError as exc:
            self.error.setText(str(exc))
            self.load(keep_error=True)
            return False
        self.error.clear()
        self._settings.document.undo_stack.push(EditTrainingCommand(self._settings, after, text, merge_key=path))
        self.edited.emit(path)
        return True

    def _on_settings_changed(self) -> None:
        self.load()

    def load(self, keep_error: bool = False) -> None:
        """Show the section's effective values (engine defaults where a setting is absent)."""
        raw = self._settings.training
        try:
            values = TrainConfig.from_dict(raw).to_dict()
            if not keep_error:
                self.error.clear()
        except ModelwrightError as exc:
            values = TrainConfig().to_dict()
            self.error.setText(self.tr("These settings are not valid yet: {error}").format(error=exc))
        self._loading = True
        try:
            for path, _box, setter, _read in self._bindings:
                if path.startswith("early_stopping."):
                    value = _get(values, path) if values.get("early_stopping") else None
                    if value is None:
                        value = {"early_stopping.patience": 5, "early_stopping.min_delta": 0.0}[path]
                else:
                    value = _get(values, path)
                setter(value)
            self.metrics.setText(", ".join(values.get("metrics") or []))
            early = values.get("early_stopping")
            self.early.setChecked(early is not None)
            self.early_monitor.setText((early or {}).get("monitor", "val_loss"))
            optimizer = values["optimizer"]["name"]
            self.momentum.setEnabled(optimizer in ("sgd", "rmsprop"))
            self.epochs.setEnabled(not values.get("steps"))
            self.setEnabled(self._settings.document.project is not None and self._editable)
        finally:
            self._loading = False

    _editable = True

    def set_editable(self, editable: bool) -> None:
        """Locked while a run trains (the run uses the settings it started with)."""
        self._editable = editable
        self.setEnabled(editable and self._settings.document.project is not None)
