"""Statistics the data view shows are right and plain JSON."""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest

from app.core.data import inspect_source
from app.core.data.statistics import class_balance, column_summary, data_statistics, histogram
from tests.core.data_helpers import DATA, make_image_folder


def test_column_summaries_for_numbers_and_categories():
    numbers = pd.Series([1.0, 2.0, None, 4.0], name="n")
    s = column_summary(numbers)
    assert (s["type"], s["count"], s["missing"], s["unique"]) == ("numeric", 3, 1, 3)
    assert s["mean"] == pytest.approx(7 / 3) and s["min"] == 1 and s["max"] == 4
    assert sum(s["histogram"]["counts"]) == 3
    words = column_summary(pd.Series(["甲", "乙", "甲", None], name="类别"))
    assert words["type"] == "categorical" and words["top"][0] == {"value": "甲", "count": 2}


def test_histogram_and_class_balance():
    h = histogram([0, 1, 2, 3, float("nan")], bins=3)
    assert h["counts"] == [1, 1, 2] and len(h["edges"]) == 4
    assert histogram([None, "x"]) == {"edges": [], "counts": []}
    balance = class_balance(["a", "b", "a", None])
    assert balance[0] == {"label": "a", "count": 2, "share": pytest.approx(2 / 3)}


def test_statistics_for_a_table_an_image_folder_and_a_text_file(tmp_path):
    table = data_statistics(inspect_source(DATA / "chinese_gbk.csv"))
    assert table["rows"] == 60 and [c["name"] for c in table["columns"]] == ["长度", "宽度", "颜色", "类别"]
    assert {b["label"] for b in table["class_balance"]} == {"甲", "乙", "丙"}
    assert len(table["examples"]) == 5
    images = data_statistics(inspect_source(make_image_folder(tmp_path / "pets")))
    assert images["images"] == 13 and {b["label"] for b in images["class_balance"]} == {"cats", "dogs"}
    assert {e["label"] for e in images["examples"]} == {"cats", "dogs"}
    text = data_statistics(inspect_source(DATA / "hamlet.txt"))
    assert text["lines"] == 30 and text["examples"][0].startswith("To be, or not to be")
    for stats in (table, images, text):
        json.dumps(stats, allow_nan=False)


def test_inspection_and_statistics_do_not_load_torch():
    import subprocess

    code = ("import sys; from app.core.data import inspect_source; from app.core.data.statistics import data_statistics;"
            f"data_statistics(inspect_source({str(DATA / 'reviews.csv')!r})); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
