"""The canvas view: zoom, pan, rubber-band selection, dropping layers, dragging nodes and wires.

It turns pointer gestures into requests (signals) and leaves the editing to the designer,
which pushes undo commands; the scene then redraws from the graph's events. While a wire is
dragged every input port shows whether it would accept it: green ports accept, red ports
refuse (hover one to read why). An occupied single-input port accepts a wire too: dropping
it there replaces the old wire. What a hovered port would do is a passing hint
(``hint_reported``), cleared when the drag ends; only a refused drop is reported as an outcome.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from app.ui.designer.edits import connection_refusal, displaced_edges, shape_after_connect, snap
from app.ui.designer.items import NODE_HEIGHT, NODE_WIDTH, EdgeItem, NodeItem, PortItem, PreviewEdge
from app.ui.designer.scene import DesignerScene

LAYER_MIME = "application/x-modelwright-layer"
MIN_ZOOM, MAX_ZOOM = 0.08, 3.0
_drag_ids = itertools.count(1)


def _node_of(item) -> NodeItem | None:
    while item is not None and not isinstance(item, NodeItem):
        item = item.parentItem()
    return item


class CanvasView(QGraphicsView):
    layer_dropped = Signal(str, QPointF, str)  # type id, scene position, node under the drop ("" if none)
    nodes_dragged = Signal(dict, object)  # {node id: (x, y)}, drag key (one undo step per drag)
    connection_dropped = Signal(str, str, str)  # source, target, target port
    connection_refused = Signal(str)  # why the port the wire was dropped on refuses it
    context_menu_requested = Signal(QPoint, str, object)  # global position, node id ("" if none), edge or None
    hint_reported = Signal(str)
    zoom_changed = Signal(float)

    def __init__(self, scene: DesignerScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.designer_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.snap_to_grid = True
        self._pan_from: QPoint | None = None
        self._space_down = False
        self._move: dict | None = None
        self._wire: dict | None = None
        self._rubber = False
        self.minimap = MiniMap(self)

    # --- zoom --------------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        current = self.zoom()
        if abs(factor - current) < 1e-6:
            return
        self.scale(factor / current, factor / current)
        self.zoom_changed.emit(self.zoom())
        self.minimap.refresh_visibility()

    def zoom_by(self, ratio: float) -> None:
        self.set_zoom(self.zoom() * ratio)

    def fit_to_view(self, readable: float | None = None) -> None:
        """Show the whole network; with ``readable``, never zoom out below it and show the
        top of a tall network instead (the overview in the corner shows the rest)."""
        rect = self.designer_scene.items_rect()
        if rect.isNull():
            self.resetTransform()
            self.centerOn(0, 0)
            return
        self.fitInView(rect.adjusted(-60, -60, 60, 60), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.0:
            self.set_zoom(1.0)
        elif self.zoom() < MIN_ZOOM:
            self.set_zoom(MIN_ZOOM)
        if readable is not None and self.zoom() < readable:
            self.set_zoom(readable)
            visible = self.mapToScene(self.viewport().rect()).boundingRect()
            self.centerOn(rect.center().x(), rect.top() - 40 + visible.height() / 2)
        else:
            self.centerOn(rect.center())
        self.zoom_changed.emit(self.zoom())
        self.minimap.refresh_visibility()

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - event.angleDelta().y())
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.set_zoom(self.zoom() * (1.15 ** steps))
        event.accept()

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.NativeGesture and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.set_zoom(self.zoom() * (1.0 + event.value()))
            return True
        if event.type() == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if pinch is not None:
                self.set_zoom(self.zoom() * pinch.scaleFactor())
                return True
        return super().viewportEvent(event)

    # --- pointer -----------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif event.key() == Qt.Key.Key_Escape and self._wire is not None:
            self._end_wire()
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self.viewport().unsetCursor()
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if event.button() == Qt.MouseButton.MiddleButton or (event.button() == Qt.MouseButton.LeftButton and self._space_down):
            self._pan_from = pos
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        item = self.itemAt(pos)
        scene_pos = self.mapToScene(pos)
        if isinstance(item, PortItem) and not item.is_input:
            self._begin_wire(item.node.node_id, scene_pos)
            return
        node = _node_of(item)
        if node is not None:
            additive = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
            if additive:
                node.setSelected(not node.isSelected())
            elif not node.isSelected():
                self.scene().clearSelection()
                node.setSelected(True)
            graph = self.designer_scene.graph
            chosen = [n.node_id for n in self.selected_nodes()]
            self._move = {"press": scene_pos, "start": {nid: graph.node(nid).position for nid in chosen},
                          "key": ("move", next(_drag_ids)), "active": False, "last": None}
            return
        if isinstance(item, EdgeItem):
            super().mousePressEvent(event)
            return
        self._rubber = True
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._pan_from is not None:
            delta = pos - self._pan_from
            self._pan_from = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            self.minimap.update()
            return
        if self._wire is not None:
            self._update_wire(self.mapToScene(pos))
            return
        if self._move is not None:
            scene_pos = self.mapToScene(pos)
            delta = scene_pos - self._move["press"]
            if not self._move["active"]:
                if (delta * self.zoom()).manhattanLength() < QApplication.startDragDistance():
                    return
                self._move["active"] = True
            moved = {}
            for nid, (x, y) in self._move["start"].items():
                nx, ny = x + delta.x(), y + delta.y()
                moved[nid] = (snap(nx), snap(ny)) if self.snap_to_grid else (nx, ny)
            if moved != self._move["last"]:
                self._move["last"] = moved
                self.nodes_dragged.emit(moved, self._move["key"])
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor) if self._space_down else self.viewport().unsetCursor()
            return
        if self._wire is not None:
            target = self._wire.get("hover")
            source = self._wire["source"]
            self._end_wire()
            if target is not None and target.refusal is None:
                self.connection_dropped.emit(source, target.node.node_id, target.name)
            elif target is not None:
                self.connection_refused.emit(target.refusal)
            return
        if self._move is not None:
            self._move = None
            return
        super().mouseReleaseEvent(event)
        if self._rubber:
            self._rubber = False
            self.setDragMode(QGraphicsView.DragMode.NoDrag)

    def contextMenuEvent(self, event) -> None:
        item = self.itemAt(event.pos())
        node = _node_of(item)
        if node is not None and not node.isSelected():
            self.scene().clearSelection()
            node.setSelected(True)
        edge = item.edge if isinstance(item, EdgeItem) else None
        if edge is not None:
            self.scene().clearSelection()
            item.setSelected(True)
        self.context_menu_requested.emit(event.globalPos(), node.node_id if node else "", edge)

    def selected_nodes(self) -> list[NodeItem]:
        return [i for i in self.scene().selectedItems() if isinstance(i, NodeItem)]

    # --- wires ---------------------------------------------------------------------------------
    def _begin_wire(self, source: str, scene_pos: QPointF) -> None:
        """Start dragging a connection; mark every input port as accepting or refusing it."""
        scene = self.designer_scene
        graph = scene.graph
        ancestors = graph.ancestors(source)
        for nid, node in scene.nodes.items():
            for port in node.inputs.values():
                why = connection_refusal(graph, source, nid, port.name, ancestors, replace=True)
                port.set_state(PortItem.REFUSED if why else PortItem.ALLOWED, why)
                port.replaces = [] if why else displaced_edges(graph, nid, port.name)
        preview = PreviewEdge()
        scene.addItem(preview)
        start = scene.nodes[source].output.scene_anchor()
        preview.set_ends(start, scene_pos)
        self._wire = {"source": source, "preview": preview, "start": start, "hover": None}

    def port_near(self, scene_pos: QPointF) -> PortItem | None:
        """The input port under (or close to) the pointer; over a node body, its best input
        (a free one before one whose wire would be replaced)."""
        radius = 14.0 / max(self.zoom(), 0.2)
        area = QRectF(scene_pos.x() - radius, scene_pos.y() - radius, 2 * radius, 2 * radius)
        ports = [i for i in self.scene().items(area) if isinstance(i, PortItem) and i.is_input]
        if ports:
            return min(ports, key=lambda p: (p.scenePos() - scene_pos).manhattanLength())
        node = next((_node_of(i) for i in self.scene().items(scene_pos) if _node_of(i) is not None), None)
        if node is not None and node.inputs:
            usable = [p for p in node.inputs.values() if p.refusal is None]
            free = [p for p in usable if not p.replaces]
            return (free or usable or list(node.inputs.values()))[0]
        return None

    def _update_wire(self, scene_pos: QPointF) -> None:
        wire = self._wire
        port = self.port_near(scene_pos)
        old = wire["hover"]
        if port is not old:
            if old is not None:
                old.set_state(PortItem.REFUSED if old.refusal else PortItem.ALLOWED, old.refusal)
            wire["hover"] = port
            if port is not None:
                if port.refusal:
                    self.hint_reported.emit(port.refusal)
                else:
                    problem = shape_after_connect(self.designer_scene.graph, wire["source"], port.node.node_id, port.name)
                    port.set_state(PortItem.HOVER_WARN if problem else PortItem.HOVER_OK, None)
                    hints = [self.tr("Dropping here replaces the wire from '{node}'.").format(node=e.source)
                             for e in port.replaces]
                    self.hint_reported.emit(" ".join(hints + ([problem] if problem else [])))
        end = port.scene_anchor() if port is not None and port.refusal is None else scene_pos
        ok = None if port is None else port.refusal is None
        wire["preview"].set_ends(wire["start"], end, ok)

    def _end_wire(self) -> None:
        wire, self._wire = self._wire, None
        if wire is None:
            return
        self.scene().removeItem(wire["preview"])
        for node in self.designer_scene.nodes.values():
            for port in node.inputs.values():
                port.set_state(PortItem.NORMAL, None)
                port.replaces = []
        self.hint_reported.emit("")

    @property
    def wiring(self) -> bool:
        return self._wire is not None

    # --- dropping layers from the palette ------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(LAYER_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(LAYER_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        if not event.mimeData().hasFormat(LAYER_MIME):
            super().dropEvent(event)
            return
        type_id = bytes(event.mimeData().data(LAYER_MIME).data()).decode("utf-8")
        view_pos = event.position().toPoint()
        scene_pos = self.mapToScene(view_pos)
        node = _node_of(self.itemAt(view_pos))
        event.acceptProposedAction()
        self.layer_dropped.emit(type_id, scene_pos, node.node_id if node else "")

    # --- overview -------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.minimap.place()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.minimap.update()


class MiniMap(QWidget):
    """An overview of the whole network in the canvas corner; click or drag in it to look elsewhere.

    Shown for networks too big to see at once (it draws plain boxes from node positions, so
    it stays cheap for hundreds of nodes)."""

    SIZE = (190, 150)
    THRESHOLD = 20

    def __init__(self, view: CanvasView) -> None:
        super().__init__(view)
        self.view = view
        self.setFixedSize(*self.SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Overview: click or drag to look at another part of the network"))
        self.enabled_by_user = True
        self._cache = None
        self.hide()

    def place(self) -> None:
        view = self.view
        x = view.width() - self.width() - 12 - (view.verticalScrollBar().width() if view.verticalScrollBar().isVisible() else 0)
        y = view.height() - self.height() - 12 - (view.horizontalScrollBar().height() if view.horizontalScrollBar().isVisible() else 0)
        self.move(max(0, x), max(0, y))

    def refresh_visibility(self) -> None:
        nodes = len(self.view.designer_scene.nodes)
        wanted = self.enabled_by_user and nodes > 1 and (nodes >= self.THRESHOLD or not self._all_in_view())
        if wanted != self.isVisible():
            self.setVisible(wanted)
            self.place()
        if wanted:
            self.update()

    def _all_in_view(self) -> bool:
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        return visible.contains(self.view.designer_scene.items_rect())

    def _frame(self) -> tuple[QRectF, float, QPointF]:
        rect = self.view.designer_scene.items_rect().adjusted(-40, -40, 40, 40)
        if rect.isNull() or rect.width() <= 0:
            rect = QRectF(0, 0, 1, 1)
        scale = min((self.width() - 8) / rect.width(), (self.height() - 8) / rect.height())
        offset = QPointF((self.width() - rect.width() * scale) / 2, (self.height() - rect.height() * scale) / 2)
        return rect, scale, offset

    def _to_map(self, p: QPointF, rect, scale, offset) -> QPointF:
        return QPointF((p.x() - rect.left()) * scale, (p.y() - rect.top()) * scale) + offset

    def invalidate(self) -> None:
        """The network changed: redraw the boxes on the next paint (the frame is kept till then)."""
        self._cache = None
        self.refresh_visibility()

    def _boxes(self) -> tuple[QPixmap, tuple]:
        """The node boxes drawn once per network change, not on every scroll or repaint."""
        if getattr(self, "_cache", None) is None:
            frame = self._frame()
            rect, scale, offset = frame
            pixmap = QPixmap(self.size())
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setPen(Qt.PenStyle.NoPen)
            by_colour: dict[str, list[QRectF]] = {}
            w, h = max(2.0, NODE_WIDTH * scale), max(1.5, NODE_HEIGHT * scale)
            for item in self.view.designer_scene.nodes.values():
                p = item.pos()
                x = (p.x() - rect.left()) * scale + offset.x()
                y = (p.y() - rect.top()) * scale + offset.y()
                colour = "#d9443b" if item.error and not item.upstream_error else item.colour.name()
                by_colour.setdefault(colour, []).append(QRectF(x, y, w, h))
            for colour, boxes in by_colour.items():  # one call per colour: cheap for hundreds of nodes
                painter.setBrush(QColor(colour))
                painter.drawRects(boxes)
            painter.end()
            self._cache = (pixmap, frame)
        return self._cache

    def paintEvent(self, event) -> None:
        pal = self.palette()
        painter = QPainter(self)
        bg = QColor(pal.window().color())
        bg.setAlpha(230)
        painter.fillRect(self.rect(), bg)
        painter.setPen(QPen(pal.mid().color(), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        pixmap, (rect, scale, offset) = self._boxes()
        painter.drawPixmap(0, 0, pixmap)
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        a = self._to_map(visible.topLeft(), rect, scale, offset)
        b = self._to_map(visible.bottomRight(), rect, scale, offset)
        painter.setPen(QPen(pal.highlight().color(), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(a, b))
        painter.end()

    def _look_at(self, pos: QPointF) -> None:
        _, (rect, scale, offset) = self._boxes()
        p = (pos - offset) / scale
        self.view.centerOn(QPointF(rect.left() + p.x(), rect.top() + p.y()))
        self.update()

    def mousePressEvent(self, event) -> None:
        self._look_at(event.position())

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._look_at(event.position())
