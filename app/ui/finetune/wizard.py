"""The fine-tuning wizard (File > Fine-tune a Pretrained Model…).

Base -> task and data -> strategy -> hyper-parameters -> review with the pre-flight
estimate -> the project is saved and opened, ready for the training view. Reading a table's
columns, preparing the data with the base's tokenizer, loading the base and timing a few
steps run on a worker thread (:func:`app.ui.workers.start_job`); the pages only collect
choices. Describing a base reads JSON and file headers only, so it stays on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core.errors import ModelwrightError
from app.core.finetune.bases import BaseInfo, inspect_base
from app.core.finetune.strategies import STRATEGIES
from app.ui.workers import start_job


def _path_row(parent: QWidget, edit: QLineEdit, browse) -> QWidget:
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    button = QPushButton(QCoreApplication.translate("FinetuneWizard", "Browse…"), row)
    button.clicked.connect(browse)
    layout.addWidget(button)
    return row


class BasePage(QWizardPage):
    """Choose the bundled MiniLM encoder, a Hugging Face model folder, or an earlier run."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Pretrained base"))
        self.setSubTitle(self.tr("The model whose knowledge of language your model starts from."))
        self.info: BaseInfo | None = None
        self.bundled = QRadioButton(self.tr("Bundled sentence encoder (all-MiniLM-L6-v2, 22.7 M parameters)"), self)
        self.folder = QRadioButton(self.tr("A Hugging Face model folder (BERT, RoBERTa, DistilBERT, GPT-2…)"), self)
        self.run = QRadioButton(self.tr("An earlier Modelwright run (continue a fine-tuned model)"), self)
        self.kind = QButtonGroup(self)
        for button in (self.bundled, self.folder, self.run):
            self.kind.addButton(button)
            button.toggled.connect(self._on_choice_toggled)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(self.tr("Folder of the model or of the run"))
        self.path.editingFinished.connect(self._on_path_editing_finished)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        layout = QVBoxLayout(self)
        for button in (self.bundled, self.folder, self.run):
            layout.addWidget(button)
        layout.addWidget(_path_row(self, self.path, self._on_browse_clicked))
        layout.addWidget(self.details, 1)
        self.bundled.setChecked(True)

    def reference(self) -> str:
        return "minilm" if self.bundled.isChecked() else self.path.text().strip()

    def _on_choice_toggled(self, checked: bool) -> None:
        if checked:
            self.path.setEnabled(not self.bundled.isChecked())
            self.refresh()

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the model folder"))
        if folder:
            self.set_path(folder)

    def _on_path_editing_finished(self) -> None:
        self.refresh()

    def set_path(self, path: str) -> None:
        self.path.setText(str(path))
        self.refresh()

    def refresh(self) -> None:
        """Describe the chosen base (JSON and file headers only), or say why it cannot be used."""
        self.info = None
        reference = self.reference()
        if not reference:
            self.details.setText(self.tr("Choose a folder."))
        else:
            try:
                self.info = inspect_base(reference)
            except ModelwrightError as exc:
                self.details.setText(str(exc))
            else:
                if self.run.isChecked() and self.info.run is None:
                    self.details.setText(self.tr("This is a model folder, not a run; choose the option above."))
                    self.info = None
                else:
                    self.details.setText(self.info.describe())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.info is not None


class DataPage(QWizardPage):
    """What to learn and from which file: text + label columns of a table, or a text file."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Task and data"))
        self.job = None
        self.columns: dict[str, str] = {}
        self.source_kind: str | None = None
        self.task = QComboBox(self)
        self.task.addItem(self.tr("Classify or score labelled text"), "finetune-text")
        self.task.addItem(self.tr("Continue a language model on a text file"), "finetune-lm")
        self.task.currentIndexChanged.connect(self._on_task_changed)
        self.data = QLineEdit(self)
        self.data.setPlaceholderText(self.tr("A CSV/Excel table, or a .txt file for language modelling"))
        self.data.editingFinished.connect(self._on_data_editing_finished)
        self.text_column = QComboBox(self)
        self.label_column = QComboBox(self)
        self.text_column.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
        self.label_column.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Task"), self.task)
        form.addRow(self.tr("Data"), _path_row(self, self.data, self._on_browse_clicked))
        form.addRow(self.tr("Text column"), self.text_column)
        form.addRow(self.tr("Label column"), self.label_column)
        form.addRow(self.status)

    def initializePage(self) -> None:
        info = self.wizard().base_page.info
        self.task.setCurrentIndex(1 if info is not None and info.kind == "causal-lm" else 0)

    def template(self) -> str:
        return self.task.currentData()

    def _on_task_changed(self, _index: int) -> None:
        lm = self.template() == "finetune-lm"
        self.text_column.setEnabled(not lm)
        self.label_column.setEnabled(not lm)
        self.completeChanged.emit()

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the data"), "",
                                              self.tr("Data (*.csv *.tsv *.txt *.xlsx *.parquet *.jsonl);;All files (*)"))
        if path:
            self.set_data(path)

    def _on_data_editing_finished(self) -> None:
        self.set_data(self.data.text())

    def set_data(self, path: str) -> None:
        """Read the file's columns on a worker thread."""
        self.data.setText(str(path))
        self.columns, self.source_kind = {}, None
        self.text_column.clear()
        self.label_column.clear()
        if self.job is not None and self.job.running:
            self.job.cancel()
        self.status.setText(self.tr("Reading the data…"))
        from app.ui.finetune.jobs import read_columns

        self.job = start_job(read_columns, str(path), parent=self)
        self.job.succeeded.connect(self._on_columns_succeeded)
        self.job.failed.connect(self._on_columns_failed)
        self.completeChanged.emit()

    def _on_columns_succeeded(self, result: dict) -> None:
        self.source_kind, self.columns = result["kind"], result["columns"]
        if self.source_kind == "text":
            self.status.setText(self.tr("A plain text file: the model learns to continue it."))
        else:
            texts = [n for n, t in self.columns.items() if t == "text"] or list(self.columns)
            self.text_column.addItems(texts)
            self.label_column.addItems([n for n in self.columns if n not in texts[:1]])
            if result["target"] in self.columns and result["target"] != self.text_column.currentText():
                self.label_column.setCurrentText(result["target"])
            self.status.setText(self.tr("{n} columns found.").format(n=len(self.columns)))
        self.completeChanged.emit()

    def _on_columns_failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.template() == "finetune-lm":
            return self.source_kind == "text"
        return (self.source_kind == "table" and bool(self.text_column.currentText())
                and bool(self.label_column.currentText())
                and self.text_column.currentText() != self.label_column.currentText())


class StrategyPage(QWizardPage):
    """Which weights learn: head only, all but the first N blocks, everything, LoRA, or gradually."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Strategy"))
        titles = {
            "head": self.tr("Train the head only (fast; the base stays as it is)"),
            "freeze_n": self.tr("Freeze the first N blocks, train the rest"),
            "full": self.tr("Full fine-tuning (best results, most memory)"),
            "lora": self.tr("LoRA adapters (well under 2 % of the weights learn; little memory)"),
            "gradual": self.tr("Gradual unfreezing (one more block per epoch, from the top)"),
        }
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        for name in STRATEGIES:
            button = QRadioButton(titles[name], self)
            self.group.addButton(button)
            self.buttons[name] = button
            layout.addWidget(button)
        self.buttons["full"].setChecked(True)
        form = QFormLayout()
        self.freeze_blocks = QSpinBox(self)
        self.freeze_blocks.setRange(0, 1000)
        self.lora_rank = QSpinBox(self)
        self.lora_rank.setRange(1, 256)
        self.lora_rank.setValue(8)
        self.lora_alpha = QDoubleSpinBox(self)
        self.lora_alpha.setRange(0.0, 1024.0)
        self.lora_alpha.setValue(16.0)
        self.lora_dropout = QDoubleSpinBox(self)
        self.lora_dropout.setRange(0.0, 0.9)
        self.lora_dropout.setSingleStep(0.05)
        self.lora_dropout.setValue(0.1)
        self.target_modules = QLineEdit(self)
        self.target_modules.setPlaceholderText(self.tr("Empty: the attention layers usual for the architecture"))
        self.lr_decay = QDoubleSpinBox(self)
        self.lr_decay.setRange(0.01, 1.0)
        self.lr_decay.setSingleStep(0.05)
        self.lr_decay.setValue(1.0)
        form.addRow(self.tr("Frozen blocks (N)"), self.freeze_blocks)
        form.addRow(self.tr("LoRA rank"), self.lora_rank)
        form.addRow(self.tr("LoRA alpha"), self.lora_alpha)
        form.addRow(self.tr("LoRA dropout"), self.lora_dropout)
        form.addRow(self.tr("LoRA target layers"), self.target_modules)
        form.addRow(self.tr("Learning-rate decay per block (1 = same for all)"), self.lr_decay)
        layout.addLayout(form)

    def initializePage(self) -> None:
        info = self.wizard().base_page.info
        if info is not None:
            self.freeze_blocks.setMaximum(info.n_layers)
            self.freeze_blocks.setValue(min(self.freeze_blocks.value() or info.n_layers // 2, info.n_layers))

    def strategy(self) -> str:
        return next(name for name, button in self.buttons.items() if button.isChecked())

    def options(self) -> dict:
        options = {"lr_decay": self.lr_decay.value()}
        strategy = self.strategy()
        if strategy == "freeze_n":
            options["freeze_blocks"] = self.freeze_blocks.value()
        if strategy == "lora":
            options.update(lora_rank=self.lora_rank.value(), lora_alpha=self.lora_alpha.value(),
                           lora_dropout=self.lora_dropout.value(), target_modules=self.target_modules.text().strip())
        return options


class HyperPage(QWizardPage):
    """Epochs, batch size, learning rate and sequence length, with recommended values filled in."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Training settings"))
        self.setSubTitle(self.tr("Recommended values for the chosen base and strategy; change them if you like."))
        self.epochs = QSpinBox(self)
        self.epochs.setRange(1, 1000)
        self.batch_size = QSpinBox(self)
        self.batch_size.setRange(1, 4096)
        self.lr = QDoubleSpinBox(self)
        self.lr.setDecimals(6)
        self.lr.setRange(1e-6, 1.0)
        self.lr.setSingleStep(1e-4)
        self.seq_len = QSpinBox(self)
        self.seq_len.setRange(4, 8192)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Epochs"), self.epochs)
        form.addRow(self.tr("Batch size"), self.batch_size)
        form.addRow(self.tr("Learning rate (of the head)"), self.lr)
        form.addRow(self.tr("Tokens per text (sequence length)"), self.seq_len)
        form.addRow(self.note)

    def initializePage(self) -> None:
        from app.core.finetune.project import DEFAULT_SEQ_LEN, HEAD_ONLY_LR
        from app.core.finetune.strategies import DEFAULT_LR_SCALE

        wizard = self.wizard()
        template, strategy = wizard.data_page.template(), wizard.strategy_page.strategy()
        info = wizard.base_page.info
        self.epochs.setValue(3)
        self.batch_size.setValue(16 if template == "finetune-text" else 8)
        self.lr.setValue(HEAD_ONLY_LR if strategy == "head" else 1e-3)
        self.seq_len.setMaximum(info.max_positions if info is not None else 8192)
        self.seq_len.setValue(min(DEFAULT_SEQ_LEN[template], self.seq_len.maximum()))
        scale = DEFAULT_LR_SCALE[strategy]
        self.note.setText(self.tr("The base learns at {scale:g} x this rate (discriminative learning rates); "
                                  "the new head at 1 x.").format(scale=scale) if strategy != "head" else
                          self.tr("Only the head learns, so it can take larger steps."))

    def training(self) -> dict:
        return {"epochs": self.epochs.value(), "batch_size": self.batch_size.value(),
                "optimizer": {"lr": self.lr.value()}}


class ReviewPage(QWizardPage):
    """The pre-flight estimate (computed on a worker thread) and where to save the project."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Review"))
        self.job = None
        self.plan = None
        self.estimate = None
        self.summary = QPlainTextEdit(self)
        self.summary.setReadOnly(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.out = QLineEdit(self)
        self.out.setPlaceholderText(self.tr("Where to save the project (*.mwproj)"))
        self.out.textChanged.connect(lambda _t: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.progress)
        layout.addWidget(_path_row(self, self.out, self._on_browse_clicked))

    def initializePage(self) -> None:
        wizard = self.wizard()
        self.plan = self.estimate = None
        self.summary.setPlainText(self.tr("Loading the base and measuring a few training steps…"))
        self.progress.setValue(0)
        if not self.out.text():
            data = Path(wizard.data_page.data.text())
            self.out.setText(str(data.with_name(f"{data.stem}-finetune.mwproj")))
        from app.ui.finetune.jobs import plan_and_estimate

        self.job = start_job(plan_and_estimate, wizard.spec(), parent=self)
        self.job.progressed.connect(self._on_job_progressed)
        self.job.succeeded.connect(self._on_job_succeeded)
        self.job.failed.connect(self._on_job_failed)
        self.completeChanged.emit()

    def cleanupPage(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the project"), self.out.text(),
                                              self.tr("Modelwright projects (*.mwproj)"))
        if path:
            self.out.setText(path if path.endswith(".mwproj") else path + ".mwproj")

    def _on_job_progressed(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 100))
        self.progress.setFormat(message)

    def _on_job_succeeded(self, result) -> None:
        self.plan, self.estimate = result
        spec = self.wizard().spec()
        lines = [self.plan.info.describe(), "",
                 self.tr("Strategy: {s}. Training samples: {n}.").format(s=spec["strategy"], n=self.plan.n_train),
                 *self.plan.notes, "", self.estimate.describe()]
        self.summary.setPlainText("\n".join(lines))
        self.progress.setValue(100)
        self.completeChanged.emit()

    def _on_job_failed(self, exc: BaseException) -> None:
        self.summary.setPlainText(self.tr("This combination cannot be trained:\n{error}").format(error=exc))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.plan is not None and self.out.text().strip().endswith(".mwproj")

    def validatePage(self) -> bool:
        from app.core.project import save_project
        from app.ui import dialogs

        out = Path(self.out.text().strip())
        try:
            self.plan.project.name = out.stem
            self.wizard().created_path = save_project(self.plan.project, out)
        except (ModelwrightError, OSError) as exc:
            dialogs.warn(self, self.tr("Cannot save the project"), str(exc))
            return False
        return True


class FinetuneWizard(QWizard):
    """Creates a fine-tuning project; ``created_path`` holds the saved file after Finish."""

    project_created = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Fine-tune a pretrained model"))
        self.created_path: Path | None = None
        self.base_page = BasePage(self)
        self.data_page = DataPage(self)
        self.strategy_page = StrategyPage(self)
        self.hyper_page = HyperPage(self)
        self.review_page = ReviewPage(self)
        for page in (self.base_page, self.data_page, self.strategy_page, self.hyper_page, self.review_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Create Project"))
        self.accepted.connect(self._on_accepted)

    def spec(self) -> dict:
        """Keyword arguments of :func:`app.core.finetune.project.plan_finetune_project`."""
        data, strategy, hyper = self.data_page, self.strategy_page, self.hyper_page
        text = data.template() == "finetune-text"
        return {
            "template": data.template(),
            "base": self.base_page.reference(),
            "data": Path(data.data.text()),
            "target": data.label_column.currentText() if text else None,
            "text_column": data.text_column.currentText() if text else None,
            "folder": Path(self.review_page.out.text() or data.data.text()).parent,
            "strategy": strategy.strategy(),
            "options": strategy.options(),
            "seq_len": hyper.seq_len.value(),
            "training": hyper.training(),
        }

    def _on_accepted(self) -> None:
        if self.created_path is not None:
            self.project_created.emit(str(self.created_path))
