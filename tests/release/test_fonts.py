"""The Chinese window draws Chinese on a machine whose only fonts are Latin ones.

The app is started the way a user starts it (``app.ui.launch.main``) in a child process
whose fontconfig sees DejaVu only (as on a fresh Linux install, or ``fresh-clone-test``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from app.ui.fonts import CHINESE_FONT
from tests.release.conftest import ROOT, TS_DIR

TEXT = "模型训练"
# Private-use characters: no font has them, so Qt draws its "missing glyph" box for each.
TOFU = "\U000F0000\U000F0001\U000F0002\U000F0003"

CHILD = r"""
import json, os, sys
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv[:1])  # kept alive here after the app's event loop has ended

def drawn(text):
    label = QLabel(text)
    label.adjustSize()
    return label.grab().toImage()

def shows_chinese():
    return drawn(TEXT) != drawn(TOFU) and QFontMetrics(app.font()).inFontUcs4(ord(TEXT[0]))

result = {"families_before": QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese),
          "chinese_before": shows_chinese()}
from app.ui.launch import main
result["exit_code"] = main(["--timing", "--language", "zh_CN"])
result["families_after"] = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
result["chinese_after"] = shows_chinese()
print("RESULT " + json.dumps(result), flush=True)
os._exit(0)  # the window and its threads need no orderly teardown here
"""


def latin_only_fontconfig(folder: Path) -> Path:
    """A fonts.conf that shows fontconfig the DejaVu fonts only (no fonts at all where DejaVu is missing)."""
    listing = subprocess.run(["fc-list"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    dejavu = [line.split(":")[0] for line in listing.splitlines() if "dejavu" in line.lower()]
    font_dir = Path(dejavu[0]).parent if dejavu else folder / "no-fonts"
    font_dir.mkdir(exist_ok=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{font_dir}</dir><cachedir>{folder / 'fontcache'}</cachedir></fontconfig>\n",
        encoding="utf-8")
    return conf


def test_chinese_is_drawn_on_a_machine_with_latin_fonts_only(tmp_path):
    env = {**os.environ, "FONTCONFIG_FILE": str(latin_only_fontconfig(tmp_path)), "QT_QPA_PLATFORM": "offscreen",
           "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    code = f"TEXT = {TEXT!r}\nTOFU = {TOFU!r}\n" + CHILD
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the app did not start (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    result = json.loads(lines[0].removeprefix("RESULT "))
    # The child really had no Chinese font of its own: Chinese came out as boxes before the app started.
    assert result["families_before"] == [] and not result["chinese_before"], result
    assert result["exit_code"] == 0
    assert result["families_after"], "the app started without any font for Simplified Chinese"
    assert result["chinese_after"], f"{TEXT} is still drawn as empty boxes"


def test_the_bundled_font_covers_every_chinese_text_of_the_app(qapp):
    from PySide6.QtGui import QRawFont

    font = QRawFont(str(CHINESE_FONT), 12)
    # By code point: PySide turns a one-character str into a QChar that misses most hanzi.
    assert font.isValid() and font.supportsCharacter(ord("模")) and not font.supportsCharacter(0xF0000)
    sources = [TS_DIR / "modelwright_zh_CN.ts", ROOT / "docs" / "README.zh_CN.md", *sorted((ROOT / "app").rglob("*.py"))]
    texts = "".join(path.read_text(encoding="utf-8") for path in sources)
    missing = sorted({c for c in texts if ord(c) > 0x2E7F and not font.supportsCharacter(ord(c))})
    assert missing == [], f"{CHINESE_FONT.name} lacks {''.join(missing)}: rerun resources/fonts/subset_chinese_font.py"


def test_the_bundled_font_comes_with_its_licence():
    licence = (CHINESE_FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence
