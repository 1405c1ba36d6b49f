"""Write the bundled shapes image folder: one sub-folder per class (circle, square, triangle).

Each image is a 32x32 RGB PNG with one filled shape of random size, position and colour on a
random light background, drawn with Pillow from a fixed seed, so running this again writes the
same files. 40 images per class keep the folder under 100 KB.

    python resources/examples/shapes/make_shapes.py
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 32
PER_CLASS = 40
CLASSES = ("circle", "square", "triangle")


def draw(kind: str, rng: random.Random) -> Image.Image:
    background = tuple(rng.randint(200, 255) for _ in range(3))
    colour = tuple(rng.randint(0, 150) for _ in range(3))
    image = Image.new("RGB", (SIZE, SIZE), background)
    pen = ImageDraw.Draw(image)
    side = rng.randint(12, 24)
    x0, y0 = rng.randint(1, SIZE - side - 1), rng.randint(1, SIZE - side - 1)
    box = (x0, y0, x0 + side, y0 + side)
    if kind == "circle":
        pen.ellipse(box, fill=colour)
    elif kind == "square":
        pen.rectangle(box, fill=colour)
    else:
        pen.polygon([(x0 + side / 2, y0), (x0, y0 + side), (x0 + side, y0 + side)], fill=colour)
    return image


def main() -> None:
    rng = random.Random(7)
    root = Path(__file__).resolve().parent / "images"
    for kind in CLASSES:
        folder = root / kind
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(PER_CLASS):
            draw(kind, rng).save(folder / f"{kind}_{i:03d}.png", optimize=True)


if __name__ == "__main__":
    main()
