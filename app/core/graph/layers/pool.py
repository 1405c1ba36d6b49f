"""Pooling: shrink feature maps by taking the maximum or mean of small windows."""

from __future__ import annotations

from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import check_spatial, conv_out, expect_rank
from app.core.graph.registry import LayerSpec, ParamSpec, no_flops, no_params, register_layer


def _window_params():
    return (
        ParamSpec("kernel_size", "int", 2, "Size of the window summarised into one value.", min=1),
        ParamSpec("stride", "int", 2, "How far the window moves each step (usually the window size).", min=1),
        ParamSpec("padding", "int", 0, "Border added on each side (at most half the window).", min=0),
    )


def _pool_rule(name, ndim):
    wants = "a (B, channels, length) signal" if ndim == 1 else "a (B, channels, height, width) image"

    def rule(params, inputs):
        (x,) = inputs
        expect_rank(name, x, (2 + ndim,), wants)
        k, s, pd = params["kernel_size"], params["stride"], params["padding"]
        if pd * 2 > k:
            raise ShapeError(f"{name}'s padding ({pd}) can be at most half its window ({k}).")
        sizes = tuple(conv_out(n, k, s, pd) for n in x[2:])
        check_spatial(name, sizes, x)
        return ("B", x[1], *sizes)
    return rule


def _build_pool(cls_name):
    def build(params, inputs):
        import torch.nn as nn

        return getattr(nn, cls_name)(params["kernel_size"], stride=params["stride"], padding=params["padding"])
    return build


for _tid, _name, _cls, _nd, _desc in (
    ("pool.max_pool1d", "MaxPool1d", "MaxPool1d", 1, "Keeps the largest value of each window along a sequence."),
    ("pool.max_pool2d", "MaxPool2d", "MaxPool2d", 2, "Keeps the largest value of each window, halving an image's size."),
    ("pool.avg_pool2d", "AvgPool2d", "AvgPool2d", 2, "Averages each window, halving an image's size."),
):
    register_layer(LayerSpec(
        type_id=_tid, display_name=_name, category="Pooling", description=_desc,
        params=_window_params(), shape_rule=_pool_rule(_name, _nd), build=_build_pool(_cls),
        count_params=no_params, count_flops=no_flops, id_prefix=_name.lower(),
    ))


def _adaptive_rule(params, inputs):
    (x,) = inputs
    expect_rank("AdaptiveAvgPool2d", x, (4,), "a (B, channels, height, width) image")
    o = params["output_size"]
    return ("B", x[1], o, o)


def _build_adaptive(params, inputs):
    import torch.nn as nn

    return nn.AdaptiveAvgPool2d(params["output_size"])


register_layer(LayerSpec(
    type_id="pool.adaptive_avg_pool2d", display_name="AdaptiveAvgPool2d", category="Pooling",
    description="Averages an image of any size down to a fixed grid of values per channel.",
    params=(ParamSpec("output_size", "int", 1, "Height and width of the output grid.", min=1),),
    shape_rule=_adaptive_rule, build=_build_adaptive,
    count_params=no_params, count_flops=no_flops, id_prefix="adaptiveavgpool2d",
))


def _global_rule(params, inputs):
    (x,) = inputs
    expect_rank("GlobalAvgPool", x, (4,), "a (B, channels, height, width) image")
    return ("B", x[1])


def _build_global(params, inputs):
    from app.core.graph.modules import GlobalAvgPool2d

    return GlobalAvgPool2d()


register_layer(LayerSpec(
    type_id="pool.global_avg_pool2d", display_name="GlobalAvgPool", category="Pooling",
    description="Averages each feature map into one number, giving a (B, channels) vector.",
    params=(), shape_rule=_global_rule, build=_build_global,
    count_params=no_params, count_flops=no_flops, id_prefix="globalavgpool",
))
