"""Explanations on the Evaluate page: the playground says why it answered, and clicking an
image in the misclassified gallery shows a heat map of what drove the answer."""

from __future__ import annotations

import shutil

import pytest

RUN_TIMEOUT_MS = 60_000


def _evaluate_view(qtbot, project_path):
    from app.core.project import load_project
    from app.ui.document import ProjectDocument
    from app.ui.evaluate.evaluate_view import EvaluateView

    document = ProjectDocument()
    document.set_project(load_project(project_path))
    view = EvaluateView(document)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    return view


def test_playground_explains_a_table_answer(qtbot, tmp_path):
    from app.core.train.api import train_project
    from tests.ui.conftest import IRIS_CSV

    shutil.copy(IRIS_CSV, tmp_path / "iris.csv")
    shutil.copy(IRIS_CSV.parent / "iris.mwproj", tmp_path / "iris.mwproj")
    train_project(tmp_path / "iris.mwproj", out=tmp_path / "runs" / "iris", overrides={"epochs": 3})
    view = _evaluate_view(qtbot, tmp_path / "iris.mwproj")
    playground = view.playground
    with qtbot.waitSignal(playground.loaded, timeout=RUN_TIMEOUT_MS):
        view.tabs.setCurrentWidget(playground)
    panel = playground.explanation
    qtbot.waitUntil(lambda: panel.explainer is not None, timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(panel.explained, timeout=RUN_TIMEOUT_MS) as explained:
        playground.predict_button.click()
    result = explained.args[0]
    assert result["kind"] == "values"
    assert set(result["attributions"]) == {"sepal_length", "sepal_width", "petal_length", "petal_width"}
    assert result["label"] == playground.answer.text().replace("<h2>", "").replace("</h2>", "")
    assert panel.table.rowCount() == 4 and not panel.table.isHidden()
    with qtbot.waitSignal(panel.explained, timeout=RUN_TIMEOUT_MS) as importance:
        panel.importance_button.click()
    assert importance.args[0]["kind"] == "importance" and len(importance.args[0]["importance"]) == 4


def test_gallery_image_shows_a_heat_map(qtbot, tmp_path):
    from app.core.new_project import create_project
    from app.core.train.api import train_project
    from tests.e2e.test_templates_end_to_end import draw_shapes

    draw_shapes(tmp_path / "shapes", per_class=12, seed=1)
    create_project("cnn", data=tmp_path / "shapes", target=None, out=tmp_path / "shapes.mwproj")
    train_project(tmp_path / "shapes.mwproj", out=tmp_path / "runs" / "shapes", overrides={"epochs": 2})
    view = _evaluate_view(qtbot, tmp_path / "shapes.mwproj")
    view.refresh()
    view.evaluate()
    qtbot.waitUntil(lambda: bool(getattr(view, "details", None)), timeout=RUN_TIMEOUT_MS)
    assert not view.sample_explanation.isHidden()
    labels = view.details["samples"]["labels"]
    cell = next((i, j) for i in range(len(labels)) for j in range(len(labels)) if view.cell_indices(i, j))
    view.show_cell(*cell)
    panel = view.sample_explanation
    qtbot.waitUntil(lambda: panel.explainer is not None, timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(panel.explained, timeout=RUN_TIMEOUT_MS) as explained:
        view.samples.cellClicked.emit(0, 0)
    result = explained.args[0]
    assert result["kind"] == "image" and result["picture"].shape == (24, 24, 3)
    assert result["label"] == labels[cell[1]]  # the predicted class is what is explained
    assert not panel.picture.pixmap().isNull()
    # Another method redraws the same sample.
    with qtbot.waitSignal(panel.explained, timeout=RUN_TIMEOUT_MS) as again:
        panel.method_combo.setCurrentIndex(panel.method_combo.findData("integrated_gradients"))
    assert again.args[0]["method"] == "integrated_gradients"


def test_playground_shows_where_a_transformer_looked(qtbot, tmp_path):
    import numpy as np

    from app.core.new_project import create_project
    from app.core.train.api import train_project
    from tests.core.test_experiments_explain import _reviews_with_a_cue_word

    _reviews_with_a_cue_word(tmp_path / "reviews.csv")
    create_project("transformer-text", data=tmp_path / "reviews.csv", target="sentiment",
                   out=tmp_path / "reviews.mwproj")
    train_project(tmp_path / "reviews.mwproj", out=tmp_path / "runs" / "r", overrides={"epochs": 2})
    view = _evaluate_view(qtbot, tmp_path / "reviews.mwproj")
    playground = view.playground
    with qtbot.waitSignal(playground.loaded, timeout=RUN_TIMEOUT_MS):
        view.tabs.setCurrentWidget(playground)
    panel = playground.explanation
    qtbot.waitUntil(lambda: panel.explainer is not None, timeout=RUN_TIMEOUT_MS)
    playground.text_edit.setPlainText("the plot was boring")
    with qtbot.waitSignal(panel.explained, timeout=RUN_TIMEOUT_MS) as explained:
        playground.predict_button.click()
    result = explained.args[0]
    attention = panel.attention
    assert result["kind"] == "text" and not attention.isHidden()
    assert attention.words == ["the", "plot", "was", "boring"]
    assert attention.layer_combo.count() == 2 and attention.layer_combo.currentIndex() == 1  # last layer first
    assert attention.head_combo.itemData(0) == -1 and attention.head_combo.count() == 1 + 4  # mean + 4 heads
    last = np.asarray(result["attention"][1]["weights"])
    assert np.allclose(attention.shown_matrix(), last.mean(axis=0))
    attention.head_combo.setCurrentIndex(2)  # head 2
    assert np.allclose(attention.shown_matrix(), last[1])
    attention.layer_combo.setCurrentIndex(0)
    assert np.allclose(attention.shown_matrix(), np.asarray(result["attention"][0]["weights"])[1])
    assert attention.image.image.shape == (4, 4)
