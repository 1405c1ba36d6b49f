"""The data section round-trips through JSON for every kind of source, and fitted state is plain JSON."""

from __future__ import annotations

import json

import pytest

from app.core.data import DataConfig, Preprocessor, inspect_source, prepare, synthetic_config
from tests.core.data_helpers import DATA, make_image_folder


def _sources(tmp_path):
    return {
        "csv": inspect_source(DATA / "chinese_gbk.csv"),
        "image folder": inspect_source(make_image_folder(tmp_path / "pets")),
        "text csv": inspect_source(DATA / "reviews.csv"),
        "language model": inspect_source(DATA / "hamlet.txt"),
        "keras-seed": synthetic_config(),
    }


def test_every_kind_round_trips_and_prepares_from_its_json(tmp_path):
    for name, config in _sources(tmp_path).items():
        d = json.loads(json.dumps(config.to_dict(), ensure_ascii=False))
        again = DataConfig.from_dict(d)
        assert again == config, name
        prepared = prepare(d)
        state = json.loads(json.dumps(prepared.preprocessor.to_dict(), allow_nan=False, ensure_ascii=False))
        restored = Preprocessor.from_dict(state)
        assert restored.info == prepared.info, name
        assert restored.to_dict() == state, name


def test_a_synthetic_source_alone_is_a_complete_data_section():
    config = DataConfig.from_dict({"source": {"kind": "synthetic", "generator": "keras-seed", "n_samples": 200, "seed": 7}})
    assert [c.name for c in config.columns] == ["x1", "x2", "y"] and config.task == "binary"
    prepared = prepare(config)
    assert prepared.sizes == {"train": 160, "val": 40, "test": 0}


def test_image_folder_config_sets_size_channels_and_augmentation(tmp_path):
    config = inspect_source(make_image_folder(tmp_path / "pets"))
    d = config.to_dict()
    d["image"].update(size=[8, 10], channels=1, augmentation={"flip": True, "crop": 1, "rotation": 5.0, "color_jitter": 0.1})
    prepared = prepare(d)
    assert prepared.info.input_shape == (1, 8, 10)
    a, _ = prepared.train.batch(prepared.train.epoch_order(0, 0, False), train=True, seed=0, step=0)
    b, _ = prepared.train.batch(prepared.train.epoch_order(0, 0, False))
    assert a.shape == b.shape and not a.equal(b)


def test_newer_or_foreign_preprocessor_files_are_refused():
    from app.core.data import DataError

    state = prepare(synthetic_config(n_samples=50)).preprocessor.to_dict()
    with pytest.raises(DataError, match="newer Modelwright"):
        Preprocessor.from_dict({**state, "version": 99})
    with pytest.raises(DataError, match="not a Modelwright preprocessor"):
        Preprocessor.from_dict({"kind": "table"})
