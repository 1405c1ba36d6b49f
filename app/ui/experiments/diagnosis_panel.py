"""The diagnosis panel of the training view: what the learning curves say, in plain words,
with one button per fix. Findings come from :func:`app.core.experiments.diagnosis.diagnose`
(live, as epochs arrive) and from the run's summary.json when it ends."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.ui.icons import icon


class DiagnosisPanel(QWidget):
    """``fix_requested(dict changes, str label)`` when a fix button is clicked."""

    fix_requested = Signal(dict, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.findings: list[dict] = []
        self.fix_buttons: list[QPushButton] = []
        self.title = QLabel(self.tr("<b>Diagnosis</b>"))
        self.empty = QLabel(self.tr("Nothing unusual in the learning curves so far."))
        self.empty.setWordWrap(True)
        self._host = QWidget()
        self._list = QVBoxLayout(self._host)
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # texts wrap instead
        self.setMinimumWidth(110)  # wrapped texts; the Train page must fit 1024 pixels with wide fonts too
        scroll.setWidget(self._host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)

    def clear(self) -> None:
        self.set_findings([])

    def set_findings(self, findings: list[dict]) -> None:
        """Show ``findings`` (``Finding.to_dict()`` dicts); unchanged findings are not redrawn."""
        if findings == self.findings:
            return
        self.findings = [dict(f) for f in findings]
        while self._list.count() > 1:
            item = self._list.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.fix_buttons = []
        for finding in self.findings:
            self._list.insertWidget(self._list.count() - 1, self._card(finding))
        self.empty.setVisible(not self.findings)

    def _card(self, finding: dict) -> QWidget:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(card)
        head = QHBoxLayout()
        badge = QLabel()
        badge.setPixmap(icon("warning").pixmap(16, 16))
        head.addWidget(badge)
        epoch = finding.get("epoch")
        where = self.tr(" (from epoch {epoch:g})").format(epoch=epoch) if isinstance(epoch, (int, float)) else ""
        title = QLabel(f"<b>{finding.get('title', '')}</b>{where}")
        head.addWidget(title, 1)
        layout.addLayout(head)
        text = QLabel(finding.get("explanation", ""))
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        fixes = QVBoxLayout()
        for fix in finding.get("fixes", []):
            button = QPushButton(fix["label"])
            button.setToolTip(", ".join(f"{k} = {v}" for k, v in fix["changes"].items()))
            button.clicked.connect(lambda _c=False, f=fix: self.fix_requested.emit(dict(f["changes"]), f["label"]))
            fixes.addWidget(button)
            self.fix_buttons.append(button)
        layout.addLayout(fixes)
        return card
