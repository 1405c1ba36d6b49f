"""Weights as safetensors that ``load_file`` + ``load_state_dict(strict=True)`` accept.

A tied weight (an LM head sharing its Embedding's matrix) appears under both names in a
state_dict; safetensors refuses tensors that share memory, so the second name gets its own
copy. Loading puts both copies into the one shared parameter again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def plain_tensors(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """CPU, contiguous tensors with no two sharing memory."""
    out: dict[str, torch.Tensor] = {}
    seen: set[int] = set()
    for name, value in state_dict.items():
        t = value.detach().to("cpu").contiguous()
        ptr = t.untyped_storage().data_ptr()
        if t.numel() and ptr in seen:
            t = t.clone()
        seen.add(t.untyped_storage().data_ptr())
        out[name] = t
    return out


def write_weights(state_dict: dict[str, torch.Tensor], path: Path, metadata: dict[str, str] | None = None) -> None:
    from safetensors.torch import save_file

    save_file(plain_tensors(state_dict), str(path), metadata={"format": "pt", **(metadata or {})})
