"""In-app help: the README (or its Chinese translation) rendered from the local copy.

The manual is the same Markdown file as on the project page, shown in a ``QTextBrowser``
with its folder on the search path so its screenshots load; links to web pages open in the
system browser. Nothing is fetched from the network.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

ROOT = Path(__file__).resolve().parents[2]
MANUALS = {"zh": ROOT / "docs" / "README.zh_CN.md"}
DEFAULT_MANUAL = ROOT / "README.md"
IMAGE_WIDTH, IMAGE_WIDTH_IN_TABLE = 720, 280


def manual_path(locale: QLocale | None = None) -> Path:
    """The manual in the UI's language when there is one, else the English README."""
    locale = locale if locale is not None else QLocale()
    language = QLocale.languageToCode(locale.language())
    path = MANUALS.get(language)
    return path if path is not None and path.exists() else DEFAULT_MANUAL


class HelpDialog(QDialog):
    """A non-modal window with the manual; opened from Help ▸ User Manual (F1)."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Modelwright Manual"))
        self.resize(900, 700)
        self.path = path if path is not None else manual_path()
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # web links go to the system browser, local ones stay here
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.setSearchPaths([str(self.path.parent), str(ROOT)])
        self.load(self.path)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def load(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            self.browser.setPlainText(self.tr("The manual could not be read from {path}: {error}").format(
                path=path, error=exc.strerror or exc))
            return
        self.browser.setSearchPaths([str(path.parent), str(ROOT)])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path)))
        self.browser.setMarkdown(text)
        self._fit_images()
        self.path = path

    def _fit_images(self) -> None:
        """Screenshots are 1280 px wide: shrink them to a readable thumbnail size (a third of
        the page inside tables of screenshots, the page width elsewhere)."""
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            in_table = QTextCursor(block).currentTable() is not None
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image_format = fmt.toImageFormat()
                    image_format.setWidth(IMAGE_WIDTH_IN_TABLE if in_table else IMAGE_WIDTH)
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(image_format)
                it += 1
            block = block.next()

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        if url.hasFragment() and (url.path() in ("", self.path.name) or not url.path()):
            self.browser.scrollToAnchor(url.fragment())
            return
        target = Path(url.toLocalFile()) if url.isLocalFile() else (self.path.parent / url.path())
        if target.suffix.lower() == ".md" and target.exists():
            self.load(target)
        elif target.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
