"""Derive independent generator seeds from (seed, epoch) or (seed, step) without global RNG.

Resuming a run recomputes the same epoch order and the same augmentation from these
numbers alone, so nothing random has to be saved in checkpoints.
"""

from __future__ import annotations

import torch

_MASK = (1 << 64) - 1


def _splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def derive_seed(*parts: int) -> int:
    """A well-mixed 63-bit seed from integers; ``derive_seed(7, 0) != derive_seed(0, 7)``."""
    state = 0x2545F4914F6CDD1D
    for p in parts:
        state = _splitmix64(state ^ (int(p) & _MASK))
    return state & ((1 << 63) - 1)


def generator(*parts: int) -> torch.Generator:
    g = torch.Generator()
    g.manual_seed(derive_seed(*parts))
    return g
