"""Composite blocks: expand into layers that compute the same thing, collapse back, residual blocks."""

from __future__ import annotations

import pytest

from app.core.data.info import DataInfo
from app.core.graph.composite import CompositeError, apply_replacement, collapse_blocks, expand_block, residual_block
from app.core.graph.shapes import infer_shapes
from app.core.graph.templates import build_template_graph

LM = DataInfo("tokens", (8,), "language-model", 20, vocab_size=20)
TEXT = DataInfo("tokens", (8,), "classification", 3, vocab_size=20)


def _gpt():
    return build_template_graph("gpt", LM, n_layer=2, n_embd=16, n_head=2)


def test_expanding_a_gpt_block_keeps_parameters_shapes_and_wiring():
    g = _gpt()
    before = infer_shapes(g)
    repl = expand_block(g, "block_1")
    apply_replacement(g, repl)
    after = infer_shapes(g)
    assert g.problems() == []
    assert after.total_params == before.total_params
    assert after["output"].shape == before["output"].shape
    assert not g.has_node("block_1")
    types = [g.node(n).type for n in repl.added_ids]
    assert types.count("merge.add") == 2 and types.count("norm.layer_norm") == 2
    assert g.node("block_1_attn").params["causal"] is True
    assert g.node("block_1_fc").params["out_features"] == 4 * 16
    # the block's old neighbours now feed and read the expanded layers
    assert {e.source for e in g.incoming("block_1_ln_1")} == {"drop"}
    assert {e.source for e in g.incoming("block_2")} == {"block_1_add_2"}
    # nodes below moved down to make room
    assert g.node("block_2").position[1] > g.node("block_1_add_2").position[1]


def test_expanded_gpt_block_compiles_and_runs():
    torch = pytest.importorskip("torch")
    from app.core.graph.compiler import compile_graph

    g = _gpt()
    apply_replacement(g, expand_block(g, "block_2"))
    model = compile_graph(g).eval()
    tokens = torch.randint(0, 20, (3, 8))
    out = model(tokens)
    assert out.shape == (3, 8, 20)
    assert sum(p.numel() for p in model.parameters()) == infer_shapes(g).total_params


@pytest.mark.parametrize("norm_first", [True, False])
def test_transformer_encoder_layer_round_trips(norm_first):
    g = build_template_graph("transformer-text", TEXT, d_model=16, n_layer=1, n_head=2, dim_feedforward=32)
    g.set_param("encoder_1", "norm_first", norm_first)
    g.set_param("encoder_1", "activation", "relu")
    params = dict(g.node("encoder_1").params)
    total = infer_shapes(g).total_params
    repl = expand_block(g, "encoder_1")
    apply_replacement(g, repl)
    assert infer_shapes(g).total_params == total and g.problems() == []
    back = collapse_blocks(g, repl.added_ids)
    apply_replacement(g, back)
    (node,) = [g.node(n) for n in back.added_ids]
    assert node.type == "attn.transformer_encoder_layer" and node.params == params
    assert infer_shapes(g).total_params == total and g.problems() == []


def test_collapse_gives_back_the_same_gpt_block():
    g = _gpt()
    params = dict(g.node("block_1").params)
    position = g.node("block_1").position
    repl = expand_block(g, "block_1")
    apply_replacement(g, repl)
    back = collapse_blocks(g, reversed(repl.added_ids))
    apply_replacement(g, back)
    assert back.added_ids == ["block_1"]  # the freed id is reused
    assert g.node("block_1").params == params and g.node("block_1").position == position
    assert [e.source for e in g.incoming("block_2")] == ["block_1"]
    assert g.problems() == []


def test_collapse_refuses_layers_that_are_not_a_block():
    g = _gpt()
    repl = expand_block(g, "block_1")
    apply_replacement(g, repl)
    with pytest.raises(CompositeError, match="one input and one output"):
        collapse_blocks(g, repl.added_ids[:-1] + ["block_2"])  # one layer missing, a stranger added
    with pytest.raises(CompositeError, match="do not form a known block"):
        collapse_blocks(g, ["ln_f", "lm_head"])
    g.set_param("block_1_fc", "activation", "relu")  # a GPT MLP uses GELU: no longer a GPT block
    with pytest.raises(CompositeError):
        collapse_blocks(g, repl.added_ids[:4])
    with pytest.raises(CompositeError, match="Select the layers"):
        collapse_blocks(g, ["block_2"])


def test_expand_refuses_single_layers_and_unconnected_blocks():
    g = _gpt()
    with pytest.raises(CompositeError, match="single layer"):
        expand_block(g, "ln_f")
    g.disconnect("drop", "block_1")
    with pytest.raises(CompositeError, match="Connect block"):
        expand_block(g, "block_1")


@pytest.mark.parametrize("info,after,first", [
    (DataInfo("image", (3, 16, 16), "classification", 4), "relu_1", "conv.conv2d"),
    (DataInfo("vector", (4,), "classification", 3), "dropout_1", "core.linear"),
])
def test_residual_block_is_inserted_between_a_layer_and_what_it_fed(info, after, first):
    g = build_template_graph("cnn" if info.input_kind == "image" else "mlp", info)
    fed = [e.target for e in g.outgoing(after)]
    before = infer_shapes(g)
    repl = residual_block(g, after)
    apply_replacement(g, repl)
    assert g.problems() == []
    assert g.node(repl.added_ids[0]).type == first
    add = next(n for n in repl.added_ids if g.node(n).type == "merge.add")
    assert {e.source for e in g.incoming(add)} >= {after}
    assert [e.source for e in g.incoming(fed[0])] == [repl.added_ids[-1]]
    assert infer_shapes(g)["output"].shape == before["output"].shape
    assert infer_shapes(g).total_params > before.total_params


def test_residual_block_needs_a_layer_with_a_known_shape():
    g = build_template_graph("mlp", DataInfo("vector", (4,), "classification", 3))
    with pytest.raises(CompositeError, match="Select the layer"):
        residual_block(g, None)
    g.add_node("core.linear", id="loose")
    with pytest.raises(CompositeError, match="no known output shape"):
        residual_block(g, "loose")
