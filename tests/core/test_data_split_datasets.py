"""Splits and epoch orders are reproducible from their seeds; augmentation from (seed, step)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from app.core.data import DataError, TensorSplit, TokenStreamSplit, TrainingSplit, prepare
from app.core.data.augment import augment_batch
from app.core.data.config import AugmentationConfig, SplitConfig
from app.core.data.datasets import ImageSplit
from app.core.data.split import split_rows


def test_same_seed_same_split_and_parts_cover_every_row_once():
    config = SplitConfig(method="random", ratios={"train": 0.7, "val": 0.2, "test": 0.1}, seed=5)
    a, b = split_rows(101, config), split_rows(101, config)
    for k in a:
        assert np.array_equal(a[k], b[k])
    assert sorted(np.concatenate(list(a.values())).tolist()) == list(range(101))
    assert [len(a[k]) for k in ("train", "val", "test")] == [71, 20, 10]
    other = split_rows(101, SplitConfig(method="random", ratios=config.ratios, seed=6))
    assert not np.array_equal(a["train"], other["train"])


def test_stratified_split_keeps_rare_classes_in_every_part():
    labels = np.array(["common"] * 90 + ["rare"] * 10)
    parts = split_rows(100, SplitConfig(method="stratified", ratios={"train": 0.8, "val": 0.1, "test": 0.1}, seed=0), labels=labels)
    for k, rows in parts.items():
        assert "rare" in set(labels[rows]), k
    assert (labels[parts["val"]] == "rare").sum() == 1


def test_split_by_column(tmp_path):
    path = tmp_path / "s.csv"
    pd.DataFrame({"x": range(12), "y": ["a", "b"] * 6, "set": ["train"] * 8 + ["Validation"] * 2 + ["test"] * 2}).to_csv(path, index=False)
    config = {"source": {"kind": "table", "path": str(path)},
              "columns": [{"name": "x", "type": "numeric", "role": "feature"},
                          {"name": "y", "type": "categorical", "role": "target"},
                          {"name": "set", "type": "categorical", "role": "ignore"}],
              "split": {"method": "column", "column": "set"}}
    prepared = prepare(config)
    assert prepared.sizes == {"train": 8, "val": 2, "test": 2}
    assert prepared.test.inputs[:, 0].tolist() == pytest.approx(prepared.preprocessor.transform_frame(pd.DataFrame({"x": [10, 11]}))[:, 0].tolist())
    frame = pd.read_csv(path)
    frame.loc[3, "set"] = "holdout"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="'holdout' in row 4"):
        prepare(config)


def test_tensor_split_epoch_order_is_deterministic_and_a_permutation():
    split = TensorSplit(torch.arange(50.0)[:, None], torch.arange(50))
    assert isinstance(split, TrainingSplit)
    first = split.epoch_order(3, seed=11, shuffle=True)
    assert torch.equal(first, split.epoch_order(3, seed=11, shuffle=True))
    assert not torch.equal(first, split.epoch_order(4, seed=11, shuffle=True))
    assert sorted(first.tolist()) == list(range(50))
    torch.manual_seed(0)
    torch.rand(3)  # the global RNG has no influence
    assert torch.equal(first, split.epoch_order(3, seed=11, shuffle=True))
    assert split.epoch_order(0, 1, shuffle=False).tolist() == list(range(50))
    x, y = split.batch(first[:5])
    assert x[:, 0].long().tolist() == y.tolist() == first[:5].tolist()


def test_token_stream_windows():
    stream = torch.arange(1000)
    split = TokenStreamSplit(stream, seq_len=10, windows_per_epoch=30)
    assert len(split) == 30
    order = split.epoch_order(0, seed=2, shuffle=True)
    assert torch.equal(order, split.epoch_order(0, seed=2, shuffle=True)) and len(order) == 30
    x, y = split.batch(order[:4])
    assert x.shape == y.shape == (4, 10) and torch.equal(x + 1, y)
    assert int(order.max()) + 10 < 1000
    val = TokenStreamSplit(stream[:95], seq_len=10)
    starts = val.epoch_order(0, seed=0, shuffle=False)
    assert starts.tolist() == [0, 10, 20, 30, 40, 50, 60, 70, 80] and len(val) == 9


def test_language_model_split_is_contiguous_and_seq_len_is_checked(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("abcdefghij" * 30, encoding="utf-8")
    config = {"source": {"kind": "text", "path": str(path)}, "task": "language-model",
              "text": {"level": "char", "seq_len": 8, "windows_per_epoch": 17},
              "split": {"method": "random", "ratios": {"train": 0.9, "val": 0.1, "test": 0.0}}}
    prepared = prepare(config)
    assert prepared.sizes == {"train": 270, "val": 30, "test": 0} and len(prepared.train) == 17
    assert prepared.test is None
    config["text"]["seq_len"] = 40
    with pytest.raises(DataError, match="val part.*fewer than one window"):
        prepare(config)


def test_augmentation_is_deterministic_per_step_and_changes_images():
    images = torch.randint(0, 256, (8, 3, 16, 16), dtype=torch.uint8)
    aug = AugmentationConfig(flip=True, crop=2, rotation=15, color_jitter=0.2)
    split = ImageSplit(images, torch.zeros(8, dtype=torch.long), [0.5] * 3, [0.25] * 3, aug)
    idx = torch.arange(8)
    a, _ = split.batch(idx, train=True, seed=1, step=5)
    b, _ = split.batch(idx, train=True, seed=1, step=5)
    c, _ = split.batch(idx, train=True, seed=1, step=6)
    plain, _ = split.batch(idx)
    assert torch.equal(a, b) and not torch.equal(a, c) and not torch.equal(a, plain)
    assert torch.allclose(plain, (images.float() / 255 - 0.5) / 0.25)
    evaluation, _ = split.batch(idx, train=False, seed=1, step=5)
    assert torch.equal(evaluation, plain)  # no augmentation outside training


def test_each_augmentation_keeps_shape_and_range():
    gen = torch.Generator().manual_seed(0)
    images = torch.rand(4, 1, 10, 12)
    for options in (AugmentationConfig(flip=True), AugmentationConfig(crop=3), AugmentationConfig(rotation=30),
                    AugmentationConfig(color_jitter=0.5)):
        out = augment_batch(images, options, gen)
        assert out.shape == images.shape and float(out.min()) >= 0 and float(out.max()) <= 1
    flipped = augment_batch(images, AugmentationConfig(flip=True), torch.Generator().manual_seed(1))
    for i in range(4):
        assert torch.equal(flipped[i], images[i]) or torch.equal(flipped[i], images[i].flip(-1))
    cropped = augment_batch(images, AugmentationConfig(crop=2), torch.Generator().manual_seed(3))
    assert not torch.equal(cropped, images)
