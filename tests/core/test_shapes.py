"""Shape inference: per-node shapes or plain-words errors, knock-on errors, sizes and costs."""

from __future__ import annotations

from app.core.graph import Graph, infer_shapes
from app.core.graph.summary import format_layer_table, layer_table


def chain(input_params: dict, *layers: tuple[str, dict]) -> Graph:
    g = Graph()
    last = g.add_node("io.input", input_params, id="input").id
    for type_id, params in layers:
        nid = g.add_node(type_id, params).id
        g.connect(last, nid)
        last = nid
    g.add_node("io.output", id="output")
    g.connect(last, "output")
    return g


IMG = {"kind": "image", "shape": [1, 28, 28]}


def test_cnn_shapes_params_and_flops():
    g = chain(IMG, ("conv.conv2d", {"out_channels": 8, "kernel_size": 3, "padding": 0}),
              ("pool.max_pool2d", {}), ("core.flatten", {}), ("core.linear", {"out_features": 10}))
    r = infer_shapes(g)
    assert r["conv2d_1"].shape == ("B", 8, 26, 26)
    assert r["maxpool2d_1"].shape == ("B", 8, 13, 13)
    assert r["flatten_1"].shape == ("B", 8 * 13 * 13)
    assert r["output"].shape_str == "(B, 10)"
    assert r["conv2d_1"].params == 8 * 1 * 9 + 8
    assert r["conv2d_1"].flops == 26 * 26 * 8 * 9
    assert r["dense_1"].flops == 8 * 13 * 13 * 10
    assert r.total_params == 80 + 8 * 13 * 13 * 10 + 10
    assert r.ok and r.errors == {}


def test_plain_words_error_and_knock_on_errors_downstream():
    g = chain(IMG, ("conv.conv2d", {"out_channels": 64, "stride": 2}), ("core.linear", {"out_features": 3}),
              ("act.relu", {}))
    r = infer_shapes(g)
    assert r["conv2d_1"].shape == ("B", 64, 14, 14)
    assert r["dense_1"].error == (
        "Linear expects a (B, features) vector or a (B, sequence, features) sequence but gets "
        "(B, 64, 14, 14); add a Flatten before it."
    )
    assert r["relu_1"].error == "Depends on 'dense_1', which has an error." and r["relu_1"].upstream_error
    assert r["output"].upstream_error
    assert list(r.errors) == ["dense_1"]
    assert not r.ok


def test_sequence_lengths_are_concrete_and_checked():
    tok = {"kind": "tokens", "shape": [20], "vocab_size": 30}
    g = chain(tok, ("embed.embedding", {"num_embeddings": 30, "embedding_dim": 12}),
              ("embed.positional", {"max_len": 16}), ("rnn.lstm", {"hidden_size": 8}))
    r = infer_shapes(g)
    assert r["embedding_1"].shape == ("B", 20, 12)
    assert "covers 16 positions" in r["positional_1"].error and "max_len" in r["positional_1"].error
    g.set_param("positional_1", "max_len", 20)
    r = infer_shapes(g)
    assert r["lstm_1"].shape == ("B", 8) and r.ok


def test_specific_messages_for_common_mistakes():
    vec = {"kind": "vector", "shape": [10]}
    r = infer_shapes(chain(vec, ("conv.conv2d", {})))
    assert "Conv2d expects a (B, channels, height, width) image but gets (B, 10)" in r["conv2d_1"].error
    r = infer_shapes(chain({"kind": "image", "shape": [3, 4, 4]}, ("conv.conv2d", {"kernel_size": 7, "padding": 0})))
    assert "shrink (B, 3, 4, 4) to nothing" in r["conv2d_1"].error
    r = infer_shapes(chain(vec, ("core.reshape", {"shape": [3, -1]})))
    assert "cannot fit 10 numbers" in r["reshape_1"].error
    tok = {"kind": "tokens", "shape": [5], "vocab_size": 9}
    r = infer_shapes(chain(tok, ("embed.embedding", {"embedding_dim": 10}), ("attn.gpt_block", {"n_head": 4})))
    assert "10 features" in r["block_1"].error and "4 heads" in r["block_1"].error
    r = infer_shapes(chain(tok, ("rnn.gru", {})))
    assert "put an Embedding before it" in r["gru_1"].error
    r = infer_shapes(chain({"kind": "tokens", "shape": [5]}))
    assert "vocabulary size" in r["input"].error


def test_merge_shapes_and_mismatch_message():
    g = Graph()
    g.add_node("io.input", {"shape": [6]}, id="input")
    g.add_node("core.linear", {"out_features": 4}, id="a")
    g.add_node("core.linear", {"out_features": 5}, id="b")
    g.add_node("merge.concat", {"dim": 1}, id="cat")
    g.add_node("merge.add", id="sum")
    for s, t in [("input", "a"), ("input", "b"), ("a", "cat"), ("b", "cat"), ("a", "sum"), ("b", "sum")]:
        g.connect(s, t)
    r = infer_shapes(g)
    assert r["cat"].shape == ("B", 9)
    assert r["sum"].error.startswith("Add needs inputs of the same shape but input 1 is (B, 4) and input 2 is (B, 5)")
    g.disconnect("b", "sum")
    assert "gets 1" in infer_shapes(g)["sum"].error


def test_unconnected_nodes_and_tie_references():
    g = chain({"kind": "tokens", "shape": [4], "vocab_size": 9},
              ("embed.embedding", {"num_embeddings": 9, "embedding_dim": 8}),
              ("head.lm", {"vocab_size": 9, "tie_to": "embedding_1"}))
    r = infer_shapes(g)
    assert r.ok and r["lm_head_1"].params == 0 and r.total_params == 9 * 8
    g.set_param("lm_head_1", "vocab_size", 10)
    assert "shares weights with is 9 tokens" in infer_shapes(g)["lm_head_1"].error
    g.set_param("lm_head_1", "tie_to", "nowhere")
    assert "'nowhere', which is not in the network" in infer_shapes(g)["lm_head_1"].error
    g.add_node("act.relu", id="lonely")
    assert infer_shapes(g)["lonely"].error == "Input 'in' is not connected."


def test_layer_table_rows_totals_and_text():
    g = chain({"kind": "vector", "shape": [2]}, ("core.linear", {"out_features": 3, "activation": "relu"}),
              ("core.linear", {"out_features": 1, "activation": "sigmoid"}))
    table = layer_table(g)
    assert [(r.name, r.type, r.output_shape, r.params) for r in table] == [
        ("input", "Input", "(B, 2)", 0), ("dense_1", "Dense (Linear)", "(B, 3)", 9),
        ("dense_2", "Dense (Linear)", "(B, 1)", 4), ("output", "Output", "(B, 1)", 0),
    ]
    assert (table.total_params, table.total_flops, table.errors) == (13, 9, ())
    assert table.to_dict()["layers"][1]["output_shape"] == "(B, 3)"
    text = format_layer_table(table)
    assert text.splitlines()[0].split() == ["name", "type", "output", "shape", "params", "FLOPs"]
    assert text.splitlines()[-1].split() == ["total", "13", "9"]

    g.set_param("input", "shape", [2, 2])
    broken = layer_table(g)
    assert broken.errors and broken.errors[0][0] == "input"
    assert "one size" in format_layer_table(broken)
