"""The graph model: edits, events, ids, validation rules and the JSON form."""

from __future__ import annotations

import json

import pytest

from app.core.graph import (
    CycleError,
    Graph,
    MissingInputError,
    MissingOutputError,
    PortMismatchError,
    ShapeMismatchError,
    UnconnectedInputError,
    UnknownLayerError,
    UnknownParamError,
)
from app.core.graph.errors import GraphFormatError, InvalidNodeIdError, InvalidParamError, NodeNotFoundError
from app.core.graph.graph import EdgeAdded, EdgeRemoved, NodeAdded, NodeMoved, NodeRemoved, ParamChanged


def keras_graph() -> Graph:
    g = Graph()
    g.add_node("io.input", {"kind": "vector", "shape": [2]}, id="input")
    g.add_node("core.linear", {"out_features": 3, "activation": "relu"})
    g.add_node("core.linear", {"out_features": 1, "activation": "sigmoid"})
    g.add_node("io.output", id="output")
    g.connect("input", "dense_1")
    g.connect("dense_1", "dense_2")
    g.connect("dense_2", "output")
    return g


def test_new_node_ids_are_readable_and_unique():
    g = keras_graph()
    assert [n.id for n in g.nodes] == ["input", "dense_1", "dense_2", "output"]
    assert g.new_node_id("core.linear") == "dense_3"
    assert g.new_node_id("conv.conv2d") == "conv2d_1"
    g.remove_node("dense_1")
    assert g.new_node_id("core.linear") == "dense_1"
    with pytest.raises(InvalidNodeIdError, match="already a node 'dense_2'"):
        g.add_node("core.linear", id="dense_2")
    with pytest.raises(InvalidNodeIdError, match="letters, digits"):
        g.add_node("core.linear", id="dense.1")
    with pytest.raises(InvalidNodeIdError, match="reserved"):
        g.add_node("core.linear", id="forward")


def test_each_edit_emits_its_event():
    g = keras_graph()
    events = []
    unsubscribe = g.subscribe(events.append)
    g.add_node("core.dropout", {"p": 0.2}, id="drop")
    g.disconnect("dense_1", "dense_2")
    g.connect("dense_1", "drop")
    g.connect("drop", "dense_2")
    g.set_param("drop", "p", 0.3)
    g.set_param("drop", "p", 0.3)  # no change, no event
    g.move_node("drop", (10, 20))
    g.remove_node("drop")
    assert events == [
        NodeAdded("drop", "core.dropout"),
        EdgeRemoved(events[1].edge),
        EdgeAdded(events[2].edge),
        EdgeAdded(events[3].edge),
        ParamChanged("drop", "p", 0.2, 0.3),
        NodeMoved("drop", (0.0, 0.0), (10.0, 20.0)),
        EdgeRemoved(events[2].edge),
        EdgeRemoved(events[3].edge),
        NodeRemoved("drop", "core.dropout"),
    ]
    assert (events[1].edge.source, events[1].edge.target) == ("dense_1", "dense_2")
    assert (events[3].edge.source, events[3].edge.target) == ("drop", "dense_2")
    unsubscribe()
    g.add_node("act.relu")
    assert len(events) == 9


def test_failed_edits_change_nothing_and_emit_nothing():
    g = keras_graph()
    before = g.to_dict()
    events = []
    g.subscribe(events.append)
    with pytest.raises(InvalidParamError, match="Node 'dense_1'.*at least 1"):
        g.set_param("dense_1", "out_features", -4)
    with pytest.raises(UnknownParamError, match="Node 'dense_1'.*'units'"):
        g.set_param("dense_1", "units", 4)
    with pytest.raises(NodeNotFoundError, match="no node 'ghost'"):
        g.connect("ghost", "dense_1")
    with pytest.raises(CycleError):
        g.connect("dense_2", "dense_1")
    assert g.to_dict() == before and events == []


def test_topological_order_follows_data_flow():
    g = Graph()
    g.add_node("io.output", id="output")
    g.add_node("merge.add", id="add")
    g.add_node("act.relu", id="b")
    g.add_node("io.input", {"shape": [4]}, id="input")
    g.connect("add", "output")
    g.connect("b", "add")
    g.connect("input", "b")
    g.connect("input", "add")
    order = g.topological_order()
    assert order.index("input") < order.index("b") < order.index("add") < order.index("output")


def test_cycle_is_refused_naming_the_nodes():
    g = keras_graph()
    g.disconnect("input", "dense_1")
    with pytest.raises(CycleError, match="'dense_2' to 'dense_1'.*loop") as info:
        g.connect("dense_2", "dense_1")
    assert info.value.node_id == "dense_1"
    with pytest.raises(CycleError):
        g.connect("dense_1", "dense_1")


def test_port_mismatch_errors_name_the_node():
    g = keras_graph()
    with pytest.raises(PortMismatchError, match="'dense_2' \\(Dense \\(Linear\\)\\) is already connected"):
        g.connect("input", "dense_2")
    with pytest.raises(PortMismatchError, match="no input port 'left'"):
        g.connect("input", "dense_2", target_port="left")
    with pytest.raises(PortMismatchError, match="'input' \\(Input\\).*takes no input"):
        g.connect("dense_1", "input")
    with pytest.raises(PortMismatchError, match="no output port 'hidden'"):
        g.connect("dense_1", "output", source_port="hidden")
    g.add_node("merge.add", id="sum")
    g.connect("dense_1", "sum")
    g.connect("dense_2", "sum")  # a merge takes many inputs
    with pytest.raises(PortMismatchError, match="already connected"):
        g.connect("dense_1", "sum")


def test_validation_rules_raise_one_typed_error_naming_the_node():
    g = keras_graph()
    g.validate()

    no_out = keras_graph()
    no_out.remove_node("output")
    with pytest.raises(MissingOutputError, match="no Output node"):
        no_out.validate()

    two_out = keras_graph()
    two_out.add_node("io.output", id="output_b")
    two_out.connect("dense_1", "output_b")
    with pytest.raises(MissingOutputError, match="2 Output nodes"):
        two_out.validate()

    no_in = keras_graph()
    no_in.remove_node("input")
    problems = no_in.problems()
    assert isinstance(problems[0], MissingInputError)
    assert any(isinstance(p, UnconnectedInputError) and p.node_id == "dense_1" for p in problems)

    loose = keras_graph()
    loose.disconnect("dense_1", "dense_2")
    with pytest.raises(UnconnectedInputError, match="Input 'in' of node 'dense_2' \\(Dense \\(Linear\\)\\)") as info:
        loose.validate()
    assert info.value.node_id == "dense_2"

    bad_shape = keras_graph()
    bad_shape.set_param("input", "kind", "image")
    bad_shape.set_param("input", "shape", [1, 4, 4])
    with pytest.raises(ShapeMismatchError, match="'dense_1'.*Linear expects a \\(B, features\\).*\\(B, 1, 4, 4\\).*Flatten") as info:
        bad_shape.validate()
    assert info.value.node_id == "dense_1"
    # Only the node at fault is listed, not the ones downstream of it.
    assert [p.node_id for p in bad_shape.problems()] == ["dense_1"]


def test_a_loop_in_a_file_is_reported_as_a_cycle():
    d = keras_graph().to_dict()
    d["edges"].append({"source": "dense_2", "source_port": "out", "target": "dense_1", "target_port": "in"})
    d["edges"][0]["target"] = "output"  # free dense_1's input so only the loop is wrong
    d["edges"].pop(2)
    with pytest.raises(CycleError, match="loop"):
        Graph.from_dict(d)


def test_json_round_trip_and_defaults():
    g = keras_graph()
    g.move_node("dense_1", (12.5, 80))
    text = json.dumps(g.to_dict())
    again = Graph.from_dict(json.loads(text))
    assert again == g and again.to_dict() == g.to_dict()
    assert again.node("dense_1").position == (12.5, 80.0)
    d = {"nodes": [{"id": "d", "type": "core.linear"}], "edges": []}
    assert Graph.from_dict(d).node("d").params == {"out_features": 64, "bias": True, "activation": "none"}


def test_bad_graph_dicts_give_clear_errors():
    with pytest.raises(UnknownLayerError, match="Node 'x'.*'core.hyperdrive'"):
        Graph.from_dict({"nodes": [{"id": "x", "type": "core.hyperdrive"}], "edges": []})
    with pytest.raises(UnknownParamError, match="Node 'x'.*no parameter 'units'"):
        Graph.from_dict({"nodes": [{"id": "x", "type": "core.linear", "params": {"units": 3}}], "edges": []})
    with pytest.raises(GraphFormatError, match="'ghost', which is not in the network"):
        Graph.from_dict({"nodes": [{"id": "x", "type": "act.relu"}], "edges": [{"source": "ghost", "target": "x"}]})
    with pytest.raises(GraphFormatError, match="Node number 1"):
        Graph.from_dict({"nodes": [{"type": "act.relu"}], "edges": []})
    with pytest.raises(GraphFormatError):
        Graph.from_dict(["not", "a", "graph"])
    with pytest.raises(GraphFormatError, match="position"):
        Graph.from_dict({"nodes": [{"id": "x", "type": "act.relu", "position": "left"}], "edges": []})


def test_copy_is_independent_and_has_no_listeners():
    g = keras_graph()
    heard = []
    g.subscribe(heard.append)
    c = g.copy()
    c.set_param("dense_1", "out_features", 7)
    c.remove_node("dense_2")
    assert g.node("dense_1").params["out_features"] == 3 and g.has_node("dense_2")
    assert heard == []
    assert c != g
