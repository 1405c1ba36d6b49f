"""Core layers: Linear (Dense), Dropout, Flatten, Reshape."""

from __future__ import annotations

from math import prod

from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import activation_param, expect_rank, fmt_shape, numel
from app.core.graph.registry import LayerSpec, ParamSpec, no_flops, no_params, register_layer


def _linear_rule(params, inputs):
    (x,) = inputs
    expect_rank("Linear", x, (2, 3), "a (B, features) vector or a (B, sequence, features) sequence",
                "add a Flatten before it" if len(x) > 3 else "")
    return (*x[:-1], params["out_features"])


def _linear_params(params, inputs, out):
    fin, fout = inputs[0][-1], params["out_features"]
    return fin * fout + (fout if params["bias"] else 0)


def _linear_flops(params, inputs, out):
    x = inputs[0]
    return prod(x[1:-1]) * x[-1] * params["out_features"]


def _build_linear(params, inputs):
    from app.core.graph.modules import LinearAct

    return LinearAct(inputs[0][-1], params["out_features"], params["bias"], params["activation"])


register_layer(LayerSpec(
    type_id="core.linear", display_name="Dense (Linear)", category="Core",
    description="Connects every input number to every output number with a learned weight.",
    params=(
        ParamSpec("out_features", "int", 64, "How many numbers this layer outputs (units).", min=1),
        ParamSpec("bias", "bool", True, "Learn an offset added to each output."),
        activation_param(),
    ),
    shape_rule=_linear_rule, build=_build_linear,
    count_params=_linear_params, count_flops=_linear_flops, id_prefix="dense",
))


def _build_dropout(params, inputs):
    import torch.nn as nn

    return nn.Dropout(params["p"])


register_layer(LayerSpec(
    type_id="core.dropout", display_name="Dropout", category="Core",
    description="While training, randomly zeroes a share of values so the model does not memorise.",
    params=(ParamSpec("p", "float", 0.1, "Share of values zeroed during training (0 to 1).", min=0.0, max=1.0),),
    shape_rule=lambda params, inputs: inputs[0], build=_build_dropout,
    count_params=no_params, count_flops=no_flops, id_prefix="dropout",
))


def _flatten_rule(params, inputs):
    (x,) = inputs
    expect_rank("Flatten", x, range(2, 9), "a tensor with at least one dimension besides the batch")
    return ("B", numel(x))


def _build_flatten(params, inputs):
    import torch.nn as nn

    return nn.Flatten()


register_layer(LayerSpec(
    type_id="core.flatten", display_name="Flatten", category="Core",
    description="Lays all numbers of a sample out in one long row, e.g. before a Dense layer.",
    params=(), shape_rule=_flatten_rule, build=_build_flatten,
    count_params=no_params, count_flops=no_flops, id_prefix="flatten",
))


def _reshape_rule(params, inputs):
    (x,) = inputs
    target = list(params["shape"])
    if not target:
        raise ShapeError("Reshape needs a target shape (the sizes of one sample, e.g. [1, 28, 28]).")
    if target.count(-1) > 1 or any(d == 0 or d < -1 for d in target):
        raise ShapeError(
            f"Reshape's target {fmt_shape(target)} may hold positive sizes and at most one -1 (meaning 'the rest')."
        )
    total, known = numel(x), prod(d for d in target if d != -1)
    if -1 in target:
        if total % known:
            raise ShapeError(f"Reshape cannot fit {total} numbers from {fmt_shape(x)} into {fmt_shape(target)}.")
        target[target.index(-1)] = total // known
    elif known != total:
        raise ShapeError(
            f"Reshape gets {fmt_shape(x)} ({total} numbers per sample) but {fmt_shape(target)} holds {known}."
        )
    return ("B", *target)


def _build_reshape(params, inputs):
    from app.core.graph.modules import Reshape

    return Reshape(_reshape_rule(params, inputs)[1:])


register_layer(LayerSpec(
    type_id="core.reshape", display_name="Reshape", category="Core",
    description="Rearranges the numbers of each sample into a new shape (same count).",
    params=(ParamSpec("shape", "int-list", [-1], "Sizes of one sample without the batch; one -1 means "
                      "'whatever is left'.", min=-1),),
    shape_rule=_reshape_rule, build=_build_reshape,
    count_params=no_params, count_flops=no_flops, id_prefix="reshape",
))
