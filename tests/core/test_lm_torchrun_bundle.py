"""The torchrun export: a self-contained bundle from a project file or a trained run."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from app.core.export import ExportError, export_run
from app.core.export.formats.torchrun import export_project_bundle
from app.core.project import load_project
from tests.core.lm_helpers import tiny_gpt_project


def test_a_project_bundle_holds_the_project_its_data_reference_and_a_launcher(tmp_path):
    (tmp_path / "p").mkdir()
    project = tiny_gpt_project(tmp_path / "p", steps=3)
    result = export_project_bundle(project, tmp_path / "bundle")
    bundle = tmp_path / "bundle"
    assert result.path == bundle and not list(tmp_path.glob(".bundle*"))
    data = json.loads((bundle / "data.json").read_text())["data"]
    corpus = tmp_path / "p" / "corpus.txt"
    assert data["path"] == str(corpus.resolve())
    assert data["sha256"] == hashlib.sha256(corpus.read_bytes()).hexdigest()
    copy = load_project(bundle / "project.mwproj")
    assert copy.data_path() == corpus.resolve() and copy.graph.to_dict() == load_project(project).graph.to_dict()
    launch = (bundle / "launch.sh").read_text()
    assert "torch.distributed.run" in launch and "--nnodes" in launch and "--nproc_per_node" in launch
    assert (bundle / "modelwright" / "app" / "core" / "train" / "distributed.py").is_file()
    assert not list(bundle.rglob("__pycache__"))
    assert "torch==" in (bundle / "requirements.txt").read_text()
    # The bundled core runs on its own: its train command answers --help without this checkout.
    helped = subprocess.run([sys.executable, str(bundle / "run_training.py"), "--help"], capture_output=True,
                            text=True, cwd=tmp_path, timeout=60)
    assert helped.returncode == 0 and "--steps" in helped.stdout


def test_a_missing_data_file_is_named_and_nothing_is_written(tmp_path):
    project = tiny_gpt_project(tmp_path, steps=3)
    (tmp_path / "corpus.txt").unlink()
    with pytest.raises(ExportError, match="data 'corpus.txt' is not found"):
        export_project_bundle(project, tmp_path / "bundle")
    assert not (tmp_path / "bundle").exists() and not list(tmp_path.glob(".bundle*"))


def test_a_trained_run_exports_as_a_bundle_with_its_model_card(tmp_path):
    from app.core.train.api import train_project

    run = train_project(tiny_gpt_project(tmp_path, steps=3), out=tmp_path / "run")
    result = export_run(run, "torchrun", tmp_path / "bundle")
    assert {"launch.sh", "project.mwproj", "README.md", "export.json"} <= set(result.files)
    manifest = json.loads((tmp_path / "bundle" / "export.json").read_text())
    assert manifest["launch"] == "launch.sh" and manifest["parity"] is None
