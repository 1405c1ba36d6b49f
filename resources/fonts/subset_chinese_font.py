"""Rebuild ``NotoSansSC-Regular-subset.otf`` from the full Noto Sans SC Regular (SIL OFL 1.1).

The app ships this font for machines without any Simplified Chinese font, so the Chinese
window never shows empty boxes. The full font is 8 MB; this subset keeps what the app can
show: all of GB 2312 (6,763 hanzi and its symbols, i.e. everyday Chinese), CJK punctuation,
full-width forms, Latin-1, and every character of the app's translations, sources and manuals.

    python resources/fonts/subset_chinese_font.py NotoSansSC-Regular.otf

(The full font is in the ``pylopdf-fonts-zh-cn`` package on PyPI or ``fonts-noto-cjk`` on Debian.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUTPUT = HERE / "NotoSansSC-Regular-subset.otf"
TEXT_SOURCES = ("resources/translations/*.ts", "app/**/*.py", "docs/*.md", "README.md")


def gb2312_characters() -> set[str]:
    """Every character of the GB 2312 standard (rows 0xA1-0xF7 of its two-byte table)."""
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def app_characters() -> set[str]:
    """Every non-ASCII character in the texts the app can show."""
    chars = set()
    for pattern in TEXT_SOURCES:
        for path in ROOT.glob(pattern):
            chars.update(c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7F)
    return chars


def wanted_codepoints() -> set[int]:
    ranges = [range(0x20, 0x7F), range(0xA0, 0x100), range(0x3000, 0x3040), range(0xFF00, 0xFFF0)]
    codepoints = {cp for r in ranges for cp in r}
    codepoints |= {ord(c) for c in gb2312_characters() | app_characters()}
    return codepoints


def main(source: str) -> None:
    options = subset.Options()
    options.layout_features = ["*"]  # keep proportional punctuation and the like
    options.hinting = False
    options.desubroutinize = False
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted_codepoints()))
    subsetter.subset(font)
    font["name"].setName("Noto Sans SC Regular (subset for Modelwright: GB 2312 and the app's texts)", 10, 3, 1, 0x409)
    subset.save_font(font, str(OUTPUT), options)
    print(f"{OUTPUT.name}: {len(font.getBestCmap())} characters, {OUTPUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
