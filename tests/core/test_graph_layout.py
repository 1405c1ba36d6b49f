"""Automatic layout: layered top to bottom, parents above children, no overlaps, few crossings."""

from __future__ import annotations

from app.core.data.info import DataInfo
from app.core.graph.composite import apply_replacement, residual_block
from app.core.graph.graph import Graph
from app.core.graph.layout import COLUMN_SPACING, ROW_SPACING, count_crossings, layered_layout
from app.core.graph.templates import build_template_graph


def _branchy() -> Graph:
    g = Graph()
    g.add_node("io.input", {"kind": "vector", "shape": [8]}, id="input", position=(500, 900))
    for name, pos in (("a", (10, 10)), ("b", (-300, 40)), ("c", (70, 700))):
        g.add_node("core.linear", {"out_features": 8}, id=name, position=pos)
    g.add_node("merge.add", id="join", position=(0, 0))
    g.add_node("io.output", id="output", position=(0, 0))
    g.connect("input", "a")
    g.connect("input", "b")
    g.connect("b", "c")
    g.connect("a", "join")
    g.connect("c", "join")
    g.connect("join", "output")
    return g


def test_every_node_sits_below_all_nodes_feeding_it():
    g = _branchy()
    pos = layered_layout(g)
    assert set(pos) == {n.id for n in g.nodes}
    for e in g.edges:
        assert pos[e.target][1] >= pos[e.source][1] + ROW_SPACING
    assert pos["join"][1] == pos["input"][1] + 3 * ROW_SPACING  # longest path: input-b-c-join


def test_nodes_in_a_row_keep_their_distance():
    g = _branchy()
    pos = layered_layout(g)
    rows: dict[float, list[float]] = {}
    for x, y in pos.values():
        rows.setdefault(y, []).append(x)
    for xs in rows.values():
        xs.sort()
        assert all(b - a >= COLUMN_SPACING - 1e-6 for a, b in zip(xs, xs[1:]))


def test_a_chain_stays_one_straight_column_and_keeps_its_place():
    info = DataInfo("vector", (4,), "classification", 3)
    g = build_template_graph("mlp", info)
    for n in g.nodes:  # scatter it
        g.move_node(n.id, (hash(n.id) % 700, hash(n.id[::-1]) % 500))
    left = min(n.position[0] for n in g.nodes)
    top = min(n.position[1] for n in g.nodes)
    pos = layered_layout(g)
    assert len({x for x, _ in pos.values()}) == 1
    assert min(x for x, _ in pos.values()) == left and min(y for _, y in pos.values()) == top


def test_a_skip_connection_gets_its_own_column_instead_of_crossing_the_layers_it_skips():
    info = DataInfo("image", (3, 16, 16), "classification", 4)
    g = build_template_graph("cnn", info)
    apply_replacement(g, residual_block(g, "relu_1"))
    pos = layered_layout(g)
    chain = ["res_conv_1", "res_bn_1", "res_relu_1", "res_conv_2", "res_bn_2"]
    # The skipped layers share one column, the input and the join share another.
    assert len({pos[n][0] for n in chain}) == 1
    assert pos["relu_1"][0] == pos["res_add"][0] != pos["res_conv_1"][0]
    assert count_crossings(g, pos) == 0


def test_barycentre_ordering_removes_needless_crossings():
    g = Graph()
    g.add_node("io.input", {"kind": "vector", "shape": [4]}, id="input")
    for name in ("a", "b", "c", "d"):
        g.add_node("core.linear", {"out_features": 4}, id=name)
    g.add_node("merge.concat", id="j1")
    g.add_node("merge.concat", id="j2")
    g.connect("input", "a")
    g.connect("input", "b")
    g.connect("a", "c")
    g.connect("b", "d")
    # c and d are inserted "crossed": d's parent b comes after a, but j1 wants b's child first
    g.connect("d", "j1")
    g.connect("c", "j2")
    g.connect("c", "j1")
    g.connect("d", "j2")
    pos = layered_layout(g)
    assert count_crossings(g, {k: v for k, v in pos.items() if k in ("input", "a", "b", "c", "d")}) == 0


def test_layout_of_a_subset_and_of_an_empty_graph():
    g = _branchy()
    pos = layered_layout(g, nodes=["b", "c"], origin=(0.0, 0.0))
    assert pos == {"b": (0.0, 0.0), "c": (0.0, ROW_SPACING)}
    assert layered_layout(Graph()) == {}
