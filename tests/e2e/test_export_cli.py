"""``python main.py export`` as a user runs it."""

from __future__ import annotations

import json

import pytest

from app.cli import EXPORT_FORMATS
from app.core.export import exporter_names
from tests.core.test_export_runs import trained_run


def test_cli_lists_the_registered_formats():
    assert list(EXPORT_FORMATS) == exporter_names()


@pytest.mark.slow
def test_export_writes_a_checked_folder_and_reports_the_parity(main_py, tmp_path):
    out = tmp_path / "keras-ts"
    result = main_py("export", trained_run("keras-seed"), "--format", "torchscript", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Parity check passed" in result.stdout and "max abs diff" in result.stdout
    manifest = json.loads((out / "export.json").read_text(encoding="utf-8"))
    assert manifest["parity"]["passed"] and (out / "model.pt").is_file() and (out / "README.md").is_file()

    again = main_py("export", trained_run("keras-seed"), "--format", "hf", "--out", tmp_path / "hf")
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "hf format is for fine-tuned Hugging Face models" in again.stderr
    assert not (tmp_path / "hf").exists()
