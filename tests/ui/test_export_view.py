"""The Export view exports a run on a worker thread and shows the parity check."""

from __future__ import annotations

import shutil

import pytest

from app.core.project import load_project
from app.ui.document import ProjectDocument
from app.ui.export.export_view import ExportView
from tests.core.test_export_runs import trained_run


@pytest.fixture
def view(qtbot, tmp_path):
    run = tmp_path / "runs" / "mlp-20250101-120000"
    shutil.copytree(trained_run("mlp"), run)
    project = load_project(run / "project.mwproj")
    project.path = tmp_path / "iris.mwproj"
    document = ProjectDocument()
    document.set_project(project)
    widget = ExportView(document)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def test_lists_the_projects_runs_and_proposes_a_folder(view, tmp_path):
    assert view.run_combo.count() == 1 and "mlp-20250101-120000" in view.run_combo.itemText(0)
    assert [view.format_combo.itemData(i) for i in range(view.format_combo.count())][:4] == [
        "pytorch", "torchscript", "onnx", "safetensors"]
    view.select_format("onnx")
    assert view.out_edit.text() == str(tmp_path / "exports" / "mlp-20250101-120000-onnx")
    assert view.export_button.isEnabled()


def test_export_runs_in_the_background_and_shows_the_parity_result(view, qtbot, tmp_path):
    view.select_format("torchscript")
    with qtbot.waitSignal(view.export_finished, timeout=60000) as finished:
        view.export_button.click()
    result = finished.args[0]
    assert result.parity.passed
    text = view.parity_label.text()
    assert "Parity check passed" in text and "max abs diff" in text and "torch.jit.load" in text
    assert not view.result_box.isHidden() and not view.progress.isVisible()
    assert (tmp_path / "exports" / "mlp-20250101-120000-torchscript" / "model.pt").is_file()
    assert view.open_button.isEnabled()


def test_a_refused_export_is_explained_and_writes_nothing(view, qtbot, tmp_path):
    view.select_format("hf")
    with qtbot.waitSignal(view.export_failed, timeout=60000) as failed:
        view.export_button.click()
    assert "fine-tuned Hugging Face models" in failed.args[0]
    assert "nothing was written" in view.parity_label.text() and not view.result_box.isHidden()
    assert not (tmp_path / "exports").exists()
