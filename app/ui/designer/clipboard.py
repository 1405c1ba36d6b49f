"""Designer layers on the system clipboard, and where pasted layers land.

Copied layers travel as JSON (our own MIME type, plus the same JSON as text so they can be
pasted into another window of the app or looked at); a paste goes under the pointer when it
is over the canvas, else beside the originals, and never on top of a layer already there.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPointF
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

from app.core.graph.graph import Graph
from app.ui.designer.edits import FRAGMENT_FORMAT, snap
from app.ui.designer.items import NODE_HEIGHT, NODE_WIDTH

FRAGMENT_MIME = "application/x-modelwright-graph"
PASTE_STEP = 40.0


def put_on_clipboard(fragment: dict) -> None:
    """Copy a graph fragment (``edits.copy_fragment``) to the system clipboard."""
    mime = QMimeData()
    text = json.dumps(fragment)
    mime.setData(FRAGMENT_MIME, text.encode("utf-8"))
    mime.setText(text)
    QApplication.clipboard().setMimeData(mime)


def clipboard_fragment() -> dict | None:
    """The designer layers on the clipboard (its own format, or their JSON as text), or None."""
    mime = QApplication.clipboard().mimeData()
    raw = None
    if mime is not None and mime.hasFormat(FRAGMENT_MIME):
        raw = bytes(mime.data(FRAGMENT_MIME).data()).decode("utf-8", errors="replace")
    elif mime is not None and mime.hasText():
        raw = mime.text()
    if not raw or not raw.lstrip().startswith("{"):
        return None
    try:
        fragment = json.loads(raw)
    except ValueError:
        return None
    return fragment if isinstance(fragment, dict) and fragment.get("format") == FRAGMENT_FORMAT else None


def paste_offset(graph: Graph, fragment: dict, at: QPointF | None, count: int) -> tuple[float, float]:
    """How far to shift a fragment so that it lands at ``at`` (its top-left corner there) or,
    without a point, ``count`` steps from its originals; then further down and right until no
    pasted layer overlaps a layer already in the network."""
    positions = [tuple(n.get("position") or (0.0, 0.0)) for n in fragment.get("nodes") or []]
    if not positions:
        return (0.0, 0.0)
    if at is not None:
        dx = at.x() - min(x for x, _ in positions)
        dy = at.y() - min(y for _, y in positions)
    else:
        dx = dy = PASTE_STEP * max(count, 1)
    taken = [n.position for n in graph.nodes] if graph is not None else []

    def covers(dx: float, dy: float) -> bool:
        return any(abs(snap(x + dx) - tx) < NODE_WIDTH and abs(snap(y + dy) - ty) < NODE_HEIGHT
                   for x, y in positions for tx, ty in taken)

    for _ in range(200):
        if not covers(dx, dy):
            break
        dx, dy = dx + PASTE_STEP, dy + PASTE_STEP
    return (dx, dy)


def pointer_on_canvas(canvas) -> QPointF | None:
    """The scene point under the mouse pointer, or None when it is not over ``canvas``."""
    viewport = canvas.viewport()
    local = viewport.mapFromGlobal(QCursor.pos())
    if not viewport.isVisible() or not viewport.rect().contains(local):
        return None
    widget = QApplication.widgetAt(QCursor.pos())
    if widget is not None and widget is not viewport and not viewport.isAncestorOf(widget):
        return None  # a menu or another window covers the canvas there
    return canvas.mapToScene(local)
