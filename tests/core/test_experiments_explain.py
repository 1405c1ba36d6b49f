"""Explanations of trained runs: heat maps over images land on the drawn shape, table
attributions name the features that matter, text attributions the words that decide."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from app.core.experiments.explain import Explainer, ExplanationError
from tests.e2e.test_templates_end_to_end import draw_shapes


@pytest.fixture(scope="module")
def shapes_run(tmp_path_factory):
    from app.core.new_project import create_project
    from app.core.train.api import train_project

    root = tmp_path_factory.mktemp("shapes")
    draw_shapes(root / "shapes", per_class=40, seed=0)
    draw_shapes(root / "test", per_class=10, seed=5)
    create_project("cnn", data=root / "shapes", target=None, out=root / "shapes.mwproj")
    run = train_project(root / "shapes.mwproj", out=root / "run", overrides={"epochs": 6})
    return run, sorted((root / "test").rglob("*.png"))


def _shape_box(path) -> np.ndarray:
    """The bounding box of the drawn shape (its pixels are bright, the noise is dark)."""
    pixels = np.asarray(Image.open(path).convert("RGB"))
    ys, xs = np.nonzero(pixels.min(axis=2) >= 150)
    box = np.zeros(pixels.shape[:2], dtype=bool)
    box[ys.min():ys.max() + 1, xs.min():xs.max() + 1] = True
    return box


@pytest.mark.parametrize("method", ["gradcam", "integrated_gradients"])
def test_image_heat_map_is_brightest_over_the_shape(shapes_run, method):
    run, images = shapes_run
    explainer = Explainer(run)
    inside_vs_outside, uniform = [], []
    for path in images:
        box = _shape_box(path)
        explanation = explainer.image(path=path, method=method)
        heat = explanation.heatmap
        assert heat.shape == box.shape and heat.min() >= 0 and heat.max() == pytest.approx(1.0)
        inside_vs_outside.append(heat[box].sum() / heat[~box].sum())
        uniform.append(box.sum() / (~box).sum())
    ratio = np.array(inside_vs_outside)
    # More attribution mass inside the shape's box than in the rest of the image, although
    # the box covers less than half of it (a uniform map would give the `uniform` ratios).
    assert ratio.mean() > 1.0 and np.mean(uniform) < 0.8, (ratio.mean(), np.mean(uniform))
    assert (ratio > np.array(uniform)).mean() >= 0.7


def test_image_explanations_from_gallery_pixels_and_their_mistakes(shapes_run):
    run, images = shapes_run
    explainer = Explainer(run)
    pixels = np.asarray(Image.open(images[0]).convert("RGB")).transpose(2, 0, 1).copy()
    from_pixels = explainer.image(pixels=pixels, method="saliency")
    assert from_pixels.heatmap.shape == (24, 24) and from_pixels.label in ("circle", "square", "triangle")
    other = explainer.image(pixels=pixels, method="gradcam", target=(from_pixels.target + 1) % 3)
    assert other.target != from_pixels.target
    with pytest.raises(ExplanationError, match="Unknown explanation method"):
        explainer.image(pixels=pixels, method="magic")
    with pytest.raises(ExplanationError, match="does not read table rows"):
        explainer.values({"x": 1})


def test_table_attributions_and_permutation_importance(tmp_path):
    from app.core.new_project import create_project
    from app.core.train.api import train_project

    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame({"signal": rng.normal(0, 1, n), "noise": rng.normal(0, 1, n),
                          "colour": rng.choice(["red", "green", "blue"], n)})
    frame["label"] = np.where(frame["signal"] > 0, "up", "down")
    frame.to_csv(tmp_path / "t.csv", index=False)
    create_project("mlp", data=tmp_path / "t.csv", target="label", out=tmp_path / "t.mwproj")
    run = train_project(tmp_path / "t.mwproj", out=tmp_path / "run", overrides={"epochs": 8, "lr": 0.01})
    explainer = Explainer(run)
    importance = explainer.permutation_importance()
    assert list(importance)[0] == "signal" and set(importance) == {"signal", "noise", "colour"}
    assert importance["signal"] > 5 * max(abs(importance["noise"]), abs(importance["colour"]), 1e-3)
    row = explainer.values({"signal": 2.0, "noise": 0.0, "colour": "red"})
    assert row["label"] == "up"
    assert max(row["attributions"], key=lambda k: abs(row["attributions"][k])) == "signal"
    assert row["attributions"]["signal"] > 0  # it pushed the answer towards "up"


def _reviews_with_a_cue_word(path) -> None:
    """Short reviews: filler words and one word that decides the sentiment."""
    rng = np.random.default_rng(0)
    filler = "the a movie film plot actors story was is very quite and but it this".split()
    rows = []
    for i in range(300):
        words = list(rng.choice(filler, 6))
        cue = rng.choice(["great", "wonderful", "superb"] if i % 2 else ["awful", "boring", "terrible"])
        words.insert(int(rng.integers(0, 6)), cue)
        rows.append({"text": " ".join(words), "sentiment": "pos" if i % 2 else "neg"})
    pd.DataFrame(rows).to_csv(path, index=False)


def test_text_attributions_point_at_the_deciding_word(tmp_path):
    from app.core.new_project import create_project
    from app.core.train.api import train_project

    _reviews_with_a_cue_word(tmp_path / "t.csv")
    create_project("lstm-text", data=tmp_path / "t.csv", target="sentiment", out=tmp_path / "t.mwproj")
    run = train_project(tmp_path / "t.mwproj", out=tmp_path / "run", overrides={"epochs": 8})
    explained = Explainer(run).text("the movie was superb and quite long")
    assert explained["label"] == "pos"
    tokens = dict(explained["tokens"])
    assert max(tokens, key=tokens.get) == "superb"


def test_attention_maps_are_the_layers_own_weights_and_change_nothing():
    import torch

    from app.core.data.info import DataInfo
    from app.core.experiments.explain import attention_maps
    from app.core.graph.compiler import compile_graph
    from app.core.graph.modules import SelfAttention
    from app.core.graph.templates import build_template_graph

    torch.manual_seed(0)
    info = DataInfo("tokens", (12,), "classification", 3, vocab_size=40, class_names=("a", "b", "c"))
    model = compile_graph(build_template_graph("transformer-text", info)).eval()
    tokens = torch.randint(1, 40, (12,))
    with torch.no_grad():
        before = model(tokens[None])
    maps = attention_maps(model, tokens)
    assert [name for name, _ in maps] == ["encoder_1", "encoder_2"]
    for _, weights in maps:
        assert weights.shape == (4, 12, 12) and np.allclose(weights.sum(axis=-1), 1.0, atol=1e-5)
    with torch.no_grad():  # reading the weights left the model as it was (hooks gone, same answers)
        assert torch.allclose(model(tokens[None]), before, atol=1e-5)
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in model.modules())

    # A causal attention layer: nothing attends to the future, and the weights are what the
    # layer itself computes.
    layer = SelfAttention(16, 2, 0.0, True, causal=True).eval()
    net = torch.nn.Sequential(torch.nn.Embedding(40, 16), layer)
    (name, weights), = attention_maps(net, tokens)
    assert name == "1" and weights.shape == (2, 12, 12)
    assert np.allclose(np.triu(weights, k=1), 0.0)
    x = net[0](tokens[None])
    mask = torch.ones(12, 12, dtype=torch.bool).triu(1)
    expected = torch.nn.MultiheadAttention.forward(layer, x, x, x, attn_mask=mask, need_weights=True,
                                                   average_attn_weights=False)[1][0]
    assert np.allclose(weights, expected.detach().numpy(), atol=1e-6)
    assert layer.keep_weights is False and layer.last_weights is None


def test_text_explanations_of_a_transformer_carry_its_attention_over_the_words(tmp_path):
    from app.core.new_project import create_project
    from app.core.train.api import train_project

    _reviews_with_a_cue_word(tmp_path / "t.csv")
    create_project("transformer-text", data=tmp_path / "t.csv", target="sentiment", out=tmp_path / "t.mwproj")
    run = train_project(tmp_path / "t.mwproj", out=tmp_path / "run", overrides={"epochs": 2})
    explained = Explainer(run).text("the movie was superb")
    words = [token for token, _ in explained["tokens"]]
    assert len(words) == 4 and [a["layer"] for a in explained["attention"]] == ["encoder_1", "encoder_2"]
    for layer in explained["attention"]:
        heads, rows, columns = layer["weights"].shape
        assert heads >= 1 and rows == columns == len(words)  # the text's own words, padding left out
        assert (layer["weights"] >= 0).all() and (layer["weights"].sum(axis=-1) <= 1 + 1e-5).all()
