"""The live curves follow the data in round steps (so the axes are redrawn rarely), stop
following when the user pans or zooms, follow again on Auto-range, and a hidden Train
page draws nothing until it is shown."""

from __future__ import annotations

import math

import pytest

from app.ui.training.plots import Bounds, nice_bounds, nice_ceiling


def test_round_numbers_for_growing_axes():
    assert [nice_ceiling(v) for v in (0.7, 1, 1.01, 130, 999, 1001, 4100)] == [0.8, 1, 1.2, 150, 1000, 1200, 5000]
    low, high = nice_bounds(0.23, 0.71)
    assert (low, high) == pytest.approx((0.2, 0.8))
    assert nice_bounds(0.25, 0.69) == pytest.approx((low, high))  # inside the same steps: the same bounds
    low, high = nice_bounds(3.0, 3.0)  # a constant still gets a range around it
    assert low < 3.0 < high


def test_bounds_keep_running_extremes_and_skip_what_is_not_finite():
    b = Bounds()
    assert b.empty and b.view_range(log=False) is None
    b.add([0.5, math.nan, 2.0, -1.0, math.inf])
    assert (b.low, b.high, b.low_positive) == (-1.0, 2.0, 0.5)
    assert b.view_range(log=True) == pytest.approx(nice_bounds(math.log10(0.5), math.log10(2.0)))


@pytest.fixture
def plots(qtbot):
    from app.ui.training.plots import TrainingPlots

    widget = TrainingPlots()
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    widget.timer.stop()  # frames are driven by the test
    return widget


def feed(plots, first: int, last: int, loss: float = 0.5) -> None:
    steps = list(range(first, last + 1))
    plots.add_losses(steps, [loss] * len(steps), [0.01] * len(steps))


def x_range(plot) -> list[float]:
    return [round(v, 6) for v in plot.vb.viewRange()[0]]


def test_the_step_axis_grows_in_round_steps_as_points_arrive(plots):
    feed(plots, 1, 900)
    plots.redraw()
    assert x_range(plots.loss_plot) == [0, 1000]
    feed(plots, 901, 950)
    plots.redraw()
    assert x_range(plots.loss_plot) == [0, 1000]  # unchanged: its axis is not drawn again
    feed(plots, 951, 1100)
    plots.redraw()
    assert x_range(plots.loss_plot) == [0, 1200]
    low, high = plots.loss_plot.vb.viewRange()[1]
    assert low < 0.5 < high


def test_a_zoomed_plot_stays_put_until_auto_range(plots):
    feed(plots, 1, 900)
    plots.redraw()
    plots.loss_plot.vb.setRange(xRange=(100, 200), padding=0)
    plots.loss_plot.vb.sigRangeChangedManually.emit([True, True])  # what a mouse zoom emits
    feed(plots, 901, 3000)
    plots.redraw()
    assert x_range(plots.loss_plot) == [100, 200]
    assert x_range(plots.lr_plot) == [0, 3000]  # the other plots still follow
    plots.auto_range()
    assert x_range(plots.loss_plot) == [0, 3000]


def test_log_scale_ranges_are_in_decades(plots):
    plots.add_losses([1, 2, 3], [10.0, 1.0, 0.1], [0.01] * 3)
    plots.log_check.setChecked(True)
    plots.redraw()
    low, high = plots.loss_plot.vb.viewRange()[1]
    assert low <= -1 and high >= 1  # log10 of 0.1 .. 10


def test_the_best_mark_and_evaluation_curves_come_with_the_next_frame(plots):
    feed(plots, 1, 80)
    plots.add_records([{"epoch": 1, "step": 80, "train_loss": 0.6, "val_loss": 0.5, "val_accuracy": 0.7, "lr": 0.01}])
    plots.set_best(80, 1)
    assert not plots.best_line.isVisible()
    plots.redraw()
    assert plots.best_line.isVisible() and plots.best_line.value() == 80
    assert list(plots.val_curve.getData()[1]) == [0.5]
    assert plots.metric_curves_keys() == ["val_accuracy"]


def test_a_hidden_view_skips_its_timed_frames_and_draws_when_shown(qtbot, plots):
    plots.hide()
    feed(plots, 1, 100)
    plots._on_timer_timeout()
    assert plots.redraws == 0 and plots.raw_curve.getData()[0] is None
    plots.show()
    qtbot.waitUntil(lambda: plots.redraws == 1, timeout=2000)
    assert len(plots.raw_curve.getData()[0]) == 100


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_the_curves_export_as_png_and_svg(plots, tmp_path, suffix):
    plots.add_losses([1, 2, 3, 4], [1.0, 0.8, 0.6, 0.5])
    out = plots.export(tmp_path / f"curves{suffix}")
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    else:
        assert b"<svg" in data[:400] and (b"<path" in data or b"<polyline" in data)
