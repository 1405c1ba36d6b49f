"""Release checks: translations, examples, manual, bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS_DIR = ROOT / "resources" / "translations"


@pytest.fixture
def chinese(qapp):
    """The app in Simplified Chinese for one test; English (and the default locale) again after."""
    from PySide6.QtCore import QLocale

    from app.ui.preferences import install_translators

    before = QLocale()
    installed = install_translators(qapp, "zh_CN")
    assert installed, "no zh_CN translation could be loaded"
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(before)
