"""pyqtgraph plots coloured from the Qt palette, so they follow the light or dark theme.

pyqtgraph draws with its own colours (white background, grey axes) and never looks at the
palette. ``follow_palette(widget)`` colours a PlotWidget / GraphicsLayoutWidget / ImageView
now and again whenever the palette changes (View ▸ Theme, or the desktop switching scheme).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget


def plot_colours(palette: QPalette) -> dict[str, QColor]:
    """Background, text, axis-line and legend colours for plots drawn on ``palette``."""
    background = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = background.lightness() < 128
    axis = QColor(text)
    axis.setAlpha(170)
    legend = QColor(palette.color(QPalette.ColorRole.Window if dark else QPalette.ColorRole.Base))
    legend.setAlpha(215)
    return {"background": background, "text": text, "axis": axis, "legend": legend,
            "legend_border": palette.color(QPalette.ColorRole.Mid)}


def _graphics_view(widget: QWidget):
    """The pyqtgraph GraphicsView inside ``widget`` (an ImageView holds one as ``ui.graphicsView``)."""
    import pyqtgraph as pg

    if isinstance(widget, pg.GraphicsView):
        return widget
    if isinstance(widget, pg.ImageView):
        return widget.ui.graphicsView
    return None


def style_plots(widget: QWidget) -> None:
    """Colour every plot, axis, title and legend in ``widget``'s scene from its palette."""
    import pyqtgraph as pg

    view = _graphics_view(widget)
    if view is None:
        return
    colours = plot_colours(widget.palette())
    text = colours["text"]
    view.setBackground(colours["background"])
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            item.setPen(colours["axis"])
            item.setTextPen(text)  # also colours the axis label
        elif isinstance(item, pg.LegendItem):
            item.setBrush(pg.mkBrush(colours["legend"]))
            item.setPen(pg.mkPen(colours["legend_border"]))
            item.setLabelTextColor(text)
            for _sample, label in item.items:
                label.setText(label.text)  # setLabelTextColor keeps drawn labels as they were
        elif isinstance(item, pg.PlotItem):
            title = item.titleLabel
            title.opts["color"] = text.name()
            if title.text:
                title.setText(title.text)
        elif isinstance(item, pg.TextItem):
            item.setColor(text)


class _PaletteFollower(QObject):
    """Re-colours its widget's plots when the widget's palette changes."""

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            style_plots(watched)
        return False


def follow_palette(widget: QWidget) -> QWidget:
    """Colour ``widget``'s plots from the palette now and on every palette change; returns it."""
    style_plots(widget)
    follower = _PaletteFollower(widget)
    widget.installEventFilter(follower)
    return widget
