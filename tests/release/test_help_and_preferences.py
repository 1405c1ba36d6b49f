"""Help ▸ User Manual shows the local manual; Preferences keeps the language for the next start."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSettings, QUrl
from PySide6.QtGui import QTextDocument

from tests.release.conftest import ROOT


def test_manual_renders_the_readme_with_its_screenshots(qtbot):
    from app.ui.help import HelpDialog

    dialog = HelpDialog(path=ROOT / "README.md")
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert "Modelwright" in text and "Five-minute tutorial" in text
    document = dialog.browser.document()
    images = [name for block in _blocks(document) for name in _image_names(block)]
    assert images, "the manual shows no screenshots"
    for name in images:
        assert (ROOT / name).exists(), f"the manual shows {name}, which is not in the repository"
        image = dialog.browser.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name))
        assert image is not None and not image.isNull(), name


def _blocks(document):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def _image_names(block):
    it = block.begin()
    while not it.atEnd():
        fmt = it.fragment().charFormat()
        if fmt.isImageFormat():
            yield fmt.toImageFormat().name()
        it += 1


def test_chinese_manual_for_a_chinese_locale():
    from app.ui.help import manual_path

    assert manual_path(QLocale("zh_CN")).name == "README.zh_CN.md"
    assert manual_path(QLocale("en_US")).name == "README.md"
    assert "五分钟" in manual_path(QLocale("zh_CN")).read_text(encoding="utf-8")


def test_preferences_saves_the_language_for_the_next_start(qtbot, tmp_path):
    from app.ui.preferences import PreferencesDialog, language_setting

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert language_setting(settings) == "system"
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.restart_note.isHidden()
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    assert not dialog.restart_note.isHidden()
    dialog.accept()
    assert language_setting(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)) == "zh_CN"


def test_english_and_unknown_languages_install_no_translation(qapp):
    from app.ui.preferences import install_translators

    before = QLocale()
    try:
        assert install_translators(qapp, "en") == []
        assert install_translators(qapp, "fr_FR") == []  # no French file: the English source texts
    finally:
        QLocale.setDefault(before)


def test_command_line_language_reaches_the_window(tmp_path):
    import os
    import subprocess
    import sys

    shot = tmp_path / "zh.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--screenshot", str(shot), "--language", "zh_CN",
                    "--view", "export"], check=True, timeout=120, env=env, capture_output=True)
    assert shot.stat().st_size > 20_000
