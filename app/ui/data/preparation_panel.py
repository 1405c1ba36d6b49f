"""The Preparation panel: cleaning, encoding, scaling, text/image options and the split.

It shows the data section and emits edited copies (:attr:`data_edited`); the data view
pushes them as undo commands, and the panel redraws when the document changes. Spin boxes
carry a merge key so that holding an arrow key makes one undo step, not fifty.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
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


class PreparationPanel(QScrollArea):
    data_edited = Signal(dict, str, str)  # new data section, undo text, merge key ("" = none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(340)
        self._data: dict | None = None
        self._updating = False
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)

        # Task and cleaning ------------------------------------------------------------------
        self.task = self._combo([(None, self.tr("Detect from the target")), ("binary", self.tr("Yes/no (binary)")),
                                 ("classification", self.tr("Classification")), ("regression", self.tr("Regression"))])
        self.missing = self._combo([("mean", self.tr("Fill with the mean")), ("median", self.tr("Fill with the median")),
                                    ("mode", self.tr("Fill with the most common value")),
                                    ("constant", self.tr("Fill with a value")), ("drop", self.tr("Drop the row"))])
        self.fill_value = QLineEdit()
        self.fill_value.setPlaceholderText(self.tr("value, e.g. 0"))
        self.drop_duplicates = QCheckBox(self.tr("Remove duplicate rows"))
        self.categorical = self._combo([("onehot", self.tr("One-hot")), ("ordinal", self.tr("Ordinal (numbers)"))])
        self.scaling = self._combo([("standard", self.tr("Standardise (mean 0, std 1)")),
                                    ("minmax", self.tr("Min-max (0 to 1)")), ("none", self.tr("None"))])
        self.target_scaling = self._combo([("standard", self.tr("Standardise")), ("minmax", self.tr("Min-max")),
                                           ("none", self.tr("None"))])
        self._table_box = QGroupBox(self.tr("Cleaning and encoding"))
        form = QFormLayout(self._table_box)
        form.addRow(self.tr("Task"), self.task)
        form.addRow(self.tr("Missing values"), self.missing)
        form.addRow(self.tr("Fill value"), self.fill_value)
        form.addRow("", self.drop_duplicates)
        form.addRow(self.tr("Categories"), self.categorical)
        form.addRow(self.tr("Scaling"), self.scaling)
        form.addRow(self.tr("Target scaling"), self.target_scaling)
        layout.addWidget(self._table_box)

        # Text ------------------------------------------------------------------------------------
        self.text_level = self._combo([("char", self.tr("Characters")), ("word", self.tr("Words"))])
        self.max_vocab = self._spin(3, 1_000_000)
        self.seq_len = self._spin(1, 100_000)
        self.lowercase = QCheckBox(self.tr("Lowercase"))
        self._text_box = QGroupBox(self.tr("Text (tokenisation)"))
        form = QFormLayout(self._text_box)
        form.addRow(self.tr("Tokens"), self.text_level)
        form.addRow(self.tr("Vocabulary size"), self.max_vocab)
        form.addRow(self.tr("Sequence length"), self.seq_len)
        form.addRow("", self.lowercase)
        layout.addWidget(self._text_box)

        # Images ----------------------------------------------------------------------------------
        self.image_height = self._spin(4, 4096)
        self.image_width = self._spin(4, 4096)
        self.channels = self._combo([(3, self.tr("Colour (RGB)")), (1, self.tr("Grey"))])
        self.flip = QCheckBox(self.tr("Random horizontal flip"))
        self.crop = self._spin(0, 512)
        self.rotation = self._double(0, 180, 1)
        self.jitter = self._double(0, 0.99, 0.05)
        self._image_box = QGroupBox(self.tr("Images"))
        form = QFormLayout(self._image_box)
        form.addRow(self.tr("Height"), self.image_height)
        form.addRow(self.tr("Width"), self.image_width)
        form.addRow(self.tr("Channels"), self.channels)
        form.addRow(self.tr("Augmentation"), self.flip)
        form.addRow(self.tr("Random crop padding (px)"), self.crop)
        form.addRow(self.tr("Random rotation (°)"), self.rotation)
        form.addRow(self.tr("Colour jitter"), self.jitter)
        layout.addWidget(self._image_box)

        # Split -------------------------------------------------------------------------------------
        self.split_method = self._combo([("random", self.tr("Random")), ("stratified", self.tr("Stratified by class")),
                                         ("column", self.tr("From a column"))])
        self.split_column = self._combo([])
        self.val_percent = self._double(0, 90, 1)
        self.test_percent = self._double(0, 90, 1)
        self.train_label = QLabel()
        self.seed = self._spin(0, 2**31 - 1)
        split_box = QGroupBox(self.tr("Split"))
        form = QFormLayout(split_box)
        form.addRow(self.tr("Method"), self.split_method)
        form.addRow(self.tr("Split column"), self.split_column)
        form.addRow(self.tr("Training"), self.train_label)
        form.addRow(self.tr("Validation %"), self.val_percent)
        form.addRow(self.tr("Test %"), self.test_percent)
        form.addRow(self.tr("Seed"), self.seed)
        layout.addWidget(split_box)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary_box = QGroupBox(self.tr("Result"))
        QVBoxLayout(summary_box).addWidget(self.summary)
        layout.addWidget(summary_box)
        layout.addStretch(1)

        self._connect()
        self.set_data(None, [])

    # --- widgets -------------------------------------------------------------------------------
    def _combo(self, items: list[tuple[object, str]]) -> QComboBox:
        box = QComboBox()
        # Long option texts must not widen the dock beyond its scroll area.
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(12)
        for value, text in items:
            box.addItem(text, value)
        return box

    def _spin(self, low: int, high: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setKeyboardTracking(False)
        return box

    def _double(self, low: float, high: float, step: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setSingleStep(step)
        box.setDecimals(2)
        box.setKeyboardTracking(False)
        return box

    def _connect(self) -> None:
        combos = {
            self.task: ("task",), self.missing: ("preparation", "missing"),
            self.categorical: ("preparation", "categorical"), self.scaling: ("preparation", "scaling"),
            self.target_scaling: ("preparation", "target_scaling"), self.text_level: ("text", "level"),
            self.channels: ("image", "channels"), self.split_method: ("split", "method"),
        }
        for box, key in combos.items():
            box.activated.connect(lambda _i, b=box, k=key: self._edit(k, b.currentData()))
        self.split_column.activated.connect(lambda _i: self._edit(("split", "column"), self.split_column.currentData()))
        self.drop_duplicates.toggled.connect(lambda v: self._edit(("preparation", "drop_duplicates"), v))
        self.lowercase.toggled.connect(lambda v: self._edit(("text", "lowercase"), v))
        self.flip.toggled.connect(lambda v: self._edit(("image", "augmentation", "flip"), v))
        self.fill_value.editingFinished.connect(self._on_fill_value_edited)
        spins = {
            self.max_vocab: ("text", "max_vocab"), self.seq_len: ("text", "seq_len"),
            self.crop: ("image", "augmentation", "crop"), self.rotation: ("image", "augmentation", "rotation"),
            self.jitter: ("image", "augmentation", "color_jitter"), self.seed: ("split", "seed"),
        }
        for box, key in spins.items():
            box.valueChanged.connect(lambda v, k=key: self._edit(k, v, merge=".".join(k)))
        self.image_height.valueChanged.connect(lambda v: self._edit_size(0, v))
        self.image_width.valueChanged.connect(lambda v: self._edit_size(1, v))
        self.val_percent.valueChanged.connect(lambda _v: self._edit_ratios())
        self.test_percent.valueChanged.connect(lambda _v: self._edit_ratios())

    # --- model -> widgets ------------------------------------------------------------------------
    def set_data(self, data: dict | None, column_names: list[str]) -> None:
        self._data = copy.deepcopy(data)
        self._updating = True
        try:
            enabled = data is not None
            self.setEnabled(enabled)
            data = data or {}
            prep = data.get("preparation") or {}
            kind = (data.get("source") or {}).get("kind")
            self._set_combo(self.task, data.get("task"))
            self._set_combo(self.missing, prep.get("missing", "mean"))
            self.fill_value.setText("" if prep.get("fill_value") is None else str(prep.get("fill_value")))
            self.fill_value.setEnabled(prep.get("missing") == "constant")
            self.drop_duplicates.setChecked(bool(prep.get("drop_duplicates", False)))
            self._set_combo(self.categorical, prep.get("categorical", "onehot"))
            self._set_combo(self.scaling, prep.get("scaling", "standard"))
            self._set_combo(self.target_scaling, prep.get("target_scaling", "standard"))
            self._table_box.setVisible(kind in ("table", "synthetic", None))
            text = data.get("text")
            self._text_box.setVisible(text is not None)
            if text:
                self._set_combo(self.text_level, text.get("level", "char"))
                self.max_vocab.setValue(int(text.get("max_vocab", 20000)))
                self.seq_len.setValue(int(text.get("seq_len", 64)))
                self.lowercase.setChecked(bool(text.get("lowercase", False)))
            image = data.get("image")
            self._image_box.setVisible(image is not None)
            if image:
                size = image.get("size", [32, 32])
                self.image_height.setValue(int(size[0]))
                self.image_width.setValue(int(size[1]))
                self._set_combo(self.channels, int(image.get("channels", 3)))
                aug = image.get("augmentation") or {}
                self.flip.setChecked(bool(aug.get("flip", False)))
                self.crop.setValue(int(aug.get("crop", 0)))
                self.rotation.setValue(float(aug.get("rotation", 0.0)))
                self.jitter.setValue(float(aug.get("color_jitter", 0.0)))
            split = data.get("split") or {}
            ratios = split.get("ratios") or {"train": 0.8, "val": 0.1, "test": 0.1}
            self._set_combo(self.split_method, split.get("method", "random"))
            self.split_column.clear()
            for name in column_names:
                self.split_column.addItem(name, name)
            self._set_combo(self.split_column, split.get("column"))
            self.split_column.setEnabled(split.get("method") == "column")
            self.val_percent.setValue(round(100 * float(ratios.get("val", 0.0)), 2))
            self.test_percent.setValue(round(100 * float(ratios.get("test", 0.0)), 2))
            self.train_label.setText(f"{100 * float(ratios.get('train', 0.0)):.4g} %")
            self.seed.setValue(int(split.get("seed", 42)))
        finally:
            self._updating = False

    def _set_combo(self, box: QComboBox, value) -> None:
        index = box.findData(value)
        box.setCurrentIndex(index if index >= 0 else 0)

    def set_summary(self, html: str) -> None:
        self.summary.setText(html)

    # --- widgets -> edits ---------------------------------------------------------------------------
    def _edit(self, key: tuple[str, ...], value, merge: str = "") -> None:
        if self._updating or self._data is None:
            return
        after = copy.deepcopy(self._data)
        target = after
        for part in key[:-1]:
            if target.get(part) is None:
                target[part] = {}
            target = target[part]
        if target.get(key[-1]) == value:
            return
        target[key[-1]] = value
        if key == ("preparation", "missing") and value == "constant" and after["preparation"].get("fill_value") is None:
            after["preparation"]["fill_value"] = 0
        if key == ("split", "method") and value == "column" and not after["split"].get("column"):
            after["split"]["column"] = self.split_column.currentData()
        self.data_edited.emit(after, self._undo_text(key), merge)

    def _edit_size(self, axis: int, value: int) -> None:
        if self._updating or self._data is None or self._data.get("image") is None:
            return
        size = list(self._data["image"].get("size", [32, 32]))
        size[axis] = value
        self._edit(("image", "size"), size, merge="image.size")

    def _edit_ratios(self) -> None:
        val = round(self.val_percent.value() / 100, 4)
        test = round(self.test_percent.value() / 100, 4)
        train = round(1.0 - val - test, 4)
        if train <= 0:
            self.set_data(self._data, [self.split_column.itemData(i) for i in range(self.split_column.count())])
            return
        self._edit(("split", "ratios"), {"train": train, "val": val, "test": test}, merge="split.ratios")

    def _on_fill_value_edited(self) -> None:
        raw = self.fill_value.text().strip()
        if raw == "":
            return
        try:
            value: float | str = float(raw)
        except ValueError:
            value = raw
        self._edit(("preparation", "fill_value"), value)

    def _undo_text(self, key: tuple[str, ...]) -> str:
        names = {
            "task": self.tr("Change task"), "missing": self.tr("Change missing values"),
            "fill_value": self.tr("Change fill value"), "drop_duplicates": self.tr("Change duplicate removal"),
            "categorical": self.tr("Change category encoding"), "scaling": self.tr("Change scaling"),
            "target_scaling": self.tr("Change target scaling"), "level": self.tr("Change tokens"),
            "max_vocab": self.tr("Change vocabulary size"), "seq_len": self.tr("Change sequence length"),
            "lowercase": self.tr("Change lowercase"), "size": self.tr("Change image size"),
            "channels": self.tr("Change channels"), "flip": self.tr("Change flip"), "crop": self.tr("Change crop"),
            "rotation": self.tr("Change rotation"), "color_jitter": self.tr("Change colour jitter"),
            "method": self.tr("Change split method"), "column": self.tr("Change split column"),
            "ratios": self.tr("Change split ratios"), "seed": self.tr("Change split seed"),
        }
        return names.get(key[-1], self.tr("Change data settings"))
