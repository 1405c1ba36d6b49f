"""Each preparation step does what its name says, is fitted on train only, and survives JSON."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import torch

from app.core.data import Preprocessor, inspect_source, prepare
from app.core.data.config import ColumnConfig, PreparationConfig
from app.core.data.preparation import TablePipeline, clean_rows
from app.core.data.tokenizers import CharTokenizer, WordTokenizer
from tests.core.data_helpers import DATA


def _config(path, columns, **preparation):
    return {
        "source": {"kind": "table", "path": str(path)},
        "columns": [{"name": n, "type": t, "role": r} for n, t, r in columns],
        "preparation": preparation,
        "split": {"method": "random", "ratios": {"train": 0.5, "val": 0.5, "test": 0.0}, "seed": 1},
    }


@pytest.fixture()
def messy(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(
        "num,colour,flag,label\n"
        "1,red,yes,a\n"
        ",blue,no,b\n"
        "3,,yes,a\n"
        "1,red,yes,a\n"
        "5,red,,b\n"
        "7,blue,no,\n"
        "9,green,yes,b\n",
        encoding="utf-8",
    )
    return path


COLUMNS = [("num", "numeric", "feature"), ("colour", "categorical", "feature"), ("flag", "boolean", "feature"),
           ("label", "categorical", "target")]


def _typed(path, **prep):
    df = pd.read_csv(path)
    cols = [ColumnConfig(*c) for c in COLUMNS]
    return clean_rows(df, cols[:3], cols[3:], PreparationConfig(**prep), "'messy.csv'")


def test_rows_without_target_are_left_out_with_a_warning(messy):
    typed, warnings = _typed(messy)
    assert len(typed) == 6 and any("1 rows without a value in the target" in w for w in warnings)


def test_drop_duplicates_and_drop_missing(messy):
    typed, warnings = _typed(messy, drop_duplicates=True)
    assert len(typed) == 5 and any("duplicate" in w for w in warnings)
    typed, _ = _typed(messy, missing="drop")
    assert len(typed) == 3 and not typed.isna().any().any()


@pytest.mark.parametrize("strategy, expected", [("mean", 19 / 5), ("median", 3.0), ("mode", 1.0), ("constant", -1.0)])
def test_fill_strategies_for_numbers(messy, strategy, expected):
    typed, _ = _typed(messy)
    prep = PreparationConfig(missing=strategy, fill_value=-1.0 if strategy == "constant" else None, scaling="none")
    pipeline = TablePipeline.fit(typed, [ColumnConfig(*c) for c in COLUMNS[:1]], prep)
    values = pipeline.transform(typed)[:, 0]
    assert values[1] == pytest.approx(expected)


def test_categories_one_hot_and_ordinal_with_mode_fill(messy):
    typed, _ = _typed(messy)
    cols = [ColumnConfig(*c) for c in COLUMNS[1:3]]
    onehot = TablePipeline.fit(typed, cols, PreparationConfig(scaling="none"))
    assert onehot.output_names == ["colour=blue", "colour=green", "colour=red", "flag"]
    matrix = onehot.transform(typed)
    assert matrix[2].tolist() == [0, 0, 1, 1]  # missing colour -> most common (red)
    assert matrix[4, 3] == 1.0  # missing flag -> most common (yes)
    ordinal = TablePipeline.fit(typed, cols[:1], PreparationConfig(categorical="ordinal", scaling="none"))
    assert ordinal.transform(typed)[:, 0].tolist() == [2, 0, 2, 2, 2, 1]
    unseen = pd.DataFrame({"colour": ["purple"], "flag": [1.0]})
    assert onehot.transform(unseen)[0, :3].tolist() == [0, 0, 0]


def test_scaling_is_fitted_on_the_training_split_only(tmp_path):
    path = tmp_path / "s.csv"
    pd.DataFrame({"x": np.arange(100, dtype=float), "y": ["a", "b"] * 50}).to_csv(path, index=False)
    cols = [("x", "numeric", "feature"), ("y", "categorical", "target")]
    for method in ("standard", "minmax"):
        prepared = prepare(_config(path, cols, scaling=method))
        train = prepared.train.inputs[:, 0]
        val = prepared.val.inputs[:, 0]
        if method == "standard":
            assert float(train.mean()) == pytest.approx(0, abs=1e-5)
            assert float(train.std(unbiased=False)) == pytest.approx(1, abs=1e-4)
            assert abs(float(val.mean())) > 1e-3  # val keeps train's constants
        else:
            assert float(train.min()) == 0 and float(train.max()) == 1
        state = prepared.preprocessor.to_dict()["features"][0]["scaling"]
        assert state["method"] == method


def test_label_round_trip_through_decode_gives_back_chinese_labels():
    prepared = prepare(inspect_source(DATA / "chinese_bom_semicolon.csv"))
    saved = json.loads(json.dumps(prepared.preprocessor.to_dict(), ensure_ascii=False))
    pre = Preprocessor.from_dict(saved)
    frame = pd.read_csv(DATA / "chinese_bom_semicolon.csv", sep=";", encoding="utf-8-sig")
    targets = pre.targets_from_frame(frame)
    logits = torch.nn.functional.one_hot(targets, 3).float() * 5 - 2
    labels, probabilities = pre.decode(logits)
    assert labels == frame["类别"].tolist()
    assert probabilities.shape == (len(frame), 3)
    np.testing.assert_allclose(probabilities.sum(1), 1, rtol=1e-5)
    # Same inputs as in training, from the saved state alone.
    assert torch.equal(pre.transform_frame(frame), prepared.preprocessor.transform_frame(frame))


def test_binary_decode_accepts_probabilities_and_logits():
    prepared = prepare(inspect_source(DATA / "records.jsonl"))
    pre = prepared.preprocessor
    labels, probabilities = pre.decode(torch.tensor([[0.9], [0.2]]))
    assert labels == ["up", "down"] and probabilities[0].tolist() == pytest.approx([0.1, 0.9])
    labels, _ = pre.decode(torch.tensor([[3.0], [-1.0]]))
    assert labels == ["up", "down"]
    labels, _ = pre.decode(torch.tensor([[0.7]]), from_logits=True)  # sigmoid(0.7) > 0.5
    assert labels == ["up"]


def test_regression_targets_are_scaled_and_decoded_back(tmp_path):
    path = tmp_path / "r.csv"
    pd.DataFrame({"x": np.linspace(0, 1, 40), "price": np.linspace(1000, 5000, 40)}).to_csv(path, index=False)
    prepared = prepare(_config(path, [("x", "numeric", "feature"), ("price", "numeric", "target")]))
    assert prepared.info.task == "regression"
    assert abs(float(prepared.train.targets.mean())) < 1e-4
    labels, probabilities = prepared.preprocessor.decode(prepared.val.targets)
    assert probabilities is None and 1000 <= min(labels) and max(labels) <= 5000
    frame = pd.read_csv(path)
    back, _ = prepared.preprocessor.decode(prepared.preprocessor.targets_from_frame(frame))
    np.testing.assert_allclose(back, frame["price"], rtol=1e-5)


def test_task_override_and_integer_classes(tmp_path):
    path = tmp_path / "i.csv"
    pd.DataFrame({"x": np.arange(30.0), "grade": [1, 2, 3] * 10}).to_csv(path, index=False)
    config = _config(path, [("x", "numeric", "feature"), ("grade", "numeric", "target")])
    prepared = prepare(config)
    assert prepared.info.task == "classification" and prepared.preprocessor.target.labels == [1, 2, 3]
    labels, _ = prepared.preprocessor.decode(torch.eye(3))
    assert labels == [1, 2, 3]
    config["task"] = "regression"
    assert prepare(config).info.task == "regression"


def test_char_and_word_tokenizers_pad_cut_and_limit_the_vocabulary():
    char = CharTokenizer.fit(["abcab", "ab"], max_vocab=4)
    assert char.vocab == ["<pad>", "<unk>", "a", "b"]
    assert char.encode_padded(["abc", "abababab"], 5).tolist() == [[2, 3, 1, 0, 0], [2, 3, 2, 3, 2]]
    word = WordTokenizer.fit(["Good film, good cast", "我爱电影"], max_vocab=100, lowercase=True)
    assert word.split("Good film, 我爱") == ["good", "film", ",", "我", "爱"]
    again = WordTokenizer.from_dict(json.loads(json.dumps(word.to_dict())))
    assert again.decode(again.encode("good cast")) == "good cast"


def test_text_preprocessor_applies_the_saved_vocabulary_to_new_rows():
    prepared = prepare(inspect_source(DATA / "reviews.csv"))
    pre = Preprocessor.from_dict(json.loads(json.dumps(prepared.preprocessor.to_dict())))
    new = pd.DataFrame({"review": ["the film was wonderful", None]})
    tokens = pre.transform_frame(new)
    assert tokens.shape == (2, pre.seq_len) and tokens[1].eq(0).all()
    assert pre.tokenizer.decode(tokens[0]) == "the film was wonderful"


def test_image_preprocessor_reads_new_folders(tmp_path):
    from tests.core.data_helpers import make_image_folder

    prepared = prepare(inspect_source(make_image_folder(tmp_path / "train")))
    pre = Preprocessor.from_dict(json.loads(json.dumps(prepared.preprocessor.to_dict())))
    new = pre.load_new_data(make_image_folder(tmp_path / "new", per_class=2))
    assert new.inputs.shape == (4, *prepared.info.input_shape)
    assert prepared.info.task == "binary" and new.targets.flatten().tolist() == [0, 0, 1, 1]
    assert any("broken.png" in w for w in new.warnings)
