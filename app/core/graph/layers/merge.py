"""Merge layers: join branches, for residual connections and multi-branch networks."""

from __future__ import annotations

from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import fmt_shape
from app.core.graph.registry import LayerSpec, ParamSpec, PortSpec, no_flops, no_params, register_layer

_VARIADIC = (PortSpec("in", variadic=True),)


def _need_two(name, inputs):
    if len(inputs) < 2:
        raise ShapeError(f"{name} joins two or more branches but gets {len(inputs)}; connect another input.")


def _same_shape_rule(name):
    def rule(params, inputs):
        _need_two(name, inputs)
        first = inputs[0]
        for i, other in enumerate(inputs[1:], start=2):
            if tuple(other) != tuple(first):
                raise ShapeError(
                    f"{name} needs inputs of the same shape but input 1 is {fmt_shape(first)} "
                    f"and input {i} is {fmt_shape(other)}; make the branches match (e.g. with a Dense or Conv)."
                )
        return first
    return rule


def _builder(cls_name, *keys):
    def build(params, inputs):
        from app.core.graph import modules

        return getattr(modules, cls_name)(*(params[k] for k in keys))
    return build


register_layer(LayerSpec(
    type_id="merge.add", display_name="Add", category="Merge",
    description="Adds branches element by element, e.g. a residual (skip) connection.",
    params=(), inputs=_VARIADIC, shape_rule=_same_shape_rule("Add"), build=_builder("Add"),
    count_params=no_params, count_flops=no_flops, id_prefix="add",
))

register_layer(LayerSpec(
    type_id="merge.multiply", display_name="Multiply", category="Merge",
    description="Multiplies branches element by element, e.g. to let one branch gate another.",
    params=(), inputs=_VARIADIC, shape_rule=_same_shape_rule("Multiply"), build=_builder("Multiply"),
    count_params=no_params, count_flops=no_flops, id_prefix="multiply",
))


def _concat_rule(params, inputs):
    _need_two("Concatenate", inputs)
    rank, dim = len(inputs[0]), params["dim"]
    axis = dim + rank if dim < 0 else dim
    if not 1 <= axis < rank:
        raise ShapeError(
            f"Concatenate cannot join along dimension {dim} of {fmt_shape(inputs[0])}; "
            "use 1 for features/channels or -1 for the last dimension (0 is the batch)."
        )
    total = 0
    for i, x in enumerate(inputs, start=1):
        if len(x) != rank or any(a != b for j, (a, b) in enumerate(zip(x, inputs[0])) if j != axis):
            raise ShapeError(
                f"Concatenate along dimension {dim} needs all other sizes equal, but input 1 is "
                f"{fmt_shape(inputs[0])} and input {i} is {fmt_shape(x)}."
            )
        total += x[axis]
    out = list(inputs[0])
    out[axis] = total
    return tuple(out)


register_layer(LayerSpec(
    type_id="merge.concat", display_name="Concatenate", category="Merge",
    description="Joins branches side by side along one dimension (features or channels).",
    params=(ParamSpec("dim", "int", 1, "Dimension to join along: 1 = features/channels, -1 = last."),),
    inputs=_VARIADIC, shape_rule=_concat_rule, build=_builder("Concatenate", "dim"),
    count_params=no_params, count_flops=no_flops, id_prefix="concat",
))
