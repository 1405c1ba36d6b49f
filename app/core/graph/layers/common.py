"""Helpers shared by the layer families: shape wording, rank checks, size arithmetic.

Shapes are tuples whose first item is the batch dimension ``"B"``; all other items are ints.
"""

from __future__ import annotations

from math import prod
from typing import Any, Mapping, Sequence

from app.core.graph.errors import ShapeError
from app.core.graph.registry import ParamSpec

ACTIVATIONS = ("none", "relu", "leaky_relu", "gelu", "silu", "tanh", "sigmoid", "softmax")


def fmt_shape(shape: Sequence) -> str:
    """("B", 64) -> "(B, 64)"."""
    return "(" + ", ".join(str(d) for d in shape) + ")"


def numel(shape: Sequence) -> int:
    """Elements per sample (batch dimension left out)."""
    return prod(int(d) for d in shape[1:])


def single(inputs: Sequence[tuple]) -> tuple:
    return inputs[0]


def expect_rank(name: str, shape: tuple, ranks: Sequence[int], wants: str, hint: str = "") -> None:
    """Raise a plain-words ShapeError when ``shape`` (batch included) has a rank not in ``ranks``."""
    if len(shape) not in ranks:
        msg = f"{name} expects {wants} but gets {fmt_shape(shape)}"
        raise ShapeError(msg + (f"; {hint}" if hint else "") + ".")


def activation_param(default: str = "none") -> ParamSpec:
    return ParamSpec(
        "activation", "choice", default,
        "Function applied to the output, like Keras' activation= argument ('none' keeps it linear).",
        choices=ACTIVATIONS,
    )


def conv_out(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def check_spatial(name: str, sizes: Sequence[int], shape: tuple) -> None:
    if any(s < 1 for s in sizes):
        raise ShapeError(
            f"{name} would shrink {fmt_shape(shape)} to nothing; use a smaller kernel or stride, "
            "more padding, or a larger input."
        )


def p(params: Mapping[str, Any], name: str) -> Any:
    return params[name]
