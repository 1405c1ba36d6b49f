"""The Evaluate view and playground on a trained iris run: the confusion matrix is the
engine's, its cells list exactly their samples, and the playground answers as
``main.py predict`` does."""

from __future__ import annotations

import pandas as pd
import pytest

RUN_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def iris_run(tmp_path_factory):
    import shutil

    from tests.ui.conftest import IRIS_CSV
    from app.core.train.api import train_project

    folder = tmp_path_factory.mktemp("iris")
    shutil.copy(IRIS_CSV, folder / "iris.csv")
    shutil.copy(IRIS_CSV.parent / "iris.mwproj", folder / "iris.mwproj")
    # Few epochs on purpose: an imperfect model puts samples off the diagonal.
    run = train_project(folder / "iris.mwproj", out=folder / "runs" / "iris-short", overrides={"epochs": 2, "seed": 3})
    return folder, run


@pytest.fixture
def evaluate_view(qtbot, iris_run):
    from app.core.project import load_project
    from app.ui.document import ProjectDocument
    from app.ui.evaluate.evaluate_view import EvaluateView

    folder, run = iris_run
    document = ProjectDocument()
    document.set_project(load_project(folder / "iris.mwproj"))
    view = EvaluateView(document)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    yield view


def test_confusion_matrix_matches_the_engine_and_cells_list_their_samples(qtbot, iris_run, evaluate_view):
    from app.core.train.api import evaluate_run

    _folder, run = iris_run
    assert evaluate_view.run_dir() == str(run)
    evaluate_view.evaluate()
    qtbot.waitUntil(lambda: evaluate_view.details is not None, timeout=RUN_TIMEOUT_MS)
    expected = evaluate_run(run)
    cm = expected["confusion_matrix"]
    n = len(cm["labels"])
    shown = [[int(evaluate_view.confusion.item(i, j).text()) for j in range(n)] for i in range(n)]
    assert shown == cm["matrix"]
    assert [evaluate_view.confusion.horizontalHeaderItem(j).text() for j in range(n)] == cm["labels"]
    metrics = {evaluate_view.metrics_table.item(r, 0).text(): evaluate_view.metrics_table.item(r, 1).text()
               for r in range(evaluate_view.metrics_table.rowCount())}
    assert float(metrics["accuracy"]) == pytest.approx(expected["accuracy"], abs=1e-3)
    assert evaluate_view.per_class_table.rowCount() == n

    for i in range(n):
        for j in range(n):
            evaluate_view.show_cell(i, j)
            assert evaluate_view.samples.rowCount() == cm["matrix"][i][j]
    # A misclassified cell shows the original rows, whose species column is the true class.
    off = [(i, j) for i in range(n) for j in range(n) if i != j and cm["matrix"][i][j]]
    i, j = off[0] if off else (0, 0)
    evaluate_view.confusion.cellClicked.emit(i, j)
    headers = [evaluate_view.samples.horizontalHeaderItem(c).text() for c in range(evaluate_view.samples.columnCount())]
    species = headers.index("species")
    assert {evaluate_view.samples.item(r, species).text() for r in range(evaluate_view.samples.rowCount())} == {cm["labels"][i]}


def test_playground_predicts_what_main_py_predict_writes(qtbot, iris_run, evaluate_view, tmp_path):
    from app.core.train.api import predict_run
    from tests.ui.conftest import IRIS_CSV

    _folder, run = iris_run
    rows = pd.read_csv(IRIS_CSV).iloc[[0, 60, 120, 75]]
    rows.drop(columns=["species"]).to_csv(tmp_path / "new.csv", index=False)
    expected = pd.read_csv(predict_run(run, tmp_path / "new.csv", tmp_path / "out.csv"))

    playground = evaluate_view.playground
    with qtbot.waitSignal(playground.loaded, timeout=RUN_TIMEOUT_MS):
        evaluate_view.tabs.setCurrentWidget(playground)
    assert sorted(playground._inputs) == ["petal_length", "petal_width", "sepal_length", "sepal_width"]
    for k, (_index, row) in enumerate(rows.iterrows()):
        playground.set_values(row.drop("species").to_dict())
        with qtbot.waitSignal(playground.predicted, timeout=RUN_TIMEOUT_MS) as answer:
            playground.predict_button.click()
        result = answer.args[0]
        assert result["prediction"] == expected["prediction"].iloc[k]
        for label, p in result["probabilities"].items():
            assert p == pytest.approx(expected[f"prob_{label}"].iloc[k], abs=1e-5)
        assert playground.probabilities.rowCount() == 3
