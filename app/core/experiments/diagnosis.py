"""Learning-curve diagnosis: what the metrics of a run say went wrong, and how to fix it.

:func:`diagnose` reads the rows of ``metrics.csv`` (one per epoch) and the training
settings, and returns :class:`Finding` objects in plain words, each with one-click
:class:`Fix` objects: changes to project settings named by dotted paths
(``training.optimizer.lr``, ``training.early_stopping``, ``graph.dropout_1.p``…), the
same names a search space uses. It needs neither torch nor Qt, so the training view calls
it live and the engine writes its result into ``summary.json`` (``diagnosis``).

Rules: divergence, learning rate too low, plateau, overfitting (with the epoch where it
began), underfitting, noisy training, class imbalance dominating accuracy.

Example::

    for finding in diagnose(read_metrics("runs/iris-1"), project.training, graph=project.graph):
        print(finding.title, finding.epoch, [fix.label for fix in finding.fixes])
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

#: The engine's non-finite-loss guard says "The training loss became nan at step …".
_NON_FINITE = re.compile(r"loss became (nan|inf|-inf)", re.IGNORECASE)
DROPOUT_TYPES = ("core.dropout",)
MIN_ROWS = 3


@dataclass(frozen=True)
class Fix:
    """One click's worth of setting changes: ``{"training.optimizer.lr": 0.001}``."""

    label: str
    changes: dict[str, Any]

    def to_dict(self) -> dict:
        return {"label": self.label, "changes": dict(self.changes)}


@dataclass(frozen=True)
class Finding:
    """One thing the curves show: ``kind`` is a stable id, the texts are for people."""

    kind: str
    title: str
    explanation: str
    severity: str = "warning"    # "problem" (the run failed or learned nothing) or "warning"
    epoch: float | None = None   # where it began, when that is known
    fixes: tuple[Fix, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "explanation": self.explanation,
                "severity": self.severity, "epoch": self.epoch, "fixes": [f.to_dict() for f in self.fixes]}


def _finite(values: Sequence[Any]) -> list[float]:
    return [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]


def _column(rows: Sequence[Mapping[str, Any]], name: str) -> list[float]:
    return [float(r[name]) if isinstance(r.get(name), (int, float)) else math.nan for r in rows]


def _training(config: Any) -> dict:
    if config is None:
        return {}
    if hasattr(config, "to_dict"):
        return config.to_dict()
    return dict(config)


def _lr(training: dict) -> float:
    value = (training.get("optimizer") or {}).get("lr", 1e-3)
    return float(value) if isinstance(value, (int, float)) else 1e-3


def _round_lr(value: float) -> float:
    return float(f"{value:.2g}")


def _dropout_fixes(graph, training: dict) -> list[Fix]:
    """More dropout where the network has dropout layers, else weight decay."""
    fixes: list[Fix] = []
    if graph is not None:
        changes = {}
        for node in graph.nodes:
            if node.type in DROPOUT_TYPES:
                p = float(node.params.get("p", 0.0))
                changes[f"graph.{node.id}.p"] = round(min(0.5, max(p + 0.2, 0.3)), 2)
        if changes and any(abs(v - float(graph.node(k.split(".")[1]).params.get("p", 0))) > 1e-9
                           for k, v in changes.items()):
            fixes.append(Fix("More dropout", changes))
    decay = float((training.get("optimizer") or {}).get("weight_decay", 0.0) or 0.0)
    fixes.append(Fix("Add weight decay", {"training.optimizer.weight_decay": max(decay * 10, 1e-4),
                                          **({"training.optimizer.name": "adamw"}
                                             if (training.get("optimizer") or {}).get("name", "adam") == "adam"
                                             else {})}))
    return fixes


def _relative_drop(first: float, last: float) -> float:
    return (first - last) / abs(first) if first else 0.0


# ---------------------------------------------------------------------------- the rules
def _chance_loss(task: str | None, n_outputs: int | None) -> float | None:
    """The cross-entropy of guessing uniformly: a loss far above it means the steps exploded."""
    if task == "binary":
        return math.log(2)
    if task == "classification" and n_outputs and n_outputs > 1:
        return math.log(n_outputs)
    return None


def _divergence(rows, training, error, chance) -> Finding | None:
    train = _column(rows, "train_loss")
    val = _column(rows, "val_loss")
    lr = _lr(training)
    fixes = (Fix(f"Lower the learning rate to {_round_lr(lr / 10):g}",
                 {"training.optimizer.lr": _round_lr(lr / 10)}),
             Fix("Clip gradients at 1.0", {"training.grad_clip": 1.0}))
    non_finite = bool(error and _NON_FINITE.search(error)) or any(
        not math.isfinite(v) for v in train + [v for v in val if not math.isnan(v)])
    if non_finite:
        return Finding("divergence", "Training diverged",
                       "The loss became infinite or not a number: each step overshot so far that the weights "
                       "blew up. This almost always means the learning rate is too high.",
                       severity="problem", epoch=len(_finite(train)) + 1 if train else 1, fixes=fixes)
    finite = _finite(train)
    if not finite:
        return None
    if chance is not None and max(finite) > 10 * chance:
        worst = finite.index(max(finite))
        return Finding("divergence", "Training diverged",
                       f"The training loss reached {max(finite):.3g} in epoch {worst + 1}, far above the {chance:.2g} "
                       "that guessing at random gives: the steps are so large that the weights jump around "
                       "instead of settling. Lower the learning rate.",
                       severity="problem", epoch=float(rows[worst]["epoch"]), fixes=fixes)
    if len(finite) < MIN_ROWS:
        return None
    low = min(finite)
    start = finite.index(low)
    rising = finite[start:]
    if len(rising) >= 3 and rising[-1] > max(finite[0], low * 1.5) and all(b >= a for a, b in zip(rising[1:], rising[2:])):
        return Finding("divergence", "Training is diverging",
                       f"The training loss rose from {low:.3g} to {finite[-1]:.3g} after epoch {start + 1}: the "
                       "steps are too large to settle into a minimum. Lower the learning rate.",
                       severity="problem", epoch=float(rows[start]["epoch"]), fixes=fixes)
    return None


def _lr_too_low(rows, training) -> Finding | None:
    # The validation loss is measured without dropout or batch noise, so it shows a slow
    # steady descent more clearly than the training loss; fall back on the latter.
    curve = _finite(_column(rows, "val_loss")) or _finite(_column(rows, "train_loss"))
    if len(curve) < MIN_ROWS:
        return None
    falls = sum(b < a for a, b in zip(curve, curve[1:]))
    steady = falls >= 0.8 * (len(curve) - 1)
    drop = _relative_drop(curve[0], curve[-1])
    if steady and 0 < drop < 0.1:
        lr = _lr(training)
        return Finding("lr_too_low", "Learning rate too low",
                       f"The loss falls steadily but very slowly (only {drop:.1%} over {len(curve)} epochs): the "
                       "steps are too small. A learning rate around ten times higher usually learns the same in "
                       "far fewer epochs.",
                       fixes=(Fix(f"Raise the learning rate to {_round_lr(lr * 10):g}",
                                  {"training.optimizer.lr": _round_lr(lr * 10)}),))
    return None


def _overfitting(rows, training, graph) -> Finding | None:
    train = _column(rows, "train_loss")
    val = _column(rows, "val_loss")
    if len(_finite(val)) < MIN_ROWS + 1:
        return None
    best = min(range(len(val)), key=lambda i: val[i] if math.isfinite(val[i]) else math.inf)
    after_val = _finite(val[best + 1:])
    after_train = _finite(train[best:])
    if len(after_val) < 2 or len(after_train) < 2:
        return None
    rise = after_val[-1] - val[best]
    steps = [b - a for a, b in zip([val[best]] + after_val, after_val)]
    sustained = sum(d > 0 for d in steps) >= max(2, math.ceil(2 * len(steps) / 3))  # not a zig-zag
    if not (rise > 0.1 * abs(val[best]) and rise > 1e-3 and sustained):
        return None
    if not after_train[-1] < after_train[0]:
        return None  # both rising is divergence, not overfitting
    epoch = rows[best]["epoch"]
    epoch_int = max(1, int(round(float(epoch))))
    fixes = [Fix(f"Stop early (keep the best, epoch {epoch_int})",
                 {"training.early_stopping": {"monitor": "val_loss", "patience": 3, "min_delta": 0.0, "mode": "auto"}}),
             Fix(f"Train for {epoch_int} epoch{'s' if epoch_int != 1 else ''}",
                 {"training.epochs": epoch_int, "training.steps": None})]
    fixes += _dropout_fixes(graph, training)
    return Finding("overfitting", "Overfitting",
                   f"From epoch {epoch_int} on the validation loss rose (from {val[best]:.3g} to {after_val[-1]:.3g}) "
                   "while the training loss kept falling: the network started memorising the training examples "
                   "instead of learning what carries over to new ones.",
                   epoch=float(epoch), fixes=tuple(fixes))


def _plateau_and_underfitting(rows, training, task, n_outputs) -> list[Finding]:
    train = _finite(_column(rows, "train_loss"))
    val = _column(rows, "val_loss")
    if len(train) < 5:
        return []
    tail = max(3, len(train) // 3)
    tail_values = train[-tail:]
    flat = all(abs(b - a) <= 0.01 * max(abs(a), 1e-12) for a, b in zip(tail_values, tail_values[1:]))
    learned_before = _relative_drop(train[0], tail_values[0]) > 0.1
    chance = _chance_loss(task, n_outputs)
    still_high = chance is not None and tail_values[-1] > 0.5 * chance
    lr = _lr(training)
    findings: list[Finding] = []
    if flat and learned_before:
        start = float(rows[len(rows) - tail]["epoch"]) if len(rows) >= tail else None
        findings.append(Finding(
            "plateau", "Plateau",
            f"The training loss has hardly changed for the last {tail} epochs: the learning rate may be too "
            "large to settle further, or the network has learned what it can. Lowering the learning rate when "
            "progress stalls often gains a little more.",
            epoch=start,
            fixes=(Fix("Lower the learning rate when progress stalls",
                       {"training.scheduler": {"name": "plateau", "warmup_steps": 0,
                                               "options": {"factor": 0.3, "patience": 2}}}),
                   Fix(f"Lower the learning rate to {_round_lr(lr / 3):g}",
                       {"training.optimizer.lr": _round_lr(lr / 3)}))))
    finite_val = _finite(val)
    no_gap = not finite_val or train[-1] >= 0.9 * finite_val[-1]
    still_falling = _relative_drop(tail_values[0], tail_values[-1]) > 0.1
    if no_gap and (still_high or (still_falling and learned_before)):
        epochs = int((training.get("epochs") or 10))
        reason = ("the loss is still far from what a good fit reaches" if still_high
                  else "it was still improving when training ended")
        findings.append(Finding(
            "underfitting", "Underfitting",
            f"The network does as badly on the training data as on new data, and {reason}: it has not "
            "learned enough yet. Train longer, or give the network more capacity (wider or more layers).",
            fixes=(Fix(f"Train for {epochs * 2} epochs", {"training.epochs": epochs * 2, "training.steps": None}),
                   Fix(f"Raise the learning rate to {_round_lr(lr * 3):g}",
                       {"training.optimizer.lr": _round_lr(lr * 3)}))))
    return findings


def _noisy(rows, training) -> Finding | None:
    val = _finite(_column(rows, "val_loss"))
    if len(val) < 6:
        return None
    diffs = [b - a for a, b in zip(val, val[1:])]
    turns = sum(1 for a, b in zip(diffs, diffs[1:]) if a * b < 0)
    level = sum(abs(v) for v in val) / len(val) or 1.0
    swing = sum(abs(d) for d in diffs) / len(diffs) / level
    batch = int(training.get("batch_size") or 32)
    if turns >= 0.6 * (len(diffs) - 1) and swing > 0.05 and batch <= 64:
        lr = _lr(training)
        return Finding("noisy", "Noisy training",
                       f"The validation loss jumps up and down from epoch to epoch (by {swing:.0%} on average): "
                       f"with batches of {batch} each step follows a few examples too closely. Larger batches "
                       "(or a lower learning rate) give steadier steps.",
                       fixes=(Fix(f"Use batches of {batch * 4}", {"training.batch_size": batch * 4}),
                              Fix(f"Lower the learning rate to {_round_lr(lr / 3):g}",
                                  {"training.optimizer.lr": _round_lr(lr / 3)})))
    return None


def balanced_class_weights(class_counts: Sequence[int]) -> list[float]:
    """``n / (k * count)`` per class (scikit-learn's "balanced"): rare classes weigh more."""
    total, k = sum(class_counts), len(class_counts)
    return [round(total / (k * c), 4) if c else 1.0 for c in class_counts]


def _imbalance(rows, task, class_counts) -> Finding | None:
    if task not in ("classification", "binary") or not class_counts or len(class_counts) < 2:
        return None
    counts = list(class_counts)
    majority = max(counts) / sum(counts)
    if majority < 0.6:
        return None
    accuracy = _finite(_column(rows, "val_accuracy"))
    f1 = _finite(_column(rows, "val_f1"))
    if not accuracy:
        return None
    near_majority = accuracy[-1] <= majority + 0.03
    lopsided = bool(f1) and f1[-1] < accuracy[-1] - 0.2
    if not (near_majority or lopsided):
        return None
    return Finding("class_imbalance", "Class imbalance dominates accuracy",
                   f"{majority:.0%} of the training examples belong to one class, and the accuracy "
                   f"({accuracy[-1]:.0%}) is about what always answering that class gives"
                   + (f"; the F1 score ({f1[-1]:.2f}) shows the rare classes are mostly missed" if f1 else "")
                   + ". Weighting the classes makes mistakes on rare classes count more.",
                   severity="problem" if accuracy[-1] <= majority + 0.005 else "warning",
                   fixes=(Fix("Weight the classes by their rarity",
                              {"training.loss.class_weights": balanced_class_weights(counts)}),))


def diagnose(metrics_rows: Sequence[Mapping[str, Any]], config: Any = None, *, task: str | None = None,
             n_outputs: int | None = None, class_counts: Sequence[int] | None = None, graph=None,
             error: str | None = None) -> list[Finding]:
    """What the learning curves of a run show, most serious first.

    ``metrics_rows`` are metrics.csv rows (``epoch``, ``train_loss``, ``val_loss``,
    ``val_<metric>``…); ``config`` the training settings (dict or TrainConfig). Optional:
    ``task`` and ``n_outputs`` (to judge how high a loss is), ``class_counts`` (training
    examples per class, for the imbalance rule and its weights), ``graph`` (so fixes can
    name dropout layers) and the run's ``error`` (a failed run may have no rows at all).
    """
    rows = [dict(r) for r in metrics_rows]
    training = _training(config)
    divergence = _divergence(rows, training, error, _chance_loss(task, n_outputs))
    if divergence is not None:
        return [divergence]  # everything else in a diverged run is a consequence
    findings: list[Finding] = []
    for finding in (_overfitting(rows, training, graph), _imbalance(rows, task, class_counts)):
        if finding is not None:
            findings.append(finding)
    low = _lr_too_low(rows, training)
    if low is not None:
        findings.append(low)
    else:
        findings.extend(f for f in _plateau_and_underfitting(rows, training, task, n_outputs)
                        if not (f.kind == "underfitting" and any(x.kind == "overfitting" for x in findings)))
    noisy = _noisy(rows, training)
    if noisy is not None and not any(f.kind == "overfitting" for f in findings):
        findings.append(noisy)
    order = {"problem": 0, "warning": 1}
    return sorted(findings, key=lambda f: order.get(f.severity, 2))


def fix_changes_training(changes: Mapping[str, Any], training: dict) -> dict:
    """``training`` with the ``training.*`` entries of a fix applied (a new dict)."""
    import copy

    from app.core.experiments.space import set_dotted

    result = copy.deepcopy(training)
    for name, value in changes.items():
        if name.startswith("training."):
            set_dotted(result, name[len("training."):], copy.deepcopy(value))
    return result
