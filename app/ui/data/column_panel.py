"""The Column panel: role and type of the selected column, its statistics and histogram.

Role and type edits are emitted as signals; the data view turns them into undo commands.
Statistics are computed on a worker thread (a million-row column takes a moment).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from app.ui.workers import start_job

ROLES = ("feature", "target", "ignore")
TYPES = ("numeric", "categorical", "boolean", "text")


class ColumnPanel(QWidget):
    role_chosen = Signal(str, str)  # column, role
    type_chosen = Signal(str, str)  # column, type

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._column: str | None = None
        self._frame = None
        self._job = None
        self._chart = None
        self._updating = False

        self._title = QLabel(self.tr("Select a column in the table."))
        self._title.setWordWrap(True)
        self._role = QComboBox()
        for role, text in zip(ROLES, (self.tr("Feature (model input)"), self.tr("Target (to predict)"), self.tr("Ignore"))):
            self._role.addItem(text, role)
        self._type = QComboBox()
        for type_name, text in zip(TYPES, (self.tr("Numeric"), self.tr("Categorical"), self.tr("Yes/no"), self.tr("Text"))):
            self._type.addItem(text, type_name)
        for box in (self._role, self._type):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
        self._role.activated.connect(self._on_role_activated)
        self._type.activated.connect(self._on_type_activated)

        form = QFormLayout()
        form.addRow(self.tr("Role"), self._role)
        form.addRow(self.tr("Type"), self._type)
        self._stats = QLabel()
        self._stats.setWordWrap(True)
        self._stats_box = QGroupBox(self.tr("Statistics"))
        box_layout = QVBoxLayout(self._stats_box)
        box_layout.addWidget(self._stats)
        self._chart_box = QGroupBox(self.tr("Distribution"))
        self._chart_layout = QVBoxLayout(self._chart_box)

        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(form)
        layout.addWidget(self._stats_box)
        layout.addWidget(self._chart_box, 1)
        self._set_enabled(False)

    # --- public ------------------------------------------------------------------------------
    def show_column(self, frame, column: dict | None) -> None:
        """Show ``column`` (a data-section entry) of ``frame``; None clears the panel."""
        self._frame = frame
        if column is None or frame is None or column["name"] not in frame.columns:
            self._column = None
            self._title.setText(self.tr("Select a column in the table."))
            self._stats.clear()
            self._set_enabled(False)
            return
        same = self._column == column["name"] and self._type.currentData() == column["type"]
        self._column = column["name"]
        self._title.setText(f"<b>{column['name']}</b>")
        self._set_enabled(True)
        self._role.setCurrentIndex(max(0, ROLES.index(column["role"]) if column["role"] in ROLES else 0))
        self._type.setCurrentIndex(max(0, TYPES.index(column["type"]) if column["type"] in TYPES else 0))
        self._is_target = column["role"] == "target"
        if not same or self._stats.text() == "":
            self._compute(column)

    @property
    def column(self) -> str | None:
        return self._column

    def chart(self):
        return self._chart

    # --- internals -----------------------------------------------------------------------------
    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self._role, self._type, self._stats_box, self._chart_box):
            widget.setEnabled(enabled)

    def _compute(self, column: dict) -> None:
        from app.ui.data.summary import column_stats

        if self._job is not None:
            self._job.cancel()
        self._stats.setText(self.tr("Computing…"))
        self._job = start_job(column_stats, self._frame, column["name"], column["type"], parent=self)
        self._job.succeeded.connect(self._on_stats_succeeded)
        self._job.failed.connect(self._on_stats_failed)

    def _on_stats_succeeded(self, stats) -> None:
        if stats.name != self._column:
            return
        lines = [
            self.tr("Rows: {n:,}").format(n=stats.count),
            self.tr("Missing: {n:,} ({pct:.1f} %)").format(n=stats.missing, pct=100 * stats.missing / max(1, stats.count)),
            self.tr("Distinct values: {n:,}").format(n=stats.unique),
        ]
        if stats.numeric:
            n = stats.numeric
            lines.append(self.tr("Mean {mean:.4g} · std {std:.4g}").format(**n))
            lines.append(self.tr("Min {min:.4g} · median {median:.4g} · max {max:.4g}").format(**n))
        elif stats.top_values:
            top = ", ".join(f"{k} ({v:,})" for k, v in stats.top_values[:5])
            lines.append(self.tr("Most common: {top}").format(top=top))
        self._stats.setText("\n".join(lines))
        if self._chart is None:
            from app.ui.data.charts import BarChart

            self._chart = BarChart(self)
            self._chart_layout.addWidget(self._chart)
        if stats.histogram is not None and not getattr(self, "_is_target", False):
            self._chart_box.setTitle(self.tr("Histogram"))
            self._chart.show_histogram(*stats.histogram)
        elif stats.top_values:
            self._chart_box.setTitle(self.tr("Class balance") if getattr(self, "_is_target", False) else self.tr("Most common values"))
            labels, counts = zip(*stats.top_values)
            self._chart.show_counts(list(labels), list(counts), alternate=getattr(self, "_is_target", False))
        else:
            self._chart.clear()

    def _on_stats_failed(self, exc: BaseException) -> None:
        self._stats.setText(self.tr("Statistics are not available: {error}").format(error=exc))

    def _on_role_activated(self, index: int) -> None:
        if self._column is not None:
            self.role_chosen.emit(self._column, self._role.itemData(index))

    def _on_type_activated(self, index: int) -> None:
        if self._column is not None:
            self.type_chosen.emit(self._column, self._type.itemData(index))
