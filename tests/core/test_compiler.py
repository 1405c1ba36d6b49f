"""Every registered layer compiles, runs, and agrees with its registry entry (shape, parameters)."""

from __future__ import annotations

import json

import pytest
import torch

from app.core.graph import Graph, GraphError, infer_shapes, layer_specs
from app.core.graph.compiler import GraphModule, compile_graph, count_parameters

VEC = {"kind": "vector", "shape": [5]}
VEC12 = {"kind": "vector", "shape": [12]}
IMG = {"kind": "image", "shape": [3, 8, 8]}
TOK = {"kind": "tokens", "shape": [6], "vocab_size": 11}
EMB = ("embed.embedding", {"num_embeddings": 11, "embedding_dim": 8})
SIGNAL = ("core.reshape", {"shape": [3, 4]})

# id -> (input params, layers before, parallel branches or None, (type, params) under test)
CASES = {
    "output-only": (VEC, [], None, None),
    "linear": (VEC, [], None, ("core.linear", {"out_features": 3, "activation": "relu"})),
    "linear-seq-softmax": (TOK, [EMB], None, ("core.linear", {"out_features": 4, "activation": "softmax"})),
    "linear-nobias": (VEC, [], None, ("core.linear", {"out_features": 2, "bias": False, "activation": "tanh"})),
    "dropout": (VEC, [], None, ("core.dropout", {"p": 0.5})),
    "flatten": (IMG, [], None, ("core.flatten", {})),
    "reshape": (VEC12, [], None, ("core.reshape", {"shape": [2, -1, 3]})),
    "conv1d": (VEC12, [SIGNAL], None, ("conv.conv1d", {"out_channels": 4, "kernel_size": 2, "padding": 0,
                                                        "activation": "gelu"})),
    "conv2d": (IMG, [], None, ("conv.conv2d", {"out_channels": 4, "stride": 2, "dilation": 2, "padding": 2})),
    "conv2d-nobias": (IMG, [], None, ("conv.conv2d", {"out_channels": 2, "bias": False, "activation": "softmax"})),
    "convtranspose2d": (IMG, [], None, ("conv.conv_transpose2d", {"out_channels": 2, "output_padding": 1,
                                                                  "padding": 1})),
    "maxpool1d": (VEC12, [SIGNAL], None, ("pool.max_pool1d", {"kernel_size": 2})),
    "maxpool2d": (IMG, [], None, ("pool.max_pool2d", {"kernel_size": 3, "stride": 2, "padding": 1})),
    "avgpool2d": (IMG, [], None, ("pool.avg_pool2d", {})),
    "adaptiveavgpool2d": (IMG, [], None, ("pool.adaptive_avg_pool2d", {"output_size": 2})),
    "globalavgpool": (IMG, [], None, ("pool.global_avg_pool2d", {})),
    "batchnorm1d": (VEC, [], None, ("norm.batch_norm1d", {})),
    "batchnorm1d-signal": (VEC12, [SIGNAL], None, ("norm.batch_norm1d", {"affine": False})),
    "batchnorm2d": (IMG, [], None, ("norm.batch_norm2d", {})),
    "layernorm": (TOK, [EMB], None, ("norm.layer_norm", {})),
    "relu": (VEC, [], None, ("act.relu", {})),
    "leakyrelu": (VEC, [], None, ("act.leaky_relu", {"negative_slope": 0.2})),
    "gelu": (VEC, [], None, ("act.gelu", {"approximate": "tanh"})),
    "silu": (VEC, [], None, ("act.silu", {})),
    "tanh": (VEC, [], None, ("act.tanh", {})),
    "sigmoid": (VEC, [], None, ("act.sigmoid", {})),
    "softmax": (IMG, [], None, ("act.softmax", {"dim": 1})),
    "embedding": (TOK, [], None, EMB),
    "positional": (TOK, [EMB], None, ("embed.positional", {"max_len": 10})),
    "sinusoidal-odd": (TOK, [("embed.embedding", {"num_embeddings": 11, "embedding_dim": 7})], None,
                       ("embed.sinusoidal", {"max_len": 6})),
    "lstm": (TOK, [EMB], None, ("rnn.lstm", {"hidden_size": 5})),
    "lstm-bi-stacked": (TOK, [EMB], None, ("rnn.lstm", {"hidden_size": 5, "num_layers": 2, "bidirectional": True,
                                                        "dropout": 0.1})),
    "lstm-seq": (TOK, [EMB], None, ("rnn.lstm", {"hidden_size": 5, "return_sequences": True})),
    "gru-bi": (TOK, [EMB], None, ("rnn.gru", {"hidden_size": 4, "bidirectional": True})),
    "gru-seq-stacked": (TOK, [EMB], None, ("rnn.gru", {"hidden_size": 4, "num_layers": 3,
                                                       "return_sequences": True})),
    "mha": (TOK, [EMB], None, ("attn.multihead_attention", {"num_heads": 2})),
    "mha-causal-nobias": (TOK, [EMB], None, ("attn.multihead_attention", {"num_heads": 4, "causal": True,
                                                                          "bias": False})),
    "encoder": (TOK, [EMB], None, ("attn.transformer_encoder_layer", {"nhead": 2, "dim_feedforward": 16})),
    "encoder-causal-post": (TOK, [EMB], None, ("attn.transformer_encoder_layer", {
        "nhead": 2, "dim_feedforward": 16, "causal": True, "norm_first": False, "activation": "relu"})),
    "gpt-block": (TOK, [EMB], None, ("attn.gpt_block", {"n_head": 2})),
    "gpt-block-nobias": (TOK, [EMB], None, ("attn.gpt_block", {"n_head": 2, "bias": False, "mlp_ratio": 2})),
    "seqpool-mean": (TOK, [EMB], None, ("seq.pool", {"mode": "mean"})),
    "seqpool-max": (TOK, [EMB], None, ("seq.pool", {"mode": "max"})),
    "seqpool-first": (TOK, [EMB], None, ("seq.pool", {"mode": "first"})),
    "seqpool-last": (TOK, [EMB], None, ("seq.pool", {"mode": "last"})),
    "add": (VEC, [], [("core.linear", {"out_features": 4})] * 2, ("merge.add", {})),
    "multiply": (VEC, [], [("core.linear", {"out_features": 4})] * 3, ("merge.multiply", {})),
    "concat": (IMG, [], [("conv.conv2d", {"out_channels": 2}), ("conv.conv2d", {"out_channels": 5})],
               ("merge.concat", {"dim": 1})),
    "concat-last": (TOK, [EMB], [("core.linear", {"out_features": 2}), ("core.linear", {"out_features": 3})],
                    ("merge.concat", {"dim": -1})),
    "classifier": (VEC, [], None, ("head.classifier", {"num_classes": 3})),
    "lm-head": (TOK, [EMB], None, ("head.lm", {"vocab_size": 11, "bias": True})),
    "lm-head-tied": (TOK, [EMB], None, ("head.lm", {"vocab_size": 11, "tie_to": "embedding_1"})),
}


def build_case(name: str) -> tuple[Graph, str | None]:
    """The case's graph (Input -> before -> [branches] -> layer -> Output) and the tested node id."""
    input_params, before, branches, layer = CASES[name]
    g = Graph()
    last = g.add_node("io.input", input_params, id="input").id
    for type_id, params in before:
        nid = g.add_node(type_id, params).id
        g.connect(last, nid)
        last = nid
    tested = None
    if layer is not None:
        tested = g.add_node(layer[0], layer[1]).id
        if branches:
            for type_id, params in branches:
                b = g.add_node(type_id, params).id
                g.connect(last, b)
                g.connect(b, tested)
        else:
            g.connect(last, tested)
        last = tested
    g.add_node("io.output", id="output")
    g.connect(last, "output")
    return g, tested


def sample_input(input_params: dict, batch: int = 3) -> torch.Tensor:
    if input_params["kind"] == "tokens":
        return torch.randint(0, input_params["vocab_size"], (batch, *input_params["shape"]))
    return torch.randn(batch, *input_params["shape"])


def test_every_registered_layer_has_a_case():
    covered = {"io.input", "io.output"}
    for input_params, before, branches, layer in CASES.values():
        covered |= {t for t, _ in before} | {t for t, _ in branches or ()}
        if layer:
            covered.add(layer[0])
    # Pretrained bases need a model folder; tests/core/test_finetune.py compiles and trains them.
    missing = {s.type_id for s in layer_specs() if not s.type_id.startswith("pretrained.")} - covered
    assert not missing, f"layers without a compile/shape test case: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_compiles_runs_and_matches_its_registry_entry(name):
    torch.manual_seed(0)
    g, tested = build_case(name)
    g.validate()

    # JSON round trip keeps the graph identical.
    again = Graph.from_dict(json.loads(json.dumps(g.to_dict())))
    assert again == g

    report = infer_shapes(g)
    model = compile_graph(again)
    model.eval()
    x = sample_input(CASES[name][0])
    with torch.no_grad():
        y = model(x)
    expected = report[g.output_ids()[0]].shape
    assert expected[0] == "B"
    assert tuple(y.shape) == (3, *expected[1:]), f"{name}: inferred {expected}, real {tuple(y.shape)}"
    assert torch.isfinite(y).all()

    # Registry parameter count == the real module's, node by node and in total.
    if tested is not None:
        own = sum(p.numel() for p in model[tested].parameters())
        if name == "lm-head-tied":
            own -= model[tested].weight.numel()  # the shared weight belongs to the Embedding
        assert report[tested].params == own, f"{name}: registry says {report[tested].params}, module has {own}"
    assert report.total_params == count_parameters(model)


def test_default_parameters_compile_for_every_layer():
    """A layer dropped from the palette with untouched defaults works once connected."""
    suitable = {}
    for input_params, before, branches, layer in CASES.values():
        if layer and layer[0] not in suitable:
            suitable[layer[0]] = (input_params, before, branches)
    for type_id, (input_params, before, branches) in suitable.items():
        if type_id in ("embed.embedding", "head.lm"):
            continue  # their defaults name a 1000-token vocabulary: checked below with a matching input
        CASES["_defaults"] = (input_params, before, branches, (type_id, {}))
        try:
            g, tested = build_case("_defaults")
            model = compile_graph(g).eval()
            with torch.no_grad():
                y = model(sample_input(input_params))
            assert tuple(y.shape[1:]) == infer_shapes(g)["output"].shape[1:], type_id
        finally:
            del CASES["_defaults"]
    tok = {"kind": "tokens", "shape": [4], "vocab_size": 1000}
    CASES["_defaults"] = (tok, [("embed.embedding", {})], None, ("head.lm", {}))
    try:
        g, _ = build_case("_defaults")
        y = compile_graph(g).eval()(sample_input(tok))
        assert tuple(y.shape) == (3, 4, 1000)
    finally:
        del CASES["_defaults"]


def test_state_dict_keys_are_node_id_dot_param():
    g, tested = build_case("linear")
    keys = set(compile_graph(g).state_dict())
    assert keys == {"dense_1.weight", "dense_1.bias"}


def test_nodes_that_do_not_feed_the_output_are_left_out():
    g, _ = build_case("linear")
    g.add_node("core.linear", {"out_features": 100}, id="dangling")
    g.connect("input", "dangling")
    model = compile_graph(g)
    assert "dangling" not in model
    report = infer_shapes(g)
    assert not report["dangling"].in_model
    assert report.total_params == count_parameters(model) == 5 * 3 + 3


def test_tied_lm_head_shares_storage_with_the_embedding():
    g, _ = build_case("lm-head-tied")
    model = compile_graph(g)
    assert model["lm_head_1"].weight is model["embedding_1"].weight
    with torch.no_grad():
        model["embedding_1"].weight[0, 0] = 42.0
    assert model["lm_head_1"].weight[0, 0].item() == 42.0


def test_several_inputs_are_positional_in_input_id_order():
    g = Graph()
    g.add_node("io.input", {"kind": "vector", "shape": [3]}, id="b_in")
    g.add_node("io.input", {"kind": "vector", "shape": [2]}, id="a_in")
    g.add_node("merge.concat", {"dim": 1}, id="cat")
    g.add_node("io.output", id="output")
    g.connect("a_in", "cat")
    g.connect("b_in", "cat")
    g.connect("cat", "output")
    model = compile_graph(g)
    assert model.input_ids == ("a_in", "b_in")
    a, b = torch.zeros(1, 2), torch.ones(1, 3)
    assert torch.equal(model(a, b), torch.tensor([[0.0, 0, 1, 1, 1]]))
    with pytest.raises(GraphError, match="takes 2 input"):
        model(a)


def test_residual_network_builds_and_runs():
    g = Graph()
    g.add_node("io.input", IMG, id="input")
    g.add_node("conv.conv2d", {"out_channels": 4}, id="stem")
    g.add_node("conv.conv2d", {"out_channels": 4, "activation": "relu"}, id="body_1")
    g.add_node("conv.conv2d", {"out_channels": 4}, id="body_2")
    g.add_node("merge.add", id="skip")
    g.add_node("pool.global_avg_pool2d", id="gap")
    g.add_node("head.classifier", {"num_classes": 3}, id="head")
    g.add_node("io.output", id="output")
    for a, b in [("input", "stem"), ("stem", "body_1"), ("body_1", "body_2"), ("body_2", "skip"),
                 ("stem", "skip"), ("skip", "gap"), ("gap", "head"), ("head", "output")]:
        g.connect(a, b)
    model = compile_graph(g)
    x = torch.randn(2, 3, 8, 8)
    y = model(x)
    assert y.shape == (2, 3)
    # The skip really adds the stem's output: compare with a hand-written forward pass.
    with torch.no_grad():
        s = model["stem"](x)
        manual = model["head"](model["gap"](model["body_2"](model["body_1"](s)) + s))
    assert torch.allclose(y, manual)
    y.sum().backward()
    assert model["stem"].weight.grad is not None


def test_transformer_encoder_builds_runs_and_trains():
    g, _ = build_case("encoder")
    model = compile_graph(g)
    x = sample_input(TOK)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
    assert model(x).pow(2).mean().item() != loss.item()


def test_causal_layers_do_not_look_ahead():
    for name in ("gpt-block", "mha-causal-nobias", "encoder-causal-post"):
        g, _ = build_case(name)
        model = compile_graph(g).eval()
        x = sample_input(TOK, batch=1)
        changed = x.clone()
        changed[0, -1] = (x[0, -1] + 1) % 11
        with torch.no_grad():
            a, b = model(x), model(changed)
        assert torch.allclose(a[:, :-1], b[:, :-1], atol=1e-5), name
        assert not torch.allclose(a[:, -1], b[:, -1]), name


def test_compiled_model_traces_and_compiles_to_one_straight_line():
    g, _ = build_case("add")
    model = compile_graph(g).eval()
    x = torch.randn(2, 5)
    traced = torch.jit.trace(model, (x,))
    assert torch.allclose(traced(x), model(x))
    assert torch.allclose(traced(torch.ones(7, 5)), model(torch.ones(7, 5)))


def test_graph_module_is_a_module_dict_keyed_by_node_id():
    g, _ = build_case("conv2d")
    model = compile_graph(g)
    assert isinstance(model, GraphModule) and isinstance(model, torch.nn.ModuleDict)
    assert set(model.keys()) == {"conv2d_1", "output"}


def test_reserved_ids_cover_every_module_dict_attribute():
    from app.core.graph.graph import RESERVED_IDS

    g, _ = build_case("linear")
    public = {a for a in dir(compile_graph(g)) if not a.startswith("_")} - {"dense_1", "output"}
    assert public <= RESERVED_IDS, sorted(public - RESERVED_IDS)
