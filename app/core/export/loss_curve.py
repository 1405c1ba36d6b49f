"""The loss curve of a run as a PNG, drawn with Pillow (no plotting library needed in core)."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

COLOURS = {"train_loss": (31, 119, 180), "val_loss": (255, 127, 14)}
LABELS = {"train_loss": "training loss", "val_loss": "validation loss"}


def _nice_ticks(lo: float, hi: float, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values between lo and hi (whole numbers only when ``whole``)."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / count
    step = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * step:
            step *= m
            break
    if whole:
        step = max(1.0, float(round(step)))
    first = math.ceil(lo / step) * step
    ticks, t = [], first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 12))
        t += step
    return ticks


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def draw_loss_curve(rows: list[dict[str, float]], path: Path, size: tuple[int, int] = (720, 420)) -> bool:
    """Draw training and validation loss per epoch (or step); False when there is nothing to draw."""
    x_key = "epoch" if rows and all(math.isfinite(r.get("epoch", math.nan)) for r in rows) else "step"
    series = {}
    for key in ("train_loss", "val_loss"):
        points = [(r[x_key], r[key]) for r in rows
                  if math.isfinite(r.get(key, math.nan)) and math.isfinite(r.get(x_key, math.nan))]
        if points:
            series[key] = points
    if not series:
        return False
    width, height = size
    left, right, top, bottom = 70, 20, 40, 50
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    xs = [x for pts in series.values() for x, _ in pts]
    ys = [y for pts in series.values() for _, y in pts]
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    y0, y1 = min(ys), max(ys)
    pad = (y1 - y0) * 0.08 or abs(y1) * 0.1 or 1.0
    y0, y1 = y0 - pad, y1 + pad

    def px(x: float, y: float) -> tuple[float, float]:
        return (left + (x - x0) / (x1 - x0) * (width - left - right),
                top + (y1 - y) / (y1 - y0) * (height - top - bottom))

    draw.rectangle([left, top, width - right, height - bottom], outline=(80, 80, 80))
    for t in _nice_ticks(y0, y1):
        _, y = px(x0, t)
        draw.line([left, y, width - right, y], fill=(232, 232, 232))
        draw.text((left - 6, y), _fmt(t), fill=(60, 60, 60), font=font, anchor="rm")
    for t in _nice_ticks(x0, x1, 6, whole=True):
        x, _ = px(t, y0)
        draw.line([x, height - bottom, x, height - bottom + 4], fill=(80, 80, 80))
        draw.text((x, height - bottom + 8), _fmt(t), fill=(60, 60, 60), font=font, anchor="mt")
    draw.text(((left + width - right) / 2, height - 14), x_key, fill=(40, 40, 40), font=font, anchor="mm")
    draw.text((left, 14), "Loss", fill=(40, 40, 40), font=font, anchor="lm")
    legend_x = width - right - 150
    for i, (key, points) in enumerate(series.items()):
        colour = COLOURS[key]
        coords = [px(x, y) for x, y in points]
        if len(coords) > 1:
            draw.line(coords, fill=colour, width=2)
        for cx, cy in coords if len(coords) <= 60 else ():
            draw.ellipse([cx - 2.5, cy - 2.5, cx + 2.5, cy + 2.5], fill=colour)
        ly = 14 + i * 14
        draw.line([legend_x, ly, legend_x + 18, ly], fill=colour, width=3)
        draw.text((legend_x + 24, ly), LABELS[key], fill=(40, 40, 40), font=font, anchor="lm")
    image.save(path, format="PNG")
    return True
