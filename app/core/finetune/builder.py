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
    if not causal and params.get("pooling") == "pooler" and params["strategy"] == "head":
        _train_native_pooler(backbone)
    if causal:
        return PretrainedCausalLM(backbone, info.model_type)
    return PretrainedTextEncoder(backbone, info.model_type, params["pooling"], pad_token_id(info))


def _train_native_pooler(backbone) -> None:
    """With the native head, "train the head only" trains all of it: the pooler and the classifier.

    ``*ForSequenceClassification``'s head is the pooler (dense + tanh) and the classifier; a
    sentence encoder's pooler was never trained for its task, so freezing it too left a linear
    probe at 57 % on reviews where mean pooling reached 100 % (the pooler learning: 100 %).
    """
    for p in backbone.pooler.parameters():
        p.requires_grad_(True)
