"""Build the module of a ``pretrained.*`` node: load the base, apply the strategy, wrap it."""

from __future__ import annotations

from app.core.finetune.bases import inspect_base
from app.core.finetune.loading import load_backbone
from app.core.finetune.strategies import apply_strategy


def build_pretrained(params: dict, causal: bool):
    """The torch module for a text-encoder (``causal=False``) or causal-LM node."""
    from app.core.finetune.modules import PretrainedCausalLM, PretrainedTextEncoder
    from app.core.finetune.tokenizer import pad_token_id

    info = inspect_base(params["base"])
    backbone = load_backbone(info, causal)
    if params.get("gradient_checkpointing"):
        backbone.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    backbone = apply_strategy(backbone, info, params)
    if causal:
        return PretrainedCausalLM(backbone, info.model_type)
    return PretrainedTextEncoder(backbone, info.model_type, params["pooling"], pad_token_id(info))
