"""Render resources/icons/app.svg into the platform icon files the installers use.

    python installer/make_icons.py

Writes installer/linux/modelwright.png (256 px), installer/windows/modelwright.ico and
installer/macos/Modelwright.icns. Run again after changing the SVG.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

HERE = Path(__file__).resolve().parent
SVG = HERE.parent / "resources" / "icons" / "app.svg"


BACKGROUND = "#2f6fde"  # the app's accent blue; the graph drawn in white on it


def render(size: int) -> Image.Image:
    """The SVG's strokes in white on a rounded accent-coloured square."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(BACKGROUND))
    margin = size * 0.06
    painter.drawRoundedRect(QRectF(margin, margin, size - 2 * margin, size - 2 * margin), size * 0.2, size * 0.2)
    svg = SVG.read_text(encoding="utf-8").replace("currentColor", "#ffffff")
    inset = size * 0.18
    QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter, QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> None:
    _app = QGuiApplication(sys.argv[:1])
    big = render(1024)
    render(256).save(HERE / "linux" / "modelwright.png")
    big.save(HERE / "windows" / "modelwright.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.save(HERE / "macos" / "Modelwright.icns")


if __name__ == "__main__":
    main()
