"""Gradient (activation) checkpointing for the Transformer and GPT blocks of a compiled graph.

A checkpointed block keeps only its input during the forward pass and recomputes its
inside (attention, MLP) during the backward pass: memory for activations drops to about
one block's worth, for roughly a third more compute. The block's ``forward`` is wrapped in
place, so parameter names, ``state_dict`` keys and exports are untouched.

Example::

    n = enable_activation_checkpointing(model)     # number of blocks now checkpointed
"""

from __future__ import annotations

import torch
from torch.utils.checkpoint import checkpoint

#: Class names of the blocks worth checkpointing (graph layers ``attn.gpt_block`` and
#: ``attn.transformer_encoder_layer``), besides torch's own Transformer layers.
BLOCK_CLASS_NAMES = frozenset({"GPTBlock", "EncoderLayer"})


def is_block(module: torch.nn.Module) -> bool:
    return type(module).__name__ in BLOCK_CLASS_NAMES or isinstance(
        module, (torch.nn.TransformerEncoderLayer, torch.nn.TransformerDecoderLayer)
    )


def enable_activation_checkpointing(model: torch.nn.Module) -> int:
    """Checkpoint every block of ``model`` while it trains; returns how many blocks were wrapped."""
    count = 0
    for module in model.modules():
        if not is_block(module):
            continue
        count += 1
        if "forward" in module.__dict__:  # already wrapped
            continue
        inner = module.forward

        def forward(*args, _inner=inner, _module=module, **kwargs):
            if _module.training and torch.is_grad_enabled():
                return checkpoint(_inner, *args, use_reentrant=False, **kwargs)
            return _inner(*args, **kwargs)

        module.forward = forward
    return count
