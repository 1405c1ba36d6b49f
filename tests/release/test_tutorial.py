"""The README's five-minute tutorial, step by step through the window, as a new user does it:
import iris.csv, use the MLP template, train, evaluate, export to ONNX."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from tests.release.conftest import ROOT

pytestmark = pytest.mark.slow


def test_five_minute_tutorial(qtbot, tmp_path, monkeypatch):
    from app.ui import dialogs
    from app.ui.designer.templates import TemplateGallery
    from app.ui.main_window import MainWindow
    from app.ui.workers import running_jobs

    warnings = []
    monkeypatch.setattr(dialogs, "warn", lambda parent, title, text: warnings.append((title, text)))
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    csv = tmp_path / "iris.csv"
    shutil.copy(ROOT / "resources" / "examples" / "iris" / "iris.csv", csv)
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), probe_device=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    idle = lambda: not running_jobs()  # noqa: E731

    # 1. Import: File > New Project, Choose a File... iris.csv; species is the target.
    assert window.new_project()
    window.data_view.import_path(csv)
    qtbot.waitUntil(idle, timeout=20000)
    roles = {c["name"]: c["role"] for c in window.document.project.data["columns"]}
    assert roles["species"] == "target" and roles["sepal_length"] == "feature"

    # 2. Design: Templates... > MLP (tables) > Use Template; the summary says it can be trained.
    window.show_view("design")
    design = window.design_view
    gallery = TemplateGallery(design.graph, design._cached_data_info(), design)
    design._request_data_info(gallery)
    qtbot.waitUntil(lambda: idle() and design._cached_data_info() is not None, timeout=30000)
    gallery.select("mlp")
    info = gallery.info_for("mlp")
    assert info.n_outputs == 3 and info.input_shape == (4,)
    assert design.apply_template("mlp", info)
    types = [n.type for n in window.document.project.graph.nodes]
    assert types[0] == "io.input" and "io.output" in types

    # 3. Train: Start asks where to save a project that was never saved, then trains.
    project_path = tmp_path / "iris.mwproj"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(project_path), ""))
    window.show_view("train")
    with qtbot.waitSignal(window.train_view.run_finished, timeout=120000) as finished:
        assert window.train_view.start()
    assert finished.args[0].get("status") == "completed", finished.args[0]
    assert project_path.exists()

    # 4. Evaluate: the newest run is chosen; Evaluate fills the metrics and the confusion matrix.
    window.show_view("evaluate")
    evaluate = window.evaluate_view
    evaluate.refresh()
    assert evaluate.run_dir()
    evaluate.evaluate()
    qtbot.waitUntil(idle, timeout=60000)
    qtbot.waitUntil(lambda: evaluate.metrics_table.rowCount() > 0, timeout=10000)
    metrics = {evaluate.metrics_table.item(r, 0).text(): evaluate.metrics_table.item(r, 1).text()
               for r in range(evaluate.metrics_table.rowCount())}
    assert float(metrics["accuracy"]) >= 0.8

    # 5. Export: the run, ONNX, a folder, Export; the parity check passes.
    window.show_view("export")
    export = window.export_view
    export.refresh()
    export.select_format("onnx")
    export.out_edit.setText(str(tmp_path / "iris-onnx"))
    with qtbot.waitSignal(export.export_finished, timeout=120000):
        export.start_export()
    assert (tmp_path / "iris-onnx" / "model.onnx").exists() and (tmp_path / "iris-onnx" / "predict.py").exists()
    assert export.parity_label.text().startswith("Parity check passed")
    assert warnings == []
