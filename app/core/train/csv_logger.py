"""Writes metrics.csv: one row per evaluation (epoch, or interval of a step-based run)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from app.core.fileio import disk_full_error
from app.core.runs import atomic_writer
from app.core.train.callbacks import Callback


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(value) if isinstance(value, float) else str(value)


class CSVLogger(Callback):
    """Appends each evaluation record to ``path``; on resume it first rewrites the file from
    the checkpoint's history, so rows written after that checkpoint disappear."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = None
        self._columns: list[str] = []

    def on_fit_start(self, trainer, state, control) -> None:
        self._columns = list(trainer.record_columns)
        with atomic_writer(self.path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(self._columns)
            for record in state.history:
                writer.writerow([_cell(record.get(c)) for c in self._columns])
        self._file = self.path.open("a", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file)

    def on_validation_end(self, trainer, state, control, record) -> None:
        if self._file is None:
            return
        try:
            self._writer.writerow([_cell(record.get(c)) for c in self._columns])
            self._file.flush()
        except OSError as exc:
            full = disk_full_error(exc, self.path)
            if full is None:
                raise
            raise full from exc

    def on_fit_end(self, trainer, state, control) -> None:
        self._close()

    def on_exception(self, trainer, state, control, error) -> None:
        try:
            self._close()
        except OSError:  # a full disk refuses the buffered row too; the error being handled says so
            self._file = None

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
