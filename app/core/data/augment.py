"""Train-time image augmentation on a whole batch with torch ops (no torchvision).

Every random draw comes from the generator passed in, which the dataset seeds from
(seed, step): the same step of the same run always sees the same augmented batch.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from app.core.data.config import AugmentationConfig


def augment_batch(images: torch.Tensor, options: AugmentationConfig, gen: torch.Generator) -> torch.Tensor:
    """``images``: float (B, C, H, W) in [0, 1]; returns a new tensor of the same shape."""
    if images.numel() == 0 or not options.enabled:
        return images
    b, c, h, w = images.shape
    out = images
    if options.flip:
        flip = torch.rand(b, generator=gen) < 0.5
        out = torch.where(flip[:, None, None, None], out.flip(-1), out)
    if options.crop > 0:
        out = _random_crop(out, options.crop, gen)
    if options.rotation > 0:
        out = _rotate(out, options.rotation, gen)
    if options.color_jitter > 0:
        out = _jitter(out, options.color_jitter, gen)
    return out


def _random_crop(images: torch.Tensor, pad: int, gen: torch.Generator) -> torch.Tensor:
    """Pad by ``pad`` pixels (edge copy), then cut a window of the original size at a random offset."""
    b, c, h, w = images.shape
    padded = F.pad(images, (pad, pad, pad, pad), mode="replicate")
    dy = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
    dx = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
    rows = (dy[:, None] + torch.arange(h)[None, :])[:, None, :, None].expand(b, c, h, w + 2 * pad)
    cut = padded.gather(2, rows)
    cols = (dx[:, None] + torch.arange(w)[None, :])[:, None, None, :].expand(b, c, h, w)
    return cut.gather(3, cols)


def _rotate(images: torch.Tensor, max_degrees: float, gen: torch.Generator) -> torch.Tensor:
    b = images.shape[0]
    angles = (torch.rand(b, generator=gen) * 2 - 1) * math.radians(max_degrees)
    cos, sin = torch.cos(angles), torch.sin(angles)
    zeros = torch.zeros_like(cos)
    theta = torch.stack([torch.stack([cos, -sin, zeros], 1), torch.stack([sin, cos, zeros], 1)], 1)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="border", align_corners=False)


def _jitter(images: torch.Tensor, strength: float, gen: torch.Generator) -> torch.Tensor:
    """Random brightness, contrast and (for colour images) saturation within ±strength."""
    b, c = images.shape[:2]

    def factors() -> torch.Tensor:
        return (1 + (torch.rand(b, generator=gen) * 2 - 1) * strength)[:, None, None, None]

    out = images * factors()
    mean = out.mean(dim=(1, 2, 3), keepdim=True)
    out = (out - mean) * factors() + mean
    if c == 3:
        grey = (0.299 * out[:, 0:1] + 0.587 * out[:, 1:2] + 0.114 * out[:, 2:3])
        out = (out - grey) * factors() + grey
    return out.clamp(0.0, 1.0)
