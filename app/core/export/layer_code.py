"""How each layer type is written as PyTorch source: a constructor line and a forward expression.

Layers whose module is stock ``torch.nn`` are written as that module (``nn.Linear(4, 64)``);
a fused activation becomes a call in ``forward`` (``torch.relu(self.dense_1(x))``), so the
weights keep the same names (``dense_1.weight``) as in the trained model. Layers without
weights and without a stock module (pooling over a sequence, merges, reshapes) are written
inline. The rest use Modelwright's own modules, whose source is copied into the file
(``helpers``). A layer type missing here cannot be exported as code, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

Call = Callable[[str, Sequence[str]], str]


@dataclass(frozen=True)
class LayerCode:
    """``module``: constructor source or None (inline); ``call(attr, inputs)``: the forward expression."""

    module: str | None
    call: Call
    helpers: tuple[str, ...] = ()
    ties_weight_to: str | None = None  # node whose weight this layer shares (an LM head tied to its Embedding)


def _apply(attr: str, xs: Sequence[str]) -> str:
    return f"{attr}({', '.join(xs)})"


def activation_expr(name: str, inner: str, softmax_dim: int) -> str:
    """The fused activation of a Dense/Conv layer as a functional call around ``inner``."""
    table = {
        "none": "{}",
        "relu": "torch.relu({})",
        "leaky_relu": "F.leaky_relu({})",
        "gelu": "F.gelu({})",
        "silu": "F.silu({})",
        "tanh": "torch.tanh({})",
        "sigmoid": "torch.sigmoid({})",
        "softmax": "torch.softmax({}, dim=%d)" % softmax_dim,
    }
    return table[name].format(inner)


def _kwargs(**items) -> str:
    """``, stride=2, bias=False`` for the items that differ from the defaults (None = skip)."""
    parts = [f"{k}={v!r}" for k, v in items.items() if v is not None]
    return "".join(", " + p for p in parts)


def _with_activation(module: str, params, softmax_dim: int) -> LayerCode:
    act = params.get("activation", "none")
    return LayerCode(module, lambda a, xs: activation_expr(act, _apply(a, xs), softmax_dim))


def _linear(params, ins, out):
    bias = None if params["bias"] else False
    return _with_activation(f"nn.Linear({ins[0][-1]}, {params['out_features']}{_kwargs(bias=bias)})", params, -1)


def _conv(cls: str):
    def emit(params, ins, out):
        kw = _kwargs(
            stride=params["stride"] if params["stride"] != 1 or cls == "ConvTranspose2d" else None,
            padding=params["padding"] or None,
            output_padding=params.get("output_padding") or None,
            dilation=params["dilation"] if params.get("dilation", 1) != 1 else None,
            bias=None if params["bias"] else False,
        )
        return _with_activation(f"nn.{cls}({ins[0][1]}, {params['out_channels']}, {params['kernel_size']}{kw})",
                                params, 1)
    return emit


def _pool(cls: str):
    def emit(params, ins, out):
        k, s = params["kernel_size"], params["stride"]
        kw = _kwargs(stride=s if s != k else None, padding=params["padding"] or None)
        return LayerCode(f"nn.{cls}({k}{kw})", _apply)
    return emit


def _batch_norm(cls: str):
    def emit(params, ins, out):
        kw = _kwargs(eps=params["eps"] if params["eps"] != 1e-5 else None,
                     momentum=params["momentum"] if params["momentum"] != 0.1 else None,
                     affine=None if params["affine"] else False)
        return LayerCode(f"nn.{cls}({ins[0][1]}{kw})", _apply)
    return emit


def _layer_norm(params, ins, out):
    kw = _kwargs(eps=params["eps"] if params["eps"] != 1e-5 else None,
                 elementwise_affine=None if params["affine"] else False)
    return LayerCode(f"nn.LayerNorm({ins[0][-1]}{kw})", _apply)


def _stock(expr: Callable[[dict], str]):
    return lambda params, ins, out: LayerCode(expr(params), _apply)


def _inline(expr: Callable[[dict, Sequence[str], tuple], str]):
    return lambda params, ins, out: LayerCode(None, lambda a, xs: expr(params, xs, out))


def _helper(cls: str, args: Callable[[dict, Sequence[tuple]], str]):
    return lambda params, ins, out: LayerCode(f"{cls}({args(params, ins)})", _apply, helpers=(cls,))


def _rnn_args(params, ins):
    return (f"{ins[0][-1]}, {params['hidden_size']}, num_layers={params['num_layers']}, "
            f"bidirectional={params['bidirectional']}, return_sequences={params['return_sequences']}, "
            f"dropout={params['dropout'] if params['num_layers'] > 1 else 0.0!r}")


def _seq_pool(params, xs, out):
    x = xs[0]
    return {"mean": f"{x}.mean(dim=1)", "max": f"{x}.amax(dim=1)", "first": f"{x}[:, 0]",
            "last": f"{x}[:, -1]"}[params["mode"]]


def _lm_head(params, ins, out):
    return LayerCode(f"nn.Linear({ins[0][-1]}, {params['vocab_size']}, bias={bool(params['bias'])})", _apply,
                     ties_weight_to=params["tie_to"] or None)


EMITTERS: dict[str, Callable] = {
    "core.linear": _linear,
    "core.dropout": _stock(lambda p: f"nn.Dropout({p['p']!r})"),
    "core.flatten": _stock(lambda p: "nn.Flatten()"),
    "core.reshape": _inline(lambda p, xs, out: f"{xs[0]}.reshape({xs[0]}.size(0), {', '.join(map(str, out[1:]))})"),
    "conv.conv1d": _conv("Conv1d"),
    "conv.conv2d": _conv("Conv2d"),
    "conv.conv_transpose2d": _conv("ConvTranspose2d"),
    "pool.max_pool1d": _pool("MaxPool1d"),
    "pool.max_pool2d": _pool("MaxPool2d"),
    "pool.avg_pool2d": _pool("AvgPool2d"),
    "pool.adaptive_avg_pool2d": _stock(lambda p: f"nn.AdaptiveAvgPool2d({p['output_size']})"),
    "pool.global_avg_pool2d": _inline(lambda p, xs, out: f"{xs[0]}.mean(dim=(2, 3))"),
    "norm.batch_norm1d": _batch_norm("BatchNorm1d"),
    "norm.batch_norm2d": _batch_norm("BatchNorm2d"),
    "norm.layer_norm": _layer_norm,
    "act.relu": _stock(lambda p: "nn.ReLU()"),
    "act.silu": _stock(lambda p: "nn.SiLU()"),
    "act.tanh": _stock(lambda p: "nn.Tanh()"),
    "act.sigmoid": _stock(lambda p: "nn.Sigmoid()"),
    "act.leaky_relu": _stock(lambda p: f"nn.LeakyReLU({p['negative_slope']!r})"),
    "act.gelu": _stock(lambda p: "nn.GELU()" if p["approximate"] == "none" else f"nn.GELU(approximate={p['approximate']!r})"),
    "act.softmax": _stock(lambda p: f"nn.Softmax(dim={p['dim']})"),
    "embed.embedding": _stock(lambda p: f"nn.Embedding({p['num_embeddings']}, {p['embedding_dim']})"),
    "embed.positional": _helper("LearnedPositional", lambda p, ins: f"{p['max_len']}, {ins[0][-1]}"),
    "embed.sinusoidal": _helper("SinusoidalPositional", lambda p, ins: f"{p['max_len']}, {ins[0][-1]}"),
    "rnn.lstm": _helper("LSTMLayer", _rnn_args),
    "rnn.gru": _helper("GRULayer", _rnn_args),
    "attn.multihead_attention": _helper(
        "SelfAttention", lambda p, ins: f"{ins[0][-1]}, {p['num_heads']}, dropout={p['dropout']!r}, "
                                        f"bias={p['bias']}, causal={p['causal']}"),
    "attn.transformer_encoder_layer": _helper(
        "EncoderLayer", lambda p, ins: f"{ins[0][-1]}, {p['nhead']}, dim_feedforward={p['dim_feedforward']}, "
                                       f"dropout={p['dropout']!r}, activation={p['activation']!r}, "
                                       f"norm_first={p['norm_first']}, causal={p['causal']}"),
    "attn.gpt_block": _helper(
        "GPTBlock", lambda p, ins: f"{ins[0][-1]}, {p['n_head']}, mlp_ratio={p['mlp_ratio']}, "
                                   f"dropout={p['dropout']!r}, bias={p['bias']}"),
    "seq.pool": _inline(_seq_pool),
    "merge.add": _inline(lambda p, xs, out: " + ".join(xs)),
    "merge.multiply": _inline(lambda p, xs, out: " * ".join(xs)),
    "merge.concat": _inline(lambda p, xs, out: f"torch.cat([{', '.join(xs)}], dim={p['dim']})"),
    "head.classifier": lambda p, ins, out: LayerCode(
        f"nn.Linear({ins[0][-1]}, {p['num_classes']}{_kwargs(bias=None if p['bias'] else False)})", _apply),
    "head.lm": _lm_head,
}
