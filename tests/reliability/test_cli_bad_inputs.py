"""Every CLI entry point against the bad-input corpus: one line on stderr, exit 1, nothing written.

The commands run in this process through ``app.cli.main`` (the same code path as
``python main.py ...`` minus interpreter start-up), so the whole corpus takes seconds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main
from tests.reliability.cli_checks import run_cli, train_table_run
from tests.reliability.corpus import _valid_project, data_corpus, project_corpus, write_code_pickle


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli-corpus")


@pytest.fixture(scope="module")
def marker(area) -> Path:
    return area / "CODE-RAN"


@pytest.fixture(scope="module")
def corpus(area, marker) -> dict[str, dict[str, Path]]:
    return {"data": data_corpus(area / "data"), "projects": project_corpus(area / "projects", marker)}


@pytest.fixture(scope="module")
def good_run(area) -> Path:
    """A trained two-class table run (one epoch of a tiny MLP)."""
    return train_table_run(area)["run"]


DATA_CASES = ["empty.csv", "fake.parquet", "fake.xlsx", "garbage.csv", "header_only.csv", "numeric_with_text.csv",
              "ragged.csv", "single_class.csv", "target_empty.csv", "huge_field.csv", "binary.csv", "nul_bytes.csv",
              "one_column.csv", "zip_posing_as_xlsx.xlsx", "truncated.parquet"]


@pytest.mark.parametrize("name", DATA_CASES)
def test_new_refuses_bad_data(capsys, area, corpus, name):
    out = area / "new" / f"{name}.mwproj"
    run_cli(capsys, ["new", "--template", "mlp", "--data", corpus["data"][name], "--out", out], area)
    assert not out.exists()


# single_class and target_empty are fine to predict on (predict needs no labels) and
# single_class is a valid, if narrow, evaluation set: they are not errors there.
@pytest.mark.parametrize("name", [n for n in DATA_CASES if n not in ("single_class.csv", "target_empty.csv")])
def test_predict_and_evaluate_refuse_bad_data(capsys, area, corpus, good_run, name):
    out = area / "predictions" / f"{name}.csv"
    run_cli(capsys, ["predict", good_run, "--data", corpus["data"][name], "--out", out], area)
    assert not out.exists()
    if name != "single_class.csv":
        run_cli(capsys, ["evaluate", good_run, "--data", corpus["data"][name]], area)


PROJECT_CASES = ["empty.mwproj", "truncated.mwproj", "binary.mwproj", "latin1.mwproj", "json_array.mwproj",
                 "json_string.mwproj", "deep_nesting.mwproj", "huge_number.mwproj", "lone_surrogate.mwproj",
                 "future_version.mwproj", "foreign_format.mwproj", "cyclic.mwproj", "unknown_layer.mwproj",
                 "bad_positions.mwproj", "bad_param_type.mwproj", "no_graph.mwproj", "pickle.mwproj"]


@pytest.mark.parametrize("name", PROJECT_CASES + ["network_too_large.mwproj"])
def test_train_refuses_bad_projects(capsys, area, corpus, marker, name):
    out = area / "runs" / name
    line = run_cli(capsys, ["train", corpus["projects"][name], "--out", out], area)
    assert not out.exists()
    assert not marker.exists()
    if name == "network_too_large.mwproj":
        assert "parameters" in line and "smaller" in line


@pytest.mark.parametrize("name", PROJECT_CASES)
def test_validate_and_export_refuse_bad_projects(capsys, area, corpus, name):
    run_cli(capsys, ["validate", corpus["projects"][name]], area)
    out = area / "bundles" / name
    run_cli(capsys, ["export", corpus["projects"][name], "--format", "torchrun", "--out", out], area)
    assert not out.exists()


def _damage(run: Path, case: str, marker: Path) -> None:
    if case == "empty_dir":
        shutil.rmtree(run)
        run.mkdir()
    elif case.endswith("_weights"):  # both weights a run offers: the final ones and the best checkpoint
        for weights in (run / "model.safetensors", run / "checkpoints" / "best.pt"):
            if case == "no_weights":
                weights.unlink()
            elif case == "pickle_weights":
                write_code_pickle(weights, marker)
            elif case == "torch_pickle_weights":
                write_code_pickle(weights, marker, torch_format=True)
            elif case == "truncated_weights":
                weights.write_bytes(weights.read_bytes()[:100])
            else:
                raise AssertionError(case)
    elif case == "garbage_preprocessor":
        (run / "preprocessor.json").write_text("{]")
    elif case == "list_preprocessor":
        (run / "preprocessor.json").write_text("[1]")
    elif case == "no_preprocessor":
        (run / "preprocessor.json").unlink()
    elif case == "hollow_preprocessor":  # the right format and data description, but no feature steps
        pre = json.loads((run / "preprocessor.json").read_text())
        del pre["features"]
        (run / "preprocessor.json").write_text(json.dumps(pre))
    elif case == "garbage_project":
        (run / "project.mwproj").write_text("garbage")
    elif case == "other_network":
        (run / "project.mwproj").write_text(json.dumps(_valid_project()))
    else:
        raise AssertionError(case)


@pytest.mark.parametrize("case", ["empty_dir", "no_weights", "pickle_weights", "torch_pickle_weights",
                                  "truncated_weights", "garbage_preprocessor", "list_preprocessor",
                                  "no_preprocessor", "hollow_preprocessor", "garbage_project", "other_network"])
def test_evaluate_predict_export_refuse_broken_runs(capsys, area, good_run, marker, case):
    run = area / "broken" / case
    shutil.copytree(good_run, run)
    _damage(run, case, marker)
    run_cli(capsys, ["evaluate", run], area)
    out = area / "predictions" / f"{case}.csv"
    run_cli(capsys, ["predict", run, "--data", area / "good.csv", "--out", out], area)
    assert not out.exists()
    for fmt in ("safetensors", "pytorch"):
        out = area / "exports" / f"{case}-{fmt}"
        run_cli(capsys, ["export", run, "--format", fmt, "--out", out], area)
        assert not out.exists()
    assert not marker.exists()


@pytest.mark.parametrize("torch_format", [False, True], ids=["raw-pickle", "torch-zip-pickle"])
def test_resume_refuses_a_code_running_checkpoint_before_writing_anything(capsys, area, good_run, marker,
                                                                          torch_format):
    run = area / "resume" / f"pickle-{torch_format}"
    shutil.copytree(good_run, run)
    (run / "summary.json").unlink()  # an interrupted run: resume goes all the way to the checkpoint
    write_code_pickle(run / "checkpoints" / "last.pt", marker, torch_format=torch_format)
    line = run_cli(capsys, ["train", "--resume", run], area)
    assert "last.pt" in line and "cannot be read" in line
    assert not marker.exists()


def test_training_notes_data_outside_the_project_folder(capsys, area, good_run):
    """The CLI does not ask (scripts must not block): it names the file on stderr and goes on."""
    folder = area / "elsewhere"
    folder.mkdir()
    raw = json.loads((area / "good.mwproj").read_text(encoding="utf-8"))
    raw["data"]["source"]["path"] = "../good.csv"
    (folder / "outside.mwproj").write_text(json.dumps(raw), encoding="utf-8")
    capsys.readouterr()
    assert main(["train", str(folder / "outside.mwproj"), "--epochs", "1", "--out", str(folder / "run")]) == 0
    err = capsys.readouterr().err
    assert f"note: this project reads data from outside its folder: {area / 'good.csv'}" in err
    capsys.readouterr()
    assert main(["train", str(area / "good.mwproj"), "--epochs", "1", "--out", str(area / "run-inside")]) == 0
    assert "outside its folder" not in capsys.readouterr().err


def test_new_refuses_a_base_model_whose_pytorch_model_bin_runs_code(capsys, area, marker):
    from tests.core.test_finetune_support import sentiment_csv, tiny_bert

    base = tiny_bert(area / "evil-bert")
    (base / "model.safetensors").unlink()
    write_code_pickle(base / "pytorch_model.bin", marker)
    reviews = sentiment_csv(area / "reviews.csv", n=40)
    out = area / "evil.mwproj"
    line = run_cli(capsys, ["new", "--template", "finetune-text", "--base", base, "--data", reviews,
                            "--target", "sentiment", "--out", out], area)
    assert "refused" in line and "pytorch_model.bin" in line
    assert not out.exists() and not marker.exists()
