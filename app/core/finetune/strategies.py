"""Fine-tuning strategies: which weights of the base train, and how fast.

* ``head``: the base is frozen; only the layers after it learn (a linear probe).
* ``freeze_n``: the embeddings and the first ``freeze_blocks`` blocks stay frozen.
* ``full``: every weight learns.
* ``lora``: the base is frozen and small low-rank adapters (``peft``) learn beside the
  attention projections (``target_modules``; empty means the usual ones for the architecture).
* ``gradual``: like ``full``, but the base starts frozen and one more block (from the top)
  unfreezes every ``unfreeze_every`` epochs, the embeddings last (ULMFiT's gradual unfreezing).

Discriminative learning rates: the base's top block learns at ``lr_scale`` times the project's
learning rate and each block below it at ``lr_decay`` times the one above; the layers after the
base learn at the project's rate. The scale rides on each parameter as ``lr_scale``, the
unfreezing epoch as ``unfreeze_epoch``; the engine's optimizer reads both (see
:func:`app.core.train.optim.build_optimizer`).
"""

from __future__ import annotations

import warnings

from app.core.finetune.bases import BaseInfo
from app.core.finetune.errors import FinetuneError

STRATEGIES = ("head", "freeze_n", "full", "lora", "gradual")
STRATEGY_TITLES = {
    "head": "Train the head only (linear probe)",
    "freeze_n": "Freeze the first N blocks",
    "full": "Full fine-tuning",
    "lora": "LoRA adapters",
    "gradual": "Gradual unfreezing",
}
#: Learning-rate multiplier of the base's top block by strategy (the head learns at 1x).
DEFAULT_LR_SCALE = {"head": 1.0, "freeze_n": 0.05, "full": 0.05, "lora": 2.0, "gradual": 0.05}
#: LoRA targets where peft has no default for the architecture.
_LORA_TARGETS = {"distilbert": ["q_lin", "v_lin"], "gpt2": ["c_attn"], "bert": ["query", "value"]}


def lora_targets(model_type: str) -> list[str]:
    """The attention projections LoRA adapts by default for this architecture."""
    from app.core.finetune.offline import peft

    peft()
    from peft.utils.constants import TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING as mapping

    targets = mapping.get(model_type) or _LORA_TARGETS.get(model_type)
    if not targets:
        raise FinetuneError(f"There is no default LoRA target for the '{model_type}' architecture; name the "
                            "attention layers to adapt in 'target_modules' (e.g. q_proj,v_proj).")
    return list(targets)


def find_blocks(model, n_layers: int):
    """The model's list of transformer blocks (the ModuleList with one entry per layer)."""
    import torch.nn as nn

    for _, module in model.named_modules():
        if isinstance(module, nn.ModuleList) and len(module) == n_layers and n_layers > 0:
            return module
    raise FinetuneError(f"Cannot find the {n_layers} transformer blocks of this base, so blocks cannot be "
                        "frozen one by one; use the 'full', 'head' or 'lora' strategy.")


def apply_strategy(model, info: BaseInfo, params: dict):
    """Set ``requires_grad``, LoRA adapters, ``lr_scale`` and ``unfreeze_epoch``; returns the model to use."""
    strategy = params["strategy"]
    if strategy not in STRATEGIES:
        raise FinetuneError(f"Unknown fine-tuning strategy '{strategy}'; choose one of {', '.join(STRATEGIES)}.")
    n = info.n_layers
    if strategy == "lora":
        model = _add_lora(model, info, params)
    elif strategy == "head":
        for p in model.parameters():
            p.requires_grad_(False)
    elif strategy == "freeze_n":
        frozen = int(params["freeze_blocks"])
        if frozen > n:
            raise FinetuneError(f"The base has {n} blocks, so 'freeze_blocks' can be at most {n}, not {frozen}.")
        blocks = find_blocks(model, n)
        in_block = _block_of(model, blocks)
        for name, p in model.named_parameters():
            index = in_block.get(id(p))
            p.requires_grad_(not (index is None and _is_embedding(name)) and not (index is not None and index < frozen))
    else:  # full, gradual
        for p in model.parameters():
            p.requires_grad_(True)
    _set_learning_rates(model, info, params, strategy)
    return model


def _is_embedding(name: str) -> bool:
    return any(part in name for part in ("embeddings", "wte", "wpe", "embed_tokens", "embed_positions"))


def _block_of(model, blocks) -> dict[int, int]:
    return {id(p): i for i, block in enumerate(blocks) for p in block.parameters()}


def _set_learning_rates(model, info: BaseInfo, params: dict, strategy: str) -> None:
    n = info.n_layers
    scale, decay = float(params["lr_scale"]), float(params["lr_decay"])
    try:
        in_block = _block_of(model, find_blocks(model, n))
    except FinetuneError:
        in_block = {}
    every = max(int(params.get("unfreeze_every", 1)), 1)
    for name, p in model.named_parameters():
        index = in_block.get(id(p))
        if index is None:
            depth = n if _is_embedding(name) else 0  # embeddings below every block; final norm/pooler on top
        else:
            depth = n - 1 - index
        p.lr_scale = scale * decay**depth
        if strategy == "gradual":
            p.requires_grad_(False)
            # Epoch 0 trains the head; then one more block per step from the top; embeddings last.
            p.unfreeze_epoch = every * (depth + 1) if index is not None or _is_embedding(name) else every


def _add_lora(model, info: BaseInfo, params: dict):
    from app.core.finetune.offline import peft

    pf = peft()
    raw = str(params.get("target_modules") or "").replace(" ", "")
    targets = [t for t in raw.split(",") if t] or lora_targets(info.model_type)
    names = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    absent = [t for t in targets if t not in names]
    if absent:
        raise FinetuneError(f"The base has no layer named '{absent[0]}' for LoRA; its attention layers are "
                            f"named like {', '.join(lora_targets(info.model_type))}.")
    config = pf.LoraConfig(r=int(params["lora_rank"]), lora_alpha=float(params["lora_alpha"]),
                           lora_dropout=float(params["lora_dropout"]), target_modules=targets,
                           fan_in_fan_out=info.model_type == "gpt2", bias="none")
    with warnings.catch_warnings():  # peft calls a transformers property that warns about its own rename
        warnings.simplefilter("ignore", FutureWarning)
        return pf.get_peft_model(model, config)


def count_parameters(module) -> tuple[int, int]:
    """(trainable, total) parameters, counting parameters that unfreeze later as trainable."""
    total = trainable = 0
    for p in module.parameters():
        total += p.numel()
        if p.requires_grad or getattr(p, "unfreeze_epoch", None) is not None:
            trainable += p.numel()
    return trainable, total
