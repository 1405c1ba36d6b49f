"""What the canvas draws: layer nodes with ports and an error badge, edges with shape labels.

Items only display; they never change the graph. The scene positions them from the model
and refreshes their texts from shape inference.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsTextItem,
    QStyleOptionGraphicsItem,
)

from app.ui.layer_texts import layer_name, short_param_label

NODE_WIDTH = 220.0
NODE_HEIGHT = 62.0
HEADER = 20.0
ERROR_NOTE_WIDTH = 220.0
PORT_RADIUS = 6.0

CATEGORY_COLOURS = {
    "Input/Output": "#5b8def",
    "Core": "#4caf82",
    "Convolution": "#e08a3c",
    "Pooling": "#c9a227",
    "Normalization": "#8e7cc3",
    "Activation": "#e06c8f",
    "Embedding": "#3fb0b8",
    "Recurrent": "#7f9c3a",
    "Attention": "#b35fcf",
    "Sequence": "#4f9fd6",
    "Merge": "#8a8f98",
    "Heads": "#d3574f",
    "Blocks": "#6d7fa6",
}
ERROR_COLOUR = QColor("#d9443b")
OK_PORT = QColor("#37a85c")


def category_colour(category: str) -> QColor:
    return QColor(CATEGORY_COLOURS.get(category, "#7a8694"))


def _palette():
    return QApplication.palette()


def _is_dark() -> bool:
    return _palette().base().color().lightness() < 128


class PortItem(QGraphicsItem):
    """An input (top edge) or the output (bottom edge) of a node; a connection starts or ends here."""

    NORMAL, ALLOWED, REFUSED, HOVER_OK, HOVER_WARN = range(5)

    def __init__(self, node: "NodeItem", name: str, is_input: bool, variadic: bool = False) -> None:
        super().__init__(node)
        self.node = node
        self.name = name
        self.is_input = is_input
        self.variadic = variadic
        self.state = PortItem.NORMAL
        self.refusal: str | None = None
        self.replaces: list = []  # while a wire is dragged: the edges a drop here would replace
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setZValue(2)
        width = 26.0 if variadic else 2 * PORT_RADIUS
        self._rect = QRectF(-width / 2, -PORT_RADIUS, width, 2 * PORT_RADIUS)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -3, 3, 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect.adjusted(-5, -5, 5, 5))  # easier to hit than to see
        return path

    def set_state(self, state: int, refusal: str | None = None) -> None:
        if state != self.state or refusal != self.refusal:
            self.state, self.refusal = state, refusal
            self.setToolTip(refusal or "")
            self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        fill = {PortItem.NORMAL: _palette().base().color(), PortItem.ALLOWED: OK_PORT.lighter(150),
                PortItem.REFUSED: ERROR_COLOUR.lighter(160), PortItem.HOVER_OK: OK_PORT,
                PortItem.HOVER_WARN: QColor("#e0a030")}[self.state]
        edge = ERROR_COLOUR if self.state == PortItem.REFUSED else _palette().text().color()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(edge, 1.4))
        painter.setBrush(fill)
        painter.drawRoundedRect(self._rect, PORT_RADIUS, PORT_RADIUS)
        if self.state == PortItem.REFUSED:
            painter.drawLine(self._rect.topLeft() + QPointF(3, 3), self._rect.bottomRight() - QPointF(3, 3))

    def scene_anchor(self, index: int = 0, count: int = 1) -> QPointF:
        """Where an edge meets this port; edges into a variadic port spread along it."""
        x = 0.0
        if self.variadic and count > 1:
            x = -9.0 + 18.0 * index / (count - 1)
        return self.mapToScene(QPointF(x, 0.0))


class ErrorBadge(QGraphicsItem):
    """A red round badge with "!" whose tooltip says why the node does not fit."""

    def __init__(self, node: "NodeItem") -> None:
        super().__init__(node)
        self.setZValue(3)
        self.setAcceptHoverEvents(True)
        self.setPos(NODE_WIDTH - 4, -4)
        self.setCursor(Qt.CursorShape.WhatsThisCursor)

    def boundingRect(self) -> QRectF:
        return QRectF(-10, -10, 20, 20)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(ERROR_COLOUR)
        painter.drawEllipse(QRectF(-9, -9, 18, 18))
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(-9, -9, 18, 18), Qt.AlignmentFlag.AlignCenter, "!")


class ErrorNote(QGraphicsTextItem):
    """The node's whole error message, wrapped beside it, so it is read without hovering."""

    def __init__(self, node: "NodeItem") -> None:
        super().__init__(node)
        self.setZValue(4)
        self.setTextWidth(ERROR_NOTE_WIDTH)
        self.setDefaultTextColor(ERROR_COLOUR)
        font = QFont(self.font())
        font.setPointSizeF(8.5)
        self.setFont(font)
        self.setPos(NODE_WIDTH + 10, -2)

    def show_message(self, text: str) -> None:
        """Show ``text`` on as many lines as it needs, no wider than a node (a short one stays narrow)."""
        self.setPlainText(text)
        self.setTextWidth(-1)
        self.setTextWidth(min(ERROR_NOTE_WIDTH, self.document().idealWidth() + 1))

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(ERROR_COLOUR, 1.0))
        painter.setBrush(_palette().base().color() if not _is_dark() else QColor("#2f3136"))
        painter.drawRoundedRect(self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
        super().paint(painter, option, widget)


def title_font(base: QFont | None = None, size: float = 9.0) -> QFont:
    """The bold font of a node's title (also used to measure it)."""
    font = QFont(base if base is not None else QApplication.font())
    font.setPointSizeF(size)
    font.setBold(True)
    return font


def fitting_title_font(text: str, room: int, base: QFont | None = None) -> QFont:
    """The title font, a little smaller for the few long names, so the whole name fits ``room``."""
    for size in (9.0, 8.5, 8.0, 7.5):
        font = title_font(base, size)
        if QFontMetrics(font).horizontalAdvance(text) <= room:
            return font
    return font


def ident_font(base: QFont | None = None) -> QFont:
    font = QFont(base if base is not None else QApplication.font())
    font.setPointSizeF(8.0)
    return font


class NodeItem(QGraphicsItem):
    """One layer: coloured header with its name, key parameters, output shape and parameter count."""

    def __init__(self, node_id: str, spec, params: dict) -> None:
        super().__init__()
        self.node_id = node_id
        self.spec = spec
        self.params = dict(params)
        self.shape_text = "?"
        self.param_count = 0
        self.error: str | None = None
        self.upstream_error = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(1)
        self.setAcceptHoverEvents(True)
        self.colour = category_colour(spec.category)
        self.inputs = {p.name: PortItem(self, p.name, True, p.variadic) for p in spec.inputs}
        count = len(self.inputs)
        for i, port in enumerate(self.inputs.values()):
            port.setPos(NODE_WIDTH * (i + 1) / (count + 1), 0.0)
        self.output = PortItem(self, "out", False)
        self.output.setPos(NODE_WIDTH / 2, NODE_HEIGHT)
        self.output.setVisible(spec.type_id != "io.output")  # the model's result goes nowhere else
        self.badge = ErrorBadge(self)
        self.badge.hide()
        self.error_note = ErrorNote(self)
        self.error_note.hide()
        self._refresh_tooltip()

    # --- content ---------------------------------------------------------------------------
    def set_params(self, params: dict) -> None:
        self.params = dict(params)
        self._refresh_tooltip()
        self.update()

    def set_result(self, shape_text: str, param_count: int, error: str | None, upstream: bool) -> bool:
        """Show a shape-inference result; returns True when something visible changed."""
        new = (shape_text, param_count, error, upstream)
        if new == (self.shape_text, self.param_count, self.error, self.upstream_error):
            return False
        self.shape_text, self.param_count, self.error, self.upstream_error = new
        own = error is not None and not upstream
        self.badge.setVisible(own)
        self.badge.setToolTip(error or "")
        self.error_note.show_message(error or "")
        self.error_note.setVisible(own)
        self._refresh_tooltip()
        self.update()
        return True

    def key_params_text(self) -> str:
        """The parameters worth seeing at a glance: changed ones first, then the rest."""
        parts = []
        for p in self.spec.params:
            value = self.params.get(p.name)
            if p.type == "bool":
                if value and p.name != "bias":
                    parts.append((value != p.default, short_param_label(p)))
                continue
            if p.type == "node" and not value:
                continue
            if p.name == "vocab_size" and not value:
                continue
            if isinstance(value, list):
                value = "×".join(str(v) for v in value)
            if p.name == "activation" and value == "none":
                continue
            parts.append((value != p.default, f"{short_param_label(p)} {value}"))
        parts.sort(key=lambda item: not item[0])
        return " · ".join(text for _, text in parts)

    def title(self) -> str:
        """The layer type's name in the window's language."""
        return layer_name(self.spec)

    def header_texts(self, base: QFont | None = None) -> tuple[str, str]:
        """(title, node id) as the header draws them."""
        _font, title, ident = self.header_layout(base)
        return title, ident

    def header_layout(self, base: QFont | None = None) -> tuple[QFont, str, str]:
        """(title font, title, node id): the title gets the room it needs first (a smaller font for
        a long name, elided only past that, the tooltip names it), the id (also in the tooltip) is
        shortened in the middle to fit what is left."""
        room = int(NODE_WIDTH - 16)
        font = fitting_title_font(self.title(), room, base)
        title = QFontMetrics(font).elidedText(self.title(), Qt.TextElideMode.ElideRight, room)
        used = QFontMetrics(font).horizontalAdvance(title) + 10
        ident_metrics = QFontMetrics(ident_font(base))
        ident = ident_metrics.elidedText(self.node_id, Qt.TextElideMode.ElideMiddle, max(0, room - used))
        if ident_metrics.horizontalAdvance(ident) < ident_metrics.horizontalAdvance("…") * 2:
            ident = ""  # no room for a readable id: the tooltip has it
        return font, title, ident

    def _refresh_tooltip(self) -> None:
        lines = [f"<b>{self.title()}</b> <code>{self.node_id}</code>", self.spec.description]
        if self.error:
            lines.append(f"<span style='color:{ERROR_COLOUR.name()}'>{self.error}</span>")
        self.setToolTip("<br>".join(lines))

    # --- drawing ---------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(-2, -2, NODE_WIDTH + 4, NODE_HEIGHT + 4)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        pal = _palette()
        dark = _is_dark()
        rect = QRectF(0, 0, NODE_WIDTH, NODE_HEIGHT)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        body = pal.base().color() if not dark else QColor("#2f3136")
        if self.isSelected():
            border = QPen(pal.highlight().color(), 2.6)
        elif self.error and not self.upstream_error:
            border = QPen(ERROR_COLOUR, 1.8)
        else:
            border = QPen(pal.mid().color().darker(110) if not dark else QColor("#55585e"), 1.0)
        painter.setPen(border)
        painter.setBrush(body)
        painter.drawRoundedRect(rect, 7, 7)
        header = QPainterPath()
        header.addRoundedRect(QRectF(0, 0, NODE_WIDTH, HEADER + 7), 7, 7)
        clip = QPainterPath()
        clip.addRect(QRectF(0, 0, NODE_WIDTH, HEADER))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour if not dark else self.colour.darker(125))
        painter.drawPath(header.intersected(clip))

        font, title, ident = self.header_layout(painter.font())
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(8, 0, NODE_WIDTH - 16, HEADER), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
        font = ident_font(painter.font())
        painter.setFont(font)
        metrics = QFontMetrics(font)
        painter.drawText(QRectF(8, 0, NODE_WIDTH - 16, HEADER), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, ident)

        text = pal.text().color()
        muted = QColor(text)
        muted.setAlpha(165)
        painter.setPen(muted)
        params_line = metrics.elidedText(self.key_params_text() or "—", Qt.TextElideMode.ElideRight, int(NODE_WIDTH - 16))
        painter.drawText(QRectF(8, HEADER + 2, NODE_WIDTH - 16, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, params_line)
        font.setPointSizeF(8.5)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        if self.error and not self.upstream_error:
            painter.setPen(ERROR_COLOUR)
            shape = metrics.elidedText(self.error, Qt.TextElideMode.ElideRight, int(NODE_WIDTH - 16))
        else:
            painter.setPen(text)
            shape = self.shape_text
        painter.drawText(QRectF(8, HEADER + 21, NODE_WIDTH - 16, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shape)
        if self.param_count:
            painter.setPen(muted)
            painter.drawText(QRectF(8, HEADER + 21, NODE_WIDTH - 16, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{self.param_count:,}")

    def port_for(self, name: str) -> PortItem | None:
        return self.inputs.get(name)


class EdgeItem(QGraphicsPathItem):
    """A connection drawn as a smooth curve from an output port down to an input port, with
    the tensor shape that flows along it written on a small label."""

    def __init__(self, edge) -> None:
        super().__init__()
        self.edge = edge
        self.label = ""
        self.setZValue(0)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self._label_rect = QRectF()
        self._refresh_pen()

    def _refresh_pen(self) -> None:
        colour = _palette().highlight().color() if self.isSelected() else _palette().text().color()
        if not self.isSelected():
            colour.setAlpha(150)
        pen = QPen(colour, 2.4 if self.isSelected() else 1.6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._refresh_pen()
        return super().itemChange(change, value)

    def set_ends(self, start: QPointF, end: QPointF) -> None:
        path = QPainterPath(start)
        dy = end.y() - start.y()
        dx = end.x() - start.x()
        if dy > 0 and abs(dx) < NODE_WIDTH * 0.6 and dy > NODE_HEIGHT * 2.2:
            # A long straight drop would run through the layers it skips: bow it sideways.
            bow = NODE_WIDTH * 0.75
            path.cubicTo(QPointF(start.x() + bow, start.y() + dy * 0.25), QPointF(end.x() + bow, end.y() - dy * 0.25), end)
        else:
            pull = max(40.0, abs(dy) * 0.5)
            path.cubicTo(QPointF(start.x(), start.y() + pull), QPointF(end.x(), end.y() - pull), end)
        self.prepareGeometryChange()
        self.setPath(path)
        self._place_label()

    def set_label(self, text: str) -> bool:
        if text == self.label:
            return False
        self.label = text
        self.prepareGeometryChange()
        self._place_label()
        self.update()
        return True

    def _label_font(self) -> QFont:
        font = QFont(QApplication.font())
        font.setPointSizeF(7.5)
        return font

    def _place_label(self) -> None:
        if not self.label:
            self._label_rect = QRectF()
            return
        mid = self.path().pointAtPercent(0.5)
        width = QFontMetrics(self._label_font()).horizontalAdvance(self.label) + 10
        self._label_rect = QRectF(mid.x() - width / 2, mid.y() - 8, width, 16)

    def boundingRect(self) -> QRectF:
        return super().boundingRect().united(self._label_rect).adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path())

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        if self.label:
            pal = _palette()
            painter.setPen(QPen(pal.mid().color(), 0.8))
            painter.setBrush(QBrush(pal.window().color()))
            painter.drawRoundedRect(self._label_rect, 8, 8)
            painter.setFont(self._label_font())
            painter.setPen(pal.text().color())
            painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self.label)


class PreviewEdge(QGraphicsPathItem):
    """The dashed curve that follows the pointer while a connection is dragged."""

    def __init__(self) -> None:
        super().__init__()
        pen = QPen(_palette().highlight().color(), 2.0, Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setZValue(5)

    def set_ends(self, start: QPointF, end: QPointF, ok: bool | None = None) -> None:
        path = QPainterPath(start)
        pull = max(40.0, abs(end.y() - start.y()) * 0.5)
        path.cubicTo(QPointF(start.x(), start.y() + pull), QPointF(end.x(), end.y() - pull), end)
        self.setPath(path)
        colour = _palette().highlight().color() if ok is None else (OK_PORT if ok else ERROR_COLOUR)
        pen = self.pen()
        pen.setColor(colour)
        self.setPen(pen)
