"""Activation functions: the bends that let a network learn more than straight lines."""

from __future__ import annotations

from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import fmt_shape
from app.core.graph.registry import LayerSpec, ParamSpec, no_flops, no_params, register_layer


def _same(params, inputs):
    return inputs[0]


def _builder(cls_name, **fixed):
    def build(params, inputs):
        import torch.nn as nn

        return getattr(nn, cls_name)(**fixed, **params)
    return build


_SIMPLE = (
    ("act.relu", "ReLU", "ReLU", "Keeps positive values and turns negative ones into zero."),
    ("act.silu", "SiLU", "SiLU", "Smooth ReLU-like curve x·sigmoid(x), also called Swish."),
    ("act.tanh", "Tanh", "Tanh", "Squashes values into the range -1 to 1."),
    ("act.sigmoid", "Sigmoid", "Sigmoid", "Squashes values into 0 to 1, e.g. a probability for yes/no."),
)

for _tid, _name, _cls, _desc in _SIMPLE:
    register_layer(LayerSpec(
        type_id=_tid, display_name=_name, category="Activation", description=_desc, params=(),
        shape_rule=_same, build=_builder(_cls), count_params=no_params, count_flops=no_flops,
        id_prefix=_name.lower(),
    ))

register_layer(LayerSpec(
    type_id="act.leaky_relu", display_name="LeakyReLU", category="Activation",
    description="Like ReLU, but lets a small share of negative values through.",
    params=(ParamSpec("negative_slope", "float", 0.01, "Factor applied to negative values.", min=0.0),),
    shape_rule=_same, build=_builder("LeakyReLU"), count_params=no_params, count_flops=no_flops,
    id_prefix="leakyrelu",
))

register_layer(LayerSpec(
    type_id="act.gelu", display_name="GELU", category="Activation",
    description="Smooth ReLU-like curve used in Transformers and GPT.",
    params=(ParamSpec("approximate", "choice", "none", "'tanh' uses the faster approximation of GPT-2.",
                      choices=("none", "tanh")),),
    shape_rule=_same, build=_builder("GELU"), count_params=no_params, count_flops=no_flops,
    id_prefix="gelu",
))


def _softmax_rule(params, inputs):
    (x,) = inputs
    if not -len(x) <= params["dim"] < len(x) or params["dim"] in (0, -len(x)):
        raise ShapeError(
            f"Softmax cannot work along dimension {params['dim']} of {fmt_shape(x)}; "
            "use 1 for features/classes or -1 for the last dimension."
        )
    return x


register_layer(LayerSpec(
    type_id="act.softmax", display_name="Softmax", category="Activation",
    description="Turns scores into probabilities that add up to 1 (for classes).",
    params=(ParamSpec("dim", "int", -1, "Dimension that adds up to 1 (-1 = last, 1 = after the batch)."),),
    shape_rule=_softmax_rule, build=_builder("Softmax"), count_params=no_params, count_flops=no_flops,
    id_prefix="softmax",
))
