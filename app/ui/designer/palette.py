"""The layer palette: every registered layer type by category, with a search box.

Drag an entry onto the canvas to add it there; double-click it or press Enter to add it
below the selected layer (keyboard users never need the mouse). The entries come from the
layer registry, so a newly registered layer appears here without any change to this file.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QMimeData, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.ui.designer.canvas import LAYER_MIME
from app.ui.designer.items import category_colour

RESIDUAL_BLOCK = "block:residual"  # a palette entry that inserts several layers, not a registry type
TYPE_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


@lru_cache(maxsize=None)
def _glyph_pixmap(category: str, letter: str, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(category_colour(category))
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), size * 0.25, size * 0.25)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.55))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, letter)
    painter.end()
    return pixmap


def layer_icon(category: str, name: str) -> QIcon:
    """A coloured tile with the layer's initial: the colour is its category's, as on the canvas."""
    letter = next((ch for ch in name if ch.isalnum()), "?").upper()
    icon = QIcon()
    for size in (16, 20, 32):
        icon.addPixmap(_glyph_pixmap(category, letter, size))
    return icon


class LayerTree(QTreeWidget):
    """The tree of layer types; its drags carry the layer's type id."""

    def mimeData(self, items) -> QMimeData:  # noqa: N802 - Qt's name
        mime = QMimeData()
        type_ids = [i.data(0, TYPE_ROLE) for i in items if i.data(0, TYPE_ROLE)]
        if type_ids:
            mime.setData(LAYER_MIME, QByteArray(type_ids[0].encode("utf-8")))
            mime.setText(type_ids[0])
        return mime

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        return [LAYER_MIME]

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.itemActivated.emit(self.currentItem(), 0)
            return
        super().keyPressEvent(event)


class PaletteWidget(QWidget):
    layer_activated = Signal(str)  # type id (or RESIDUAL_BLOCK): add it at the selection

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search layers…"))
        self.search.setClearButtonEnabled(True)
        self.tree = LayerTree()
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(20, 20))
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName(self.tr("Layer palette"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self._build()

    def _build(self) -> None:
        from app.core.graph.registry import layer_specs
        from app.ui.core_texts import core_text

        categories: dict[str, QTreeWidgetItem] = {}

        def category(name: str) -> QTreeWidgetItem:
            if name not in categories:
                item = QTreeWidgetItem(self.tree, [core_text(name)])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                item.setExpanded(True)
                categories[name] = item
            return categories[name]

        for spec in layer_specs():
            item = QTreeWidgetItem(category(spec.category), [spec.display_name])
            item.setData(0, TYPE_ROLE, spec.type_id)
            item.setData(0, SEARCH_ROLE, " ".join((spec.display_name, spec.type_id, spec.category, core_text(spec.category),
                                                     spec.description)).lower())
            item.setIcon(0, layer_icon(spec.category, spec.display_name))
            item.setToolTip(0, f"<b>{spec.display_name}</b> <code>{spec.type_id}</code><br>{spec.description}")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        blocks = category(self.tr("Blocks"))
        item = QTreeWidgetItem(blocks, [self.tr("Residual block")])
        item.setData(0, TYPE_ROLE, RESIDUAL_BLOCK)
        description = self.tr("Two layers with a skip connection around them (Conv-BN-ReLU-Conv-BN for images, "
                              "Dense-ReLU-Dense for vectors), added after the layer you drop it on.")
        item.setData(0, SEARCH_ROLE, ("residual block skip resnet " + description).lower())
        item.setIcon(0, layer_icon("Blocks", "R"))
        item.setToolTip(0, f"<b>{self.tr('Residual block')}</b><br>{description}")
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)

    def entries(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out.extend(top.child(j) for j in range(top.childCount()))
        return out

    def visible_type_ids(self) -> list[str]:
        return [e.data(0, TYPE_ROLE) for e in self.entries() if not e.isHidden() and not e.parent().isHidden()]

    def _on_search_text_changed(self, text: str) -> None:
        words = text.lower().split()
        first = None
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            shown = 0
            for j in range(top.childCount()):
                child = top.child(j)
                hit = all(w in child.data(0, SEARCH_ROLE) for w in words)
                child.setHidden(not hit)
                if hit:
                    shown += 1
                    first = first or child
            top.setHidden(shown == 0)
            if words and shown:
                top.setExpanded(True)
        if first is not None and words:
            self.tree.setCurrentItem(first)

    def _on_search_return_pressed(self) -> None:
        item = self.tree.currentItem()
        if item is not None and item.data(0, TYPE_ROLE) and not item.isHidden():
            self.layer_activated.emit(item.data(0, TYPE_ROLE))

    def _on_tree_item_activated(self, item: QTreeWidgetItem, column: int) -> None:
        type_id = item.data(0, TYPE_ROLE)
        if type_id:
            self.layer_activated.emit(type_id)
