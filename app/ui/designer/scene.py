"""The canvas scene: one item per node and edge, kept in step with the graph's events.

The scene never edits the graph. :meth:`DesignerScene.on_graph_event` adds, removes and
moves items as the model reports changes; :meth:`DesignerScene.show_shapes` writes the
latest shape-inference results onto nodes and edge labels, touching only what changed (so a
300-node network redraws in a few milliseconds).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsScene

from app.core.graph.graph import EdgeAdded, EdgeRemoved, Graph, NodeAdded, NodeMoved, NodeRemoved, ParamChanged
from app.ui.designer.items import NODE_HEIGHT, NODE_WIDTH, EdgeItem, NodeItem

MARGIN = 400.0


class DesignerScene(QGraphicsScene):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.graph: Graph | None = None
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[object, EdgeItem] = {}
        self._edges_of: dict[str, set] = {}
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.grid_visible = True

    # --- building from the model -------------------------------------------------------------
    def set_graph(self, graph: Graph | None) -> None:
        self.clear()
        self.nodes.clear()
        self.edges.clear()
        self._edges_of.clear()
        self.graph = graph
        if graph is None:
            return
        for node in graph.nodes:
            self._add_node(node.id)
        for edge in graph.edges:
            self._add_edge(edge)
        self.grow_to_fit()

    def on_graph_event(self, event) -> None:
        if isinstance(event, NodeMoved):
            item = self.nodes.get(event.node_id)
            if item is not None:
                item.setPos(*event.new)
                self._update_edges_of(event.node_id)
        elif isinstance(event, EdgeAdded):
            self._add_edge(event.edge)
            self._respread(event.edge.target)
        elif isinstance(event, EdgeRemoved):
            item = self.edges.pop(event.edge, None)
            if item is not None:
                self.removeItem(item)
            for nid in (event.edge.source, event.edge.target):
                self._edges_of.get(nid, set()).discard(event.edge)
            self._respread(event.edge.target)
        elif isinstance(event, NodeAdded):
            self._add_node(event.node_id)
        elif isinstance(event, NodeRemoved):
            item = self.nodes.pop(event.node_id, None)
            self._edges_of.pop(event.node_id, None)
            if item is not None:
                self.removeItem(item)
        elif isinstance(event, ParamChanged):
            item = self.nodes.get(event.node_id)
            if item is not None:
                item.set_params(self.graph.node(event.node_id).params)

    def _add_node(self, node_id: str) -> None:
        node = self.graph.node(node_id)
        item = NodeItem(node_id, node.spec, node.params)
        item.setPos(*node.position)
        self.addItem(item)
        self.nodes[node_id] = item
        self._edges_of.setdefault(node_id, set())

    def _add_edge(self, edge) -> None:
        item = EdgeItem(edge)
        self.addItem(item)
        self.edges[edge] = item
        self._edges_of.setdefault(edge.source, set()).add(edge)
        self._edges_of.setdefault(edge.target, set()).add(edge)
        self._place_edge(item)

    def _place_edge(self, item: EdgeItem) -> None:
        e = item.edge
        src, dst = self.nodes.get(e.source), self.nodes.get(e.target)
        if src is None or dst is None:
            return
        port = dst.port_for(e.target_port)
        if port is None:
            return
        index, count = 0, 1
        if port.variadic:
            siblings = [x for x in self.graph.edges if x.target == e.target and x.target_port == e.target_port]
            count = len(siblings)
            index = siblings.index(e) if e in siblings else 0
        item.set_ends(src.output.scene_anchor(), port.scene_anchor(index, count))

    def _update_edges_of(self, node_id: str) -> None:
        for edge in self._edges_of.get(node_id, ()):
            item = self.edges.get(edge)
            if item is not None:
                self._place_edge(item)

    def _respread(self, target: str) -> None:
        """Edges into a variadic port share it; re-place them when one comes or goes."""
        item = self.nodes.get(target)
        if item is not None and any(p.variadic for p in item.inputs.values()):
            self._update_edges_of(target)

    # --- shapes ------------------------------------------------------------------------------
    def show_shapes(self, report) -> None:
        """Write a ShapeReport onto nodes (shape, parameters, error badge) and edge labels."""
        for nid, item in self.nodes.items():
            r = report.nodes.get(nid)
            if r is not None:
                item.set_result(r.shape_str if r.shape is not None else "?", r.params, r.error, r.upstream_error)
        for edge, item in self.edges.items():
            r = report.nodes.get(edge.source)
            item.set_label(r.shape_str if r is not None and r.shape is not None else "")

    # --- geometry ------------------------------------------------------------------------------
    def items_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.nodes.values():
            rect = rect.united(item.sceneBoundingRect())
        return rect

    def grow_to_fit(self) -> None:
        """Keep a generous margin of empty canvas around the network to drop and pan into."""
        rect = self.items_rect()
        if rect.isNull():
            rect = QRectF(-600, -400, 1200, 800)
        wanted = rect.adjusted(-MARGIN * 2, -MARGIN, MARGIN * 2, MARGIN)
        current = self.sceneRect()
        if not current.contains(wanted):
            self.setSceneRect(current.united(wanted) if not current.isNull() else wanted)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        pal = QApplication.palette()
        base = pal.base().color()
        painter.fillRect(rect, base)
        if not self.grid_visible:
            return
        scale = painter.transform().m11()
        step = 20.0 if scale >= 0.6 else (100.0 if scale >= 0.15 else 0.0)
        if not step:
            return
        dot = QColor(pal.text().color())
        dot.setAlpha(40)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp dots, 3x cheaper
        painter.setPen(QPen(dot, 0))
        left = int(rect.left() // step) * step
        top = int(rect.top() // step) * step
        points = []
        y = top
        while y < rect.bottom():
            x = left
            while x < rect.right():
                points.append(QPointF(x, y))
                x += step
            y += step
        if len(points) < 40000:
            painter.drawPoints(points)


def node_center(position: tuple[float, float]) -> QPointF:
    return QPointF(position[0] + NODE_WIDTH / 2, position[1] + NODE_HEIGHT / 2)


__all__ = ["DesignerScene", "node_center", "Qt"]
