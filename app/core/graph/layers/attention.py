"""Attention layers: multi-head self-attention, the Transformer encoder layer, the GPT block."""

from __future__ import annotations

from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import expect_rank, fmt_shape
from app.core.graph.registry import LayerSpec, ParamSpec, register_layer


def _seq_rule(name, heads_param):
    def rule(params, inputs):
        (x,) = inputs
        expect_rank(name, x, (3,), "a (B, sequence, features) sequence",
                    "put an Embedding before it for token ids" if len(x) == 2 else "")
        heads = params[heads_param]
        if x[2] % heads:
            raise ShapeError(
                f"{name} splits the {x[2]} features of {fmt_shape(x)} over {heads} heads, which does not "
                f"divide evenly; pick a head count that divides {x[2]}."
            )
        return x
    return rule


def _attn_cost(t, d):
    return 4 * t * d * d + 2 * t * t * d


_DROPOUT = ParamSpec("dropout", "float", 0.1, "Share of values dropped while training.", min=0.0, max=1.0)


def _build_mha(params, inputs):
    from app.core.graph.modules import SelfAttention

    return SelfAttention(inputs[0][-1], params["num_heads"], params["dropout"], params["bias"], params["causal"])


register_layer(LayerSpec(
    type_id="attn.multihead_attention", display_name="Multi-head self-attention", category="Attention",
    description="Lets every position look at every other position and mix in what is relevant.",
    params=(
        ParamSpec("num_heads", "int", 4, "How many attention patterns are learned side by side.", min=1),
        ParamSpec("dropout", "float", 0.0, "Share of attention weights dropped while training.", min=0.0, max=1.0),
        ParamSpec("bias", "bool", True, "Learn offsets in the projections."),
        ParamSpec("causal", "bool", False, "Only look at earlier positions (for text generation)."),
    ),
    shape_rule=_seq_rule("Multi-head attention", "num_heads"), build=_build_mha,
    count_params=lambda params, inputs, out: 4 * inputs[0][2] ** 2 + (4 * inputs[0][2] if params["bias"] else 0),
    count_flops=lambda params, inputs, out: _attn_cost(inputs[0][1], inputs[0][2]),
    id_prefix="attention",
))


def _encoder_count(params, inputs, out):
    d, f = inputs[0][2], params["dim_feedforward"]
    return (4 * d * d + 4 * d) + (d * f + f) + (f * d + d) + 4 * d


def _build_encoder(params, inputs):
    from app.core.graph.modules import EncoderLayer

    return EncoderLayer(inputs[0][-1], params["nhead"], params["dim_feedforward"], params["dropout"],
                        params["activation"], params["norm_first"], params["causal"])


register_layer(LayerSpec(
    type_id="attn.transformer_encoder_layer", display_name="Transformer encoder layer", category="Attention",
    description="Self-attention followed by a small feed-forward network, each with a skip connection.",
    params=(
        ParamSpec("nhead", "int", 4, "How many attention heads.", min=1),
        ParamSpec("dim_feedforward", "int", 256, "Width of the feed-forward network inside.", min=1),
        _DROPOUT,
        ParamSpec("activation", "choice", "gelu", "Activation in the feed-forward network.", choices=("relu", "gelu")),
        ParamSpec("norm_first", "bool", True, "Normalise before each part (pre-norm), which trains more easily."),
        ParamSpec("causal", "bool", False, "Only look at earlier positions."),
    ),
    shape_rule=_seq_rule("Transformer encoder layer", "nhead"), build=_build_encoder,
    count_params=_encoder_count,
    count_flops=lambda params, inputs, out: _attn_cost(inputs[0][1], inputs[0][2])
    + 2 * inputs[0][1] * inputs[0][2] * params["dim_feedforward"],
    id_prefix="encoder",
))


def _gpt_count(params, inputs, out):
    d, h, b = inputs[0][2], params["mlp_ratio"] * inputs[0][2], 1 if params["bias"] else 0
    norms = 2 * (d + d * b)
    attn = (3 * d * d + 3 * d * b) + (d * d + d * b)
    mlp = (d * h + h * b) + (h * d + d * b)
    return norms + attn + mlp


def _build_gpt(params, inputs):
    from app.core.graph.modules import GPTBlock

    return GPTBlock(inputs[0][-1], params["n_head"], params["mlp_ratio"], params["dropout"], params["bias"])


register_layer(LayerSpec(
    type_id="attn.gpt_block", display_name="GPT decoder block", category="Attention",
    description="One GPT layer: causal self-attention then an MLP, each after a LayerNorm, with skip connections.",
    params=(
        ParamSpec("n_head", "int", 4, "How many attention heads.", min=1),
        ParamSpec("mlp_ratio", "int", 4, "The MLP is this many times wider than the embedding.", min=1),
        _DROPOUT,
        ParamSpec("bias", "bool", True, "Learn offsets in the projections and LayerNorms."),
    ),
    shape_rule=_seq_rule("GPT block", "n_head"), build=_build_gpt, count_params=_gpt_count,
    count_flops=lambda params, inputs, out: _attn_cost(inputs[0][1], inputs[0][2])
    + 2 * inputs[0][1] * inputs[0][2] * params["mlp_ratio"] * inputs[0][2],
    id_prefix="block",
))
