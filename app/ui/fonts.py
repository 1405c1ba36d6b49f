"""Fonts the app brings along: a Simplified Chinese font for machines that have none.

A fresh Linux install often has Latin fonts only; Qt then draws every Chinese character of
the zh_CN window (and the "简体中文" entry of the language menu) as an empty box. The app ships
a subset of Noto Sans SC (SIL OFL 1.1: all of GB 2312 plus every character of its own texts,
1.7 MB; see ``resources/fonts/``) and registers it at start-up only when the system has no
Simplified Chinese family. Registering costs about 2 ms, so it is done before the first paint.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
CHINESE_FONT = FONTS_DIR / "NotoSansSC-Regular-subset.otf"


def chinese_families() -> list[str]:
    """Font families Qt can draw Simplified Chinese with (system ones and registered ones)."""
    return QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)


def ensure_chinese_font() -> list[str]:
    """Register the bundled Chinese font unless the system has one; returns the Chinese families.

    Needs a QGuiApplication. Qt's font fallback then draws Chinese text in any widget font
    with it. An empty list means the bundled font is missing or unreadable (a broken install):
    the app still runs, with boxes in place of Chinese characters.
    """
    families = chinese_families()
    if families or not CHINESE_FONT.is_file():
        return families
    if QFontDatabase.addApplicationFont(str(CHINESE_FONT)) < 0:
        return []
    return chinese_families()
