"""Every view in Simplified Chinese: its texts are translated, fit their widgets, and can be drawn."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QGroupBox, QLabel, QTabBar, QWidget

from app.ui.main_window import VIEWS
from tests.release.conftest import ROOT, TS_DIR

IRIS = ROOT / "resources" / "examples" / "iris" / "iris.mwproj"
CJK = re.compile(r"[\u4e00-\u9fff]")


def english_sources() -> set[str]:
    """Source texts whose Chinese differs: seeing one of these on screen means it missed translation."""
    out = set()
    for message in ET.parse(TS_DIR / "modelwright_zh_CN.ts").getroot().iter("message"):
        source, translation = message.find("source").text, message.find("translation").text
        if translation and translation != source and re.search(r"[A-Za-z]{3}", source) and "{" not in source:
            out.add(source.replace("&", ""))
    return out


def visible_texts(root: QWidget):
    """(widget, text) for the visible text-bearing widgets under ``root``."""
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 1:
            continue
        if isinstance(widget, (QAbstractButton, QLabel)) and widget.text():
            yield widget, widget.text()
        elif isinstance(widget, QGroupBox) and widget.title():
            yield widget, widget.title()
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield widget, widget.tabText(i)


@pytest.fixture
def zh_window(qtbot, qapp, chinese, tmp_path, monkeypatch):
    from app.ui import dialogs
    from app.ui.main_window import MainWindow
    from app.ui.workers import running_jobs

    monkeypatch.setattr(dialogs, "warn", lambda *a: pytest.fail(f"warning shown: {a[1:]}"))
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), probe_device=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    assert window.open_project(IRIS)
    qtbot.waitUntil(lambda: not running_jobs() and not window.data_view._summary_timer.isActive(), timeout=20000)
    return window


def test_a_chinese_font_is_available(qapp):
    """The system's Chinese font, else the one the app brings (see test_fonts.py for a Latin-only machine)."""
    from app.ui.fonts import ensure_chinese_font

    assert ensure_chinese_font() == QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese) != [], \
        "no font with Simplified Chinese glyphs, not even resources/fonts/NotoSansSC-Regular-subset.otf"


@pytest.mark.parametrize("view", VIEWS)
def test_view_is_chinese_and_nothing_is_clipped(qtbot, zh_window, view):
    zh_window.show_view(view)
    qtbot.wait(50)
    page = zh_window.stack.currentWidget()
    english = english_sources()
    untranslated, clipped, chinese = [], [], 0
    roots = [page, zh_window.menuBar(), zh_window.mode_bar, zh_window.file_bar]
    roots += [dock for dock in zh_window.findChildren(QDockWidget) if dock.isVisible()]
    for root in roots:
        for widget, text in visible_texts(root):
            plain = text.replace("&", "")
            chinese += bool(CJK.search(plain))
            if plain in english:
                untranslated.append(f"{type(widget).__name__}: {plain!r}")
            fits_by_design = isinstance(widget, QLabel) and (widget.wordWrap() or widget.hasScaledContents())
            if isinstance(widget, (QAbstractButton, QLabel)) and not fits_by_design and widget.width() < widget.minimumSizeHint().width() - 1:
                clipped.append(f"{type(widget).__name__} {plain!r}: {widget.width()} < {widget.minimumSizeHint().width()}")
    assert untranslated == [], f"English left in the {view} view: {untranslated}"
    assert clipped == [], f"clipped in the {view} view: {clipped}"
    assert chinese >= 5, f"the {view} view shows almost no Chinese"
    pixmap = zh_window.grab()
    assert not pixmap.isNull() and pixmap.width() >= 1000


def test_menus_are_chinese(zh_window):
    titles = [action.text() for action in zh_window.menuBar().actions()]
    assert titles[:2] == ["文件(&F)", "编辑(&E)"]
    file_menu = zh_window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert "示例(&X)" in texts and "新建项目(&N)" in texts
    examples = zh_window.examples_menu.actions()
    assert examples and all(CJK.search(a.text()) for a in examples)
