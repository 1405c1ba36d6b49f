"""The inspector: the selected layer's parameters as editors generated from the registry.

Every :class:`~app.core.graph.registry.ParamSpec` type has one editor: spin boxes with the
declared range (int), a text field checked as you type (float, lists of sizes), a check box
(bool), a combo box (choice; ``node`` parameters list the other layers, "" meaning none).
A change is checked with the parameter's own rules and then requested through
``param_edited``; the designer turns it into an undo command, and the editor follows the
model's ``ParamChanged`` events (so undo updates it too).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.graph.errors import GraphError

INT_MAX = 2**31 - 1


def format_value(spec, value: Any) -> str:
    if spec.type == "int-list":
        return ", ".join(str(v) for v in value)
    if spec.type == "float":
        return f"{value:g}"
    return str(value)


def parse_value(spec, text: str) -> Any:
    """Text typed into a float or list field -> a value the parameter accepts, or GraphError."""
    from app.core.graph.errors import InvalidParamError

    text = text.strip()
    if spec.type == "float":
        try:
            value: Any = float(text)
        except ValueError:
            raise InvalidParamError(f"'{spec.name}' must be a number like 0.1 or 1e-5.") from None
    elif spec.type == "int-list":
        parts = [p for p in text.replace("×", ",").replace("x", ",").replace(" ", ",").split(",") if p]
        try:
            value = [int(p) for p in parts]
        except ValueError:
            raise InvalidParamError(f"'{spec.name}' must be whole numbers separated by commas, like 3, 28, 28.") from None
    else:
        value = text
    return spec.coerce(value)


class InspectorWidget(QWidget):
    param_edited = Signal(str, str, object)  # node id, parameter name, new value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.node_id: str | None = None
        self.graph = None
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addWidget(self.title)
        inner_layout.addWidget(self.description)
        inner_layout.addWidget(self.form_host)
        inner_layout.addStretch(1)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(scroll)
        self.show_node(None, None)

    # --- which node ----------------------------------------------------------------------------
    def show_node(self, graph, node_id: str | None, count: int = 1) -> None:
        """Build editors for ``node_id`` (None: show a hint; ``count`` > 1: several are selected)."""
        self.graph, self.node_id = graph, node_id
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors.clear()
        self.errors.clear()
        if graph is None or node_id is None or not graph.has_node(node_id):
            self.node_id = None
            if count > 1:
                self.title.setText(self.tr("<b>{n} layers selected</b>").format(n=count))
                self.description.setText(self.tr("Select one layer to edit its parameters."))
            else:
                self.title.setText(self.tr("<b>No layer selected</b>"))
                self.description.setText(self.tr("Click a layer on the canvas to see and edit its parameters."))
            return
        node = graph.node(node_id)
        spec = node.spec
        self.title.setText(f"<b>{spec.display_name}</b> &nbsp;<code>{node_id}</code>")
        self.description.setText(spec.description)
        if not spec.params:
            self.form.addRow(QLabel(self.tr("This layer has no parameters.")))
        for p in spec.params:
            editor = self._make_editor(p, node.params.get(p.name))
            editor.setToolTip(p.help)
            editor.setAccessibleName(p.display_name)
            self.editors[p.name] = editor
            help_label = QLabel(p.help)
            help_label.setWordWrap(True)
            help_label.setEnabled(False)  # drawn in the palette's muted colour
            font = help_label.font()
            font.setPointSizeF(font.pointSizeF() * 0.9)
            help_label.setFont(font)
            error = QLabel()
            error.setWordWrap(True)
            error.setStyleSheet("color: #d9443b;")
            error.hide()
            self.errors[p.name] = error
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 4)
            box_layout.setSpacing(1)
            box_layout.addWidget(editor)
            box_layout.addWidget(error)
            box_layout.addWidget(help_label)
            self.form.addRow(p.display_name, box)

    def refresh_value(self, name: str) -> None:
        """Show the model's current value (after undo/redo or an edit elsewhere)."""
        if self.node_id is None or name not in self.editors or not self.graph.has_node(self.node_id):
            return
        spec = self.graph.node(self.node_id).spec.param(name)
        self._set_editor_value(self.editors[name], spec, self.graph.node(self.node_id).params.get(name))
        self.errors[name].hide()

    def refresh_node_choices(self) -> None:
        """Nodes came or went: ``node`` parameters list the current layers."""
        if self.node_id is None or self.graph is None or not self.graph.has_node(self.node_id):
            return
        for p in self.graph.node(self.node_id).spec.params:
            if p.type == "node":
                self._fill_node_combo(self.editors[p.name], self.graph.node(self.node_id).params.get(p.name))

    # --- editors ---------------------------------------------------------------------------------
    def _make_editor(self, p, value) -> QWidget:
        if p.type == "int":
            editor = QSpinBox()
            editor.setRange(int(p.min) if p.min is not None else -INT_MAX, int(p.max) if p.max is not None else INT_MAX)
            editor.setKeyboardTracking(False)  # one edit per Enter / arrow step, not per key
            editor.setAccelerated(True)
            editor.setValue(int(value))
            editor.valueChanged.connect(lambda v, name=p.name: self._on_editor_changed(name, v))
        elif p.type == "bool":
            editor = QCheckBox()
            editor.setChecked(bool(value))
            editor.toggled.connect(lambda v, name=p.name: self._on_editor_changed(name, v))
        elif p.type == "choice":
            editor = QComboBox()
            editor.addItems(list(p.choices))
            editor.setCurrentText(str(value))
            editor.currentTextChanged.connect(lambda v, name=p.name: self._on_editor_changed(name, v))
        elif p.type == "node":
            editor = QComboBox()
            self._fill_node_combo(editor, value)
            editor.currentIndexChanged.connect(
                lambda _i, name=p.name, e=editor: self._on_editor_changed(name, e.currentData() or ""))
        else:  # float, str, int-list: typed text, checked on every key
            editor = QLineEdit(format_value(p, value))
            editor.textEdited.connect(lambda text, spec=p: self._on_text_edited(spec, text))
            editor.editingFinished.connect(lambda spec=p, e=editor: self._on_text_finished(spec, e))
        return editor

    def _fill_node_combo(self, combo: QComboBox, value) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("(none)"), "")
        for n in self.graph.nodes:
            if n.id != self.node_id:
                combo.addItem(f"{n.id} — {n.spec.display_name}", n.id)
        index = combo.findData(value or "")
        if index < 0:  # names a node that is gone: show it so the error makes sense
            combo.addItem(str(value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    def _set_editor_value(self, editor: QWidget, p, value) -> None:
        editor.blockSignals(True)
        if isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox) and p.type == "node":
            editor.blockSignals(False)
            self._fill_node_combo(editor, value)
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(str(value))
        elif isinstance(editor, QLineEdit):
            if not editor.hasFocus() or parse_or_none(p, editor.text()) != value:
                editor.setText(format_value(p, value))
            editor.setStyleSheet("")
        editor.blockSignals(False)

    # --- slots -------------------------------------------------------------------------------------
    def _on_editor_changed(self, name: str, value) -> None:
        if self.node_id is not None:
            self.param_edited.emit(self.node_id, name, value)

    def _on_text_edited(self, spec, text: str) -> None:
        try:
            parse_value(spec, text)
        except GraphError as exc:
            self._show_error(spec.name, str(exc))
        else:
            self._show_error(spec.name, None)

    def _on_text_finished(self, spec, editor: QLineEdit) -> None:
        if self.node_id is None or not self.graph.has_node(self.node_id):
            return
        try:
            value = parse_value(spec, editor.text())
        except GraphError as exc:
            self._show_error(spec.name, str(exc))
            return
        self._show_error(spec.name, None)
        if value != self.graph.node(self.node_id).params.get(spec.name):
            self.param_edited.emit(self.node_id, spec.name, value)

    def _show_error(self, name: str, message: str | None) -> None:
        label, editor = self.errors.get(name), self.editors.get(name)
        if label is None:
            return
        label.setText(message or "")
        label.setVisible(bool(message))
        editor.setStyleSheet("border: 1px solid #d9443b;" if message else "")

    def show_rejection(self, name: str, message: str) -> None:
        """The model refused a value (e.g. a reserved id): say so under the editor and restore it."""
        self.refresh_value(name)
        self._show_error(name, message)


def parse_or_none(spec, text: str):
    try:
        return parse_value(spec, text)
    except GraphError:
        return None
