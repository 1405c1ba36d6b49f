"""Broken files give one clear DataError that says what is wrong and where, and write nothing."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from app.core.data import DataError, inspect_source, prepare
from app.core.data.config import DataConfig
from app.core.data.errors import DataConfigError
from tests.core.data_helpers import DATA, files_under

BAD = DATA / "bad"


@pytest.fixture()
def workdir(tmp_path):
    """A copy of the bad corpus; each test checks that nothing new appears next to the file."""
    target = tmp_path / "bad"
    shutil.copytree(BAD, target)
    before = files_under(target)
    yield target
    assert files_under(target) == before


@pytest.mark.parametrize(
    "name, words",
    [
        ("empty.csv", ["empty.csv", "empty"]),
        ("header_only.csv", ["no data rows"]),
        ("garbage.csv", ["binary data"]),
        ("ragged.csv", ["Line 4", "4 fields", "header has 3"]),
        ("target_empty.csv", ["target column 'label'", "no values"]),
        ("single_class.csv", ["only one value", "'x'"]),
        ("numeric_with_text.csv", ["Column 'age'", "row 17", "'abc'", "not a number"]),
        ("fake.xlsx", ["not an Excel workbook"]),
        ("fake.parquet", ["not a Parquet file"]),
    ],
)
def test_bad_file_is_reported_clearly(workdir, name, words):
    with pytest.raises(DataError) as info:
        inspect_source(workdir / name, target="label" if "label" in name or name.startswith(("target", "single")) else None)
    message = str(info.value)
    for word in words:
        assert word in message, message


def test_prepare_reports_the_same_problems_as_inspection(workdir):
    config = {"source": {"kind": "table", "path": "single_class.csv"},
              "columns": [{"name": "a", "type": "numeric", "role": "feature"},
                          {"name": "b", "type": "numeric", "role": "feature"},
                          {"name": "label", "type": "categorical", "role": "target"}]}
    with pytest.raises(DataError, match="only one value"):
        prepare(config, workdir)
    config["source"]["path"] = "numeric_with_text.csv"
    config["columns"][0]["name"] = "age"
    config["columns"][1]["name"] = "height"
    with pytest.raises(DataError, match=r"Column 'age'.*row 17"):
        prepare(config, workdir)
    config["source"]["path"] = "target_empty.csv"
    config["columns"][0]["name"], config["columns"][1]["name"] = "a", "b"
    with pytest.raises(DataError, match="no values"):
        prepare(config, workdir)


def test_a_five_megabyte_field_is_refused_with_its_line(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("text,label\nsmall,a\nok,b\n")
        fh.write('"' + "x" * (5 * 1024 * 1024) + '",a\n')
        fh.write("fine,b\n")
    with pytest.raises(DataError) as info:
        inspect_source(path)
    assert "line 4" in str(info.value).lower() and "5.2 MB" in str(info.value) and "'text'" in str(info.value)
    assert files_under(tmp_path) == {path}


def test_unknown_encoding_name_in_the_config():
    with pytest.raises(DataConfigError, match="Unknown text encoding 'klingon'"):
        DataConfig.from_dict({"source": {"kind": "table", "path": "x.csv", "encoding": "klingon"},
                              "columns": [{"name": "a", "type": "numeric", "role": "feature"},
                                          {"name": "b", "type": "numeric", "role": "target"}]})


def test_wrong_declared_encoding_says_so(tmp_path):
    shutil.copy(DATA / "chinese_gbk.csv", tmp_path / "gbk.csv")
    config = inspect_source(tmp_path / "gbk.csv").to_dict()
    config["source"]["encoding"] = "utf-8"
    with pytest.raises(DataError, match="not valid utf-8"):
        prepare(config, tmp_path)


def test_missing_file_and_unsupported_file(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        inspect_source(tmp_path / "nope.csv")
    (tmp_path / "model.bin").write_bytes(b"\x00\x01")
    with pytest.raises(DataError, match="not a supported data file"):
        inspect_source(tmp_path / "model.bin")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataError, match="save it as .xlsx"):
        inspect_source(tmp_path / "old.xls")


def test_unknown_label_and_missing_column_in_new_data(tmp_path):
    prepared = prepare(inspect_source(DATA / "chinese_bom_semicolon.csv"))
    pre = prepared.preprocessor
    new = pd.DataFrame({"长度": [0.1], "颜色": ["红"], "类别": ["甲"]})
    with pytest.raises(DataError, match="'宽度' is missing"):
        pre.transform_frame(new, "'new.csv'")
    new = pd.DataFrame({"长度": [0.1], "宽度": [0.2], "颜色": ["红"], "类别": ["丁"]})
    with pytest.raises(DataError, match="label '丁'.*not trained on"):
        pre.targets_from_frame(new, "'new.csv'")


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: d["split"].update(ratios={"train": 0.5, "val": 0.1, "test": 0.1}), "add up to 1"),
        (lambda d: d["preparation"].update(scaling="zscore"), "'data.preparation.scaling' is 'zscore'"),
        (lambda d: d["preparation"].update(scailng="none"), "Unknown setting 'data.preparation.scailng'"),
        (lambda d: d["columns"][3].update(role="feature"), "No column has the role 'target'"),
        (lambda d: d.update(task="clustering"), "'data.task' is 'clustering'"),
        (lambda d: d["split"].update(method="column", column="nope"), "split column 'nope'"),
    ],
)
def test_config_mistakes_are_named(change, words):
    d = inspect_source(DATA / "chinese_bom_semicolon.csv").to_dict()
    change(d)
    with pytest.raises(DataConfigError) as info:
        DataConfig.from_dict(d)
    assert words in str(info.value)
