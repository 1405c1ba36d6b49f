"""How well the learning-curve diagnosis agrees with a practitioner on the labelled corpus
in ``tests/data/diagnosis`` (built by ``benchmarks/diagnosis_corpus.py``).

Per finding: precision (of the curves it was given to, how many a practitioner would give it
too: ``expected`` or ``allowed`` in the label) and recall (of the curves labelled with it,
how many got it); then the healthy runs that got no finding, and a confusion table of
labelled against found kinds.

    python -m benchmarks.diagnosis_confusion
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "diagnosis"
KINDS = ("overfitting", "divergence", "underfitting", "lr_too_low", "plateau", "noisy", "class_imbalance")


@dataclass(frozen=True)
class Curve:
    name: str
    rows: list[dict]
    label: dict

    @property
    def expected(self) -> set[str]:
        return set(self.label["expected"])

    @property
    def acceptable(self) -> set[str]:
        return self.expected | set(self.label.get("allowed", ()))


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return math.nan


def load_corpus(folder: Path = CORPUS) -> list[Curve]:
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    curves = []
    for name, label in labels.items():
        with open(folder / "curves" / f"{name}.csv", newline="", encoding="utf-8") as handle:
            rows = [{k: _number(v) for k, v in row.items()} for row in csv.DictReader(handle)]
        curves.append(Curve(name, rows, label))
    return curves


def diagnose_curve(curve: Curve) -> list:
    """The findings for one corpus curve, given what the engine gives at the end of a run."""
    from app.core.experiments.diagnosis import diagnose

    label = curve.label
    return diagnose(curve.rows, label["training"], task=label["task"], n_outputs=label["n_outputs"],
                    class_counts=label.get("class_counts"), error=label.get("error"))


def score(curves: list[Curve]) -> dict:
    """``{"per_kind": {kind: {tp, fp, fn, precision, recall}}, "found": {name: findings},
    "healthy": (clean, total), "confusion": {labelled: {found: count}}}``."""
    found = {c.name: diagnose_curve(c) for c in curves}
    per_kind = {}
    for kind in KINDS:
        tp = sum(1 for c in curves if kind in c.expected and any(f.kind == kind for f in found[c.name]))
        fn = sum(1 for c in curves if kind in c.expected and not any(f.kind == kind for f in found[c.name]))
        fp = sum(1 for c in curves if kind not in c.acceptable and any(f.kind == kind for f in found[c.name]))
        given = sum(1 for c in curves if any(f.kind == kind for f in found[c.name]))
        per_kind[kind] = {"tp": tp, "fp": fp, "fn": fn, "given": given,
                          "precision": (given - fp) / given if given else 1.0,
                          "recall": tp / (tp + fn) if tp + fn else 1.0}
    healthy = [c for c in curves if not c.expected]
    clean = sum(1 for c in healthy if not found[c.name])
    confusion: dict[str, dict[str, int]] = {}
    for c in curves:
        for labelled in sorted(c.expected) or ["healthy"]:
            row = confusion.setdefault(labelled, {})
            for kind in sorted({f.kind for f in found[c.name]}) or ["none"]:
                row[kind] = row.get(kind, 0) + 1
    return {"per_kind": per_kind, "found": found, "healthy": (clean, len(healthy)), "confusion": confusion}


def _agrees(curve: Curve, findings: list) -> bool:
    """Every expected finding given, and nothing a practitioner would not say."""
    kinds = {f.kind for f in findings}
    return curve.expected <= kinds and not kinds - curve.acceptable


def main() -> None:
    curves = load_corpus()
    result = score(curves)
    print(f"{len(curves)} labelled curves ({sum(c.label['source'] != 'synthetic' for c in curves)} real trainings)")
    print(f"{'finding':<16}{'given':>6}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for kind, s in result["per_kind"].items():
        print(f"{kind:<16}{s['given']:>6}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['precision']:>11.2f}{s['recall']:>8.2f}")
    clean, total = result["healthy"]
    print(f"healthy runs with no finding: {clean}/{total} ({clean / max(total, 1):.0%})")
    held_out = [c for c in curves if c.label.get("held_out")]
    agree = sum(1 for c in held_out if _agrees(c, result["found"][c.name]))
    print(f"held-out curves (labelled before they were trained) that agree: {agree}/{len(held_out)}")
    columns = ["none", *KINDS]
    print("\nconfusion (rows: labelled, columns: found)")
    print(f"{'':<16}" + "".join(f"{c[:9]:>10}" for c in columns))
    for labelled in ["healthy", *KINDS]:
        row = result["confusion"].get(labelled)
        if row:
            print(f"{labelled:<16}" + "".join(f"{row.get(c, 0):>10}" for c in columns))
    wrong = [(c, result["found"][c.name]) for c in curves if not _agrees(c, result["found"][c.name])]
    if wrong:
        print("\ndisagreements:")
        for c, findings in wrong:
            print(f"  {c.name}: labelled {sorted(c.expected) or ['healthy']}, found "
                  f"{[(f.kind, f.epoch) for f in findings] or ['nothing']}")


if __name__ == "__main__":
    main()
