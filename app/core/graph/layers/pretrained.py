"""Pretrained bases as layers: a Hugging Face encoder or GPT-style model as one node of the graph.

The node takes token ids ``(B, T)``; the text encoder gives one vector per text ``(B, hidden)``
for a head to classify, the causal LM gives next-token scores ``(B, T, vocab)``. Shape rules
read the base's ``config.json`` only (no torch), so the designer shows sizes instantly; the
builder loads the weights with ``transformers`` and applies the fine-tuning strategy (see
:mod:`app.core.finetune.strategies`).
"""

from __future__ import annotations

from app.core.errors import ModelwrightError
from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import expect_rank, fmt_shape
from app.core.graph.registry import LayerSpec, ParamSpec, register_layer

_STRATEGIES = ("head", "freeze_n", "full", "lora", "gradual")


def _base(params, expect_causal: bool | None = None):
    from app.core.finetune.bases import inspect_base

    try:
        info = inspect_base(params["base"])
    except ModelwrightError as exc:
        raise ShapeError(str(exc)) from None
    if expect_causal and info.kind != "causal-lm":
        raise ShapeError(f"'{info.name}' is a text encoder ({info.architecture}); a causal language model needs a "
                         "GPT-style base. Use the 'Pretrained text encoder' layer for it.")
    return info


def _check_tokens(name, x, info):
    expect_rank(name, x, (2,), "a (B, sequence) of token ids", "connect it straight to a token Input")
    if x[1] > info.max_positions:
        raise ShapeError(f"{name} '{info.name}' reads at most {info.max_positions} tokens, but the input "
                         f"{fmt_shape(x)} has {x[1]}; shorten the sequence length.")


def _encoder_rule(params, inputs):
    (x,) = inputs
    info = _base(params)
    _check_tokens("The base", x, info)
    if params.get("pooling") == "pooler":
        from app.core.finetune.native_head import has_native_pooler_head

        if not has_native_pooler_head(info.model_type):
            raise ShapeError(f"'{info.name}' ({info.model_type}) has no pooler for 'pooler' pooling; choose mean, "
                             "cls or max.")
    if params["strategy"] == "freeze_n" and params["freeze_blocks"] > info.n_layers:
        raise ShapeError(f"'{info.name}' has {info.n_layers} blocks; 'freeze_blocks' can be at most {info.n_layers}.")
    return ("B", info.hidden_size)


def _lm_rule(params, inputs):
    (x,) = inputs
    info = _base(params, expect_causal=True)
    _check_tokens("The base", x, info)
    return ("B", x[1], info.vocab_size)


def _count(params, inputs, out):
    info = _base(params)
    return int(info.parameters or 0)


def _flops(params, inputs, out):
    info = _base(params)
    t = inputs[0][1]
    dense = max(int(info.parameters or 0) - info.vocab_size * info.hidden_size, 0)
    return dense * t + info.n_layers * 2 * t * t * info.hidden_size


def _build(causal: bool):
    def build(params, inputs):
        from app.core.finetune.builder import build_pretrained

        return build_pretrained(params, causal)
    return build


def _common_params(default_base: str, default_strategy: str) -> tuple[ParamSpec, ...]:
    return (
        ParamSpec("base", "str", default_base, "The pretrained model: 'minilm' (bundled sentence encoder), the folder "
                  "of a Hugging Face model, or an earlier Modelwright run to continue."),
        ParamSpec("strategy", "choice", default_strategy, "What learns: head only (linear probe), all but the first "
                  "N blocks, everything, LoRA adapters, or everything unfrozen block by block.", choices=_STRATEGIES),
        ParamSpec("freeze_blocks", "int", 0, "For 'freeze_n': how many blocks from the bottom stay frozen.", min=0),
        ParamSpec("lr_scale", "float", 0.05, "Learning rate of the base's top block, as a multiple of the project's "
                  "learning rate (the head learns at 1x).", min=0.0, max=100.0),
        ParamSpec("lr_decay", "float", 1.0, "Each lower block learns at this multiple of the one above "
                  "(discriminative learning rates; 1 = all the same).", min=0.01, max=1.0),
        ParamSpec("unfreeze_every", "int", 1, "For 'gradual': epochs between unfreezing one more block.", min=1),
        ParamSpec("lora_rank", "int", 8, "For 'lora': rank of the adapters (higher learns more, costs more).",
                  min=1, max=1024),
        ParamSpec("lora_alpha", "float", 16.0, "For 'lora': scaling of the adapters (often twice the rank).",
                  min=0.0),
        ParamSpec("lora_dropout", "float", 0.1, "For 'lora': dropout on the adapters' input.", min=0.0, max=1.0),
        ParamSpec("target_modules", "str", "", "For 'lora': comma-separated names of the layers to adapt; empty "
                  "uses the attention projections usual for the architecture."),
        ParamSpec("gradient_checkpointing", "bool", False, "Recompute activations in the backward pass: much less "
                  "memory for about a third more time."),
    )


register_layer(LayerSpec(
    type_id="pretrained.text_encoder", display_name="Pretrained text encoder", category="Pretrained",
    description="A pretrained BERT-style model that turns a text into one vector of meaning, ready for a head.",
    params=(*_common_params("minilm", "full"),
            ParamSpec("pooling", "choice", "mean", "How token vectors become one: their mean, the first ([CLS]) "
                      "token, the maximum, or the base's own pooler (BERT's native classification head).",
                      choices=("mean", "cls", "max", "pooler"))),
    shape_rule=_encoder_rule, build=_build(False), count_params=_count, count_flops=_flops,
    id_prefix="encoder",
))

register_layer(LayerSpec(
    type_id="pretrained.causal_lm", display_name="Pretrained causal LM", category="Pretrained",
    description="A pretrained GPT-style model that scores the next token at every position (for text generation).",
    params=_common_params("", "full"),
    shape_rule=_lm_rule, build=_build(True), count_params=_count, count_flops=_flops,
    id_prefix="base_lm",
))
