"""Templates gallery: start the network from a ready-made template sized to the project's data.

The sizes come from the prepared data (:func:`app.core.data.prepare`, run on a worker thread
because it reads the data and imports torch). Until that is done, or without data, they come
from the network's current Input node (:func:`fallback_info`). Templates that do not suit
the data are shown greyed out with the reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.data.info import DataInfo

# What each template assumes when neither data nor an Input node says otherwise.
_DEFAULTS = {
    "keras-seed": DataInfo("vector", (2,), "binary", 1),
    "mlp": DataInfo("vector", (4,), "classification", 3),
    "cnn": DataInfo("image", (1, 28, 28), "classification", 10),
    "lstm-text": DataInfo("tokens", (64,), "classification", 2, vocab_size=1000),
    "transformer-text": DataInfo("tokens", (64,), "classification", 2, vocab_size=1000),
    "gpt": DataInfo("tokens", (64,), "language-model", 256, vocab_size=256),
    "finetune-text": DataInfo("tokens", (64,), "classification", 2, vocab_size=1000),
    "finetune-lm": DataInfo("tokens", (64,), "language-model", 256, vocab_size=256),
}
_KIND = {name: info.input_kind for name, info in _DEFAULTS.items()}

def fallback_info(graph, template: str) -> DataInfo:
    """Sizes for ``template`` read from the network's Input node and head, else the template's defaults."""
    default = _DEFAULTS.get(template, _DEFAULTS["mlp"])
    if graph is None:
        return default
    inputs = [n for n in graph.nodes if n.type == "io.input"]
    if not inputs or inputs[0].params.get("kind") != _KIND.get(template):
        return default
    params = inputs[0].params
    shape = tuple(int(d) for d in params.get("shape") or ())
    vocab = int(params.get("vocab_size") or 0) or default.vocab_size
    task, n_out = default.task, default.n_outputs
    heads = {n.type: n for n in graph.nodes}
    if default.task == "language-model":
        task, n_out = "language-model", vocab
    elif "head.classifier" in heads:
        classes = int(heads["head.classifier"].params.get("num_classes", 2))
        task, n_out = ("binary", 1) if classes == 1 else ("classification", classes)
    if template == "keras-seed":
        task, n_out = "binary", 1
    try:
        return DataInfo(default.input_kind, shape or default.input_shape, task, n_out,
                        vocab_size=vocab if default.input_kind == "tokens" else None)
    except Exception:  # noqa: BLE001 - odd Input values: the template's own sizes are a fine start
        return default


class TemplateGallery(QDialog):
    """Pick a template; ``chosen()`` is its name after ``exec()`` returns Accepted."""

    info_needed = Signal()

    def __init__(self, graph, data_info: DataInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Start from a template"))
        self.resize(620, 460)
        self.graph = graph
        self.data_info = data_info
        self.intro = QLabel(self.tr("Replace the network with a ready-made one, sized to your data. "
                                    "You can undo this."))
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setSpacing(2)
        self.list.setWordWrap(True)
        self.source = QLabel()
        self.source.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_button = buttons.addButton(self.tr("Use Template"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.source)
        layout.addWidget(buttons)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.use_button.isEnabled() and self.accept())
        self.refresh()

    def title(self, name: str) -> str:
        titles = {
            "keras-seed": self.tr("Keras first network (2-3-1)"),
            "mlp": self.tr("MLP (tables)"),
            "cnn": self.tr("CNN (images)"),
            "lstm-text": self.tr("LSTM text classifier"),
            "transformer-text": self.tr("Transformer text classifier"),
            "gpt": self.tr("GPT (text generation)"),
            "finetune-text": self.tr("Fine-tune a text encoder"),
            "finetune-lm": self.tr("Fine-tune a language model"),
            "finetune-chat": self.tr("Fine-tune a chat model (LoRA)"),
        }
        return titles.get(name, name)

    def describe_info(self, info: DataInfo) -> str:
        shape = "×".join(str(d) for d in info.input_shape)
        what = {"vector": self.tr("{shape} features"), "image": self.tr("{shape} images"),
                "tokens": self.tr("sequences of {shape} tokens")}.get(info.input_kind, "{shape}").format(shape=shape)
        task = {"binary": self.tr("yes/no"), "classification": self.tr("{n} classes"),
                "regression": self.tr("{n} values"), "language-model": self.tr("next token of {n}")
                }.get(info.task, info.task).format(n=info.n_outputs)
        return f"{what} → {task}"

    def info_for(self, name: str) -> DataInfo:
        return self.data_info if self.data_info is not None else fallback_info(self.graph, name)

    def set_data_info(self, info: DataInfo | None, note: str = "") -> None:
        self.data_info = info
        self.refresh(note)

    def refresh(self, note: str = "") -> None:
        from app.core.graph.templates import build_template_graph, describe_template, template_names
        from app.ui.core_texts import core_text

        current = self.chosen()
        self.list.clear()
        for name in template_names():
            info = self.info_for(name)
            item = QListWidgetItem()
            title = self.title(name)
            try:
                build_template_graph(name, info)
            except Exception as exc:  # noqa: BLE001 - TemplateError and friends: shown as the reason
                item.setText(f"{title}\n{core_text(describe_template(name))}\n✗ {exc}")
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip(str(exc))
            else:
                sized = self.tr("Sized to: {info}").format(info=self.describe_info(info))
                item.setText(f"{title}\n{core_text(describe_template(name))}\n{sized}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
            if name == current and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None:
            for i in range(self.list.count()):
                if self.list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled:
                    self.list.setCurrentRow(i)
                    break
        if self.data_info is not None:
            self.source.setText(self.tr("Sizes from the project's data: {info}").format(info=self.describe_info(self.data_info)))
        else:
            self.source.setText(note or self.tr("No prepared data: sizes come from the current Input layer or the "
                                                "template's defaults."))
        self.use_button.setEnabled(self.list.currentItem() is not None)

    def chosen(self) -> str | None:
        item = self.list.currentItem() if hasattr(self, "list") else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self, name: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(i)

    def _on_list_current_item_changed(self, current, previous) -> None:
        self.use_button.setEnabled(current is not None and bool(current.flags() & Qt.ItemFlag.ItemIsEnabled))
