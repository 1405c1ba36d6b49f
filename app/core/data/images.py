"""Image folders: one sub-folder per class, images decoded once with Pillow into uint8 arrays.

An image that cannot be read is skipped with a warning naming it; the rest go on.
"""

from __future__ import annotations

import warnings as _warnings
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

from app.core.data.errors import DataError
from app.core.data.tables import as_progress

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif", ".tif", ".tiff"}
_GREY_MODES = {"1", "L", "LA", "I", "I;16", "F"}


def _images_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith("."))


def scan_image_folder(root: Path) -> tuple[list[Path], list[str] | None]:
    """Image paths and their class names (the sub-folder), or None labels for a flat folder."""
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"The image folder '{root}' does not exist or is not a folder.")
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    paths: list[Path] = []
    labels: list[str] = []
    for folder in class_dirs:
        found = _images_in(folder)
        paths += found
        labels += [folder.name] * len(found)
    if paths:
        return paths, labels
    flat = _images_in(root)
    if flat:
        return flat, None
    raise DataError(
        f"The folder '{root.name}' holds no images. Put PNG/JPEG/BMP/WebP files in one sub-folder per class "
        "(for example cats/ and dogs/)."
    )


def is_image_folder(root: Path) -> bool:
    try:
        scan_image_folder(root)
    except DataError:
        return False
    return True


def probe(paths: list[Path], limit: int = 200) -> tuple[tuple[int, int], int]:
    """The most common (height, width) and 1 or 3 channels, from the headers of some images."""
    sizes: Counter[tuple[int, int]] = Counter()
    colour = False
    for path in paths[:: max(1, len(paths) // limit)][:limit]:
        try:
            with Image.open(path) as img:
                sizes[(img.height, img.width)] += 1
                colour = colour or img.mode not in _GREY_MODES
        except Exception:  # unreadable images are reported when they are loaded
            continue
    if not sizes:
        raise DataError("None of the images in the folder could be read.")
    return sizes.most_common(1)[0][0], 3 if colour else 1


def load_image(path: Path, size: tuple[int, int], channels: int) -> np.ndarray:
    """(C, H, W) uint8; raises on a file Pillow cannot decode."""
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")  # Pillow warns about odd but readable files
        with Image.open(path) as img:
            img.draft("L" if channels == 1 else "RGB", (size[1], size[0]))
            img = img.convert("L" if channels == 1 else "RGB")
            if (img.height, img.width) != tuple(size):
                img = img.resize((size[1], size[0]), Image.BILINEAR)
            array = np.asarray(img, dtype=np.uint8)
    return array[None, :, :] if channels == 1 else array.transpose(2, 0, 1)


def load_images(paths: list[Path], size: tuple[int, int], channels: int, root: Path | None = None, progress=None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Decode all images: (N_ok, C, H, W) uint8, the positions of the readable ones, warnings."""
    report = as_progress(progress)
    out = np.empty((len(paths), channels, size[0], size[1]), dtype=np.uint8)
    ok: list[int] = []
    warnings: list[str] = []
    for i, path in enumerate(paths):
        if i % 64 == 0:
            report(i / max(len(paths), 1), f"Decoding images ({i}/{len(paths)})")
        try:
            out[len(ok)] = load_image(path, size, channels)
            ok.append(i)
        except Exception as exc:  # Pillow raises many types for broken files: skip and tell
            name = path.relative_to(root).as_posix() if root is not None and path.is_relative_to(root) else path.name
            warnings.append(f"Skipped '{name}': it is not a readable image ({type(exc).__name__}).")
    if not ok:
        raise DataError("None of the images could be read; check that the files are PNG, JPEG, BMP or WebP images.")
    return out[: len(ok)], np.asarray(ok, dtype=np.int64), warnings
