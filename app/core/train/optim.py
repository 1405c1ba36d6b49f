"""Optimizers and learning-rate schedules built from the training settings.

The schedule is one small object rather than a chain of torch schedulers because the
settings allow a linear warm-up in front of *any* schedule, including reduce-on-plateau,
which torch's ``SequentialLR`` cannot combine; it also keeps the saved state a plain dict
(exact resume, ``weights_only`` checkpoints). The learning rate is a pure function of the
optimizer step, times a plateau factor that only evaluations change.
"""

from __future__ import annotations

import math

import torch

from app.core.train.config import OptimizerConfig, SchedulerConfig


def _fast_path(params: list[torch.nn.Parameter], config: OptimizerConfig) -> dict:
    """Pick the quickest implementation the parameters allow.

    Fused kernels (one kernel for all parameters) run on CUDA and, for Adam/AdamW/SGD/
    Adagrad, on CPU too, where torch still defaults to a Python loop over the parameters.
    ``benchmarks/bench_training.py`` decided the CPU choice: fused steps are 2-4x quicker for
    Adam, AdamW, Adagrad and SGD with momentum or weight decay, on a 2-3-1 MLP and on a
    784-512-256-10 one alike; plain SGD is one ``add_`` per parameter, which the loop does as
    fast, so it keeps torch's default.
    """
    devices = {p.device.type for p in params}
    fusable = config.name in ("adam", "adamw", "sgd", "adagrad") and all(torch.is_floating_point(p) for p in params)
    if devices == {"cuda"}:
        return {"fused": True} if fusable else {"foreach": True}
    plain_sgd = config.name == "sgd" and config.momentum == 0 and config.weight_decay == 0
    if devices == {"cpu"} and fusable and not plain_sgd:
        return {"fused": True}
    return {}


#: Modules whose weights are never decayed: shrinking a norm's scale or an embedding table
#: toward zero only hurts (the GPT-2/minGPT convention).
_NO_DECAY_MODULES: tuple[type, ...] = (
    torch.nn.Embedding, torch.nn.LayerNorm, torch.nn.GroupNorm, torch.nn.RMSNorm,
    torch.nn.modules.batchnorm._BatchNorm, torch.nn.modules.instancenorm._InstanceNorm,
)


def _no_decay_module(module: torch.nn.Module) -> bool:
    if isinstance(module, _NO_DECAY_MODULES):
        return True
    # Learned position tables are embeddings too (graph layer ``embed.positional``).
    return type(module).__name__ == "LearnedPositional"


def weight_decay_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    """Split ``model``'s trainable parameters into a decayed and an undecayed group.

    Weight matrices of linear/conv layers decay; biases, every other 1-D parameter, norm
    weights and embedding tables (including a head tied to an embedding) do not. A
    parameter shared by several modules is listed once, undecayed if any owner says so.

    Example::

        groups = weight_decay_groups(model, 0.1)
        torch.optim.AdamW(groups, lr=3e-4)
    """
    owners_say_no: dict[int, bool] = {}
    order: list[torch.nn.Parameter] = []
    for module in model.modules():
        for param in module.parameters(recurse=False):
            if not will_train(param):
                continue
            key = id(param)
            if key not in owners_say_no:
                order.append(param)
                owners_say_no[key] = False
            if _no_decay_module(module) or param.dim() < 2:
                owners_say_no[key] = True
    decay = [p for p in order if not owners_say_no[id(p)]]
    no_decay = [p for p in order if owners_say_no[id(p)]]
    groups = []
    if decay:
        groups.append({"params": decay, "weight_decay": weight_decay})
    if no_decay:
        groups.append({"params": no_decay, "weight_decay": 0.0})
    return groups


def will_train(param: torch.nn.Parameter) -> bool:
    """Trainable now, or frozen until a later epoch (``param.unfreeze_epoch``, set by gradual
    unfreezing); the optimizer holds both, and skips a parameter while it has no gradient."""
    return param.requires_grad or getattr(param, "unfreeze_epoch", None) is not None


def lr_scale_groups(groups: list[dict], lr: float) -> list[dict]:
    """Split groups by each parameter's ``lr_scale`` (discriminative learning rates).

    A layer marks parameters that should learn slower or faster than the rest, e.g. the
    lower blocks of a pretrained base; unmarked parameters learn at ``lr``.

    Example::

        for p in model.encoder.parameters():
            p.lr_scale = 0.1                      # the base learns at a tenth of the head's rate
        optimizer = build_optimizer(model, OptimizerConfig(name="adamw", lr=1e-3))
    """
    out: list[dict] = []
    for group in groups:
        by_scale: dict[float, list[torch.nn.Parameter]] = {}
        for p in group["params"]:
            by_scale.setdefault(float(getattr(p, "lr_scale", 1.0)), []).append(p)
        for scale, params in by_scale.items():
            entry = {**group, "params": params}
            if scale != 1.0:
                entry["lr"] = lr * scale
            out.append(entry)
    return out


def build_optimizer(params, config: OptimizerConfig) -> torch.optim.Optimizer:
    """A torch optimizer over the trainable parameters as the settings describe.

    ``params`` is a model or an iterable of parameters. Given a model and a weight decay,
    the decay skips biases, norms and embeddings (see :func:`weight_decay_groups`).
    Parameters with an ``lr_scale`` attribute learn at that multiple of the rate
    (:func:`lr_scale_groups`).
    """
    if isinstance(params, torch.nn.Module):
        if config.weight_decay > 0:
            groups = weight_decay_groups(params, config.weight_decay)
            flat = [p for g in groups for p in g["params"]]
            return _make_optimizer(lr_scale_groups(groups, config.lr), flat, config)
        params = params.parameters()
    params = [p for p in params if will_train(p)]
    if any(hasattr(p, "lr_scale") for p in params):
        return _make_optimizer(lr_scale_groups([{"params": params}], config.lr), params, config)
    return _make_optimizer(params, params, config)


def _make_optimizer(params, flat: list[torch.nn.Parameter], config: OptimizerConfig) -> torch.optim.Optimizer:
    fast = _fast_path(flat, config)
    if fast:
        try:  # on copies of the groups: torch writes its defaults into them
            return _torch_optimizer([dict(p) if isinstance(p, dict) else p for p in params], config, fast)
        except (RuntimeError, TypeError, ValueError):  # a torch without this fused kernel
            pass
    return _torch_optimizer(params, config, {})


def _torch_optimizer(params, config: OptimizerConfig, fast: dict) -> torch.optim.Optimizer:
    if config.name == "sgd":
        return torch.optim.SGD(params, lr=config.lr, momentum=config.momentum, nesterov=config.nesterov,
                               weight_decay=config.weight_decay, **fast)
    if config.name == "adam":
        return torch.optim.Adam(params, lr=config.lr, betas=config.betas, eps=config.eps,
                                weight_decay=config.weight_decay, **fast)
    if config.name == "adamw":
        return torch.optim.AdamW(params, lr=config.lr, betas=config.betas, eps=config.eps,
                                 weight_decay=config.weight_decay, **fast)
    if config.name == "rmsprop":
        return torch.optim.RMSprop(params, lr=config.lr, momentum=config.momentum, eps=config.eps,
                                   weight_decay=config.weight_decay, **fast)
    if config.name == "adagrad":
        return torch.optim.Adagrad(params, lr=config.lr, eps=max(config.eps, 1e-10),
                                   weight_decay=config.weight_decay, **fast)
    raise ValueError(config.name)  # pragma: no cover - TrainConfig validated the name


class LRSchedule:
    """Sets each parameter group's learning rate from the optimizer step count.

    ``lr = base_lr * warmup(step) * schedule(step) * plateau_scale``; call :meth:`step`
    after every optimizer step and :meth:`on_evaluation` after every evaluation.

    Example::

        schedule = LRSchedule(optimizer, SchedulerConfig(name="cosine", warmup_steps=100),
                              total_steps=5000, steps_per_epoch=250)
        for batch in batches:
            ...; optimizer.step(); schedule.step()
    """

    def __init__(self, optimizer: torch.optim.Optimizer, config: SchedulerConfig, *,
                 total_steps: int, steps_per_epoch: int) -> None:
        self.optimizer = optimizer
        self.config = config
        self.total_steps = max(int(total_steps), 1)
        self.steps_per_epoch = max(int(steps_per_epoch), 1)
        self.base_lrs = [group.get("initial_lr", group["lr"]) for group in optimizer.param_groups]
        for group, lr in zip(optimizer.param_groups, self.base_lrs):
            group["initial_lr"] = lr
        self.step_count = 0
        self.plateau_scale = 1.0
        self.plateau_best: float | None = None
        self.plateau_bad = 0
        self._apply()

    # -- the schedule as a function of the step ------------------------------------------
    def factor(self, step: int) -> float:
        """Multiplier on the base learning rate at optimizer step ``step`` (0-based)."""
        opts = self.config.options
        warmup = self.config.warmup_steps
        w = min(1.0, (step + 1) / warmup) if warmup > 0 and step < warmup else 1.0
        name = self.config.name
        if name in ("none", "plateau"):
            f = 1.0
        elif name == "step":
            f = opts["gamma"] ** (step // (opts["step_size"] * self.steps_per_epoch))
        elif name == "exponential":
            f = opts["gamma"] ** (step // self.steps_per_epoch)
        elif name == "cosine":
            span = max(self.total_steps - warmup, 1)
            t = min(max(step - warmup, 0) / span, 1.0)
            base = self.base_lrs[0]
            floor = min(opts["min_lr"] / base, 1.0) if base > 0 else 0.0
            f = floor + (1.0 - floor) * 0.5 * (1.0 + math.cos(math.pi * t))
        elif name == "onecycle":
            f = self._onecycle(step)
        else:  # pragma: no cover - validated
            raise ValueError(name)
        return w * f

    def _onecycle(self, step: int) -> float:
        """Cosine rise from max_lr/div_factor to max_lr over pct_start, then down to ~0."""
        opts = self.config.options
        base = self.base_lrs[0]
        peak = (opts["max_lr"] or base) / base if base > 0 else 1.0
        start = peak / opts["div_factor"]
        end = start / opts["final_div_factor"]
        rise = max(int(opts["pct_start"] * self.total_steps), 1)
        if step < rise:
            t = step / rise
            return peak + (start - peak) * 0.5 * (1 + math.cos(math.pi * t))
        t = min((step - rise) / max(self.total_steps - rise, 1), 1.0)
        return end + (peak - end) * 0.5 * (1 + math.cos(math.pi * t))

    def _apply(self) -> None:
        f = self.factor(self.step_count) * self.plateau_scale
        for group, base in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = base * f

    # -- events ---------------------------------------------------------------------------
    def step(self) -> None:
        self.step_count += 1
        if self.config.name != "none" or self.config.warmup_steps:
            self._apply()

    def on_evaluation(self, metrics: dict[str, float]) -> None:
        """Reduce on plateau: shrink the rate after ``patience`` evaluations without progress."""
        if self.config.name != "plateau":
            return
        opts = self.config.options
        value = metrics.get(opts["monitor"])
        if value is None:  # "val_f1" in a multiclass project made before the metric was named val_f1_macro
            from app.core.train.metrics import canonical_metric

            value = metrics.get(canonical_metric("classification", opts["monitor"]))
        if value is None or not math.isfinite(value):
            return
        maximize = not is_minimized(opts["monitor"])
        if self.plateau_best is None or (
            value > self.plateau_best + opts["threshold"] if maximize else value < self.plateau_best - opts["threshold"]
        ):
            self.plateau_best = value
            self.plateau_bad = 0
            return
        self.plateau_bad += 1
        if self.plateau_bad > opts["patience"]:
            floor = opts["min_lr"] / self.base_lrs[0] if self.base_lrs[0] > 0 else 0.0
            self.plateau_scale = max(self.plateau_scale * opts["factor"], floor)
            self.plateau_bad = 0
            self._apply()

    @property
    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    def state_dict(self) -> dict:
        return {"step_count": self.step_count, "plateau_scale": self.plateau_scale,
                "plateau_best": self.plateau_best, "plateau_bad": self.plateau_bad,
                "base_lrs": list(self.base_lrs)}

    def load_state_dict(self, state: dict) -> None:
        self.step_count = int(state["step_count"])
        self.plateau_scale = float(state["plateau_scale"])
        self.plateau_best = state["plateau_best"]
        self.plateau_bad = int(state["plateau_bad"])
        self.base_lrs = [float(x) for x in state["base_lrs"]]
        self._apply()


def is_minimized(metric: str) -> bool:
    """Whether smaller is better for a metric name such as ``val_loss`` or ``val_accuracy``."""
    bare = metric.split("_", 1)[1] if metric.startswith(("val_", "train_", "test_")) else metric
    return bare in MINIMIZED_METRICS


MINIMIZED_METRICS = ("loss", "mae", "mse", "rmse", "perplexity")
