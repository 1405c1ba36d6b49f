"""Which classification head a fine-tuned text classifier trains: the base's native one when it has one.

``transformers``' ``BertForSequenceClassification`` (and its ALBERT, MobileBERT and
Megatron-BERT siblings) classify the model's pooled output: a dense layer with tanh over the
first token, then dropout and one linear layer. A Modelwright graph ``encoder (pooling
'pooler') -> dropout -> linear head`` is exactly that network, so such a run exports as the
native class and loads with ``AutoModelForSequenceClassification`` and ``pipeline`` alone.
Mean pooling (what sentence encoders were trained for) has no native class: writing it as one
would need code shipped with the model, which loaders must never run. New projects on a base
with a native pooler therefore train with ``pooling='pooler'``; other bases keep mean pooling
and export as safetensors, pytorch or onnx. Reads only the base's description (no torch).
"""

from __future__ import annotations

#: Model types whose ``*ForSequenceClassification`` is pooled output -> dropout -> ``classifier`` (Linear).
POOLER_HEAD_TYPES = frozenset({"bert", "albert", "mobilebert", "megatron-bert"})


def has_native_pooler_head(model_type: str) -> bool:
    """Whether the architecture's sequence-classification class classifies its pooler output."""
    return model_type in POOLER_HEAD_TYPES


def default_pooling(reference: str) -> str:
    """The pooling a new classifier on this base trains with: the native pooler when there is one."""
    from app.core.finetune.bases import inspect_base

    return "pooler" if has_native_pooler_head(inspect_base(reference).model_type) else "mean"
