"""The Simplified Chinese translation is complete and current, and Qt loads it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.release.conftest import ROOT, TS_DIR

ZH_TS = TS_DIR / "modelwright_zh_CN.ts"
BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{[^}]*\}|%p%|\[\*\]|<[^>]+>")
MNEMONIC = re.compile(r"&[A-Za-z]")


def messages(path: Path):
    """(context, source, translation element) for every message of a .ts file."""
    for context in ET.parse(path).getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            yield name, message.find("source").text, message.find("translation")


def unfinished(path: Path) -> list[str]:
    return [f"{ctx}: {src!r}" for ctx, src, tr in messages(path)
            if tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "").strip()]


def ui_sources() -> list[str]:
    return sorted(str(p) for p in (ROOT / "app" / "ui").rglob("*.py"))


def test_every_chinese_entry_is_translated_and_keeps_its_placeholders():
    entries = list(messages(ZH_TS))
    assert len(entries) > 500
    assert unfinished(ZH_TS) == []
    for ctx, source, translation in entries:
        text = translation.text
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), (ctx, source, text)
        if MNEMONIC.search(source):  # menus keep a keyboard shortcut, written the Chinese way: 文件(&F)
            assert re.search(r"\(&[A-Z]\)", text), (ctx, source, text)


def test_no_string_in_the_code_is_missing_from_the_chinese_file(tmp_path):
    """lupdate over today's code into a copy: a new or changed string shows up as unfinished."""
    lupdate = BIN / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed next to this Python")
    copy = tmp_path / ZH_TS.name
    shutil.copy(ZH_TS, copy)
    subprocess.run([str(lupdate), "-silent", "-locations", "none", "-no-obsolete", "-source-language", "en",
                    "-target-language", "zh_CN", *ui_sources(), "-ts", str(copy)], check=True, timeout=120)
    missing = unfinished(copy)
    assert missing == [], "untranslated strings (run `make translations` and translate them):\n" + "\n".join(missing)


def test_compiled_file_matches_the_source(tmp_path):
    lrelease = BIN / "pyside6-lrelease"
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed next to this Python")
    fresh = tmp_path / "fresh.qm"
    subprocess.run([str(lrelease), "-silent", str(ZH_TS), "-qm", str(fresh)], check=True, timeout=60)
    assert fresh.read_bytes() == (TS_DIR / "modelwright_zh_CN.qm").read_bytes(), \
        "modelwright_zh_CN.qm is older than the .ts: run `make translations`"


def test_qt_translates_the_menus_and_standard_buttons(qapp, chinese):
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    assert QCoreApplication.translate("TrainingSettingsPanel", "Learning rate") == "学习率"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # from Qt's own qtbase_zh_CN


def test_names_the_core_shows_in_the_window_are_listed_for_translation():
    """Layer categories, export formats, template descriptions and task names come from the Qt-free core: a new one
    must be added to app/ui/core_texts.py (and translated) to appear in Chinese."""
    from app.core.export import format_choices
    from app.core.graph.registry import layer_specs
    from app.ui.core_texts import ALL

    names = {spec.category for spec in layer_specs()}
    names |= {text for _, title, description in format_choices() for text in (title, description)}
    names |= {"binary", "classification", "regression", "language-model"}
    names |= {"completed", "stopped", "failed", "running", "started"}  # every status a run's summary or folder gives
    from app.core.graph.templates import describe_template, template_names

    names |= {describe_template(name) for name in template_names()}
    assert names - ALL == set()


def test_core_names_appear_in_chinese(qapp, chinese):
    from app.ui.core_texts import core_text

    assert core_text("Convolution") == "卷积"
    assert core_text("classification") == "分类"
    assert core_text("completed") == "已完成" and core_text("stopped") == "已停止"
    assert core_text("a name nobody listed") == "a name nobody listed"
