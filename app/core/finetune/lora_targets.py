"""LoRA target modules read from the model itself: the linear layers of attention and MLP blocks.

Llama, Qwen2, Mistral and their relatives name them ``q_proj``, ``k_proj``, ``v_proj``,
``o_proj`` (attention) and ``gate_proj``, ``up_proj``, ``down_proj`` (MLP). The model is built
from its ``config.json`` on the meta device (no weights are read or allocated), and the
names of its ``nn.Linear`` layers decide; an architecture without these names falls back
to peft's usual attention targets.
"""

from __future__ import annotations

from app.core.finetune.bases import BaseInfo

ATTENTION = ("q_proj", "k_proj", "v_proj", "o_proj")
MLP = ("gate_proj", "up_proj", "down_proj")


def linear_layer_names(info: BaseInfo) -> set[str]:
    """The last name part of every ``nn.Linear`` in the base (built on the meta device)."""
    import torch
    import torch.nn as nn

    from app.core.finetune.offline import no_prompts, transformers

    tf = transformers()
    with no_prompts():
        config = tf.AutoConfig.from_pretrained(str(info.path), trust_remote_code=False, local_files_only=True)
    with torch.device("meta"):
        model = tf.AutoModelForCausalLM.from_config(config, trust_remote_code=False)
    return {name.rsplit(".", 1)[-1] for name, module in model.named_modules() if isinstance(module, nn.Linear)}


def chat_lora_targets(info: BaseInfo) -> list[str]:
    """Attention q/k/v/o and MLP gate/up/down where the model has them, else peft's default targets."""
    from app.core.finetune.strategies import lora_targets

    names = linear_layer_names(info) if info.run is None else set()
    found = [n for n in (*ATTENTION, *MLP) if n in names]
    return found or lora_targets(info.model_type)
