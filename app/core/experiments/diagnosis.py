"""Learning-curve diagnosis: what the metrics of a run say went wrong, and how to fix it.

:func:`diagnose` reads the rows of ``metrics.csv`` (one per epoch) and the training
settings, and returns :class:`Finding` objects in plain words, each with one-click
:class:`Fix` objects: changes to project settings named by dotted paths
(``training.optimizer.lr``, ``training.early_stopping``, ``graph.dropout_1.p``…), the
same names a search space uses. It needs neither torch nor Qt, so the training view calls
it live and the engine writes its result into ``summary.json`` (``diagnosis``).

Rules: divergence, learning rate too low, plateau, overfitting (with the epoch where it
began), underfitting, noisy training, class imbalance dominating accuracy. They judge
smoothed trends, not single epochs: a small validation set zig-zags from epoch to epoch,
so overfitting is the validation loss ending clearly above its smoothed best (by more than
its own noise) while the training loss stays low, and underfitting is a training loss that
stays high against what knowing nothing costs (never a run with validation accuracy about 1
or a training loss about 0). tests/data/diagnosis holds the labelled curves of real
trainings they are measured on (``python -m benchmarks diagnosis``).

Example::

    for finding in diagnose(read_metrics("runs/iris-1"), project.training, graph=project.graph):
        print(finding.title, finding.epoch, [fix.label for fix in finding.fixes])
"""

from __future__ import annotations

import math
import re
import statistics
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


# ---------------------------------------------------------------------------- smoothed curves
@dataclass(frozen=True)
class _Curve:
    """One metric's finite values with their epochs, smoothed so that a small, noisy
    validation set does not decide a rule by one lucky or unlucky epoch."""

    epochs: list[float]
    values: list[float]
    smooth: list[float]

    @property
    def n(self) -> int:
        return len(self.values)

    def recent(self) -> float:
        """The mean of the last few epochs: where the run ended up, not its last jitter."""
        tail = self.values[-_recent_length(self.n):]
        return sum(tail) / len(tail)

    def best_index(self) -> int:
        return min(range(self.n), key=self.smooth.__getitem__)

    def lowest_near(self, index: int) -> int:
        """The epoch with the lowest raw value within a smoothing window of ``index``:
        where the curve really turned, which smoothing blurs by a few epochs."""
        half = _window(self.n) // 2
        return min(range(max(0, index - half), min(self.n, index + half + 1)), key=self.values.__getitem__)

    def noise(self) -> float:
        """How far single epochs stray from the smoothed curve (a robust spread)."""
        residuals = sorted(abs(v - s) for v, s in zip(self.values, self.smooth))
        return 1.4826 * residuals[len(residuals) // 2] if residuals else 0.0


def _window(n: int) -> int:
    """Smoothing width: about a tenth of the run (at least 3 epochs), odd, at most 31."""
    width = max(3 if n >= 5 else 1, min(31, round(n / 10)))
    return width if width % 2 else width + 1


def _recent_length(n: int) -> int:
    return max(3, min(50, n // 8)) if n >= 6 else max(1, n // 2)


def _moving_average(values: list[float], width: int) -> list[float]:
    half = width // 2
    out = []
    for i in range(len(values)):
        part = values[max(0, i - half):i + half + 1]
        out.append(sum(part) / len(part))
    return out


def _curve(rows, name: str) -> _Curve:
    epochs, values = [], []
    for i, row in enumerate(rows):
        value = row.get(name)
        if isinstance(value, (int, float)) and math.isfinite(value):
            epoch = row.get("epoch")
            epochs.append(float(epoch) if isinstance(epoch, (int, float)) else float(i + 1))
            values.append(float(value))
    return _Curve(epochs, values, _moving_average(values, _window(len(values))))


def _accuracy(rows) -> float | None:
    """The validation accuracy the run ended with (mean of the last epochs), if it has one."""
    curve = _curve(rows, "val_accuracy")
    return curve.recent() if curve.n else None


def _reference_loss(task: str | None, n_outputs: int | None, training: dict, train: _Curve) -> float | None:
    """What knowing nothing costs: guessing uniformly for classes, predicting the mean of a
    standardised target (a mean squared error of 1) for values, else the first epoch's loss."""
    chance = _chance_loss(task, n_outputs)
    if chance is not None:
        return chance
    loss = training.get("loss")
    if task == "regression" and ((loss.get("name") if isinstance(loss, dict) else None) or "auto") in ("auto", "mse"):
        return 1.0
    first = statistics.median(train.values[:3]) if train.n else 0.0
    return first if first > 0 else None


def _solved(rows, train: _Curve, reference: float | None) -> bool:
    """Validation accuracy about 1, or a training loss about 0: nothing is missing."""
    accuracy = _accuracy(rows)
    if accuracy is not None and accuracy >= 0.99:
        return True
    return bool(train.n) and reference is not None and train.recent() < 0.02 * reference


# ---------------------------------------------------------------------------- the rules
def _chance_loss(task: str | None, n_outputs: int | None) -> float | None:
    """The cross-entropy of guessing uniformly: a loss far above it means the steps exploded."""
    if task == "binary":
        return math.log(2)
    if task == "classification" and n_outputs and n_outputs > 1:
        return math.log(n_outputs)
    return None


def _divergence_fixes(training: dict) -> tuple[Fix, ...]:
    lr = _lr(training)
    return (Fix(f"Lower the learning rate to {_round_lr(lr / 10):g}", {"training.optimizer.lr": _round_lr(lr / 10)}),
            Fix("Clip gradients at 1.0", {"training.grad_clip": 1.0}))


def _divergence(rows, training, error, chance, reference) -> Finding | None:
    train_raw = _column(rows, "train_loss")
    val_raw = _column(rows, "val_loss")
    fixes = _divergence_fixes(training)
    non_finite = bool(error and _NON_FINITE.search(error)) or any(
        not math.isfinite(v) for v in train_raw + [v for v in val_raw if not math.isnan(v)])
    if non_finite:
        return Finding("divergence", "Training diverged",
                       "The loss became infinite or not a number: each step overshot so far that the weights "
                       "blew up. This almost always means the learning rate is too high.",
                       severity="problem", epoch=len(_finite(train_raw)) + 1 if train_raw else 1, fixes=fixes)
    train = _curve(rows, "train_loss")
    if not train.n:
        return None
    if reference is not None and max(train.values) > 10 * reference:
        worst = train.values.index(max(train.values))
        return Finding("divergence", "Training diverged",
                       f"The training loss reached {max(train.values):.3g} in epoch {train.epochs[worst]:g}, far "
                       f"above the {reference:.2g} that {'guessing at random' if chance else 'knowing nothing'} "
                       "gives: the steps are so large that the weights jump around instead of settling. Lower the "
                       "learning rate.",
                       severity="problem", epoch=train.epochs[worst], fixes=fixes)
    if train.n < MIN_ROWS:
        return None
    smooth_best = train.best_index()
    best = train.lowest_near(smooth_best)
    low, now = train.smooth[smooth_best], train.recent()
    scale = reference if reference is not None else max(train.values[0], 1e-12)
    # The training loss climbs well above its best, by more than noise: the steps overshoot.
    # (A loss that rises from 1e-5 to 1e-4 is still a perfect fit, hence the scale.)
    if (smooth_best < train.n - _recent_length(train.n) and now > 1.5 * low and now - low > 0.1 * scale
            and now - low > 3 * train.noise()):
        return Finding("divergence", "Training is diverging",
                       f"The training loss rose from {train.values[best]:.3g} to {now:.3g} after epoch {train.epochs[best]:g}: "
                       "the steps are too large to settle into a minimum. Lower the learning rate.",
                       severity="problem", epoch=train.epochs[best], fixes=fixes)
    return None


def _lr_too_low(rows, training, reference) -> Finding | None:
    # The validation loss is measured without dropout or batch noise, so it shows a slow
    # steady descent more clearly than the training loss; fall back on the latter.
    curve = _curve(rows, "val_loss")
    if curve.n < MIN_ROWS:
        curve = _curve(rows, "train_loss")
    if curve.n < MIN_ROWS:
        return None
    values = curve.values
    falls = sum(b < a for a, b in zip(values, values[1:]))
    steady = falls >= 0.8 * (len(values) - 1)
    drop = _relative_drop(values[0], values[-1])
    still_high = reference is None or values[-1] > 0.3 * reference
    # At the optimizer's usual rate or above, slow progress has another cause (a network too
    # small to learn more, dead units): that is underfitting, not a rate to raise.
    if steady and 0 < drop < 0.1 and still_high and _lr(training) < _usual_lr(training):
        lr = _lr(training)
        return Finding("lr_too_low", "Learning rate too low",
                       f"The loss falls steadily but very slowly (only {drop:.1%} over {len(values)} epochs): the "
                       "steps are too small. A learning rate around ten times higher usually learns the same in "
                       "far fewer epochs.",
                       fixes=(Fix(f"Raise the learning rate to {_round_lr(lr * 10):g}",
                                  {"training.optimizer.lr": _round_lr(lr * 10)}),))
    return None


def _usual_lr(training: dict) -> float:
    """The learning rate an optimizer is usually run with: 0.01 for SGD, 1e-3 for Adam and the rest."""
    name = str((training.get("optimizer") or {}).get("name", "adam")).lower()
    return 0.01 if name == "sgd" else 1e-3


def _overfitting(rows, training, graph, reference) -> Finding | None:
    """The validation loss ended clearly above its best (smoothed, so noise does not count)
    while the training loss kept falling or stayed low: a gap opened after the best epoch."""
    val = _curve(rows, "val_loss")
    train = _curve(rows, "train_loss")
    if val.n < 6 or train.n < 6:
        return None
    recent = _recent_length(val.n)
    best = val.best_index()
    if best >= val.n - recent:
        return None  # the best is among the last epochs: still improving
    low, now = val.smooth[best], val.recent()
    floor = 0.01 * reference if reference else 1e-4
    rise = now - low
    if not (now > 1.2 * low + floor and rise > 2.5 * val.noise()):
        return None
    # the training loss did not rise with it (both rising is divergence, not overfitting)
    train_at_best = _value_at(train, val.epochs[best])
    if train_at_best is None or train.recent() > max(1.1 * train_at_best, train_at_best + floor):
        return None
    if now - train.recent() < 0.2 * max(low, floor):
        return None  # no gap between training and validation
    onset = val.lowest_near(best)
    epoch = val.epochs[onset]
    epoch_int = max(1, int(round(epoch)))
    fixes = [Fix(f"Stop early (keep the best, epoch {epoch_int})",
                 {"training.early_stopping": {"monitor": "val_loss", "patience": max(3, min(20, _window(val.n))),
                                              "min_delta": 0.0, "mode": "auto"}}),
             Fix(f"Train for {epoch_int} epoch{'s' if epoch_int != 1 else ''}",
                 {"training.epochs": epoch_int, "training.steps": None})]
    fixes += _dropout_fixes(graph, training)
    return Finding("overfitting", "Overfitting",
                   f"From epoch {epoch_int} on the validation loss rose (from {val.values[onset]:.3g} to about "
                   f"{now:.3g} over the last epochs) while the training loss fell to {train.recent():.3g}: the "
                   "network started memorising the training examples instead of learning what carries over to "
                   "new ones.",
                   epoch=float(epoch), fixes=tuple(fixes))


def _value_at(curve: _Curve, epoch: float) -> float | None:
    """The smoothed value of ``curve`` at ``epoch`` (the nearest epoch it has)."""
    if not curve.n:
        return None
    index = min(range(curve.n), key=lambda i: abs(curve.epochs[i] - epoch))
    return curve.smooth[index]


def _plateau_and_underfitting(rows, training, task, reference) -> list[Finding]:
    train = _curve(rows, "train_loss")
    val = _curve(rows, "val_loss")
    if train.n < 5 or _solved(rows, train, reference):
        return []
    tail = max(3, train.n // 3)
    smooth_tail = train.smooth[-tail:]
    level = train.recent()
    scale = reference if reference is not None else max(train.values[0], 1e-12)
    flat = abs(smooth_tail[0] - smooth_tail[-1]) <= 0.01 * (tail - 1) * max(smooth_tail[0], 1e-12)
    learned_before = _relative_drop(train.smooth[0], smooth_tail[0]) > 0.1
    lr = _lr(training)
    findings: list[Finding] = []
    classes = task in ("classification", "binary")
    no_gap = not val.n or level >= 0.8 * val.recent()
    # High relative to what the task allows: more than half of guessing's loss for classes,
    # more than 70 % of a standardised target's variance left unexplained for values.
    known = classes or (task == "regression" and reference is not None)
    high = known and level > (0.5 if classes else 0.7) * scale
    if flat and learned_before and classes and level > 0.2 * scale and not (high and no_gap):
        findings.append(Finding(
            "plateau", "Plateau",
            f"The training loss has hardly changed for the last {tail} epochs: the learning rate may be too "
            "large to settle further, or the network has learned what it can. Lowering the learning rate when "
            "progress stalls often gains a little more.",
            epoch=train.epochs[-tail],
            fixes=(Fix("Lower the learning rate when progress stalls",
                       {"training.scheduler": {"name": "plateau", "warmup_steps": 0,
                                               "options": {"factor": 0.3, "patience": 2}}}),
                   Fix(f"Lower the learning rate to {_round_lr(lr / 3):g}",
                       {"training.optimizer.lr": _round_lr(lr / 3)}))))
    still_falling = (_relative_drop(smooth_tail[0], smooth_tail[-1]) > 0.2 and level > 0.1 * scale
                     and (not val.n or val.best_index() >= val.n - _recent_length(val.n)))
    if no_gap and (high or still_falling):
        epochs = int((training.get("epochs") or 10))
        state = ("stays high" if high else "was still falling quickly when training ended")
        findings.append(Finding(
            "underfitting", "Underfitting",
            f"The training loss {state} ({level:.3g}, where knowing nothing costs about {scale:.2g}), and the "
            "validation loss is no better: the network has not learned enough yet. Train longer, or give the "
            "network more capacity (wider or more layers).",
            fixes=(Fix(f"Train for {epochs * 2} epochs", {"training.epochs": epochs * 2, "training.steps": None}),
                   Fix(f"Raise the learning rate to {_round_lr(lr * 3):g}",
                       {"training.optimizer.lr": _round_lr(lr * 3)}))))
    return findings


def _noisy(rows, training, reference) -> Finding | None:
    val = _curve(rows, "val_loss")
    if val.n < 6:
        return None
    values = val.values
    diffs = [b - a for a, b in zip(values, values[1:])]
    turns = sum(1 for a, b in zip(diffs, diffs[1:]) if a * b < 0)
    level = sum(abs(v) for v in values) / len(values) or 1.0
    if reference is not None and level < 0.02 * reference:
        return None  # jitter of a loss that is about zero
    swing = sum(abs(d) for d in diffs) / len(diffs) / level
    spread = val.noise() / level
    batch = int(training.get("batch_size") or 32)
    # Noise, not a trend, decides most epoch-to-epoch changes: the spread around the smoothed
    # curve is a quarter of the loss or more (a healthy run's is a few per cent).
    if turns >= 0.4 * (len(diffs) - 1) and swing > 0.25 and spread > 0.25 and batch <= 64:
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
    if sum(counts) <= 0:
        return None
    majority = max(counts) / sum(counts)
    if majority < 0.6:
        return None
    accuracy = _finite(_column(rows, "val_accuracy"))
    f1 = _finite(_column(rows, "val_f1")) or _finite(_column(rows, "val_f1_macro"))
    if not accuracy:
        return None
    if accuracy[-1] < majority - 0.03:
        return None  # worse than always answering the majority: something else is wrong
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
    reference = _reference_loss(task, n_outputs, training, _curve(rows, "train_loss"))
    divergence = _divergence(rows, training, error, _chance_loss(task, n_outputs), reference)
    if divergence is not None:
        return [divergence]  # everything else in a diverged run is a consequence
    findings: list[Finding] = []
    for finding in (_overfitting(rows, training, graph, reference), _imbalance(rows, task, class_counts)):
        if finding is not None:
            findings.append(finding)
    overfitting = any(f.kind == "overfitting" for f in findings)
    low = _lr_too_low(rows, training, reference)
    if low is not None:
        findings.append(low)
    elif not overfitting:
        findings.extend(_plateau_and_underfitting(rows, training, task, reference))
    noisy = _noisy(rows, training, reference)
    if noisy is not None and not overfitting:
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
