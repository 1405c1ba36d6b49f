"""Normalisation layers: keep values in a steady range so deep networks train smoothly."""

from __future__ import annotations

from app.core.graph.layers.common import expect_rank, numel
from app.core.graph.registry import LayerSpec, ParamSpec, register_layer


def _bn_params():
    return (
        ParamSpec("eps", "float", 1e-5, "Small number added for numerical safety.", min=0.0),
        ParamSpec("momentum", "float", 0.1, "How fast the running averages follow new batches.", min=0.0, max=1.0),
        ParamSpec("affine", "bool", True, "Learn a scale and shift per channel."),
    )


def _bn_rule(name, ranks, wants):
    def rule(params, inputs):
        (x,) = inputs
        expect_rank(name, x, ranks, wants)
        return x
    return rule


def _bn_count(params, inputs, out):
    return 2 * inputs[0][1] if params["affine"] else 0


def _elementwise_flops(params, inputs, out):
    return numel(out)


def _build_bn(cls_name):
    def build(params, inputs):
        import torch.nn as nn

        return getattr(nn, cls_name)(inputs[0][1], eps=params["eps"], momentum=params["momentum"],
                                     affine=params["affine"])
    return build


register_layer(LayerSpec(
    type_id="norm.batch_norm1d", display_name="BatchNorm1d", category="Normalization",
    description="Rescales each feature using statistics of the current batch (vectors or signals).",
    params=_bn_params(),
    shape_rule=_bn_rule("BatchNorm1d", (2, 3), "a (B, features) vector or a (B, channels, length) signal"),
    build=_build_bn("BatchNorm1d"), count_params=_bn_count, count_flops=_elementwise_flops,
    id_prefix="batchnorm1d",
))

register_layer(LayerSpec(
    type_id="norm.batch_norm2d", display_name="BatchNorm2d", category="Normalization",
    description="Rescales each image channel using statistics of the current batch.",
    params=_bn_params(),
    shape_rule=_bn_rule("BatchNorm2d", (4,), "a (B, channels, height, width) image"),
    build=_build_bn("BatchNorm2d"), count_params=_bn_count, count_flops=_elementwise_flops,
    id_prefix="batchnorm2d",
))


def _build_ln(params, inputs):
    import torch.nn as nn

    return nn.LayerNorm(inputs[0][-1], eps=params["eps"], elementwise_affine=params["affine"])


register_layer(LayerSpec(
    type_id="norm.layer_norm", display_name="LayerNorm", category="Normalization",
    description="Rescales the last dimension of each sample on its own (used in Transformers).",
    params=(
        ParamSpec("eps", "float", 1e-5, "Small number added for numerical safety.", min=0.0),
        ParamSpec("affine", "bool", True, "Learn a scale and shift per feature."),
    ),
    shape_rule=lambda params, inputs: inputs[0], build=_build_ln,
    count_params=lambda params, inputs, out: 2 * inputs[0][-1] if params["affine"] else 0,
    count_flops=_elementwise_flops, id_prefix="layernorm",
))
