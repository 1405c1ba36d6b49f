"""Exports load in their own clients: an hf classifier with AutoModelForSequenceClassification and
pipeline (same labels and probabilities as predict), an hf language model with AutoModelForCausalLM
(same greedy tokens as Modelwright), and every folder's requirements.txt lists exactly what its code imports."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
import torch

from app.core.export import export_run
from app.core.export.errors import ExportError
from app.core.finetune import create_finetune_project
from tests.core.test_finetune_support import corpus_text, sentiment_csv, sentiment_rows, tiny_bert, tiny_gpt2

TRAINING = {"epochs": 4, "batch_size": 16, "threads": 1, "optimizer": {"lr": 1e-2},
            "checkpoint": {"epoch_min_seconds": 60.0}}
#: import name -> the distribution requirements.txt names
DISTRIBUTIONS = {"PIL": "pillow"}


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clients")


@pytest.fixture(scope="module")
def bert(work) -> Path:
    return tiny_bert(work / "tiny-bert")


def _classifier(work: Path, bert: Path, name: str, **options) -> Path:
    from app.core.train.api import train_project

    data = sentiment_csv(work / f"{name}.csv", n=120)
    project = work / f"{name}.mwproj"
    create_finetune_project("finetune-text", base=str(bert), data=data, target="sentiment", out=project,
                            seq_len=16, training=TRAINING, options={"lr_scale": 1.0, **options})
    return train_project(project, out=work / f"run-{name}")


@pytest.fixture(scope="module")
def classifier_run(work, bert) -> Path:
    return _classifier(work, bert, "native")


@pytest.fixture(scope="module")
def new_reviews(work) -> Path:
    path = work / "new-reviews.csv"
    pd.DataFrame({"review": [t for t, _ in sentiment_rows(60, seed=7)]}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def app_predictions(classifier_run, new_reviews, work) -> pd.DataFrame:
    from app.core.train.api import predict_run

    return pd.read_csv(predict_run(classifier_run, new_reviews, work / "app-predictions.csv"))


@pytest.fixture(scope="module")
def hf_folder(classifier_run, work) -> Path:
    result = export_run(classifier_run, "hf", work / "hf")
    assert result.parity.passed and "AutoModelForSequenceClassification" in result.parity.backend
    return result.path


def test_new_text_classifiers_train_the_bases_native_pooler_head(classifier_run):
    from app.core.project import load_project

    node = load_project(classifier_run / "project.mwproj").graph.node("encoder")
    assert node.params["pooling"] == "pooler"


def test_auto_model_for_sequence_classification_loads_every_weight_and_gives_predicts_probabilities(
        hf_folder, new_reviews, app_predictions):
    import transformers

    model, loading = transformers.AutoModelForSequenceClassification.from_pretrained(
        str(hf_folder), trust_remote_code=False, output_loading_info=True)
    assert not loading["missing_keys"] and not loading["unexpected_keys"], loading
    assert model.config.id2label == {0: "negative", 1: "positive"}
    assert model.config.label2id == {"negative": 0, "positive": 1}
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(hf_folder))
    texts = pd.read_csv(new_reviews)["review"].tolist()
    batch = tokenizer(texts, padding=True, truncation=True, max_length=16, return_tensors="pt")
    with torch.no_grad():
        probabilities = model.eval()(**batch).logits.softmax(-1).numpy()
    labels = [model.config.id2label[i] for i in probabilities.argmax(1)]
    assert labels == app_predictions["prediction"].tolist()
    expected = app_predictions[["prob_negative", "prob_positive"]].to_numpy()
    assert abs(probabilities - expected).max() < 1e-4
    assert len(set(labels)) == 2  # a trained head, not a constant guess


def test_the_text_classification_pipeline_gives_predicts_labels_and_probabilities(
        hf_folder, new_reviews, app_predictions):
    import transformers

    classifier = transformers.pipeline("text-classification", model=str(hf_folder), trust_remote_code=False)
    texts = pd.read_csv(new_reviews)["review"].tolist()
    answers = classifier(texts, top_k=None, truncation=True, max_length=16)
    best = [max(a, key=lambda s: s["score"]) for a in answers]
    assert [b["label"] for b in best] == app_predictions["prediction"].tolist()
    positive = [next(s["score"] for s in a if s["label"] == "positive") for a in answers]
    assert abs(pd.Series(positive) - app_predictions["prob_positive"]).max() < 1e-4


def test_the_model_cards_snippet_runs_and_prints_labels(hf_folder, monkeypatch, capsys):
    monkeypatch.chdir(hf_folder)
    exec(compile(_usage_code(hf_folder), "README.md", "exec"), {})
    assert re.search(r"'label': '(positive|negative)'", capsys.readouterr().out)


def test_a_run_trained_with_mean_pooling_is_refused_as_hf_with_what_to_do(work, bert, capsys):
    from app.cli import main

    run = _classifier(work, bert, "mean", pooling="mean")
    with pytest.raises(ExportError, match="mean pooling.*re-train"):
        export_run(run, "hf", work / "hf-mean")
    capsys.readouterr()
    assert main(["export", str(run), "--format", "hf", "--out", str(work / "hf-mean")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "re-train" in err[0] and "unexpected" not in err[0]
    assert not (work / "hf-mean").exists()
    assert export_run(run, "safetensors", work / "st-mean").parity.passed  # other formats still take it


def test_a_base_without_a_native_pooler_head_keeps_mean_pooling_and_is_refused_as_hf(work):
    from app.core.graph.shapes import infer_shapes
    from app.core.project import load_project

    distil = tiny_bert(work / "tiny-distilbert", model_type="distilbert")
    run = _classifier(work, distil, "distil")
    graph = load_project(run / "project.mwproj").graph
    assert graph.node("encoder").params["pooling"] == "mean"
    with pytest.raises(ExportError, match="no sequence-classification class for the 'distilbert' base"):
        export_run(run, "hf", work / "hf-distil")
    graph.node("encoder").params["pooling"] = "pooler"  # the designer says why at once
    assert "has no pooler for 'pooler' pooling" in infer_shapes(graph)["encoder"].error


def test_a_text_regressor_exports_with_its_values_in_the_datas_units(work, bert, new_reviews):
    import transformers

    from app.core.train.api import predict_run, train_project

    rows = sentiment_rows(120, seed=3)
    data = work / "scores.csv"
    pd.DataFrame({"review": [t for t, _ in rows],
                  "stars": [4.5 if label == "positive" else 1.5 for _, label in rows]}).to_csv(data, index=False)
    create_finetune_project("finetune-text", base=str(bert), data=data, target="stars", out=work / "scores.mwproj",
                            task="regression", seq_len=16, training=TRAINING, options={"lr_scale": 1.0})
    run = train_project(work / "scores.mwproj", out=work / "run-scores")
    folder = export_run(run, "hf", work / "hf-scores").path
    model = transformers.AutoModelForSequenceClassification.from_pretrained(str(folder), trust_remote_code=False)
    assert model.config.problem_type == "regression" and model.config.id2label == {0: "stars"}
    texts = pd.read_csv(new_reviews)["review"].tolist()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder), trust_remote_code=False)
    with torch.no_grad():
        values = model.eval()(**tokenizer(texts, padding=True, return_tensors="pt")).logits[:, 0].numpy()
    expected = pd.read_csv(predict_run(run, new_reviews, work / "scores-app.csv"))["prediction"].to_numpy()
    assert abs(values - expected).max() < 1e-4 and values.std() > 0.1


def test_a_fine_tuned_gpt2_generates_the_same_greedy_tokens_with_auto_model_for_causal_lm(work):
    import transformers

    from app.core.lm.generate import load_generator
    from app.core.train.api import train_project

    base = tiny_gpt2(work / "tiny-gpt2")
    text = corpus_text(work / "corpus.txt")
    create_finetune_project("finetune-lm", base=str(base), data=text, target=None, out=work / "lm.mwproj",
                            seq_len=32, training={"steps": 12, "batch_size": 8, "threads": 1, "optimizer": {"lr": 5e-3}})
    run = train_project(work / "lm.mwproj", out=work / "run-lm")
    result = export_run(run, "hf", work / "hf-lm")
    assert result.parity.passed and "AutoModelForCausalLM" in result.parity.backend
    ours = load_generator(run).generate("The quick brown", 12, temperature=0, stop_at_end=True)
    model = transformers.AutoModelForCausalLM.from_pretrained(str(result.path), trust_remote_code=False).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(result.path))
    prompt = tokenizer("The quick brown", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        out = model.generate(prompt, max_new_tokens=12, do_sample=False, pad_token_id=model.config.eos_token_id)
    theirs = out[0, prompt.shape[1]:].tolist()
    if theirs and theirs[-1] == model.config.eos_token_id:
        theirs = theirs[:-1]
    assert ours.new_token_ids == theirs and len(theirs) > 0


# --- requirements.txt against the code in the folder ----------------------------------------------


def _usage_code(folder: Path) -> str:
    """The Python block of the model card's 'Using the export' section."""
    card = (folder / "README.md").read_text(encoding="utf-8")
    section = card.split("## Using the export", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "the model card shows no Python for this format"
    return "\n".join(blocks)


def _imports(sources: list[str], local: set[str]) -> set[str]:
    names = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in local and n != "__future__"}


def _requirements(folder: Path) -> set[str]:
    names = set()
    for line in (folder / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name = re.match(r"[A-Za-z0-9_.-]+", line).group(0).lower()
            assert re.search(r">=[\d.]+,<[\d.]+", line), f"'{line}' is not a compatible range"
            names.add(name)
    return names


def check_requirements_match_the_code(folder: Path) -> set[str]:
    py = sorted(folder.glob("*.py"))
    sources = [p.read_text(encoding="utf-8") for p in py] or [_usage_code(folder)]
    imported = _imports(sources, {p.stem for p in py})
    assert {DISTRIBUTIONS.get(n, n).lower() for n in imported} == _requirements(folder), folder.name
    return imported


@pytest.fixture(scope="module")
def table_run() -> Path:
    from tests.core.test_export_runs import trained_run

    return trained_run("mlp")


def test_hf_folders_list_what_their_snippet_imports(hf_folder):
    assert check_requirements_match_the_code(hf_folder) == {"torch", "transformers"}


@pytest.mark.parametrize("fmt, needs", [("pytorch", {"numpy", "pandas", "torch", "safetensors"}),
                                        ("torchscript", {"numpy", "pandas", "torch"}),
                                        ("onnx", {"numpy", "pandas", "onnxruntime"}),
                                        ("safetensors", {"safetensors", "torch"})])
def test_every_table_export_lists_exactly_what_its_code_imports(table_run, work, fmt, needs):
    folder = export_run(table_run, fmt, work / f"table-{fmt}").path
    assert check_requirements_match_the_code(folder) == needs
    assert "onnxruntime" not in (folder / "requirements.txt").read_text() or fmt == "onnx"


def test_a_text_classifiers_predict_py_needs_the_tokenizers_package(classifier_run, work):
    folder = export_run(classifier_run, "torchscript", work / "text-torchscript").path
    assert check_requirements_match_the_code(folder) == {"numpy", "pandas", "torch", "tokenizers"}


# --- a fresh environment per format: only requirements.txt installed ------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _fresh_venv(folder: Path, where: Path) -> Path:
    """A new venv (no system site-packages, no Modelwright) with only the folder's requirements.txt."""
    import subprocess

    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=300)
    python = where / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(folder / "requirements.txt"),
                           "-c", str(ROOT / "constraints.txt")], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return python


def _run_in(python: Path, args: list[str], cwd: Path):
    import subprocess

    done = subprocess.run([str(python), "-I", *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("fmt, which", [("pytorch", "table"), ("onnx", "table"), ("torchscript", "text"),
                                        ("safetensors", "table"), ("hf", "text")])
def test_each_export_runs_in_a_fresh_venv_with_only_its_requirements(request, work, table_run, classifier_run,
                                                                     new_reviews, app_predictions, fmt, which):
    """Minutes per format (each venv installs torch or onnxruntime): run with ``pytest -m slow``."""
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("builds a fresh venv per format (several minutes); run with -m slow")
    from app.core.train.api import predict_run

    run = table_run if which == "table" else classifier_run
    folder = export_run(run, fmt, work / f"venv-{fmt}-{which}").path
    python = _fresh_venv(folder, work / f"venv-{fmt}")
    _run_in(python, ["-c", "import importlib.util, sys; sys.exit(importlib.util.find_spec('app') is not None)"], folder)
    if (folder / "predict.py").exists():
        source = new_reviews if which == "text" else ROOT / "resources" / "examples" / "iris" / "iris.csv"
        out = work / f"venv-{fmt}-predictions.csv"
        _run_in(python, [str(folder / "predict.py"), str(source), str(out)], work)
        expected = app_predictions if which == "text" else pd.read_csv(
            predict_run(run, source, work / f"venv-{fmt}-app.csv"))
        got = pd.read_csv(out)
        assert got["prediction"].tolist() == expected["prediction"].tolist()
        probs = [c for c in expected.columns if c.startswith("prob_")]
        assert probs and abs(got[probs].to_numpy() - expected[probs].to_numpy()).max() < 1e-4
    else:
        printed = _run_in(python, ["-c", _usage_code(folder)], folder)
        if fmt == "hf":
            assert re.search(r"'label': '(positive|negative)'", printed)
