"""GPT-2 style weight initialisation for networks built from GPT blocks.

Torch's default initialisations suit stand-alone layers, not a GPT: an embedding drawn
from N(0, 1) and shared with the LM head gives logits about sqrt(width) too large, so a
fresh 128-wide model starts at a loss near 100 instead of ln(vocabulary) and spends its
first hundreds of steps shrinking the table. GPT-2 (and nanoGPT) draw every linear and
embedding weight from N(0, 0.02), zero the biases, and shrink the projections that feed
the residual stream by 1/sqrt(2 * blocks) so the stream's variance does not grow with depth.

Example::

    model = compile_graph(graph)
    if initialise_gpt(model):      # True when the model has GPT blocks
        ...
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn

STD = 0.02


def gpt_blocks(model: nn.Module) -> list[nn.Module]:
    return [m for m in model.modules() if type(m).__name__ == "GPTBlock"]


@torch.no_grad()
def initialise_gpt(model: nn.Module) -> bool:
    """Re-initialise ``model`` GPT-2 style when it holds GPT blocks; returns whether it did.

    Only linear layers, embeddings and learned position tables are touched; norms keep
    weight 1 and bias 0.
    """
    blocks = gpt_blocks(model)
    if not blocks:
        return False
    for module in model.modules():
        if isinstance(module, (nn.Linear, nn.Embedding)) or type(module).__name__ == "LearnedPositional":
            nn.init.normal_(module.weight, mean=0.0, std=STD)
            bias = getattr(module, "bias", None)
            if isinstance(bias, torch.Tensor):
                nn.init.zeros_(bias)
    residual_std = STD / math.sqrt(2 * len(blocks))
    for block in blocks:
        for name, param in block.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(param, mean=0.0, std=residual_std)
    return True
