"""Templates build for suitable data, end in the right output size, and train in a few steps."""

from __future__ import annotations

import pytest
import torch

from app.core.data.info import DataInfo
from app.core.graph import infer_shapes
from app.core.graph.compiler import compile_graph, count_parameters
from app.core.graph.templates import (
    TemplateError,
    build_template_graph,
    describe_template,
    template_names,
    template_training_defaults,
)

SEED = DataInfo("vector", (2,), "binary", 1, class_names=("0", "1"))
IRIS = DataInfo("vector", (4,), "classification", 3, class_names=("a", "b", "c"))
HOUSES = DataInfo("vector", (8,), "regression", 2)
DIGITS = DataInfo("image", (1, 28, 28), "classification", 10)
TINY_IMG = DataInfo("image", (3, 6, 6), "binary", 1)
REVIEWS = DataInfo("tokens", (12,), "classification", 4, vocab_size=50)
CORPUS = DataInfo("tokens", (16,), "language-model", 40, vocab_size=40)

CASES = [
    ("keras-seed", SEED, (1,)),
    ("mlp", IRIS, (3,)),
    ("mlp", SEED, (1,)),
    ("mlp", HOUSES, (2,)),
    ("cnn", DIGITS, (10,)),
    ("cnn", TINY_IMG, (1,)),
    ("lstm-text", REVIEWS, (4,)),
    ("transformer-text", REVIEWS, (4,)),
    ("gpt", CORPUS, (16, 40)),
]


def _batch(info: DataInfo, n: int = 2) -> torch.Tensor:
    if info.input_kind == "tokens":
        return torch.randint(0, info.vocab_size, (n, *info.input_shape))
    return torch.randn(n, *info.input_shape)


def test_every_template_is_listed_and_described():
    assert template_names() == [
        "keras-seed", "mlp", "cnn", "lstm-text", "transformer-text", "gpt", "finetune-text", "finetune-lm", "finetune-chat"
    ]
    for name in template_names():
        assert describe_template(name).endswith(".")
    with pytest.raises(TemplateError, match="Unknown template 'resnet'"):
        describe_template("resnet")


@pytest.mark.parametrize("name,info,out", CASES, ids=[f"{c[0]}-{c[1].task}-{c[1].input_kind}" for c in CASES])
def test_template_builds_and_ends_in_the_right_output_size(name, info, out):
    torch.manual_seed(0)
    g = build_template_graph(name, info)
    g.validate()
    report = infer_shapes(g)
    assert report["output"].shape == ("B", *out)
    model = compile_graph(g).eval()
    assert report.total_params == count_parameters(model)
    with torch.no_grad():
        y = model(_batch(info))
    assert tuple(y.shape) == (2, *out)
    # Laid out top to bottom: each node sits below the one feeding it.
    for e in g.edges:
        assert g.node(e.target).position[1] > g.node(e.source).position[1]


def test_keras_seed_is_exactly_the_classic_example():
    g = build_template_graph("keras-seed", SEED)
    d = g.to_dict()
    assert [(n["type"], n["params"]) for n in d["nodes"]] == [
        ("io.input", {"kind": "vector", "shape": [2], "vocab_size": 0}),
        ("core.linear", {"out_features": 3, "bias": True, "activation": "relu"}),
        ("core.linear", {"out_features": 1, "bias": True, "activation": "sigmoid"}),
        ("io.output", {}),
    ]
    assert infer_shapes(g).total_params == 2 * 3 + 3 + 3 * 1 + 1
    t = template_training_defaults("keras-seed", SEED)
    assert t["loss"] == {"name": "bce"} and t["metrics"] == ["accuracy"]
    assert t["optimizer"] == {"name": "sgd", "lr": 0.01, "momentum": 0.0}
    assert (t["epochs"], t["batch_size"]) == (200, 10)


def test_training_defaults_suit_the_task_and_are_valid_train_configs():
    from app.core.train.config import TrainConfig

    assert template_training_defaults("mlp", IRIS)["loss"]["name"] == "cross_entropy"
    assert template_training_defaults("mlp", SEED)["loss"]["name"] == "bce_logits"
    reg = template_training_defaults("mlp", HOUSES)
    assert reg["loss"]["name"] == "mse" and reg["metrics"] == ["mae", "r2"]
    gpt = template_training_defaults("gpt", CORPUS)
    assert gpt["loss"]["name"] == "lm_cross_entropy"
    assert gpt["optimizer"]["name"] == "adamw" and gpt["optimizer"]["lr"] == 3e-4
    assert gpt["scheduler"]["name"] == "cosine" and gpt["scheduler"]["warmup_steps"] > 0
    for name, info, _ in CASES:
        TrainConfig.from_dict(template_training_defaults(name, info))


def test_gpt_template_ties_the_head_to_the_token_embedding_and_learns():
    torch.manual_seed(0)
    g = build_template_graph("gpt", CORPUS, n_layer=2, n_embd=32, n_head=4, dropout=0.0)
    assert [n.id for n in g.nodes if n.type == "attn.gpt_block"] == ["block_1", "block_2"]
    model = compile_graph(g)
    assert model["lm_head"].weight is model["tok_emb"].weight
    assert model["lm_head"].weight.data_ptr() == model["tok_emb"].weight.data_ptr()
    x = _batch(CORPUS, 4)
    target = torch.roll(x, -1, dims=1)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(15):
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 40), target.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] * 0.7
    assert model["lm_head"].weight is model["tok_emb"].weight  # still one tensor after training


def test_template_options_are_checked():
    g = build_template_graph("mlp", IRIS, hidden=[16], dropout=0.0)
    assert [n.type for n in g.nodes] == ["io.input", "core.linear", "head.classifier", "io.output"]
    with pytest.raises(TemplateError, match="no option 'layers'.*hidden, dropout"):
        build_template_graph("mlp", IRIS, layers=3)
    with pytest.raises(TemplateError, match="takes none"):
        build_template_graph("keras-seed", SEED, hidden=3)
    with pytest.raises(TemplateError, match="heads"):
        build_template_graph("gpt", CORPUS, n_embd=30, n_head=4)


def test_templates_refuse_unsuitable_data():
    with pytest.raises(TemplateError, match="'cnn' template needs images.*vector"):
        build_template_graph("cnn", IRIS)
    with pytest.raises(TemplateError, match="'gpt'.*language modelling"):
        build_template_graph("gpt", REVIEWS)
    with pytest.raises(TemplateError, match="'gpt' template"):
        build_template_graph("mlp", DataInfo("vector", (3,), "language-model", 5))
    with pytest.raises(TemplateError, match="mlp"):
        build_template_graph("keras-seed", IRIS)
    with pytest.raises(TemplateError, match="vocabulary"):
        build_template_graph("lstm-text", DataInfo("tokens", (8,), "classification", 2))


def test_compiled_templates_export_and_compile_without_python_branches():
    """torch.export needs one straight line of operations; exporters and torch.compile rely on it."""
    for name, info in (("gpt", CORPUS), ("lstm-text", REVIEWS)):
        options = {"n_layer": 1, "n_embd": 16, "n_head": 2} if name == "gpt" else {}
        model = compile_graph(build_template_graph(name, info, **options)).eval()
        x = _batch(info)
        exported = torch.export.export(model, (x,))
        with torch.no_grad():
            assert torch.allclose(exported.module()(x), model(x), atol=1e-5), name
    compiled = torch.compile(model, backend="eager")
    with torch.no_grad():
        assert torch.allclose(compiled(x), model(x), atol=1e-5)
