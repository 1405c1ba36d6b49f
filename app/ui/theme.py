"""Light and dark palettes on the Fusion style, so the app looks the same on every platform.

The theme follows the system colour scheme unless the user picked one in View ▸ Theme
(kept in QSettings under ``appearance/theme``). Fusion draws every widget from the
palette, so switching palettes is enough; no style sheet fights the platform.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")

# Colours picked for contrast (WCAG AA for text on base) rather than taste alone.
_DARK = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.ToolTipBase: "#3c3f41",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#8c8c8c",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#35373b",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b68",
    QPalette.ColorRole.Light: "#4a4d52",
    QPalette.ColorRole.Midlight: "#3e4145",
    QPalette.ColorRole.Mid: "#303236",
    QPalette.ColorRole.Dark: "#1a1b1e",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#3d74c4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#6fa8ff",
    QPalette.ColorRole.LinkVisited: "#b48ee6",
}

_LIGHT = {
    QPalette.ColorRole.Window: "#f3f3f3",
    QPalette.ColorRole.WindowText: "#1f1f1f",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f6f7f9",
    QPalette.ColorRole.ToolTipBase: "#ffffe8",
    QPalette.ColorRole.ToolTipText: "#1f1f1f",
    QPalette.ColorRole.PlaceholderText: "#7a7a7a",
    QPalette.ColorRole.Text: "#1f1f1f",
    QPalette.ColorRole.Button: "#ececec",
    QPalette.ColorRole.ButtonText: "#1f1f1f",
    QPalette.ColorRole.BrightText: "#c62828",
    QPalette.ColorRole.Light: "#ffffff",
    QPalette.ColorRole.Midlight: "#e3e3e3",
    QPalette.ColorRole.Mid: "#c4c4c4",
    QPalette.ColorRole.Dark: "#9e9e9e",
    QPalette.ColorRole.Shadow: "#6e6e6e",
    QPalette.ColorRole.Highlight: "#2f6fd0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#1a5fb4",
    QPalette.ColorRole.LinkVisited: "#6a3ab2",
}


def system_is_dark() -> bool:
    """True when the desktop asks for a dark scheme (Qt ≥ 6.5 reports it on all three platforms)."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve(theme: str) -> str:
    """``"system"`` becomes ``"light"`` or ``"dark"``; unknown names fall back to the system."""
    if theme == "dark" or (theme not in ("light", "dark") and system_is_dark()):
        return "dark"
    return "light"


def build_palette(dark: bool) -> QPalette:
    palette = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#6b6b6b") if dark else QColor("#a0a0a0")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def apply_theme(app: QApplication, theme: str = "system") -> str:
    """Set Fusion and the palette for ``theme``; returns the resolved ``"light"``/``"dark"``."""
    app.setStyle("Fusion")
    resolved = resolve(theme)
    app.setPalette(build_palette(resolved == "dark"))
    app.setProperty("modelwright_theme", resolved)
    return resolved


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the current palette is dark (by the lightness of its window colour)."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def accent_colours(dark: bool | None = None) -> dict[str, QColor]:
    """Semantic colours used by views (missing cells, edited labels, warnings)."""
    dark = is_dark() if dark is None else dark
    if dark:
        return {
            "missing": QColor("#5c2b2b"),
            "edited": QColor("#2d4a2d"),
            "warning_bg": QColor("#4a3d1c"),
            "error_bg": QColor("#4d2424"),
            "chart": QColor("#6fa8ff"),
            "chart_alt": QColor("#f0a860"),
        }
    return {
        "missing": QColor("#fde2e2"),
        "edited": QColor("#dff3dc"),
        "warning_bg": QColor("#fff4d6"),
        "error_bg": QColor("#fde2e2"),
        "chart": QColor("#2f6fd0"),
        "chart_alt": QColor("#d9822b"),
    }
