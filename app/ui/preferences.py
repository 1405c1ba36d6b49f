"""The app's language and the Preferences dialog.

The language is kept in QSettings under ``general/language``: ``"system"`` (follow the
desktop's locale, the default), ``"en"`` or ``"zh_CN"``. It is applied once at start-up by
:func:`install_translators` (a change takes effect after a restart, which the dialog says):
that loads Modelwright's own ``resources/translations/modelwright_<locale>.qm`` and Qt's
``qtbase_<locale>.qm`` (button texts such as Save/Cancel in standard dialogs) from PySide6.

Adding a language is adding its ``.ts`` file (``make translations`` creates and compiles it)
and one entry to :data:`LANGUAGES`::

    LANGUAGES["de"] = "Deutsch"
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

LANGUAGE_KEY = "general/language"
THEME_KEY = "appearance/theme"
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"
# Each language is named in itself, so a user who cannot read the current one still finds theirs.
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}


def language_setting(settings: QSettings) -> str:
    """The saved choice: ``"system"`` or a key of :data:`LANGUAGES`."""
    value = str(settings.value(LANGUAGE_KEY, "system"))
    return value if value == "system" or value in LANGUAGES else "system"


def resolve_locale(language: str) -> QLocale:
    """The locale a choice stands for (``"system"``: the desktop's)."""
    return QLocale.system() if language in ("", "system") else QLocale(language)


def install_translators(app: QCoreApplication, language: str = "system") -> list[QTranslator]:
    """Load and install the translations for ``language``; returns those installed.

    English needs none (the source texts are English); a locale with no bundled file
    (e.g. French) falls back to English too.
    """
    locale = resolve_locale(language)
    QLocale.setDefault(locale)
    installed = []
    ours = QTranslator(app)
    if ours.load(locale, "modelwright", "_", str(TRANSLATIONS_DIR)) and not ours.isEmpty():
        app.installTranslator(ours)
        installed.append(ours)
        qt = QTranslator(app)
        if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            installed.append(qt)
    return installed


class PreferencesDialog(QDialog):
    """Language and theme. The theme applies at once; the language after a restart."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.settings = settings
        self.language = QComboBox()
        self.language.addItem(self.tr("Follow the System"), "system")
        for key, name in LANGUAGES.items():
            self.language.addItem(name, key)
        self.language.setCurrentIndex(max(0, self.language.findData(language_setting(settings))))
        self.theme = QComboBox()
        for key, text in (("system", self.tr("Follow the System")), ("light", self.tr("Light")), ("dark", self.tr("Dark"))):
            self.theme.addItem(text, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(str(settings.value(THEME_KEY, "system")))))
        self.restart_note = QLabel(self.tr("The new language is used the next time Modelwright starts."))
        self.restart_note.setWordWrap(True)
        self.restart_note.setVisible(False)
        self.language.currentIndexChanged.connect(self._on_language_current_index_changed)

        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Theme"), self.theme)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.restart_note)
        layout.addWidget(buttons)

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def chosen_theme(self) -> str:
        return str(self.theme.currentData())

    def accept(self) -> None:
        self.settings.setValue(LANGUAGE_KEY, self.chosen_language())
        self.settings.setValue(THEME_KEY, self.chosen_theme())
        self.settings.sync()
        super().accept()

    def _on_language_current_index_changed(self, _index: int) -> None:
        self.restart_note.setVisible(self.chosen_language() != language_setting(self.settings))
