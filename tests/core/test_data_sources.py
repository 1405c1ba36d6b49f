"""Every source a user brings loads with the right columns, encoding, delimiter and labels."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from app.core.data import inspect_source, prepare
from app.core.data.config import DataConfig
from app.core.data.sources import detect_source
from app.core.data.tables import read_table
from app.core.progress import Cancelled, Progress
from tests.core.data_helpers import DATA, make_image_folder


def test_semicolon_utf8_bom_with_chinese_headers_and_labels():
    config = inspect_source(DATA / "chinese_bom_semicolon.csv")
    assert config.source.encoding == "utf-8-sig" and config.source.delimiter == ";"
    assert [c.name for c in config.columns] == ["长度", "宽度", "颜色", "类别"]
    assert config.column("类别").role == "target"
    prepared = prepare(config)
    assert prepared.info.task == "classification"
    assert set(prepared.info.class_names) == {"甲", "乙", "丙"}
    assert prepared.info.input_shape == (5,)  # two numbers + three one-hot colours


def test_gbk_file_reads_the_same_as_utf8():
    config = inspect_source(DATA / "chinese_gbk.csv")
    assert config.source.encoding == "gb18030"
    gbk = read_table(DATA / "chinese_gbk.csv")
    bom = read_table(DATA / "chinese_bom_semicolon.csv")
    pd.testing.assert_frame_equal(gbk, bom)


def test_latin1_and_tab_separated(tmp_path):
    path = tmp_path / "cafes.tsv"
    rows = ["name\tprice\tcity"] + [f"Café {i}\t{i}.5\t{'Zürich' if i % 2 else 'Genève'}" for i in range(30)]
    path.write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    source = detect_source(path)
    assert source.delimiter == "\t"
    assert source.encoding in ("iso8859-1", "cp1252", "latin-1", "iso8859-15")
    df = read_table(path, encoding=source.encoding, delimiter=source.delimiter)
    assert df["name"].iloc[0] == "Café 0" and df["city"].iloc[1] == "Zürich"


def test_quoted_fields_with_newlines_and_delimiters(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('text,label\n"hello, world",a\n"two\nlines",b\n"plain",a\n', encoding="utf-8")
    df = read_table(path)
    assert df["text"].tolist() == ["hello, world", "two\nlines", "plain"]


def test_xlsx(tmp_path):
    path = tmp_path / "sheet.xlsx"
    areas = [50.0 + 3.5 * i for i in range(20)]
    frame = pd.DataFrame({"面积": areas, "房型": ["一室", "两室", "三室", "两室"] * 5,
                          "价格": [2.1 * a + 0.3 * (i % 3) for i, a in enumerate(areas)]})
    frame.to_excel(path, index=False)
    config = inspect_source(path, target="价格")
    assert config.source.format == "excel"
    assert {c.name: c.type for c in config.columns} == {"面积": "numeric", "房型": "categorical", "价格": "numeric"}
    prepared = prepare(config)
    assert prepared.info.input_shape == (4,)
    assert prepared.info.task == "regression"
    labels, _ = prepared.preprocessor.decode(prepared.train.targets)  # back in the sheet's units
    assert min(labels) >= 2.1 * 50 - 1e-3 and max(labels) <= 2.1 * areas[-1] + 1


def test_parquet(tmp_path):
    path = tmp_path / "rows.parquet"
    pd.DataFrame({"a": range(50), "b": [x * 0.5 for x in range(50)], "y": [i % 3 for i in range(50)]}).to_parquet(path)
    config = inspect_source(path, target="y")
    assert config.source.format == "parquet"
    prepared = prepare(config)
    assert prepared.info.task == "classification" and prepared.info.n_outputs == 3
    assert sum(prepared.sizes.values()) == 50


def test_json_lines_with_booleans():
    config = inspect_source(DATA / "records.jsonl")
    assert config.source.format == "jsonl"
    assert config.column("kind").role == "target"
    assert config.column("flag").type == "boolean"
    prepared = prepare(config)
    assert prepared.info.task == "binary"
    assert prepared.info.class_names == ("down", "up")


def test_image_folder_skips_a_corrupt_image_and_names_it(tmp_path):
    root = make_image_folder(tmp_path / "pets")
    config = inspect_source(root)
    assert config.source.kind == "image_folder"
    assert config.image.channels == 3  # some images are colour, so all become RGB
    prepared = prepare(config)
    assert any("broken.png" in w for w in prepared.warnings)
    assert sum(prepared.sizes.values()) == 12
    assert prepared.info.input_kind == "image" and prepared.info.input_shape == (3, *config.image.size)
    assert prepared.info.class_names == ("cats", "dogs")
    images, targets = prepared.train.batch(prepared.train.epoch_order(0, 0, False))
    assert images.dtype.is_floating_point and abs(float(images.mean())) < 0.5


def test_reviews_csv_is_a_text_classification_dataset():
    config = inspect_source(DATA / "reviews.csv")
    assert config.column("review").type == "text" and config.column("review").role == "feature"
    assert config.text is not None and config.text.level == "word"
    prepared = prepare(config)
    assert prepared.info.input_kind == "tokens" and prepared.info.task == "binary"
    tokens, _ = prepared.train.batch(prepared.train.epoch_order(0, 0, False)[:2])
    assert tokens.dtype.is_floating_point is False and tokens.shape == (2, config.text.seq_len)
    assert prepared.info.vocab_size == prepared.preprocessor.tokenizer.vocab_size


def test_plain_text_file_is_a_language_model_source():
    config = inspect_source(DATA / "hamlet.txt")
    assert config.source.kind == "text" and config.task == "language-model"
    config.text.seq_len = 16
    prepared = prepare(config)
    assert prepared.info.task == "language-model" and prepared.info.n_outputs == prepared.info.vocab_size
    x, y = prepared.train.batch(prepared.train.epoch_order(0, 1, True)[:3])
    assert x.shape == y.shape == (3, 16)
    assert (x[:, 1:] == y[:, :-1]).all()  # targets are the inputs shifted by one token
    text = prepared.preprocessor.decode_tokens(x[0])
    assert text in (DATA / "hamlet.txt").read_text(encoding="utf-8")


def test_keras_seed_source_is_learnable_and_reproducible():
    from app.core.data import synthetic_config

    a, b = prepare(synthetic_config(seed=3)), prepare(synthetic_config(seed=3))
    x, y = a.train.batch(a.train.epoch_order(0, 0, False))
    assert x.shape == (800, 2) and y.shape == (800, 1)
    assert ((x.sum(1) > 1).float() == y[:, 0]).all()
    assert a.train.inputs.equal(b.train.inputs)
    assert not prepare(synthetic_config(seed=4)).train.inputs.equal(a.train.inputs)


def test_config_from_inspection_round_trips_through_json():
    config = inspect_source(DATA / "chinese_bom_semicolon.csv")
    again = DataConfig.from_dict(json.loads(json.dumps(config.to_dict(), ensure_ascii=False)))
    assert again == config


def test_progress_is_reported_and_cancel_stops_reading(tmp_path):
    path = tmp_path / "rows.csv"
    pd.DataFrame({"a": range(200_000), "b": range(200_000)}).to_csv(path, index=False)
    seen = []
    read_table(path, progress=lambda f, m: seen.append(f))
    assert seen and seen == sorted(seen) and max(seen) > 0.5

    def stop(fraction, message):
        if fraction > 0.1:
            raise Cancelled()

    with pytest.raises(Cancelled):
        read_table(path, progress=stop)
    job = Progress()
    job.cancel()
    with pytest.raises(Cancelled):
        read_table(path, progress=job)
