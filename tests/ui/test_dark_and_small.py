"""Plots follow the dark theme, and the Train page is usable in a 1024×700 window (English and Chinese)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QSpinBox

ROOT = Path(__file__).resolve().parents[2]
IRIS = ROOT / "resources" / "examples" / "iris" / "iris.mwproj"


@pytest.fixture
def themed(qapp):
    """Apply a theme for one test; light again after."""
    from app.ui.theme import apply_theme

    yield lambda name: apply_theme(qapp, name)
    apply_theme(qapp, "light")


@pytest.fixture
def zh(qapp):
    from PySide6.QtCore import QLocale

    from app.ui.preferences import install_translators

    before = QLocale()
    installed = install_translators(qapp, "zh_CN")
    assert installed
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(before)


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch):
    from app.ui import dialogs

    monkeypatch.setattr(dialogs, "warn", lambda *a: pytest.fail(f"warning shown: {a[1:]}"))
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")


def _window(qtbot, tmp_path, view: str, size=(1024, 700)):
    from app.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), probe_device=False)
    qtbot.addWidget(window)
    assert window.open_project(IRIS)
    window.show_view(view)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    return window


def _plot_widgets(root):
    import pyqtgraph as pg

    return [w for w in root.findChildren(pg.GraphicsView) if not isinstance(w.parent(), pg.ImageView)] + \
        root.findChildren(pg.ImageView)


def _background(widget):
    import pyqtgraph as pg

    view = widget.ui.graphicsView if isinstance(widget, pg.ImageView) else widget
    return view, view.backgroundBrush().color()


def _assert_dark(widget) -> None:
    import pyqtgraph as pg

    view, background = _background(widget)
    assert background.lightnessF() < 0.5, f"{type(widget).__name__} background {background.name()}"
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            assert item.textPen().color().lightnessF() > 0.5, "axis text is dark on a dark plot"
            assert item.pen().color().lightnessF() > 0.5, "axis line is dark on a dark plot"
        elif isinstance(item, pg.LegendItem):
            assert item.opts["brush"].color().lightnessF() < 0.5, "legend box is light on a dark plot"
            for _sample, label in item.items:
                assert pg.mkColor(label.opts["color"]).lightnessF() > 0.5, "legend text is dark"
        elif isinstance(item, pg.PlotItem) and item.titleLabel.text:
            assert pg.mkColor(item.titleLabel.opts["color"]).lightnessF() > 0.5, "plot title is dark"


@pytest.mark.parametrize("view", ["train", "experiments", "evaluate"])
def test_plots_are_dark_in_dark_theme_and_follow_a_switch(qtbot, tmp_path, themed, view):
    import pyqtgraph as pg

    themed("dark")
    window = _window(qtbot, tmp_path, view)
    page = window.stack.currentWidget()
    widgets = _plot_widgets(page)
    assert widgets, f"no plot on the {view} page"
    for widget in widgets:
        _assert_dark(widget)
    # Switching the theme while the app runs re-colours the plots at once.
    window.set_theme("light")
    qtbot.wait(10)
    for widget in widgets:
        view, background = _background(widget)
        assert background.lightnessF() > 0.5
        axes = [item for item in view.scene().items() if isinstance(item, pg.AxisItem)]
        assert axes and all(axis.textPen().color().lightnessF() < 0.5 for axis in axes)
    window.set_theme("dark")
    qtbot.wait(10)
    for widget in widgets:
        _assert_dark(widget)


def test_attention_map_is_dark_in_dark_theme(qtbot, themed):
    from app.ui.experiments.attention_view import AttentionView

    themed("dark")
    attention = AttentionView()
    qtbot.addWidget(attention)
    _assert_dark(attention.plot)
    themed("light")
    qtbot.wait(10)
    assert _background(attention.plot)[1].lightnessF() > 0.5


def _assert_train_settings_whole(window) -> None:
    panel = window.train_view.settings_panel
    assert window.minimumSizeHint().width() <= 1024 and window.width() <= 1024, \
        f"the window cannot be made 1024 wide (it needs {window.minimumSizeHint().width()})"
    fields = panel.findChildren(QSpinBox) + panel.findChildren(QDoubleSpinBox) + panel.findChildren(QComboBox)
    assert len(fields) >= 15
    for field in fields:
        assert field.isVisibleTo(panel)
        assert field.width() >= field.minimumSizeHint().width(), (type(field).__name__, field.width())
        assert field.width() >= field.sizeHint().width() - 2, (field.currentText() if isinstance(field, QComboBox)
                                                                else field.text(), field.width())
    labels = [label for label in panel.findChildren(QLabel) if label.text() and not label.wordWrap()]
    assert len(labels) >= 15
    for label in labels:
        if label.isVisibleTo(panel):
            fits = label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
            assert fits or label.toolTip(), f"label {label.text()!r} is cut to {label.width()} px"
    # Nothing is hidden sideways: the panel scrolls down only.
    scroll = panel.findChild(type(panel.layout().itemAt(0).widget()))
    assert scroll.widget().width() <= scroll.viewport().width()


def test_train_settings_whole_at_1024x700(qtbot, tmp_path):
    _assert_train_settings_whole(_window(qtbot, tmp_path, "train"))


def test_train_settings_whole_at_1024x700_in_chinese(qtbot, tmp_path, zh):
    _assert_train_settings_whole(_window(qtbot, tmp_path, "train"))


@pytest.mark.parametrize("size", [(1024, 700), (921, 630)])  # 630: the first start on a 1024×700 screen
def test_legend_entries_not_clipped_in_chinese(qtbot, tmp_path, zh, size):
    window = _window(qtbot, tmp_path, "train", size)
    assert window.minimumSizeHint().height() <= size[1], "the Train page makes the window taller than asked"
    plots = window.train_view.plots
    for plot in (plots.loss_plot, plots.metric_plot):
        legend = plot.legend
        box = legend.mapRectToScene(legend.boundingRect())
        view = plot.vb.mapRectToScene(plot.vb.boundingRect())
        for _sample, label in legend.items:
            text = label.item.mapRectToScene(label.item.boundingRect())
            assert box.contains(text), f"legend entry {label.text!r} runs past its box"
            assert view.contains(text), f"legend entry {label.text!r} is cut off by the plot"
    assert "验证" in [label.text for _s, label in plots.loss_plot.legend.items]


def test_trials_table_has_real_headers(qtbot, tmp_path, zh):
    window = _window(qtbot, tmp_path, "experiments")
    table = window.experiments_view.trials_table
    headers = [table.horizontalHeaderItem(c).text() if table.horizontalHeaderItem(c) else str(c + 1)
               for c in range(table.columnCount())]
    assert headers and not any(h.strip().isdigit() for h in headers), headers
    assert "试验" in headers[0]


def test_confusion_matrix_cells_follow_the_theme(qtbot, tmp_path, themed):
    themed("dark")
    window = _window(qtbot, tmp_path, "evaluate")
    view = window.stack.currentWidget()
    view._fill_confusion({"labels": ["a", "b"], "matrix": [[9, 1], [0, 10]]})

    def cell(i, j):
        item = view.confusion.item(i, j)
        return item.background().color(), item.foreground().color()

    empty, empty_text = cell(1, 0)
    assert empty.lightnessF() < 0.5, "a cell no sample fell in is light on a dark table"
    assert empty_text.lightnessF() > 0.5
    for i in range(2):
        for j in range(2):
            background, text = cell(i, j)
            assert abs(background.lightnessF() - text.lightnessF()) > 0.4, (i, j)
    window.set_theme("light")
    qtbot.wait(10)
    assert cell(1, 0)[0].lightnessF() > 0.9
