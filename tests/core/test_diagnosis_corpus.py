"""The learning-curve diagnosis measured against a labelled corpus of real trainings
(tests/data/diagnosis, rebuilt by benchmarks/diagnosis_corpus.py): each finding must agree
with what a practitioner says about the curve, overfitting must name the epoch where it
began, and a run that fits perfectly is never called underfitting."""

from __future__ import annotations

import math

import pytest

from benchmarks.diagnosis_confusion import load_corpus, score

NAMED_OVERFITTING = ("residual_3000", "iris_400", "breast_cancer_200", "diabetes_200")
PERFECT = ("blobs3_perfect_30", "shapes_cnn_20")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def result(corpus):
    return score(corpus)


def test_the_corpus_holds_enough_labelled_real_curves(corpus):
    real = [c for c in corpus if c.label["source"] != "synthetic"]
    assert len(corpus) >= 60 and len(real) >= 55
    names = {c.name for c in corpus}
    assert set(NAMED_OVERFITTING) | set(PERFECT) <= names
    for c in corpus:
        assert c.rows and "train_loss" in c.rows[0], c.name
        if "overfitting" in c.expected:
            low, high = c.label["onset"]
            assert 1 <= low <= high <= len(c.rows), c.name


@pytest.mark.parametrize("kind", ["overfitting", "divergence", "underfitting"])
def test_precision_and_recall_per_finding(result, kind):
    s = result["per_kind"][kind]
    wrong = {name: [f.kind for f in found] for name, found in result["found"].items()}
    assert s["tp"] + s["fn"] >= 5, f"too few {kind} curves to measure"
    assert s["precision"] >= 0.9, (kind, s, wrong)
    assert s["recall"] >= 0.8, (kind, s, wrong)


def test_healthy_runs_mostly_get_no_finding(result, corpus):
    clean, total = result["healthy"]
    said = {c.name: [f.kind for f in result["found"][c.name]] for c in corpus if not c.expected}
    assert total >= 15 and clean >= 0.9 * total, said


@pytest.mark.parametrize("name", NAMED_OVERFITTING)
def test_the_named_overfitting_runs_are_caught_with_their_onset(result, corpus, name):
    curve = next(c for c in corpus if c.name == name)
    val = [r["val_loss"] for r in curve.rows]
    assert max(val[-10:]) > 1.5 * min(val), "the stored curve is the textbook case"
    finding = next((f for f in result["found"][name] if f.kind == "overfitting"), None)
    assert finding is not None, [f.kind for f in result["found"][name]]
    low, high = curve.label["onset"]
    assert low <= finding.epoch <= high
    assert f"epoch {int(finding.epoch)}" in finding.explanation
    assert finding.fixes[0].label == f"Stop early (keep the best, epoch {int(finding.epoch)})"
    assert "noisy" not in [f.kind for f in result["found"][name]]


def test_every_overfitting_onset_is_where_the_practitioner_puts_it(result, corpus):
    for c in corpus:
        if "overfitting" in c.expected and c.label.get("onset"):
            found = [f for f in result["found"][c.name] if f.kind == "overfitting"]
            if found:
                low, high = c.label["onset"]
                assert low <= found[0].epoch <= high, (c.name, found[0].epoch, c.label["onset"])


def test_perfect_fits_are_never_underfitting(result, corpus):
    perfect = [c for c in corpus
               if (c.rows[-1].get("val_accuracy", 0) >= 0.99
                   or (math.isfinite(c.rows[-1]["train_loss"]) and c.rows[-1]["train_loss"] < 1e-3))]
    assert {c.name for c in perfect} >= set(PERFECT)
    for c in perfect:
        kinds = [f.kind for f in result["found"][c.name]]
        assert "underfitting" not in kinds and "plateau" not in kinds, (c.name, kinds)
    for name in PERFECT:
        assert result["found"][name] == [], name


def test_every_fix_on_the_corpus_is_a_setting_the_engine_accepts(result, corpus):
    from app.core.experiments.diagnosis import fix_changes_training
    from app.core.train.config import TrainConfig

    for c in corpus:
        training = {k: v for k, v in c.label["training"].items() if v is not None}
        for finding in result["found"][c.name]:
            for fix in finding.fixes:
                TrainConfig.from_dict(fix_changes_training(fix.changes, training))
