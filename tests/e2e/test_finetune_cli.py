"""The fine-tuning commands as a user types them: new --base with local folders, then train,
evaluate, predict and export like any project."""

from __future__ import annotations

import json

import pytest

from tests.core.test_finetune_support import corpus_text, sentiment_csv, tiny_bert, tiny_gpt2


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("ft-cli")
    return root, tiny_bert(root / "bert"), tiny_gpt2(root / "gpt2")


def test_finetune_text_on_a_local_bert_folder(folders, main_py):
    root, bert, _ = folders
    data = sentiment_csv(root / "reviews.csv", n=120)
    project = root / "reviews.mwproj"
    made = main_py("new", "--template", "finetune-text", "--base", bert, "--data", data, "--target", "sentiment",
                   "--out", project)
    assert made.returncode == 0, made.stderr
    raw = json.loads(project.read_text(encoding="utf-8"))
    assert raw["finetune"]["base"] == str(bert) and raw["graph"]["nodes"][1]["type"] == "pretrained.text_encoder"
    run = root / "run"
    trained = main_py("train", project, "--epochs", "2", "--out", run)
    assert trained.returncode == 0, trained.stderr
    scores = main_py("evaluate", run)
    assert scores.returncode == 0 and "accuracy" in json.loads(scores.stdout)
    exported = main_py("export", run, "--format", "hf", "--out", root / "hf")
    assert exported.returncode == 0, exported.stderr
    assert "Parity check passed" in exported.stdout
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in (root / "hf").iterdir()}
    config = json.loads((root / "hf" / "config.json").read_text(encoding="utf-8"))
    assert config["architectures"] == ["BertForSequenceClassification"] and config["label2id"] == {"negative": 0,
                                                                                                  "positive": 1}


def test_finetune_lm_on_a_local_gpt2_folder(folders, main_py):
    root, _, gpt2 = folders
    text = corpus_text(root / "corpus.txt")
    project = root / "lm.mwproj"
    made = main_py("new", "--template", "finetune-lm", "--base", gpt2, "--data", text, "--out", project)
    assert made.returncode == 0, made.stderr
    run = root / "lm-run"
    assert main_py("train", project, "--steps", "6", "--batch-size", "4", "--out", run).returncode == 0
    generated = main_py("generate", run, "--prompt", "the", "--tokens", "12", "--seed", "1")
    assert generated.returncode == 0, generated.stderr
    assert generated.stdout.strip().startswith("the") and len(generated.stdout.strip()) > len("the")
    exported = main_py("export", run, "--format", "hf", "--out", root / "lm-hf")
    assert exported.returncode == 0, exported.stderr


def test_bad_bases_end_in_one_line_errors(folders, main_py):
    root, _, gpt2 = folders
    data = sentiment_csv(root / "r2.csv", n=40)
    missing = main_py("new", "--template", "finetune-text", "--base", root / "nowhere", "--data", data,
                      "--target", "sentiment", "--out", root / "x.mwproj")
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    scratch = main_py("new", "--template", "mlp", "--base", gpt2, "--data", data, "--target", "sentiment",
                      "--out", root / "y.mwproj")
    assert scratch.returncode == 1 and "does not take --base" in scratch.stderr
    assert not (root / "x.mwproj").exists() and not (root / "y.mwproj").exists()
