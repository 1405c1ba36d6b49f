"""Training settings: the project's ``"training"`` section as a validated dataclass.

``TrainConfig.from_dict`` is the one gate user settings pass through: every wrong value
raises :class:`TrainConfigError` naming the setting, the value and what is allowed, so
the CLI and GUI can show it as is. ``to_dict`` writes plain JSON types only.

Example::

    cfg = TrainConfig.from_dict({"epochs": 20, "optimizer": {"name": "adam", "lr": 1e-3}})
    cfg.with_overrides({"lr": 0.01}).optimizer.lr   # 0.01
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from app.core.errors import ModelwrightError

OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad")
SCHEDULERS = ("none", "step", "exponential", "cosine", "onecycle", "plateau")
LOSSES = ("cross_entropy", "bce", "bce_logits", "mse", "mae", "huber", "lm_cross_entropy")
DEVICES = ("auto", "cpu", "cuda", "mps")
PRECISIONS = ("fp32", "bf16", "fp16")
OVERRIDE_KEYS = ("epochs", "steps", "batch_size", "lr", "device", "seed")


class TrainConfigError(ModelwrightError):
    """A training setting has a value the engine cannot use."""


def _fail(where: str, value: Any, expected: str) -> None:
    raise TrainConfigError(f"Training setting '{where}' is {value!r}; {expected}.")


def _number(d: dict, key: str, where: str, default: float, *, low: float | None = None,
            high: float | None = None, low_open: bool = False, integer: bool = False) -> Any:
    value = d.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _fail(f"{where}{key}", value, "expected a number")
    if integer and int(value) != value:
        _fail(f"{where}{key}", value, "expected a whole number")
    if low is not None and (value <= low if low_open else value < low):
        _fail(f"{where}{key}", value, f"expected a value {'above' if low_open else 'of at least'} {low:g}")
    if high is not None and value > high:
        _fail(f"{where}{key}", value, f"expected a value of at most {high:g}")
    return int(value) if integer else float(value)


_NOTED: set[tuple[int, int]] = set()


def machine_cores() -> int:
    """CPU cores this process may run on (its affinity, where the system reports one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # macOS/Windows
        return max(1, os.cpu_count() or 1)


def _within_cores(threads: int) -> int:
    """More threads than cores only fight over them (and a huge count makes the OpenMP runtime
    abort the process), so the setting is lowered to the core count, with a note. Lowered
    rather than refused: the count changes speed, never results, so a project or run made on
    a bigger machine keeps training, evaluating and predicting here."""
    cores = machine_cores()
    if threads <= cores:
        return threads
    if (threads, cores) in _NOTED:  # a project is read several times per run: one note
        return cores
    _NOTED.add((threads, cores))
    logging.getLogger(__name__).warning(
        "note: training setting 'threads' is %s but this computer has %d CPU cores; using %d threads.",
        f"{threads:,}", cores, cores)
    return cores


def _choice(d: dict, key: str, where: str, default: str, choices: tuple[str, ...]) -> str:
    value = d.get(key, default)
    if value not in choices:
        _fail(f"{where}{key}", value, f"expected one of {', '.join(choices)}")
    return value


def _section(d: dict, key: str) -> dict:
    value = d.get(key) or {}
    if not isinstance(value, dict):
        _fail(key, value, "expected a group of settings (a JSON object)")
    return value


def _unknown_keys(d: dict, allowed: set[str], where: str) -> None:
    extra = sorted(set(d) - allowed)
    if extra:
        raise TrainConfigError(
            f"Unknown training setting '{where}{extra[0]}'; allowed here: {', '.join(sorted(allowed))}."
        )


@dataclass(frozen=True)
class OptimizerConfig:
    """Optimizer choice; ``momentum``/``nesterov`` apply to SGD and RMSprop, ``betas`` to Adam(W)."""

    name: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8

    @classmethod
    def from_dict(cls, d: dict) -> "OptimizerConfig":
        w = "optimizer."
        _unknown_keys(d, {"name", "lr", "momentum", "nesterov", "weight_decay", "betas", "eps"}, w)
        name = _choice(d, "name", w, "adam", OPTIMIZERS)
        momentum = _number(d, "momentum", w, 0.0, low=0.0, high=1.0)
        nesterov = d.get("nesterov", False)
        if not isinstance(nesterov, bool):
            _fail(w + "nesterov", nesterov, "expected true or false")
        if nesterov and (name != "sgd" or momentum <= 0):
            _fail(w + "nesterov", nesterov, "Nesterov momentum needs the sgd optimizer and a momentum above 0")
        betas = d.get("betas", (0.9, 0.999))
        if (not isinstance(betas, (list, tuple)) or len(betas) != 2
                or not all(isinstance(b, (int, float)) and not isinstance(b, bool) and 0 <= b < 1 for b in betas)):
            _fail(w + "betas", betas, "expected two numbers in [0, 1), e.g. [0.9, 0.999]")
        return cls(
            name=name,
            lr=_number(d, "lr", w, 1e-3, low=0.0, low_open=True),
            momentum=momentum,
            nesterov=nesterov,
            weight_decay=_number(d, "weight_decay", w, 0.0, low=0.0),
            betas=(float(betas[0]), float(betas[1])),
            eps=_number(d, "eps", w, 1e-8, low=0.0, low_open=True),
        )

    def to_dict(self) -> dict:
        d = asdict(self)
        d["betas"] = list(self.betas)
        return d


@dataclass(frozen=True)
class SchedulerConfig:
    """Learning-rate schedule. Options (all optional):

    - ``step``: ``step_size`` (epochs, default 10), ``gamma`` (default 0.1)
    - ``exponential``: ``gamma`` per epoch (default 0.95)
    - ``cosine``: ``min_lr`` (default 0), annealed over the whole run after warm-up
    - ``onecycle``: ``max_lr`` (default ``optimizer.lr``), ``pct_start`` (0.3),
      ``div_factor`` (25), ``final_div_factor`` (1e4)
    - ``plateau``: ``factor`` (0.1), ``patience`` (evaluations, 5), ``min_lr`` (0),
      ``threshold`` (1e-4); watches ``monitor`` (default ``val_loss``)
    - any: ``warmup_steps`` — linear warm-up over that many optimizer steps first.
    """

    name: str = "none"
    warmup_steps: int = 0
    options: dict = field(default_factory=dict)

    _OPTIONS = {
        "none": {},
        "step": {"step_size": (10, 1, True), "gamma": (0.1, 0.0, False)},
        "exponential": {"gamma": (0.95, 0.0, False)},
        "cosine": {"min_lr": (0.0, 0.0, False)},
        "onecycle": {"max_lr": (None, 0.0, False), "pct_start": (0.3, 0.0, False),
                     "div_factor": (25.0, 1.0, False), "final_div_factor": (1e4, 1.0, False)},
        "plateau": {"factor": (0.1, 0.0, False), "patience": (5, 0, True), "min_lr": (0.0, 0.0, False),
                    "threshold": (1e-4, 0.0, False), "monitor": ("val_loss", None, False)},
    }

    @classmethod
    def from_dict(cls, d: dict) -> "SchedulerConfig":
        w = "scheduler."
        name = _choice(d, "name", w, "none", SCHEDULERS)
        spec = cls._OPTIONS[name]
        # Options may sit flat next to "name" or inside an "options" object.
        flat = {k: v for k, v in d.items() if k not in ("name", "warmup_steps", "options")}
        nested = d.get("options") or {}
        if not isinstance(nested, dict):
            _fail(w + "options", nested, "expected a group of settings (a JSON object)")
        given = {**flat, **nested}
        _unknown_keys(given, set(spec), w)
        options: dict = {}
        for key, (default, low, integer) in spec.items():
            if key == "monitor":
                value = given.get("monitor", default)
                if not isinstance(value, str) or not value:
                    _fail(w + "monitor", value, "expected a metric name such as 'val_loss'")
                options[key] = value
            elif key == "max_lr" and given.get(key) is None:
                options[key] = None
            else:
                options[key] = _number(given, key, w, default, low=low, integer=integer)
        if name in ("step", "exponential") and not 0 < options["gamma"] <= 1:
            _fail(w + "gamma", options["gamma"], "expected a value in (0, 1]")
        if name == "plateau" and not 0 < options["factor"] < 1:
            _fail(w + "factor", options["factor"], "expected a value in (0, 1)")
        if name == "onecycle" and not 0 < options["pct_start"] < 1:
            _fail(w + "pct_start", options["pct_start"], "expected a value in (0, 1)")
        warmup = _number(d, "warmup_steps", w, 0, low=0, integer=True)
        return cls(name=name, warmup_steps=warmup, options=options)

    def to_dict(self) -> dict:
        return {"name": self.name, "warmup_steps": self.warmup_steps, "options": dict(self.options)}


@dataclass(frozen=True)
class LossConfig:
    """Loss choice. ``bce`` expects probabilities (the model ends in a sigmoid), ``bce_logits``
    raw scores; ``huber`` takes ``delta``; ``cross_entropy``/``lm_cross_entropy`` take
    ``label_smoothing``. ``"auto"`` picks from the data's task. ``class_weights`` (one
    positive number per class, in the order of the class names; two for a binary task:
    negative, positive) makes mistakes on rare classes count more."""

    name: str = "auto"
    label_smoothing: float = 0.0
    delta: float = 1.0
    class_weights: tuple[float, ...] | None = None

    @classmethod
    def from_dict(cls, d: dict) -> "LossConfig":
        w = "loss."
        _unknown_keys(d, {"name", "label_smoothing", "delta", "class_weights"}, w)
        weights = d.get("class_weights")
        if weights is not None:
            if (not isinstance(weights, (list, tuple)) or len(weights) < 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0
                               for v in weights)):
                _fail(w + "class_weights", weights, "expected a list of positive numbers, one per class, or null")
            weights = tuple(float(v) for v in weights)
        return cls(
            name=_choice(d, "name", w, "auto", ("auto",) + LOSSES),
            label_smoothing=_number(d, "label_smoothing", w, 0.0, low=0.0, high=0.99),
            delta=_number(d, "delta", w, 1.0, low=0.0, low_open=True),
            class_weights=weights,
        )

    def to_dict(self) -> dict:
        d = asdict(self)
        d["class_weights"] = list(self.class_weights) if self.class_weights is not None else None
        return d


@dataclass(frozen=True)
class EarlyStoppingConfig:
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` evaluations."""

    monitor: str = "val_loss"
    patience: int = 5
    min_delta: float = 0.0
    mode: str = "auto"

    @classmethod
    def from_dict(cls, d: dict) -> "EarlyStoppingConfig":
        w = "early_stopping."
        _unknown_keys(d, {"monitor", "patience", "min_delta", "mode"}, w)
        monitor = d.get("monitor", "val_loss")
        if not isinstance(monitor, str) or not monitor:
            _fail(w + "monitor", monitor, "expected a metric name such as 'val_loss'")
        return cls(
            monitor=monitor,
            patience=_number(d, "patience", w, 5, low=1, integer=True),
            min_delta=_number(d, "min_delta", w, 0.0, low=0.0),
            mode=_choice(d, "mode", w, "auto", ("auto", "min", "max")),
        )

    def to_dict(self) -> dict:
        return asdict(self)


#: A run waits about this many optimizer steps without improvement before it stops.
PATIENCE_STEPS = 1000
MIN_PATIENCE, MAX_PATIENCE = 3, 20


def default_patience(epochs: int, n_train: int | None, batch_size: int) -> int:
    """Evaluations to wait: about 1,000 optimizer steps, at least 3 and at most 20, and never
    more than a third of the epochs (so stopping can still save time). Small tables give few
    steps per epoch and noisy validation scores, so they wait more epochs; large data less.
    ``n_train`` unknown counts as small data."""
    steps_per_epoch = max(1, math.ceil(n_train / batch_size)) if n_train else 1
    patience = min(MAX_PATIENCE, max(MIN_PATIENCE, math.ceil(PATIENCE_STEPS / steps_per_epoch)))
    return max(MIN_PATIENCE, min(patience, epochs // 3))


def default_early_stopping(epochs: int, n_train: int | None, batch_size: int) -> dict:
    """The ``early_stopping`` settings a new table or image project starts with."""
    return {"monitor": "val_loss", "patience": default_patience(epochs, n_train, batch_size),
            "min_delta": 0.0, "mode": "auto"}


@dataclass(frozen=True)
class CheckpointConfig:
    """When checkpoints are written.

    ``last.pt`` is refreshed at every epoch end and, inside long epochs, every
    ``every_n_batches`` optimizer steps (0 = off) and every ``every_seconds`` seconds
    (0 = off), so a crash loses at most one epoch. ``epoch_min_seconds`` (default 0: off)
    skips epoch ends closer than that to the previous save, for runs of thousands of tiny
    epochs where saving would cost more than training (the final checkpoint is always
    written). ``best.pt`` is written at once whenever the watched metric improves, whatever
    these settings: evaluate, predict and export read it.
    """

    every_n_batches: int = 0
    every_seconds: float = 30.0
    epoch_min_seconds: float = 0.0

    @classmethod
    def from_dict(cls, d: dict) -> "CheckpointConfig":
        w = "checkpoint."
        _unknown_keys(d, {"every_n_batches", "every_seconds", "epoch_min_seconds"}, w)
        return cls(
            every_n_batches=_number(d, "every_n_batches", w, 0, low=0, integer=True),
            every_seconds=_number(d, "every_seconds", w, 30.0, low=0.0),
            epoch_min_seconds=_number(d, "epoch_min_seconds", w, 0.0, low=0.0),
        )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TrainConfig:
    """Everything the engine needs to train, besides the model and the data.

    ``steps`` (when set) replaces ``epochs``: training runs that many optimizer steps and
    evaluates every ``eval_every`` steps (default: ten evaluations per run) and at the end. ``threads`` ``None`` means automatic (see ``devices.auto_threads``).
    ``compile`` runs the training forward pass through ``torch.compile`` (worth it on GPUs
    for long runs; off by default, and slow to start on CPUs). ``gradient_checkpointing``
    recomputes each Transformer/GPT block's activations in the backward pass instead of
    keeping them: less memory for about a third more compute.
    """

    epochs: int = 10
    steps: int | None = None
    eval_every: int | None = None
    batch_size: int = 32
    shuffle: bool = True
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    metrics: tuple[str, ...] = ()
    grad_clip: float | None = None
    grad_accum: int = 1
    seed: int = 0
    device: str = "auto"
    precision: str = "fp32"
    early_stopping: EarlyStoppingConfig | None = None
    checkpoint: CheckpointConfig = field(default_factory=CheckpointConfig)
    tensorboard: bool = False
    threads: int | None = None
    compile: bool = False
    gradient_checkpointing: bool = False

    _KEYS = {"epochs", "steps", "eval_every", "batch_size", "shuffle", "optimizer", "scheduler", "loss",
             "metrics", "grad_clip", "grad_accum", "seed", "device", "precision", "early_stopping",
             "checkpoint", "tensorboard", "threads", "compile", "gradient_checkpointing"}

    @classmethod
    def from_dict(cls, d: dict | None) -> "TrainConfig":
        d = {} if d is None else d
        if not isinstance(d, dict):
            _fail("training", d, "expected a group of settings (a JSON object)")
        _unknown_keys(d, cls._KEYS, "")
        steps = d.get("steps")
        if steps is not None:
            steps = _number(d, "steps", "", 1, low=1, integer=True)
        eval_every = d.get("eval_every")
        if eval_every is not None:
            eval_every = _number(d, "eval_every", "", 1, low=1, integer=True)
        metrics = d.get("metrics") or []
        if not isinstance(metrics, (list, tuple)) or not all(isinstance(m, str) for m in metrics):
            _fail("metrics", metrics, "expected a list of metric names, e.g. [\"accuracy\"]")
        grad_clip = d.get("grad_clip")
        if grad_clip is not None:
            grad_clip = _number(d, "grad_clip", "", 1.0, low=0.0, low_open=True)
        threads = d.get("threads")
        if threads is not None:
            threads = _within_cores(_number(d, "threads", "", 1, low=1, integer=True))
        shuffle = d.get("shuffle", True)
        tensorboard = d.get("tensorboard", False)
        compile_model = d.get("compile", False)
        checkpointing = d.get("gradient_checkpointing", False)
        for key, value in (("shuffle", shuffle), ("tensorboard", tensorboard), ("compile", compile_model),
                           ("gradient_checkpointing", checkpointing)):
            if not isinstance(value, bool):
                _fail(key, value, "expected true or false")
        es = d.get("early_stopping")
        if es is not None and not isinstance(es, dict):
            _fail("early_stopping", es, "expected a group of settings or null")
        # The accepted range is the one torch.manual_seed takes.
        seed = _number(d, "seed", "", 0, low=0, high=2**63 - 1, integer=True)
        return cls(
            epochs=_number(d, "epochs", "", 10, low=1, integer=True),
            steps=steps,
            eval_every=eval_every,
            batch_size=_number(d, "batch_size", "", 32, low=1, integer=True),
            shuffle=shuffle,
            optimizer=OptimizerConfig.from_dict(_section(d, "optimizer")),
            scheduler=SchedulerConfig.from_dict(_section(d, "scheduler")),
            loss=LossConfig.from_dict(_section(d, "loss")),
            metrics=tuple(metrics),
            grad_clip=grad_clip,
            grad_accum=_number(d, "grad_accum", "", 1, low=1, integer=True),
            seed=seed,
            device=_choice(d, "device", "", "auto", DEVICES),
            precision=_choice(d, "precision", "", "fp32", PRECISIONS),
            early_stopping=EarlyStoppingConfig.from_dict(es) if es is not None else None,
            checkpoint=CheckpointConfig.from_dict(_section(d, "checkpoint")),
            tensorboard=tensorboard,
            threads=threads,
            compile=compile_model,
            gradient_checkpointing=checkpointing,
        )

    def to_dict(self) -> dict:
        return {
            "epochs": self.epochs,
            "steps": self.steps,
            "eval_every": self.eval_every,
            "batch_size": self.batch_size,
            "shuffle": self.shuffle,
            "optimizer": self.optimizer.to_dict(),
            "scheduler": self.scheduler.to_dict(),
            "loss": self.loss.to_dict(),
            "metrics": list(self.metrics),
            "grad_clip": self.grad_clip,
            "grad_accum": self.grad_accum,
            "seed": self.seed,
            "device": self.device,
            "precision": self.precision,
            "early_stopping": self.early_stopping.to_dict() if self.early_stopping else None,
            "checkpoint": self.checkpoint.to_dict(),
            "tensorboard": self.tensorboard,
            "threads": self.threads,
            "compile": self.compile,
            "gradient_checkpointing": self.gradient_checkpointing,
        }

    def with_overrides(self, overrides: dict | None) -> "TrainConfig":
        """Apply command-line style overrides (epochs, steps, batch_size, lr, device, seed).

        ``None`` values are ignored; setting ``epochs`` drops a step-based ``steps`` setting
        and the other way round, so ``--epochs`` always means an epoch-based run. The
        project's ``eval_every`` is kept: ``--steps`` changes how long a run is, not how
        often it is evaluated.
        """
        if not overrides:
            return self
        unknown = sorted(k for k in overrides if k not in OVERRIDE_KEYS)
        if unknown:
            raise TrainConfigError(
                f"Unknown override '{unknown[0]}'; allowed: {', '.join(OVERRIDE_KEYS)}."
            )
        d = self.to_dict()
        given = {k: v for k, v in overrides.items() if v is not None}
        if "lr" in given:
            d["optimizer"]["lr"] = given.pop("lr")
        if "epochs" in given:
            d["steps"] = None
        d.update(given)
        return TrainConfig.from_dict(d)

    def replace(self, **changes: Any) -> "TrainConfig":
        return replace(self, **changes)
