"""Refuse a base whose weights file does not hold the weights of its architecture.

``from_pretrained`` fills every tensor the checkpoint lacks with random values and only
logs it; a ``model.safetensors`` whose names match nothing would then "fine-tune" a model
trained from scratch. :func:`check_weight_coverage` compares what was loaded with what the
architecture needs and refuses more than a small gap. Not counted: the pooler (Modelwright's
own pooling and head replace it, so checkpoints without one are fine) and tied weights (the
output layer of a GPT-style model shares the token embedding).

Example::

    model, loading = AutoModel.from_pretrained(folder, output_loading_info=True, trust_remote_code=False)
    check_weight_coverage(model, loading["missing_keys"], info, "model.safetensors")
"""

from __future__ import annotations

from app.core.finetune.errors import BaseModelError

#: Largest share of the architecture's parameters a checkpoint may leave at random values.
MISSING_TOLERANCE = 0.05


def _needed(name: str) -> bool:
    parts = name.split(".")
    return "pooler" not in parts


def check_weight_coverage(model, missing_keys, info, weights_name: str) -> None:
    """Raise BaseModelError when ``missing_keys`` leave more than 5 % of the parameters at random values."""
    params = {name: p for name, p in model.named_parameters() if _needed(name)}  # tied weights listed once
    if not params:
        return
    missing = {name for name in missing_keys if name in params}
    total = sum(p.numel() for p in params.values())
    absent = sum(params[name].numel() for name in missing)
    if total == 0 or absent <= MISSING_TOLERANCE * total:
        return
    held = len(params) - len(missing)
    examples = ", ".join(sorted(missing)[:2])
    raise BaseModelError(
        f"{weights_name} in '{info.path.name}' holds {held} of the {len(params)} tensors a {info.model_type} model "
        f"needs ({absent / total:.0%} of its parameters would start from random values, e.g. {examples}), so "
        "fine-tuning would start from scratch instead of from pretrained weights. The weights do not belong to "
        "its config.json; copy the whole model folder again or choose another base.")
