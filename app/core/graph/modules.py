"""The torch modules that layer builders return when stock ``torch.nn`` ones do not fit as is.

Each module takes its inputs as positional tensors and keeps its weights directly on itself
(subclassing the stock module where possible) so that state_dict keys read
``"<node_id>.<param>"``. Forward passes hold no data-dependent Python control flow, so
compiled graphs stay traceable (TorchScript, ONNX) and compilable (``torch.compile``).
"""

from __future__ import annotations

import math
from functools import reduce

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_activation(name: str, softmax_dim: int = 1) -> nn.Module:
    """Module for an activation name from :data:`layers.common.ACTIVATIONS`."""
    table = {
        "none": nn.Identity,
        "relu": nn.ReLU,
        "leaky_relu": nn.LeakyReLU,
        "gelu": nn.GELU,
        "silu": nn.SiLU,
        "tanh": nn.Tanh,
        "sigmoid": nn.Sigmoid,
    }
    if name == "softmax":
        return nn.Softmax(dim=softmax_dim)
    return table[name]()


class LinearAct(nn.Linear):
    """Linear (Dense) with an optional activation, like Keras ``Dense(3, activation="relu")``."""

    def __init__(self, in_features: int, out_features: int, bias: bool, activation: str) -> None:
        super().__init__(in_features, out_features, bias=bias)
        self.act = make_activation(activation, softmax_dim=-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(super().forward(x))


class Conv1dAct(nn.Conv1d):
    """Conv1d with an optional activation."""

    def __init__(self, *args, activation: str = "none", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.act = make_activation(activation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(super().forward(x))


class Conv2dAct(nn.Conv2d):
    """Conv2d with an optional activation."""

    def __init__(self, *args, activation: str = "none", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.act = make_activation(activation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(super().forward(x))


class ConvTranspose2dAct(nn.ConvTranspose2d):
    """ConvTranspose2d with an optional activation."""

    def __init__(self, *args, activation: str = "none", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.act = make_activation(activation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(super().forward(x))


class GlobalAvgPool2d(nn.Module):
    """(B, C, H, W) -> (B, C): the mean over the whole picture."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mean(dim=(2, 3))


class Reshape(nn.Module):
    """Reshape every sample to ``shape`` (batch dimension kept)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.shape = tuple(int(d) for d in shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape((x.size(0),) + self.shape)

    def extra_repr(self) -> str:
        return f"shape={self.shape}"


class LearnedPositional(nn.Module):
    """Adds a learned vector per position to (B, T, D) embeddings (GPT-2 style ``wpe``)."""

    def __init__(self, max_len: int, dim: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(max_len, dim))
        nn.init.normal_(self.weight, std=0.02)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.weight[: x.size(1)]


class SinusoidalPositional(nn.Module):
    """Adds the fixed sine/cosine position code of "Attention Is All You Need" (no weights)."""

    def __init__(self, max_len: int, dim: int) -> None:
        super().__init__()
        pos = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
        div = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10000.0) / dim))
        pe = torch.zeros(max_len, dim)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)[:, : dim // 2]
        # Not persistent: it is recomputed, so it never lands in checkpoints or exports.
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.pe[: x.size(1)]


class LSTMLayer(nn.LSTM):
    """Batch-first LSTM returning the whole sequence or the last hidden state."""

    def __init__(self, *args, return_sequences: bool = False, **kwargs) -> None:
        super().__init__(*args, batch_first=True, **kwargs)
        self.return_sequences = return_sequences

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        out, (h, _c) = super().forward(x)
        if self.return_sequences:
            return out
        if self.bidirectional:
            return torch.cat((h[-2], h[-1]), dim=1)
        return h[-1]


class GRULayer(nn.GRU):
    """Batch-first GRU returning the whole sequence or the last hidden state."""

    def __init__(self, *args, return_sequences: bool = False, **kwargs) -> None:
        super().__init__(*args, batch_first=True, **kwargs)
        self.return_sequences = return_sequences

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        out, h = super().forward(x)
        if self.return_sequences:
            return out
        if self.bidirectional:
            return torch.cat((h[-2], h[-1]), dim=1)
        return h[-1]


def causal_mask(length: torch.Tensor | int, device: torch.device) -> torch.Tensor:
    """Boolean (T, T) mask, True where a position may NOT look (the future)."""
    return torch.ones(length, length, dtype=torch.bool, device=device).triu(1)


class SelfAttention(nn.MultiheadAttention):
    """Batch-first multi-head self-attention over (B, T, D), optionally causal."""

    def __init__(self, embed_dim: int, num_heads: int, dropout: float, bias: bool, causal: bool) -> None:
        super().__init__(embed_dim, num_heads, dropout=dropout, bias=bias, batch_first=True)
        self.causal = causal
        # Explanations switch this on to read the attention weights (B, heads, T, T) from
        # ``last_weights``; training and inference never compute them.
        self.keep_weights = False
        self.last_weights: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        mask = causal_mask(x.size(1), x.device) if self.causal else None
        out, weights = super().forward(x, x, x, attn_mask=mask, need_weights=self.keep_weights,
                                       average_attn_weights=False)
        if self.keep_weights:
            self.last_weights = weights.detach()
        return out


class EncoderLayer(nn.TransformerEncoderLayer):
    """Batch-first Transformer encoder layer taking one (B, T, D) tensor, optionally causal."""

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int, dropout: float,
                 activation: str, norm_first: bool, causal: bool) -> None:
        super().__init__(d_model, nhead, dim_feedforward=dim_feedforward, dropout=dropout,
                         activation=activation, norm_first=norm_first, batch_first=True)
        self.causal = causal

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        if self.causal:
            return super().forward(x, src_mask=causal_mask(x.size(1), x.device), is_causal=True)
        return super().forward(x)


class CausalSelfAttention(nn.Module):
    """GPT attention: one fused q/k/v projection and ``scaled_dot_product_attention(is_causal)``."""

    def __init__(self, dim: int, n_head: int, dropout: float, bias: bool) -> None:
        super().__init__()
        self.n_head = n_head
        self.dropout = dropout
        self.c_attn = nn.Linear(dim, 3 * dim, bias=bias)
        self.c_proj = nn.Linear(dim, dim, bias=bias)
        self.resid_dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, c = x.size()
        q, k, v = self.c_attn(x).split(c, dim=2)
        q = q.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)
        k = k.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)
        v = v.view(b, t, self.n_head, c // self.n_head).transpose(1, 2)
        y = F.scaled_dot_product_attention(
            q, k, v, dropout_p=self.dropout if self.training else 0.0, is_causal=True
        )
        y = y.transpose(1, 2).contiguous().view(b, t, c)
        return self.resid_dropout(self.c_proj(y))


class GPTMLP(nn.Module):
    """The position-wise feed-forward part of a GPT block: Linear, GELU, Linear, Dropout."""

    def __init__(self, dim: int, hidden: int, dropout: float, bias: bool) -> None:
        super().__init__()
        self.c_fc = nn.Linear(dim, hidden, bias=bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(hidden, dim, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class GPTBlock(nn.Module):
    """Pre-LayerNorm causal decoder block: x + attn(ln(x)), then x + mlp(ln(x))."""

    def __init__(self, dim: int, n_head: int, mlp_ratio: int, dropout: float, bias: bool) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim, bias=bias)
        self.attn = CausalSelfAttention(dim, n_head, dropout, bias)
        self.ln_2 = nn.LayerNorm(dim, bias=bias)
        self.mlp = GPTMLP(dim, mlp_ratio * dim, dropout, bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class SeqPool(nn.Module):
    """(B, T, D) -> (B, D) by mean, max, first or last position."""

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.mode == "mean":
            return x.mean(dim=1)
        if self.mode == "max":
            return x.amax(dim=1)
        if self.mode == "first":
            return x[:, 0]
        return x[:, -1]

    def extra_repr(self) -> str:
        return f"mode={self.mode!r}"


class Add(nn.Module):
    """Element-wise sum of all inputs (residual connections)."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        return reduce(torch.add, xs)


class Multiply(nn.Module):
    """Element-wise product of all inputs (gating)."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        return reduce(torch.mul, xs)


class Concatenate(nn.Module):
    """Joins inputs along ``dim`` (batch is dim 0), in edge order."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        return torch.cat(xs, dim=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
