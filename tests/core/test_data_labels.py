"""Labels edited in the data view reach training, and never the user's file."""

import shutil
from pathlib import Path

import pytest

from app.core.data import DataConfig, inspect_source, prepare
from app.core.errors import ModelwrightError

IRIS = Path(__file__).resolve().parents[2] / "resources" / "examples" / "iris" / "iris.csv"


@pytest.fixture
def iris(tmp_path):
    path = tmp_path / "iris.csv"
    shutil.copy(IRIS, path)
    return path


def class_counts(prepared):
    labels = []
    for split in (prepared.train, prepared.val, prepared.test):
        if split is not None:
            _, y = split.batch(split.epoch_order(0, 0, False))
            labels += [prepared.info.class_names[i] for i in y.tolist()]
    return {name: labels.count(name) for name in set(labels)}


def test_overrides_relabel_the_rows_training_sees(iris, tmp_path):
    before = iris.read_bytes()
    config = inspect_source(iris, target="species")
    config.label_overrides = {0: "versicolor", 1: "versicolor", 2: "甲"}  # rows 0-2 are setosa in the file
    saved = config.to_dict()
    assert saved["label_overrides"][0] == {"row": 0, "label": "versicolor"}

    prepared = prepare(DataConfig.from_dict(saved), tmp_path)
    counts = class_counts(prepared)
    assert counts["setosa"] == 47 and counts["versicolor"] == 52 and counts["甲"] == 1
    assert "甲" in prepared.info.class_names  # a new class typed in the view becomes a real class
    assert iris.read_bytes() == before


def test_without_overrides_the_section_is_unchanged(iris):
    assert "label_overrides" not in inspect_source(iris, target="species").to_dict()


@pytest.mark.parametrize(
    "raw, message",
    [
        ([{"row": -1, "label": "a"}], "malformed"),
        ([{"row": "3", "label": "a"}], "malformed"),
        ({"0": "a"}, "must be a list"),
    ],
)
def test_malformed_overrides_are_refused(iris, raw, message):
    saved = inspect_source(iris, target="species").to_dict()
    saved["label_overrides"] = raw
    with pytest.raises(ModelwrightError, match=message):
        DataConfig.from_dict(saved)


def test_overrides_past_the_end_of_the_file_say_the_file_changed(iris, tmp_path):
    config = inspect_source(iris, target="species")
    config.label_overrides = {500: "setosa"}
    with pytest.raises(ModelwrightError, match="the file has changed since it was labelled"):
        prepare(config, tmp_path)


def test_the_prepare_function_survives_its_module_being_imported_first():
    """A submodule import sets the package attribute of its name; none may shadow a public function."""
    import importlib

    importlib.import_module("app.core.data.pipeline")
    from app.core.data import prepare as prepare_again

    assert callable(prepare_again) and prepare_again.__name__ == "prepare"
