"""The quick paths of a training run give the same results as the plain ones: a chain
network runs straight through, CPU optimizers use torch's fused kernels where they are
quicker, and a training process imports its modules once with the collector paused."""

from __future__ import annotations

import copy
import gc

import pytest
import torch

from app.core.graph import Graph
from app.core.graph.compiler import compile_graph
from app.core.train.config import OptimizerConfig
from app.core.train.optim import build_optimizer


def chain_graph() -> Graph:
    g = Graph()
    g.add_node("io.input", {"kind": "vector", "shape": [4]}, id="input")
    g.add_node("core.linear", {"out_features": 6, "activation": "relu"}, id="dense_1")
    g.add_node("core.linear", {"out_features": 2, "activation": "sigmoid"}, id="dense_2")
    g.add_node("io.output", id="output")
    g.connect("input", "dense_1")
    g.connect("dense_1", "dense_2")
    g.connect("dense_2", "output")
    return g


def branching_graph() -> Graph:
    g = Graph()
    g.add_node("io.input", {"kind": "vector", "shape": [4]}, id="input")
    g.add_node("core.linear", {"out_features": 3}, id="left")
    g.add_node("core.linear", {"out_features": 3}, id="right")
    g.add_node("merge.add", id="sum")
    g.add_node("io.output", id="output")
    g.connect("input", "left")
    g.connect("input", "right")
    g.connect("left", "sum")
    g.connect("right", "sum")
    g.connect("sum", "output")
    return g


def test_a_chain_runs_straight_and_gives_what_the_node_by_node_plan_gives():
    torch.manual_seed(0)
    model = compile_graph(chain_graph())
    assert model._chain == ("dense_1", "dense_2", "output")
    assert list(model.state_dict()) == ["dense_1.weight", "dense_1.bias", "dense_2.weight", "dense_2.bias"]
    planned = copy.deepcopy(model)
    planned._chain = None  # the general plan
    x = torch.randn(5, 4)
    assert torch.equal(model(x), planned(x))
    w1, b1, w2, b2 = (model.state_dict()[k] for k in model.state_dict())
    assert torch.allclose(model(x), torch.sigmoid(torch.relu(x @ w1.T + b1) @ w2.T + b2))


def test_a_replaced_layer_of_a_chain_is_the_one_that_runs():
    model = compile_graph(chain_graph())
    model["dense_2"] = torch.nn.Linear(6, 2)  # e.g. a fine-tuning head put in its place
    x = torch.randn(3, 4)
    assert torch.equal(model(x), model["dense_2"](model["dense_1"](x)))


def test_a_network_with_branches_keeps_the_general_plan():
    model = compile_graph(branching_graph())
    assert model._chain is None
    x = torch.randn(2, 4)
    assert torch.allclose(model(x), model["left"](x) + model["right"](x))


@pytest.mark.parametrize("settings, fused", [
    ({"name": "adam", "lr": 1e-3}, True),
    ({"name": "adamw", "lr": 1e-3, "weight_decay": 0.01}, True),
    ({"name": "adagrad", "lr": 1e-2}, True),
    ({"name": "sgd", "lr": 0.1, "momentum": 0.9}, True),
    ({"name": "sgd", "lr": 0.1}, False),       # one add_ per parameter: the plain loop is as quick
    ({"name": "rmsprop", "lr": 1e-3}, False),  # torch has no fused RMSprop
])
def test_cpu_optimizers_use_fused_kernels_where_those_are_quicker(settings, fused):
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.LayerNorm(8), torch.nn.Linear(8, 2))
    optimizer = build_optimizer(model, OptimizerConfig.from_dict(settings))
    assert all(bool(group.get("fused")) == fused for group in optimizer.param_groups)


def test_fused_adam_trains_like_torchs_default_adam():
    torch.manual_seed(0)
    ours = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    plain = copy.deepcopy(ours)
    opt_ours = build_optimizer(ours, OptimizerConfig.from_dict({"name": "adam", "lr": 1e-2}))
    opt_plain = torch.optim.Adam(plain.parameters(), lr=1e-2)
    x, y = torch.randn(64, 4), torch.randint(0, 3, (64,))
    for _ in range(30):
        for model, opt in ((ours, opt_ours), (plain, opt_plain)):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
    for a, b in zip(ours.parameters(), plain.parameters()):
        assert torch.allclose(a, b, atol=1e-5)


def test_training_imports_are_made_once_frozen_and_the_collector_stays_on():
    from app.core.train.startup import import_training_modules

    import sys

    frozen_before = gc.get_freeze_count()
    suite_collector_on = gc.isenabled()  # the test suite keeps it off (tests/conftest.py)
    gc.enable()
    try:
        import_training_modules()
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen_before
        assert "torch._dynamo" in sys.modules and "pandas" in sys.modules
        from app.core.data import prepare

        assert callable(prepare) and not isinstance(prepare, type(sys))  # the function, not its module
        gc.disable()  # a collector the caller turned off stays off
        import_training_modules()
        assert not gc.isenabled()
    finally:
        gc.enable() if suite_collector_on else gc.disable()
        gc.unfreeze()  # this test process goes on with other tests
