"""Small data sets made on the fly for the data tests (images, Excel, Parquet)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

DATA = Path(__file__).resolve().parent.parent / "data"


def make_image_folder(root: Path, per_class: int = 6, corrupt: bool = True) -> Path:
    """Two classes of small images in mixed sizes and modes; one broken file when ``corrupt``."""
    rng = np.random.default_rng(0)
    for c, name in enumerate(["cats", "dogs"]):
        folder = root / name
        folder.mkdir(parents=True)
        for i in range(per_class):
            h, w = (12, 16) if i % 2 else (20, 20)
            pixels = rng.integers(0, 80, (h, w, 3), dtype=np.uint8) + (120 if c else 0)
            img = Image.fromarray(pixels.astype(np.uint8))
            if i % 3 == 0:
                img.convert("L").save(folder / f"{i}.png")
            elif i % 3 == 1:
                img.save(folder / f"{i}.jpg", quality=90)
            elif i == 5:
                img.save(folder / f"{i}.webp")
            else:
                img.save(folder / f"{i}.bmp")
    if corrupt:
        (root / "dogs" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nthis is not really a png")
    return root


def files_under(path: Path) -> set[Path]:
    return {p for p in path.rglob("*")}
