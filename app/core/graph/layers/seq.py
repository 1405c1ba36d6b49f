"""Sequence pooling: summarise a (B, T, D) sequence into one (B, D) vector for classification."""

from __future__ import annotations

from app.core.graph.layers.common import expect_rank
from app.core.graph.registry import LayerSpec, ParamSpec, no_flops, no_params, register_layer


def _pool_rule(params, inputs):
    (x,) = inputs
    expect_rank("Sequence pooling", x, (3,), "a (B, sequence, features) sequence")
    return ("B", x[2])


def _build_pool(params, inputs):
    from app.core.graph.modules import SeqPool

    return SeqPool(params["mode"])


register_layer(LayerSpec(
    type_id="seq.pool", display_name="Sequence pooling", category="Sequence",
    description="Turns a sequence of vectors into one: their mean, maximum, the first or the last.",
    params=(ParamSpec("mode", "choice", "mean", "How the positions are summarised.",
                      choices=("mean", "max", "first", "last")),),
    shape_rule=_pool_rule, build=_build_pool, count_params=no_params, count_flops=no_flops,
    id_prefix="seqpool",
))
