"""The torch modules behind the ``pretrained.*`` graph layers.

Each wraps a Hugging Face model so the rest of the app sees an ordinary layer: token ids
``(B, T)`` in; a pooled vector ``(B, hidden)`` (text encoder) or next-token scores
``(B, T, vocab)`` (causal LM) out. The attention mask comes from the pad token id, so the
engine, ``evaluate``, ``predict`` and the exporters pass nothing but the ids.
"""

from __future__ import annotations

import contextlib
import copy

import torch
import torch.nn as nn

POOLINGS = ("pooler", "mean", "cls", "max")


class _Pretrained(nn.Module):
    """Shared parts: the (possibly LoRA-wrapped) backbone and its plain, merged form."""

    is_causal_lm = False

    def __init__(self, backbone: nn.Module, model_type: str) -> None:
        super().__init__()
        self.backbone = backbone
        self.model_type = model_type
        self._base_params = list(backbone.parameters())

    def _base_trains(self) -> bool:
        return self.training and any(p.requires_grad for p in self._base_params)

    def _run_backbone(self, **kwargs):
        # A frozen base (linear probe, or before gradual unfreezing reaches it) runs without
        # building a graph for the backward pass and without dropout: faster, and its
        # features stay fixed while the head learns.
        trains = self._base_trains()
        if self.backbone.training != trains:
            self.backbone.train(trains)
        context = contextlib.nullcontext() if trains or not torch.is_grad_enabled() else torch.no_grad()
        with context:
            return self.backbone(**kwargs)

    def plain_backbone(self) -> nn.Module:
        """A copy of the backbone as a plain transformers model (LoRA adapters merged in)."""
        model = copy.deepcopy(self.backbone)
        if hasattr(model, "merge_and_unload"):
            model = model.merge_and_unload()
        model.eval()
        return model

    def training_callbacks(self) -> list:
        """Engine callbacks this layer needs: gradual unfreezing when a parameter waits for its epoch."""
        if any(getattr(p, "unfreeze_epoch", None) is not None for p in self.parameters()):
            from app.core.finetune.unfreezing import GradualUnfreezing

            return [GradualUnfreezing()]
        return []


class PretrainedTextEncoder(_Pretrained):
    """Token ids -> one vector per text.

    ``pooler`` is the base's own pooled output (BERT: a dense layer and tanh over the first
    token), the vector ``*ForSequenceClassification`` classifies, so a run trained with it
    exports as that native class. ``mean``, ``cls`` and ``max`` pool the token vectors.
    """

    def __init__(self, backbone: nn.Module, model_type: str, pooling: str, pad_token_id: int | None) -> None:
        super().__init__(backbone, model_type)
        if pooling not in POOLINGS:
            raise ValueError(pooling)
        self.pooling = pooling
        self.pad_token_id = pad_token_id

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        if self.pad_token_id is None:
            mask = torch.ones_like(ids)
        else:
            mask = (ids != self.pad_token_id).to(ids.dtype)
        outputs = self._run_backbone(input_ids=ids, attention_mask=mask)
        if self.pooling == "pooler":
            return outputs.pooler_output
        return pool(outputs[0], mask, self.pooling)


def pool(hidden: torch.Tensor, mask: torch.Tensor, pooling: str) -> torch.Tensor:
    """(B, T, H) token vectors -> (B, H), ignoring padded positions."""
    if pooling == "cls":
        return hidden[:, 0]
    m = mask.unsqueeze(-1).to(hidden.dtype)
    if pooling == "max":
        return hidden.masked_fill(m == 0, torch.finfo(hidden.dtype).min).amax(dim=1)
    return (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)


class PretrainedCausalLM(_Pretrained):
    """Token ids -> next-token scores at every position (a GPT-style decoder)."""

    is_causal_lm = True

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self._run_backbone(input_ids=ids, use_cache=False)[0]
