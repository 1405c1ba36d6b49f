"""Embeddings: turn token ids into learned vectors, and tell the model where each token sits."""

from __future__ import annotations

from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import expect_rank, fmt_shape
from app.core.graph.registry import LayerSpec, ParamSpec, no_flops, no_params, register_layer


def _embedding_rule(params, inputs):
    (x,) = inputs
    expect_rank("Embedding", x, (2,), "a (B, sequence) of token ids",
                "connect it straight to a token Input" if len(x) > 2 else "")
    return (*x, params["embedding_dim"])


def _build_embedding(params, inputs):
    import torch.nn as nn

    return nn.Embedding(params["num_embeddings"], params["embedding_dim"])


register_layer(LayerSpec(
    type_id="embed.embedding", display_name="Embedding", category="Embedding",
    description="Looks up a learned vector for every token id, turning text into numbers.",
    params=(
        ParamSpec("num_embeddings", "int", 1000, "How many different token ids there are (vocabulary size).", min=1),
        ParamSpec("embedding_dim", "int", 64, "Length of the vector learned for each token.", min=1),
    ),
    shape_rule=_embedding_rule, build=_build_embedding,
    count_params=lambda params, inputs, out: params["num_embeddings"] * params["embedding_dim"],
    count_flops=no_flops, id_prefix="embedding",
))


def _positional_rule(name):
    def rule(params, inputs):
        (x,) = inputs
        expect_rank(name, x, (3,), "(B, sequence, features) token embeddings",
                    "put it right after an Embedding")
        if x[1] > params["max_len"]:
            raise ShapeError(
                f"{name} covers {params['max_len']} positions but the sequence {fmt_shape(x)} has {x[1]}; "
                "raise 'max_len'."
            )
        return x
    return rule


def _build_positional(cls_name):
    def build(params, inputs):
        from app.core.graph import modules

        return getattr(modules, cls_name)(params["max_len"], inputs[0][-1])
    return build


_MAX_LEN = ParamSpec("max_len", "int", 512, "Longest sequence this layer can handle.", min=1)

register_layer(LayerSpec(
    type_id="embed.positional", display_name="Positional embedding (learned)", category="Embedding",
    description="Adds a learned vector for each position so the model knows the order of tokens.",
    params=(_MAX_LEN,), shape_rule=_positional_rule("Positional embedding"),
    build=_build_positional("LearnedPositional"),
    count_params=lambda params, inputs, out: params["max_len"] * inputs[0][-1],
    count_flops=no_flops, id_prefix="positional",
))

register_layer(LayerSpec(
    type_id="embed.sinusoidal", display_name="Positional encoding (sinusoidal)", category="Embedding",
    description="Adds fixed sine and cosine waves that tell the model the order of tokens (no training).",
    params=(_MAX_LEN,), shape_rule=_positional_rule("Sinusoidal encoding"),
    build=_build_positional("SinusoidalPositional"),
    count_params=no_params, count_flops=no_flops, id_prefix="sinusoidal",
))
