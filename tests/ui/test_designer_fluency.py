"""The designer's everyday fluency in the main window: wires that connect leave no stale error,
a wire dropped on an occupied input replaces the old one in one undo step (Ctrl+Y and
Ctrl+Shift+Z both redo), the Edit menu offers cut/copy/paste/duplicate/delete/select all only
when they apply, pastes never land on top of layers, and dropping a layer keeps the view still."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QCursor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.ui.designer.canvas import LAYER_MIME
from app.ui.designer.items import NODE_HEIGHT, NODE_WIDTH
from tests.ui.test_designer import in_port, mouse, out_port

FAR_AWAY = QPoint(20000, 20000)  # a pointer position over no window


@pytest.fixture
def design(window, iris_project, qtbot):
    """The iris network (input → dense_1 → dropout_1 → dense_2 → … → output) on the Design page."""
    assert window.open_project(iris_project)
    window.show_view("design")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = window.design_view
    view.canvas.set_zoom(0.7)
    view.canvas.centerOn(QPointF(250, 270))
    QCursor.setPos(FAR_AWAY)
    return view


def wire_through(view, source: str, stops: list[QPointF], seen: list[str]) -> None:
    """Drag a wire from ``source``'s output over each stop in turn and release on the last one,
    noting what the strip under the canvas says at every stop."""
    mouse(view, QEvent.Type.MouseButtonPress, out_port(view, source))
    for stop in stops:
        mouse(view, QEvent.Type.MouseMove, stop)
        seen.append(view.message.text())
    mouse(view, QEvent.Type.MouseButtonRelease, stops[-1])


def status_text(window) -> str:
    return window.statusBar().currentMessage()


def no_error_shown(text: str) -> bool:
    return text == "" or text.startswith("Connected")


def edge_set(graph) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.target_port) for e in graph.edges}


def overlapping(graph) -> list[tuple[str, str]]:
    nodes = list(graph.nodes)
    return [(a.id, b.id) for i, a in enumerate(nodes) for b in nodes[i + 1:]
            if abs(a.position[0] - b.position[0]) < NODE_WIDTH and abs(a.position[1] - b.position[1]) < NODE_HEIGHT]


# --- connecting ------------------------------------------------------------------------------------

def test_a_successful_connect_leaves_no_hover_error_in_the_strip_or_status_bar(window, design):
    relu = design.add_layer("act.relu", (260, 270))
    seen: list[str] = []
    # on the way: the source's own input (refused: a layer cannot feed itself), then the new layer
    wire_through(design, "dropout_1", [in_port(design, "dropout_1"), in_port(design, relu)], seen)
    assert "feed itself" in seen[0]  # the hint was shown while hovering ...
    assert ("dropout_1", relu, "in") in edge_set(design.graph)
    assert design.undo_stack.undoText() == f"Connect dropout_1 → {relu}"
    assert no_error_shown(design.message.text()), design.message.text()  # ... and is gone now
    assert no_error_shown(status_text(window)), status_text(window)
    assert "feed itself" not in status_text(window)


def test_hovering_an_occupied_input_on_the_way_leaves_no_error_after_connecting(window, design):
    relu = design.add_layer("act.relu", (260, 270))
    seen: list[str] = []
    wire_through(design, "dense_1", [in_port(design, "dense_2"), in_port(design, relu)], seen)
    assert "dropout_1" in seen[0]  # hovering dense_2 said whose wire it would replace
    assert ("dense_1", relu, "in") in edge_set(design.graph)
    assert ("dropout_1", "dense_2", "in") in edge_set(design.graph)  # only hovered: untouched
    assert no_error_shown(design.message.text()), design.message.text()
    assert no_error_shown(status_text(window)), status_text(window)


def test_a_refused_drop_still_says_why(window, design):
    seen: list[str] = []
    before = edge_set(design.graph)
    wire_through(design, "dense_2", [in_port(design, "dense_1")], seen)  # would make a loop
    assert edge_set(design.graph) == before
    assert "loop" in design.message.text()
    assert "loop" in status_text(window)


def test_a_wire_dropped_on_an_occupied_input_replaces_it_in_one_undo_step(window, design, qtbot):
    edge_set_before = edge_set(design.graph)
    depth = design.undo_stack.count()
    seen: list[str] = []
    wire_through(design, "dense_1", [in_port(design, "dense_2")], seen)  # dense_2 is fed by dropout_1
    replaced = edge_set(design.graph)
    assert ("dense_1", "dense_2", "in") in replaced
    assert ("dropout_1", "dense_2", "in") not in replaced
    assert len(replaced) == len(edge_set_before)
    assert design.undo_stack.count() == depth + 1  # one step for both
    assert "dropout_1" in design.undo_stack.undoText()
    assert no_error_shown(design.message.text()) and no_error_shown(status_text(window))

    design.canvas.setFocus()
    ctrl, ctrl_shift = Qt.KeyboardModifier.ControlModifier, \
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(design.canvas, Qt.Key.Key_Z, ctrl)
    assert edge_set(design.graph) == edge_set_before  # the old wire is back
    QTest.keyClick(design.canvas, Qt.Key.Key_Y, ctrl)
    assert edge_set(design.graph) == replaced
    QTest.keyClick(design.canvas, Qt.Key.Key_Z, ctrl)
    assert edge_set(design.graph) == edge_set_before
    QTest.keyClick(design.canvas, Qt.Key.Key_Z, ctrl_shift)
    assert edge_set(design.graph) == replaced


def test_both_redo_shortcuts_are_on_the_redo_action(window):
    keys = {k.toString() for k in window.redo_action.shortcuts()}
    assert "Ctrl+Y" in keys and "Ctrl+Shift+Z" in keys


# --- the Edit menu -----------------------------------------------------------------------------------

def edit_actions(window) -> dict[str, object]:
    return {a.text(): a for a in window.edit_menu.actions() if a.text()}


def test_the_edit_menu_offers_clipboard_actions_only_when_they_apply(window, design):
    actions = edit_actions(window)
    names = ["Cut", "Copy", "Paste", "Duplicate", "Delete", "Select All"]
    assert all(name in actions for name in names), list(actions)
    QApplication.clipboard().setText("not layers")
    design.select_nodes([])
    enabled = {name: actions[name].isEnabled() for name in names}
    assert enabled == {"Cut": False, "Copy": False, "Paste": False, "Duplicate": False, "Delete": False,
                       "Select All": True}

    design.select_nodes(["dense_1"])
    assert actions["Copy"].isEnabled() and actions["Cut"].isEnabled() and actions["Delete"].isEnabled()
    actions["Copy"].trigger()
    assert actions["Paste"].isEnabled()
    count = len(design.graph)
    actions["Paste"].trigger()
    assert len(design.graph) == count + 1
    (pasted,) = design.selected_node_ids()
    actions["Delete"].trigger()
    assert not design.graph.has_node(pasted)
    actions["Select All"].trigger()
    assert set(design.selected_node_ids()) == {n.id for n in design.graph.nodes}

    window.show_view("data")  # another page: none of them apply there
    assert not any(actions[name].isEnabled() for name in names)
    window.show_view("design")
    assert actions["Copy"].isEnabled() and actions["Paste"].isEnabled()


def test_paste_lands_beside_the_originals_and_again_somewhere_new(window, design):
    design.select_nodes(["dense_1", "dropout_1"])
    design.copy_action.trigger()
    design.paste_action.trigger()
    first = {nid: design.graph.node(nid).position for nid in design.selected_node_ids()}
    assert len(first) == 2
    assert overlapping(design.graph) == []
    design.paste_action.trigger()
    second = {nid: design.graph.node(nid).position for nid in design.selected_node_ids()}
    assert len(second) == 2 and not set(second) & set(first)
    assert set(second.values()).isdisjoint(first.values())
    assert overlapping(design.graph) == []
    design.select_nodes(["dense_2"])
    design.duplicate_action.trigger()
    assert overlapping(design.graph) == []


def test_paste_lands_at_the_pointer_over_the_canvas(window, design):
    design.select_nodes(["dense_1"])
    design.copy_action.trigger()
    canvas = design.canvas
    size = canvas.viewport().size()

    def empty(spot: QPoint) -> bool:  # room for a layer with its top-left corner there
        corner = canvas.mapToScene(spot)
        room = QRectF(corner.x() - 10, corner.y() - 10, NODE_WIDTH + 20, NODE_HEIGHT + 20)
        return not [i for i in design.scene.items(room) if i.parentItem() is None and hasattr(i, "node_id")]

    spot = next(QPoint(x, y) for y in range(20, size.height() - 60, 20) for x in range(20, size.width() - 60, 20)
                if empty(QPoint(x, y)))
    corner = canvas.mapToScene(spot)
    QCursor.setPos(canvas.viewport().mapToGlobal(spot))
    design.paste_action.trigger()
    (pasted,) = design.selected_node_ids()
    x, y = design.graph.node(pasted).position
    assert abs(x - corner.x()) <= 5 and abs(y - corner.y()) <= 5, ((x, y), corner)


# --- dropping from the palette -----------------------------------------------------------------------

def drop_at(view, type_id: str, pos: QPoint) -> None:
    canvas = view.canvas
    mime = QMimeData()
    mime.setData(LAYER_MIME, QByteArray(type_id.encode()))
    actions, left, none = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(canvas.viewport(), QDragEnterEvent(pos, actions, mime, left, none))
    QApplication.sendEvent(canvas.viewport(), QDragMoveEvent(pos, actions, mime, left, none))
    QApplication.sendEvent(canvas.viewport(), QDropEvent(QPointF(pos), actions, mime, left, none))
    view.flush()


def test_dropping_a_layer_keeps_the_view_still(window, design):
    canvas = design.canvas
    size = canvas.viewport().size()
    bars = canvas.horizontalScrollBar(), canvas.verticalScrollBar()
    spots = [QPoint(size.width() - 25, 30), QPoint(size.width() - 25, size.height() - 25),
             QPoint(25, size.height() // 2)]
    for spot in spots:
        if canvas.itemAt(spot) is not None:
            continue
        scroll = (bars[0].value(), bars[1].value())
        where = canvas.mapToScene(spot)
        count = len(design.graph)
        drop_at(design, "act.relu", spot)
        assert len(design.graph) == count + 1
        assert (bars[0].value(), bars[1].value()) == scroll, f"the view moved on a drop at {spot}"
        (new,) = design.selected_node_ids()
        x, y = design.graph.node(new).position
        assert abs(x + NODE_WIDTH / 2 - where.x()) <= 10 and abs(y + NODE_HEIGHT / 2 - where.y()) <= 10
