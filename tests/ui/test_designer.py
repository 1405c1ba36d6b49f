"""The network designer, driven the way a person drives it: drops, port drags, the inspector,
undo/redo, copy/paste, blocks, templates and saving."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent, QUndoStack
from PySide6.QtWidgets import QApplication

from app.core.data.info import DataInfo
from app.core.graph.graph import Graph
from app.core.project import Project, load_project, save_project
from app.ui.designer import DesignerView
from app.ui.designer.canvas import LAYER_MIME
from app.ui.designer.items import NODE_HEIGHT, NODE_WIDTH, PortItem


@pytest.fixture
def designer(qtbot):
    project = Project(name="keras", graph=Graph())
    stack = QUndoStack()
    view = DesignerView(project, stack)
    view.undo_stack_ref = stack  # keep the stack alive as long as the view
    qtbot.addWidget(view)
    view.resize(1300, 820)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.close()


# --- gestures -----------------------------------------------------------------------------------

def drop_layer(view: DesignerView, type_id: str, scene_xy: tuple[float, float]) -> str:
    """Drop a palette entry on the canvas at a scene position, as a drag from the palette does."""
    before = {n.id for n in view.graph.nodes}
    canvas = view.canvas
    canvas.centerOn(QPointF(*scene_xy))
    pos = canvas.mapFromScene(QPointF(*scene_xy))
    mime = QMimeData()
    mime.setData(LAYER_MIME, QByteArray(type_id.encode()))
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas.viewport(), enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas.viewport(), move)
    drop = QDropEvent(QPointF(pos), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas.viewport(), drop)
    (added,) = {n.id for n in view.graph.nodes} - before
    return added


def mouse(view: DesignerView, kind, scene_pos: QPointF, buttons=Qt.MouseButton.LeftButton,
          modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    canvas = view.canvas
    local = QPointF(canvas.mapFromScene(scene_pos))
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else buttons
    event = QMouseEvent(kind, local, QPointF(canvas.viewport().mapToGlobal(local.toPoint())), button, held, modifiers)
    QApplication.sendEvent(canvas.viewport(), event)


def drag(view: DesignerView, start: QPointF, end: QPointF, steps: int = 5, check=None) -> None:
    mouse(view, QEvent.Type.MouseButtonPress, start)
    for i in range(1, steps + 1):
        mouse(view, QEvent.Type.MouseMove, start + (end - start) * (i / steps))
        if check is not None and i == steps:
            check()
    mouse(view, QEvent.Type.MouseButtonRelease, end)


def out_port(view, node_id) -> QPointF:
    return view.scene.nodes[node_id].output.scenePos()


def in_port(view, node_id, name="in") -> QPointF:
    return view.scene.nodes[node_id].inputs[name].scenePos()


def wire(view, source, target, port="in") -> None:
    view.canvas.centerOn(QPointF((out_port(view, source) + in_port(view, target, port)) / 2))
    drag(view, out_port(view, source), in_port(view, target, port))


def build_keras_seed(view) -> dict[str, str]:
    ids = {
        "input": drop_layer(view, "io.input", (0, 0)),
        "hidden": drop_layer(view, "core.linear", (0, 130)),
        "out": drop_layer(view, "core.linear", (0, 260)),
        "output": drop_layer(view, "io.output", (0, 390)),
    }
    wire(view, ids["input"], ids["hidden"])
    wire(view, ids["hidden"], ids["out"])
    wire(view, ids["out"], ids["output"])
    return ids


# --- the tests ------------------------------------------------------------------------------------

def test_build_the_keras_network_by_dropping_and_wiring_then_set_parameters_in_the_inspector(designer, qtbot):
    ids = build_keras_seed(designer)
    graph = designer.graph
    assert [graph.node(i).type for i in ids.values()] == ["io.input", "core.linear", "core.linear", "io.output"]
    assert [(e.source, e.target) for e in graph.edges] == [
        (ids["input"], ids["hidden"]), (ids["hidden"], ids["out"]), (ids["out"], ids["output"])]
    # dropped where the pointer was (centred on it, snapped to the grid)
    x, y = graph.node(ids["hidden"]).position
    assert abs(x + NODE_WIDTH / 2) <= 10 and abs(y - 130 + NODE_HEIGHT / 2) <= 10

    designer.select_nodes([ids["hidden"]])
    inspector = designer.inspector
    assert inspector.node_id == ids["hidden"]
    inspector.editors["out_features"].setValue(3)
    inspector.editors["activation"].setCurrentText("relu")
    designer.select_nodes([ids["out"]])
    designer.inspector.editors["out_features"].setValue(1)
    designer.inspector.editors["activation"].setCurrentText("sigmoid")
    assert graph.node(ids["hidden"]).params["out_features"] == 3
    assert graph.node(ids["out"]).params["activation"] == "sigmoid"
    assert graph.problems() == []

    nodes = designer.scene.nodes
    assert nodes[ids["hidden"]].shape_text == "(B, 3)" and nodes[ids["hidden"]].param_count == 9
    assert nodes[ids["out"]].shape_text == "(B, 1)" and nodes[ids["out"]].param_count == 4
    edge_labels = {(e.source, e.target): item.label for e, item in designer.scene.edges.items()}
    assert edge_labels[(ids["input"], ids["hidden"])] == "(B, 2)"
    assert edge_labels[(ids["hidden"], ids["out"])] == "(B, 3)"
    qtbot.waitUntil(lambda: not designer._summary_timer.isActive())
    assert designer.summary.table.rowCount() == 4
    assert "13" in designer.summary.totals.text()  # 9 + 4 parameters


def test_a_bad_connection_shows_a_red_badge_that_undo_removes(designer):
    ids = build_keras_seed(designer)
    designer.set_param(ids["input"], "kind", "image")
    designer.set_param(ids["input"], "shape", [1, 28, 28])
    node = designer.scene.nodes[ids["hidden"]]
    assert node.badge.isVisible()
    assert "Linear expects" in node.badge.toolTip() and "Flatten" in node.badge.toolTip()
    assert not designer.scene.nodes[ids["out"]].badge.isVisible()  # only the node at fault gets a badge
    designer.undo_stack.undo()
    designer.undo_stack.undo()
    assert not node.badge.isVisible()
    assert node.shape_text == "(B, 64)"


def test_the_inspector_checks_typed_values_and_follows_undo(designer):
    nid = designer.add_layer("core.dropout", (0, 0))
    designer.select_nodes([nid])
    field = designer.inspector.editors["p"]
    field.setFocus()
    field.setText("1.5")
    field.textEdited.emit("1.5")
    assert not designer.inspector.errors["p"].isHidden()
    assert "at most 1" in designer.inspector.errors["p"].text()
    field.editingFinished.emit()
    assert designer.graph.node(nid).params["p"] == 0.1  # refused, nothing changed
    field.setText("0.25")
    field.textEdited.emit("0.25")
    field.editingFinished.emit()
    assert designer.graph.node(nid).params["p"] == 0.25 and designer.inspector.errors["p"].isHidden()
    designer.undo_stack.undo()
    assert designer.inspector.editors["p"].text() == "0.1"
    for spec in designer.graph.node(nid).spec.params:
        assert designer.inspector.editors[spec.name].toolTip() == spec.help


def test_dragging_a_wire_marks_refused_ports_and_refuses_loops(designer):
    ids = build_keras_seed(designer)
    seen = {}

    def check():
        ports = {nid: item.inputs.get("in") for nid, item in designer.scene.nodes.items()}
        seen["input_feeds_out"] = ports[ids["hidden"]].state  # hidden already fed: refused
        seen["loop"] = ports[ids["hidden"]].refusal
        seen["hover"] = ports[ids["hidden"]].state

    # from the last Dense back to the first one: would be a loop
    drag(designer, out_port(designer, ids["out"]), in_port(designer, ids["hidden"]), check=check)
    assert seen["input_feeds_out"] == PortItem.REFUSED
    assert "loop" in seen["loop"]
    assert len(designer.graph.edges) == 3
    assert "loop" in designer.message.text()
    # every port is back to normal once the drag ends
    assert all(p.state == PortItem.NORMAL for n in designer.scene.nodes.values() for p in n.inputs.values())


def test_undo_and_redo_a_long_sequence_back_to_an_empty_canvas(designer):
    ids = build_keras_seed(designer)
    designer.set_param(ids["hidden"], "out_features", 3)
    designer.move_nodes({ids["output"]: (300.0, 500.0)})
    designer.select_nodes([ids["out"]])
    designer.delete_selection()
    designer.arrange()
    final = designer.graph.to_dict()
    stack = designer.undo_stack
    assert stack.count() >= 10
    while stack.canUndo():
        stack.undo()
    assert len(designer.graph) == 0 and designer.scene.nodes == {} and designer.scene.edges == {}
    while stack.canRedo():
        stack.redo()
    assert designer.graph.to_dict() == final
    assert set(designer.scene.nodes) == {n["id"] for n in final["nodes"]}
    for n in final["nodes"]:
        assert tuple(designer.scene.nodes[n["id"]].pos().toTuple()) == tuple(n["position"])


def test_moving_a_node_by_mouse_is_one_undo_step_and_snaps_to_the_grid(designer):
    ids = build_keras_seed(designer)
    nid = ids["hidden"]
    start = designer.graph.node(nid).position
    centre = designer.scene.nodes[nid].sceneBoundingRect().center()
    count = designer.undo_stack.count()
    drag(designer, centre, centre + QPointF(123, 47), steps=8)
    x, y = designer.graph.node(nid).position
    assert (x, y) == (start[0] + 120, start[1] + 50)
    assert designer.scene.nodes[nid].pos().toTuple() == (x, y)
    assert designer.undo_stack.count() == count + 1
    designer.undo_stack.undo()
    assert designer.graph.node(nid).position == start


def test_copy_paste_and_duplicate_a_block(designer):
    ids = build_keras_seed(designer)
    designer.select_nodes([ids["hidden"], ids["out"]])
    designer.copy_action.trigger()
    before = {n.id for n in designer.graph.nodes}
    designer.canvas.setFocus()
    designer.paste_action.trigger()
    new = {n.id for n in designer.graph.nodes} - before
    assert len(new) == 2
    assert set(designer.selected_node_ids()) == new
    inner = [e for e in designer.graph.edges if e.source in new and e.target in new]
    assert len(inner) == 1  # the connection between the copied layers came along; outside ones did not
    for nid in new:
        assert not designer.graph.incoming(nid) or nid == inner[0].target
    dup = designer.duplicate_selection()
    assert len(dup) == 2 and not set(dup) & new
    designer.undo_stack.undo()
    designer.undo_stack.undo()
    assert {n.id for n in designer.graph.nodes} == before


def test_palette_search_and_keyboard_add_below_the_selection(designer):
    first = designer.add_layer("io.input", (0, 0))
    palette = designer.palette_panel
    palette.search.setText("dense")
    visible = palette.visible_type_ids()
    assert visible[0] == "core.linear" and "conv.conv2d" not in visible
    palette.search.returnPressed.emit()
    (added,) = [n.id for n in designer.graph.nodes if n.id != first]
    assert [(e.source, e.target) for e in designer.graph.edges] == [(first, added)]
    assert designer.selected_node_ids() == [added]  # Enter again continues the chain
    assert designer.graph.node(added).position[1] > designer.graph.node(first).position[1]
    palette.search.setText("")
    assert "attn.gpt_block" in palette.visible_type_ids()


def test_expand_and_collapse_a_gpt_block_on_the_canvas(designer):
    from app.core.graph.templates import build_template_graph

    info = DataInfo("tokens", (8,), "language-model", 20, vocab_size=20)
    assert designer.apply_template("gpt", info)
    total = designer.scene.nodes["block_1"].param_count
    designer.select_nodes(["block_1"])
    assert designer.expand_action.isEnabled()
    added = designer.expand_selected()
    assert len(added) == 9 and all(a in designer.scene.nodes for a in added)
    assert "block_1" not in designer.scene.nodes
    assert sum(designer.scene.nodes[a].param_count for a in added) == total
    assert designer.collapse_selected() == "block_1"
    by_id = lambda d: ({n["id"]: n for n in d["nodes"]}, sorted(map(str, d["edges"])))  # noqa: E731
    assert by_id(designer.graph.to_dict()) == by_id(build_template_graph("gpt", info).to_dict())
    designer.undo_stack.undo()
    designer.undo_stack.undo()
    assert "block_1" in designer.scene.nodes and designer.graph.problems() == []


def test_a_refused_edit_says_why_and_changes_nothing(designer):
    first = designer.add_layer("io.input", (0, 0))
    count = designer.undo_stack.count()
    designer.select_nodes([first])
    designer.expand_selected()
    assert "single layer" in designer.message.text()
    assert not designer.connect_ports("dense_9", first)
    assert "no layer 'dense_9'" in designer.message.text()
    assert not designer.connect_ports(first, first)
    assert "takes no input" in designer.message.text()
    assert designer.undo_stack.count() == count


def test_save_and_reopen_keeps_positions(designer, tmp_path):
    ids = build_keras_seed(designer)
    designer.move_nodes({ids["output"]: (420.0, 610.0)})
    path = save_project(designer.project, tmp_path / "keras.mwproj")
    reopened = load_project(path)
    assert reopened.graph.to_dict() == designer.graph.to_dict()
    designer.set_project(reopened)
    assert designer.scene.nodes[ids["output"]].pos().toTuple() == (420.0, 610.0)
    assert designer.graph is reopened.graph
    designer.add_layer("core.dropout", (0, 800))  # edits go to the reopened project's graph
    assert len(reopened.graph) == 5


def test_templates_gallery_sizes_from_the_input_layer(designer, qtbot):
    from app.ui.designer.templates import TemplateGallery

    designer.add_layer("io.input", (0, 0))
    designer.set_param("input_1", "kind", "image")
    designer.set_param("input_1", "shape", [3, 32, 32])
    gallery = TemplateGallery(designer.graph, None, designer)
    qtbot.addWidget(gallery)
    enabled = {gallery.list.item(i).data(Qt.ItemDataRole.UserRole): bool(gallery.list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled)
               for i in range(gallery.list.count())}
    classic = ("keras-seed", "mlp", "cnn", "lstm-text", "transformer-text", "gpt")
    assert all(enabled[name] for name in classic)  # without data every template has a sensible default
    gallery.select("cnn")
    info = gallery.info_for("cnn")
    assert info.input_shape == (3, 32, 32)
    assert designer.apply_template("cnn", info)
    assert designer.graph.node("input").params["shape"] == [3, 32, 32]
    assert designer.graph.problems() == []
    gallery.set_data_info(DataInfo("vector", (4,), "classification", 3))
    reasons = [gallery.list.item(i).toolTip() for i in range(gallery.list.count())
               if not gallery.list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled]
    assert any("images" in r for r in reasons)  # the CNN does not suit a table


def test_the_design_page_of_the_main_window_edits_the_open_project(window, iris_project):
    assert window.open_project(iris_project)
    window.show_view("design")
    view = window.design_view
    assert isinstance(view, DesignerView)
    assert view.graph is window.document.project.graph
    assert not window.document.modified
    view.add_layer("core.dropout", (0, 900))
    assert window.document.modified
    window.document.undo_stack.undo()
    assert not window.document.modified


def test_closing_the_view_stops_listening_to_the_graph(qtbot):
    project = Project(name="p", graph=Graph())
    stack = QUndoStack()
    view = DesignerView(project, stack)
    qtbot.addWidget(view)
    view.add_layer("io.input", (0, 0))
    assert len(view.graph._listeners) == 1
    view.close()
    assert view.graph._listeners == []
    project.graph.add_node("core.dropout", id="later")
    assert "later" not in view.scene.nodes


def test_rubber_band_selects_several_layers_and_delete_removes_them(designer):
    ids = build_keras_seed(designer)
    top_left = designer.scene.nodes[ids["hidden"]].sceneBoundingRect().topLeft() - QPointF(40, 20)
    bottom_right = designer.scene.nodes[ids["out"]].sceneBoundingRect().bottomRight() + QPointF(40, 10)
    designer.canvas.centerOn((top_left + bottom_right) / 2)
    drag(designer, top_left, bottom_right, steps=6)
    assert set(designer.selected_node_ids()) == {ids["hidden"], ids["out"]}
    assert "2 layers selected" in designer.inspector.title.text()
    designer.canvas.setFocus()
    designer.delete_action.trigger()
    assert {n.id for n in designer.graph.nodes} == {ids["input"], ids["output"]}
    assert designer.graph.edges == []


def test_summary_row_click_selects_the_layer_and_node_parameters_list_layers(designer, qtbot):
    info = DataInfo("tokens", (8,), "language-model", 20, vocab_size=20)
    designer.apply_template("gpt", info)
    qtbot.waitUntil(lambda: designer.summary.table.rowCount() == len(designer.graph))
    row = designer.summary.row_ids.index("lm_head")
    designer.summary.table.cellClicked.emit(row, 0)
    assert designer.selected_node_ids() == ["lm_head"]
    combo = designer.inspector.editors["tie_to"]
    assert combo.itemData(0) == "" and combo.currentData() == "tok_emb"
    assert combo.findData("block_1") > 0 and combo.findData("lm_head") < 0
    combo.setCurrentIndex(0)
    assert designer.graph.node("lm_head").params["tie_to"] == ""
    designer.undo_stack.undo()
    assert designer.inspector.editors["tie_to"].currentData() == "tok_emb"


def test_templates_are_sized_from_the_projects_prepared_data(qtbot, iris_project):
    from app.ui.designer.templates import TemplateGallery

    project = load_project(iris_project)
    stack = QUndoStack()
    view = DesignerView(project, stack)
    qtbot.addWidget(view)
    gallery = TemplateGallery(view.graph, None, view)
    qtbot.addWidget(gallery)
    view._request_data_info(gallery)
    qtbot.waitUntil(lambda: gallery.data_info is not None, timeout=30000)
    info = gallery.info_for("mlp")
    assert info.input_shape == (4,) and info.task == "classification" and info.n_outputs == 3
    assert "4 features" in gallery.source.text()
    view.close()
