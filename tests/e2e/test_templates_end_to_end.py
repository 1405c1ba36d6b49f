"""From a data file to a checked (and, where cheap, trained) project, through ``main.py``.

These are the journeys a user takes first: ``new`` on the data they have, ``validate``,
``train``, ``evaluate``. Each runs the real CLI in a subprocess.
"""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw

from tests.e2e.conftest import run_main

DATA = Path(__file__).resolve().parents[1] / "data"


def new_and_validate(tmp_path, template, data=None, target=None, name="p"):
    out = tmp_path / f"{name}.mwproj"
    args = ["new", "--template", template, "--out", out]
    if data is not None:
        args += ["--data", data]
    if target is not None:
        args += ["--target", target]
    created = run_main(*args, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    checked = run_main("validate", out, "--json", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    return out, json.loads(checked.stdout), created


def output_shape(table):
    return table["layers"][-1]["output_shape"]


@pytest.fixture(scope="module")
def chinese_frame():
    return pd.read_csv(DATA / "chinese_bom_semicolon.csv", sep=";", encoding="utf-8-sig")


@pytest.mark.parametrize("kind", ["bom-semicolon", "gbk", "xlsx", "parquet"])
def test_mlp_on_chinese_tables_in_every_format(tmp_path, chinese_frame, kind):
    if kind == "bom-semicolon":
        data = DATA / "chinese_bom_semicolon.csv"
    elif kind == "gbk":
        data = DATA / "chinese_gbk.csv"
    elif kind == "xlsx":
        data = tmp_path / "表格.xlsx"
        chinese_frame.to_excel(data, index=False)
    else:
        data = tmp_path / "table.parquet"
        chinese_frame.to_parquet(data)
    _, table, _ = new_and_validate(tmp_path, "mlp", data, target="类别")
    assert output_shape(table) == "(B, 3)"  # three classes: 甲, 乙, 丙


def draw_shapes(folder: Path, per_class: int, size: int = 24, seed: int = 0) -> None:
    """Circles, squares and triangles of random size and place, on a noisy background."""
    rng = np.random.default_rng(seed)
    for label in ("circle", "square", "triangle"):
        (folder / label).mkdir(parents=True)
        for i in range(per_class):
            noise = rng.integers(0, 60, (size, size), dtype=np.uint8)
            image = Image.fromarray(noise, mode="L").convert("RGB")
            draw = ImageDraw.Draw(image)
            r = int(rng.integers(5, 9))
            cx, cy = (int(v) for v in rng.integers(r + 1, size - r - 1, 2))
            colour = tuple(int(c) for c in rng.integers(150, 256, 3))
            if label == "circle":
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
            elif label == "square":
                draw.rectangle([cx - r, cy - r, cx + r, cy + r], fill=colour)
            else:
                draw.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], fill=colour)
            image.save(folder / label / f"{label}_{i:03d}.png")


def test_cnn_learns_generated_shapes_despite_a_corrupt_image(tmp_path):
    folder = tmp_path / "shapes"
    draw_shapes(folder, per_class=80)
    (folder / "circle" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n this is not an image")
    project, table, created = new_and_validate(tmp_path, "cnn", folder)
    assert "broken.png" in created.stderr  # the user is told which file was skipped
    assert output_shape(table) == "(B, 3)"

    trained = run_main("train", project, "--epochs", "12", "--out", tmp_path / "run", cwd=tmp_path, timeout=600)
    assert trained.returncode == 0, trained.stderr
    metrics = json.loads(run_main("evaluate", tmp_path / "run", cwd=tmp_path).stdout)
    assert metrics["accuracy"] > 0.85, metrics


@pytest.mark.parametrize("template", ["transformer-text", "lstm-text"])
def test_text_classifiers_from_a_reviews_csv(tmp_path, template):
    shutil.copy(DATA / "reviews.csv", tmp_path / "reviews.csv")
    _, table, _ = new_and_validate(tmp_path, template, tmp_path / "reviews.csv", target="sentiment")
    assert output_shape(table) in ("(B, 2)", "(B, 1)")


def test_gpt_from_a_text_file(tmp_path):
    _, table, _ = new_and_validate(tmp_path, "gpt", DATA / "hamlet.txt")
    shape = output_shape(table)
    assert "B" in str(shape) and len(table["layers"]) >= 6


def test_keras_seed_trains_to_a_real_result_headless(tmp_path):
    project, table, _ = new_and_validate(tmp_path, "keras-seed")
    assert table["total_params"] == 13  # Dense(3) on 2 inputs + Dense(1): 9 + 4
    trained = run_main("train", project, "--out", tmp_path / "run", cwd=tmp_path, timeout=600)
    assert trained.returncode == 0, trained.stderr
    assert "epoch 200/200" in trained.stdout
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["status"] == "completed"
    assert summary["final"]["val_accuracy"] > 0.9


def test_wrong_data_for_a_template_is_a_one_line_error(tmp_path):
    result = run_main(
        "new", "--template", "cnn", "--data", DATA / "numeric.csv", "--out", tmp_path / "x.mwproj", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "image" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.mwproj").exists()
