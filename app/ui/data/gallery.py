"""Image gallery: thumbnails per class, decoded lazily on a thread pool as they scroll into view.

Only thumbnails the view asks for are decoded (QImageReader with a scaled size, so a 4000 px
photo never decodes at full size); a class filter narrows the list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget

THUMB = 96


class _ThumbSignals(QObject):
    loaded = Signal(str, QImage)


class _ThumbTask(QRunnable):
    def __init__(self, path: Path, signals: _ThumbSignals) -> None:
        super().__init__()
        self._path, self._signals = path, signals

    def run(self) -> None:
        reader = QImageReader(str(self._path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(size.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()  # a null image for unreadable files: drawn as a blank tile
        self._signals.loaded.emit(str(self._path), image)


class ImageListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[Path, str]] = []
        self._thumbs: dict[str, QPixmap] = {}
        self._pending: set[str] = set()
        self._signals = _ThumbSignals()
        self._signals.loaded.connect(self._on_thumb_loaded)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)

    def set_items(self, items: list[tuple[Path, str]]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        path, label = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return path.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{label}/{path.name}" if label else path.name
        if role == Qt.ItemDataRole.DecorationRole:
            key = str(path)
            if key in self._thumbs:
                return self._thumbs[key]
            if key not in self._pending:
                self._pending.add(key)
                self._pool.start(_ThumbTask(path, self._signals))
            return None
        return None

    def loaded_count(self) -> int:
        return len(self._thumbs)

    def wait_for_thumbnails(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_thumb_loaded(self, key: str, image: QImage) -> None:
        self._pending.discard(key)
        self._thumbs[key] = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
        for row, (path, _label) in enumerate(self._items):
            if str(path) == key:
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
                break


class ImageGallery(QWidget):
    """Thumbnails of an image-folder source, filterable by class."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[Path, str]] = []
        self.model = ImageListModel(self)
        self.view = QListView()
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.view.setGridSize(QSize(THUMB + 24, THUMB + 28))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(True)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setModel(self.model)
        self.classes = QComboBox()
        self.classes.currentIndexChanged.connect(self._on_classes_current_index_changed)
        self.counts = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Class")))
        top.addWidget(self.classes)
        top.addWidget(self.counts, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def set_images(self, items: list[tuple[Path, str]]) -> None:
        self._items = list(items)
        per_class: dict[str, int] = {}
        for _path, label in self._items:
            per_class[label] = per_class.get(label, 0) + 1
        self.classes.blockSignals(True)
        self.classes.clear()
        self.classes.addItem(self.tr("All classes ({n})").format(n=len(self._items)), None)
        for label, n in sorted(per_class.items()):
            self.classes.addItem(f"{label or self.tr('(no class)')} ({n})", label)
        self.classes.blockSignals(False)
        self.counts.setText(
            self.tr("{images} images in {classes} classes").format(images=len(self._items), classes=len(per_class))
        )
        self.model.set_items(self._items)

    def _on_classes_current_index_changed(self, _index: int) -> None:
        label = self.classes.currentData()
        self.model.set_items([item for item in self._items if label is None or item[1] == label])
