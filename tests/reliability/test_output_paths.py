"""Nothing is destroyed by an output path: ``--force`` (and the GUI's Replace) replaces only a
folder Modelwright exported, and never the project, its data, the run being read, the home
folder, the working folder or ``/``; ``predict --out`` never overwrites its input, a project
file or a run's file, and an existing file only with ``--force``.

Every refusal is checked the way a user relies on it: exit 1, one ``error:`` line, and every
file still there byte for byte.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.cli import main
from tests.reliability.cli_checks import run_cli

FAKE_EXPORT = {"format_version": 1, "producer": "Modelwright", "format": "safetensors"}


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("output-paths")


@pytest.fixture(scope="module")
def project(area) -> Path:
    """A project folder as a user has it: the data, the project file, a trained run under runs/."""
    folder = area / "iris"
    folder.mkdir()
    rng = np.random.default_rng(0)
    pd.DataFrame({"a": rng.random(60), "b": rng.random(60), "label": rng.choice(["x", "y"], 60)}).to_csv(
        folder / "data.csv", index=False)
    assert main(["new", "--template", "mlp", "--data", str(folder / "data.csv"), "--target", "label",
                 "--out", str(folder / "iris.mwproj")]) == 0
    assert main(["train", str(folder / "iris.mwproj"), "--epochs", "1", "--out", str(folder / "runs" / "r1")]) == 0
    return folder


@pytest.fixture(scope="module")
def run(project) -> Path:
    return project / "runs" / "r1"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for folders)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(Path(folder).rglob("*"))}


def refused(capsys, args, *watch: Path) -> str:
    """Run ``main.py args``: one plain ``error:`` line, and every file under ``watch`` kept byte for byte."""
    return run_cli(capsys, args, *watch, snapshot=snapshot)


def plant_export_manifest(folder: Path) -> None:
    """Make ``folder`` look like an export, so the refusal proves the specific rule, not the marker."""
    (folder / "export.json").write_text(json.dumps(FAKE_EXPORT), encoding="utf-8")


# ------------------------------------------------------------------------- export --force
def test_export_force_onto_the_project_folder_is_refused(capsys, project):
    line = refused(capsys, ["export", project / "runs" / "r1", "--format", "safetensors", "--out", project,
                            "--force"], project)
    assert str(project) in line


def test_export_force_onto_the_project_folder_is_refused_even_if_it_looks_like_an_export(capsys, project,
                                                                                        tmp_path):
    copy = tmp_path / "iris"
    shutil.copytree(project, copy)
    plant_export_manifest(copy)
    line = refused(capsys, ["export", copy / "runs" / "r1", "--format", "safetensors", "--out", copy, "--force"],
                   copy)
    assert "reads" in line


def test_export_force_onto_the_run_being_exported_is_refused(capsys, project, run):
    refused(capsys, ["export", run, "--format", "safetensors", "--out", run, "--force"], project)
    refused(capsys, ["export", run, "--format", "pytorch", "--out", run / ".." / "r1", "--force"], project)


def test_export_force_through_a_link_to_the_project_is_refused(capsys, project, run, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(project, target_is_directory=True)
    refused(capsys, ["export", run, "--format", "safetensors", "--out", link, "--force"], project)


def test_export_force_onto_home_is_refused(capsys, project, run, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "thesis.txt").write_text("years of work")
    (home / ".bashrc").write_text("export PATH=$PATH")
    plant_export_manifest(home)
    monkeypatch.setenv("HOME", str(home))
    line = refused(capsys, ["export", run, "--format", "safetensors", "--out", home, "--force"], home, project)
    assert "home" in line


def test_export_force_onto_the_filesystem_root_is_refused(capsys, project, run):
    line = refused(capsys, ["export", run, "--format", "safetensors", "--out", "/", "--force"], project)
    assert "root" in line


def test_export_force_onto_the_working_folder_is_refused(capsys, project, run, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.md").write_text("keep me")
    plant_export_manifest(work)
    monkeypatch.chdir(work)
    line = refused(capsys, ["export", run, "--format", "safetensors", "--out", ".", "--force"], work, project)
    assert "working folder" in line


def test_export_force_onto_a_folder_no_export_wrote_is_refused(capsys, project, run, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "cat.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    line = refused(capsys, ["export", run, "--format", "safetensors", "--out", photos, "--force"], photos, project)
    assert "export.json" in line


def test_torchrun_bundle_force_onto_the_project_folder_is_refused(capsys, project):
    refused(capsys, ["export", project / "iris.mwproj", "--format", "torchrun", "--out", project, "--force"],
            project)


def test_replacing_an_earlier_export_with_force_works(capsys, project, run, tmp_path):
    out = tmp_path / "exports" / "r1-safetensors"
    assert main(["export", str(run), "--format", "safetensors", "--out", str(out)]) == 0
    first = json.loads((out / "export.json").read_text())
    (out / "stale.txt").write_text("from an older export")
    refused(capsys, ["export", run, "--format", "safetensors", "--out", out], out)  # no --force: refused
    assert main(["export", str(run), "--format", "safetensors", "--out", str(out), "--force"]) == 0
    assert json.loads((out / "export.json").read_text())["producer"] == first["producer"] == "Modelwright"
    assert not (out / "stale.txt").exists() and (out / "model.safetensors").is_file()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no staging or old folder left


def test_replacing_an_earlier_torchrun_bundle_with_force_works(project, tmp_path):
    out = tmp_path / "bundle"
    args = ["export", str(project / "iris.mwproj"), "--format", "torchrun", "--out", str(out)]
    assert main(args) == 0
    assert json.loads((out / "export.json").read_text())["producer"] == "Modelwright"
    assert main([*args, "--force"]) == 0 and (out / "launch.sh").is_file()


def test_an_export_folder_the_user_saved_a_project_into_is_not_replaced(capsys, project, run, tmp_path):
    out = tmp_path / "export"
    assert main(["export", str(run), "--format", "safetensors", "--out", str(out)]) == 0
    (out / "tuned.mwproj").write_bytes((project / "iris.mwproj").read_bytes())
    line = refused(capsys, ["export", run, "--format", "safetensors", "--out", out, "--force"], out)
    assert "tuned.mwproj" in line


def test_a_torchrun_bundle_with_a_run_trained_inside_is_not_replaced(capsys, project, run, tmp_path):
    out = tmp_path / "bundle"
    assert main(["export", str(project / "iris.mwproj"), "--format", "torchrun", "--out", str(out)]) == 0
    trained = out / "runs" / "r1"
    trained.mkdir(parents=True)
    for name in ("project.mwproj", "preprocessor.json", "model.safetensors"):
        (trained / name).write_bytes((run / name).read_bytes())
    refused(capsys, ["export", project / "iris.mwproj", "--format", "torchrun", "--out", out, "--force"], out)


# ------------------------------------------------------------------------------- predict
def test_predict_onto_its_input_is_refused_even_with_force(capsys, project, run):
    line = refused(capsys, ["predict", run, "--data", project / "data.csv", "--out", project / "data.csv",
                            "--force"], project)
    assert "input" in line


def test_predict_onto_the_training_data_of_the_run_is_refused(capsys, project, run, tmp_path):
    new = tmp_path / "new.csv"
    new.write_bytes((project / "data.csv").read_bytes())
    refused(capsys, ["predict", run, "--data", new, "--out", project / "data.csv", "--force"], project, tmp_path)


def test_predict_onto_the_project_file_is_refused_even_with_force(capsys, project, run):
    line = refused(capsys, ["predict", run, "--data", project / "data.csv", "--out", project / "iris.mwproj",
                            "--force"], project)
    assert ".mwproj" in line


def test_predict_onto_a_file_of_the_run_is_refused_even_with_force(capsys, project, run):
    for name in ("preprocessor.json", "summary.json", "metrics.csv"):
        refused(capsys, ["predict", run, "--data", project / "data.csv", "--out", run / name, "--force"], project)


def test_predict_onto_an_existing_file_needs_force(capsys, project, run, tmp_path):
    out = tmp_path / "predictions.csv"
    out.write_text("my earlier predictions\n")
    line = refused(capsys, ["predict", run, "--data", project / "data.csv", "--out", out], tmp_path, project)
    assert "--force" in line
    assert main(["predict", str(run), "--data", str(project / "data.csv"), "--out", str(out), "--force"]) == 0
    assert "prediction" in pd.read_csv(out).columns


# ----------------------------------------------------------------------------- new --force
def test_new_force_onto_a_runs_project_copy_is_refused(capsys, project, run):
    refused(capsys, ["new", "--template", "mlp", "--data", project / "data.csv", "--target", "label",
                     "--out", run / "project.mwproj", "--force"], project)


def test_new_force_replaces_an_ordinary_project_file(project, tmp_path):
    out = tmp_path / "other.mwproj"
    out.write_text("{}")
    assert main(["new", "--template", "mlp", "--data", str(project / "data.csv"), "--target", "label",
                 "--out", str(out), "--force"]) == 0
    assert json.loads(out.read_text())["format"] == "modelwright-project"


# ------------------------------------------------------------------------------- the GUI
def test_export_view_refuses_the_project_folder_and_asks_before_replacing(qtbot, project, run, messages,
                                                                        monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from app.core.project import load_project
    from app.ui.document import ProjectDocument
    from app.ui.export.export_view import ExportView

    document = ProjectDocument()
    document.set_project(load_project(project / "iris.mwproj"))
    view = ExportView(document)
    qtbot.addWidget(view)
    view.refresh()
    view.select_format("safetensors")
    questions = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *args: questions.append(text) or answer[0])

    before = snapshot(project)
    view.out_edit.setText(str(project))
    with qtbot.waitSignal(view.export_failed, timeout=10000) as failed:
        view.export_button.click()
    assert str(project) in failed.args[0] and messages and messages[-1][1] == failed.args[0]
    assert questions == [] and snapshot(project) == before  # refused outright: nothing to answer

    out = tmp_path / "gui-export"
    view.out_edit.setText(str(out))
    with qtbot.waitSignal(view.export_finished, timeout=60000):
        view.export_button.click()
    assert questions == []  # a new folder: nothing is replaced, nothing asked
    qtbot.waitUntil(view.export_button.isEnabled, timeout=10000)
    (out / "mine.txt").write_text("added after the export")
    view.export_button.click()  # the user says No
    assert len(questions) == 1 and "mine.txt" in questions[0] and str(out) in questions[0]
    assert (out / "mine.txt").is_file()
    answer[0] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(view.export_finished, timeout=60000):
        view.export_button.click()
    assert len(questions) == 2 and not (out / "mine.txt").exists() and (out / "model.safetensors").is_file()
