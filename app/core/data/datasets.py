"""The engine's only view of data: a :class:`TrainingSplit` per train/val/test part.

Data lives in memory as tensors and is batched by index slicing; there is no per-sample
``DataLoader`` because for data that fits in memory slicing is many times faster.

Example::

    order = split.epoch_order(epoch, seed=run_seed, shuffle=True)
    for step, start in enumerate(range(0, len(order), batch_size)):
        x, y = split.batch(order[start:start + batch_size], train=True, seed=run_seed, step=step)

Data that would not fit in memory is prepared to disk instead and read through
``torch.utils.data`` workers (:mod:`app.core.data.streaming`); it implements the same
three methods.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import torch

from app.core.data.augment import augment_batch
from app.core.data.config import AugmentationConfig
from app.core.data.seeding import generator


@runtime_checkable
class TrainingSplit(Protocol):
    """What the engine needs from a part of the data (see the module docstring)."""

    def __len__(self) -> int:
        """Samples per epoch."""

    def epoch_order(self, epoch: int, seed: int, shuffle: bool) -> torch.LongTensor:
        """Indices for one epoch, the same for the same (seed, epoch)."""

    def batch(self, indices: torch.LongTensor, *, train: bool = False, seed: int = 0, step: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        """(inputs, targets) on the CPU for these indices."""


class TensorSplit:
    """Inputs and targets as whole tensors, one row per sample."""

    def __init__(self, inputs: torch.Tensor, targets: torch.Tensor) -> None:
        if len(inputs) != len(targets):
            raise ValueError(f"inputs ({len(inputs)}) and targets ({len(targets)}) differ in length")
        self.inputs = inputs
        self.targets = targets

    def __len__(self) -> int:
        return len(self.inputs)

    def epoch_order(self, epoch: int, seed: int, shuffle: bool) -> torch.LongTensor:
        if not shuffle:
            return torch.arange(len(self), dtype=torch.long)
        return torch.randperm(len(self), generator=generator(seed, epoch))

    def batch(self, indices: torch.LongTensor, *, train: bool = False, seed: int = 0, step: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        return self.inputs[indices], self.targets[indices]


class ImageSplit(TensorSplit):
    """Images decoded once and kept as uint8 (N, C, H, W); normalised (and augmented) per batch."""

    def __init__(
        self,
        images: torch.Tensor,
        targets: torch.Tensor,
        mean: list[float],
        std: list[float],
        augmentation: AugmentationConfig | None = None,
    ) -> None:
        if images.dtype != torch.uint8:
            raise ValueError("images must be uint8")
        super().__init__(images, targets)
        self.mean = torch.tensor(mean, dtype=torch.float32)[None, :, None, None]
        self.std = torch.tensor(std, dtype=torch.float32)[None, :, None, None]
        self.augmentation = augmentation or AugmentationConfig()

    def batch(self, indices: torch.LongTensor, *, train: bool = False, seed: int = 0, step: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        images = image_batch(self.inputs[indices], self.mean, self.std, self.augmentation, train=train, seed=seed, step=step)
        return images, self.targets[indices]


def image_batch(pixels: torch.Tensor, mean: torch.Tensor, std: torch.Tensor, augmentation: AugmentationConfig, *,
                train: bool, seed: int, step: int) -> torch.Tensor:
    """uint8 (B, C, H, W) -> normalised float32, augmented from (seed, step) when training.

    Shared by :class:`ImageSplit` and the on-disk split, so both give the same batches.
    """
    images = pixels.to(torch.float32).div_(255.0)
    if train and augmentation.enabled:
        images = augment_batch(images, augmentation, generator(seed, step, 0x1A6E))
    return (images - mean) / std


class TokenStreamSplit:
    """Language modelling on one token stream: each sample is a window of ``seq_len + 1`` tokens.

    Indices are window start positions. A shuffled epoch draws ``windows_per_epoch`` random
    starts from (seed, epoch); an unshuffled one (validation) walks the stream in
    non-overlapping windows. ``batch`` returns inputs ``window[:-1]`` and targets
    ``window[1:]``, both int64 (B, seq_len).
    """

    def __init__(self, tokens: torch.Tensor, seq_len: int, windows_per_epoch: int | None = None) -> None:
        if len(tokens) < seq_len + 1:
            raise ValueError(f"a token stream of {len(tokens)} tokens is shorter than one window of {seq_len + 1}")
        self.tokens = tokens.to(torch.long)
        self.seq_len = int(seq_len)
        self.n_starts = len(self.tokens) - self.seq_len
        self.n_windows = max(1, (len(self.tokens) - 1) // self.seq_len)
        self.windows_per_epoch = int(windows_per_epoch) if windows_per_epoch else self.n_windows
        self._offsets = torch.arange(self.seq_len + 1)

    def __len__(self) -> int:
        return self.windows_per_epoch

    def epoch_order(self, epoch: int, seed: int, shuffle: bool) -> torch.LongTensor:
        if not shuffle:
            return torch.arange(self.n_windows, dtype=torch.long) * self.seq_len
        return torch.randint(0, self.n_starts, (self.windows_per_epoch,), generator=generator(seed, epoch))

    def batch(self, indices: torch.LongTensor, *, train: bool = False, seed: int = 0, step: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        windows = self.tokens[indices.to(torch.long)[:, None] + self._offsets[None, :]]
        return windows[:, :-1], windows[:, 1:]
