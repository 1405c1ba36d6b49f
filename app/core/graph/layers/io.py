"""Input and Output nodes: where data enters the network and which tensor it returns."""

from __future__ import annotations

from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import fmt_shape
from app.core.graph.registry import LayerSpec, ParamSpec, PortSpec, no_flops, no_params, register_layer

INPUT_KINDS = ("vector", "image", "tokens")


def _input_rule(params, inputs):
    kind, shape = params["kind"], list(params["shape"])
    if any(d < 1 for d in shape):
        raise ShapeError(f"Input sizes must be at least 1, but the shape is {fmt_shape(shape)}.")
    if kind == "vector" and len(shape) != 1:
        raise ShapeError(f"A vector input has one size (the number of features), not {fmt_shape(shape)}.")
    if kind == "image" and len(shape) != 3:
        raise ShapeError(
            f"An image input has three sizes (channels, height, width), not {fmt_shape(shape)}."
        )
    if kind == "tokens":
        if len(shape) != 1:
            raise ShapeError(f"A token input has one size (the sequence length), not {fmt_shape(shape)}.")
        if params["vocab_size"] < 2:
            raise ShapeError("A token input needs its vocabulary size (at least 2); set 'vocab_size'.")
    return ("B", *shape)


def _build_input(params, inputs):
    raise RuntimeError("Input nodes have no module; the compiler feeds them the model's arguments.")


def _build_identity(params, inputs):
    import torch.nn as nn

    return nn.Identity()


register_layer(LayerSpec(
    type_id="io.input", display_name="Input", category="Input/Output",
    description="Where the data enters: a feature vector, an image or a sequence of token ids.",
    params=(
        ParamSpec("kind", "choice", "vector", "What one sample is: numbers (vector), a picture (image) "
                  "or text as token ids (tokens).", choices=INPUT_KINDS),
        ParamSpec("shape", "int-list", [2], "Size of one sample without the batch: (features,), "
                  "(channels, height, width) or (sequence length,).", min=1),
        ParamSpec("vocab_size", "int", 0, "For tokens: how many different token ids there are.", min=0),
    ),
    inputs=(), shape_rule=_input_rule, build=_build_input,
    count_params=no_params, count_flops=no_flops, id_prefix="input",
))

register_layer(LayerSpec(
    type_id="io.output", display_name="Output", category="Input/Output",
    description="Marks the tensor the model returns (its prediction).",
    params=(), inputs=(PortSpec("in"),), shape_rule=lambda params, inputs: inputs[0],
    build=_build_identity, count_params=no_params, count_flops=no_flops, id_prefix="output",
))
