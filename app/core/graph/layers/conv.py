"""Convolutions: Conv1d (sequences, signals), Conv2d (images), ConvTranspose2d (upsampling)."""

from __future__ import annotations

from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import activation_param, check_spatial, conv_out, expect_rank, fmt_shape
from app.core.graph.registry import LayerSpec, ParamSpec, register_layer


def _conv_params_spec(default_padding: int, with_dilation: bool = True, transpose: bool = False):
    specs = [
        ParamSpec("out_channels", "int", 32, "How many feature maps (filters) this layer learns.", min=1),
        ParamSpec("kernel_size", "int", 3, "Width of the sliding window, in positions.", min=1),
        ParamSpec("stride", "int", 1, "How far the window moves each step (2 halves the size).", min=1),
        ParamSpec("padding", "int", default_padding, "Zeros added on each border; with kernel 3 and "
                  "stride 1, padding 1 keeps the size.", min=0),
    ]
    if transpose:
        specs.append(ParamSpec("output_padding", "int", 0, "Extra size added on one side of the output "
                               "(must be smaller than the stride).", min=0))
    if with_dilation:
        specs.append(ParamSpec("dilation", "int", 1, "Spacing between the window's taps.", min=1))
    specs += [ParamSpec("bias", "bool", True, "Learn an offset per output channel."), activation_param()]
    return tuple(specs)


def _conv1d_rule(params, inputs):
    (x,) = inputs
    expect_rank("Conv1d", x, (3,), "a (B, channels, length) signal",
                "use Conv2d for images" if len(x) == 4 else "add a Reshape to (channels, length) before it")
    length = conv_out(x[2], params["kernel_size"], params["stride"], params["padding"], params["dilation"])
    check_spatial("Conv1d", (length,), x)
    return ("B", params["out_channels"], length)


def _conv2d_rule(params, inputs):
    (x,) = inputs
    expect_rank("Conv2d", x, (4,), "a (B, channels, height, width) image",
                "add a Reshape to (channels, height, width) before it")
    k, s, pd, d = params["kernel_size"], params["stride"], params["padding"], params["dilation"]
    h, w = conv_out(x[2], k, s, pd, d), conv_out(x[3], k, s, pd, d)
    check_spatial("Conv2d", (h, w), x)
    return ("B", params["out_channels"], h, w)


def _convt_rule(params, inputs):
    (x,) = inputs
    expect_rank("ConvTranspose2d", x, (4,), "a (B, channels, height, width) image",
                "add a Reshape to (channels, height, width) before it")
    k, s, pd, op = params["kernel_size"], params["stride"], params["padding"], params["output_padding"]
    if op >= s:
        raise ShapeError(f"ConvTranspose2d's output padding ({op}) must be smaller than its stride ({s}).")
    h, w = ((n - 1) * s - 2 * pd + (k - 1) + op + 1 for n in x[2:])
    check_spatial("ConvTranspose2d", (h, w), x)
    return ("B", params["out_channels"], h, w)


def _conv_param_count(ndim):
    def count(params, inputs, out):
        cin, cout = inputs[0][1], params["out_channels"]
        return cin * cout * params["kernel_size"] ** ndim + (cout if params["bias"] else 0)
    return count


def _conv_flops(ndim):
    def count(params, inputs, out):
        positions = 1
        for d in out[2:]:
            positions *= d
        return positions * out[1] * inputs[0][1] * params["kernel_size"] ** ndim
    return count


def _convt_flops(params, inputs, out):
    x = inputs[0]
    return x[1] * x[2] * x[3] * params["out_channels"] * params["kernel_size"] ** 2


def _build_conv(cls_name):
    def build(params, inputs):
        from app.core.graph import modules

        cls = getattr(modules, cls_name)
        kwargs = dict(stride=params["stride"], padding=params["padding"], bias=params["bias"],
                      activation=params["activation"])
        if "dilation" in params:
            kwargs["dilation"] = params["dilation"]
        if "output_padding" in params:
            kwargs["output_padding"] = params["output_padding"]
        return cls(inputs[0][1], params["out_channels"], params["kernel_size"], **kwargs)
    return build


register_layer(LayerSpec(
    type_id="conv.conv1d", display_name="Conv1d", category="Convolution",
    description="Slides small learned filters along a sequence or signal to detect local patterns.",
    params=_conv_params_spec(1), shape_rule=_conv1d_rule, build=_build_conv("Conv1dAct"),
    count_params=_conv_param_count(1), count_flops=_conv_flops(1), id_prefix="conv1d",
))

register_layer(LayerSpec(
    type_id="conv.conv2d", display_name="Conv2d", category="Convolution",
    description="Slides small learned filters over an image to detect edges, textures and shapes.",
    params=_conv_params_spec(1), shape_rule=_conv2d_rule, build=_build_conv("Conv2dAct"),
    count_params=_conv_param_count(2), count_flops=_conv_flops(2), id_prefix="conv2d",
))

register_layer(LayerSpec(
    type_id="conv.conv_transpose2d", display_name="ConvTranspose2d", category="Convolution",
    description="The reverse of a strided convolution: makes feature maps larger (upsampling).",
    params=tuple(
        ParamSpec("stride", "int", 2, "How much larger the output gets (2 doubles the size).", min=1)
        if s.name == "stride" else s
        for s in _conv_params_spec(0, with_dilation=False, transpose=True)
    ),
    shape_rule=_convt_rule, build=_build_conv("ConvTranspose2dAct"),
    count_params=_conv_param_count(2), count_flops=_convt_flops, id_prefix="convtranspose2d",
))
