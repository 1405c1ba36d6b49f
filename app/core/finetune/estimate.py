"""Pre-flight estimate for a fine-tuning run: parameters, memory, step size and time.

Before a long run the user sees what will train (trainable and total parameters), the
memory one step needs (weights, gradients, optimizer state, activations at the chosen
batch size and sequence length), how many samples and tokens each optimizer step sees,
and how long the run will take from a short measured warm-up on the real device. When
it will not fit the detected device, :attr:`Estimate.fixes` says what would (a smaller
batch with gradient accumulation, LoRA, shorter sequences, gradient checkpointing, bf16),
each with its own figure. Memory of the layers around the base comes from
:func:`app.core.lm.memory.estimate_memory`; the base's inside is priced here.

Example::

    est = estimate_project(load_project("reviews.mwproj"), n_train=1600)
    print(est.describe())
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

from app.core.lm.memory import format_bytes, optimizer_state_bytes

#: Share of the device's free memory a run may plan to use (allocator overhead, fragmentation).
USABLE_SHARE = 0.9


@dataclass(frozen=True)
class Estimate:
    """The figures the wizard's review page and ``describe`` show (bytes, seconds)."""

    device: str
    device_free_bytes: int | None
    parameters: int
    trainable_parameters: int
    weights_bytes: int
    gradients_bytes: int
    optimizer_bytes: int
    activations_bytes: int
    batch_size: int
    grad_accum: int
    seq_len: int
    steps_per_epoch: int | None
    epochs: int
    seconds_per_step: float | None
    fixes: list[str] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.gradients_bytes + self.optimizer_bytes + self.activations_bytes

    @property
    def samples_per_step(self) -> int:
        return self.batch_size * self.grad_accum

    @property
    def tokens_per_step(self) -> int:
        return self.samples_per_step * self.seq_len

    @property
    def fits(self) -> bool:
        return self.device_free_bytes is None or self.total_bytes <= USABLE_SHARE * self.device_free_bytes

    @property
    def total_seconds(self) -> float | None:
        if self.seconds_per_step is None or self.steps_per_epoch is None:
            return None
        return self.seconds_per_step * self.steps_per_epoch * self.epochs

    def describe(self) -> str:
        share = 100.0 * self.trainable_parameters / max(self.parameters, 1)
        lines = [
            f"Trainable parameters: {self.trainable_parameters:,} of {self.parameters:,} ({share:.2f} %).",
            f"Memory per step: ~{format_bytes(self.total_bytes)} (weights {format_bytes(self.weights_bytes)}, "
            f"gradients {format_bytes(self.gradients_bytes)}, optimizer {format_bytes(self.optimizer_bytes)}, "
            f"activations {format_bytes(self.activations_bytes)}).",
            f"Each step: {self.samples_per_step} samples, {self.tokens_per_step:,} tokens "
            f"(batch {self.batch_size} x {self.grad_accum} accumulated, {self.seq_len} tokens each).",
        ]
        if self.device_free_bytes is not None:
            verdict = "fits" if self.fits else "does NOT fit"
            lines.append(f"Device {self.device}: {format_bytes(self.device_free_bytes)} free; the run {verdict}.")
        if self.total_seconds is not None:
            lines.append(f"Time: {self.seconds_per_step:.2f} s per step (measured), {self.steps_per_epoch} steps per "
                         f"epoch, about {_duration(self.total_seconds)} for {self.epochs} epochs.")
        if self.fixes:
            lines.append("To make it fit: " + " ".join(f"({i}) {fix}" for i, fix in enumerate(self.fixes, 1)))
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in (
            "device", "device_free_bytes", "parameters", "trainable_parameters", "weights_bytes", "gradients_bytes",
            "optimizer_bytes", "activations_bytes", "total_bytes", "batch_size", "grad_accum", "seq_len",
            "samples_per_step", "tokens_per_step", "steps_per_epoch", "epochs", "seconds_per_step", "total_seconds",
            "fits", "fixes")}


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def base_activation_numbers(info, params: dict, batch: int, seq_len: int) -> float:
    """Numbers a pretrained base keeps for the backward pass (Korthikanti et al.'s per-layer count)."""
    strategy = params.get("strategy", "full")
    if strategy == "head":
        return 0.0  # the base runs without gradients
    n, h, heads = info.n_layers, info.hidden_size, info.n_heads
    layers = n - int(params.get("freeze_blocks", 0)) if strategy == "freeze_n" else n
    per_layer = batch * seq_len * h * 17 + 2.5 * heads * batch * seq_len * seq_len
    if params.get("gradient_checkpointing"):
        kept = layers * batch * seq_len * h + (per_layer if layers else 0)
    else:
        kept = layers * per_layer
    kept += batch * seq_len * h  # the embeddings' output
    if info.kind == "causal-lm":
        kept += 2 * batch * seq_len * info.vocab_size  # logits and their float32 log-softmax
    return kept


def memory_parts(graph, *, parameters: int, trainable: int, batch: int, seq_len: int, precision: str,
                 optimizer: str, momentum: float = 0.0) -> tuple[int, int, int, int]:
    """(weights, gradients, optimizer, activations) bytes of one training step of ``graph``."""
    from app.core.finetune.bases import inspect_base
    from app.core.lm.memory import estimate_memory

    act_bytes = 2 if precision in ("bf16", "fp16") else 4
    around = estimate_memory(graph, batch_size=batch, seq_len=seq_len, precision=precision, optimizer=optimizer,
                             momentum=momentum, trainable_parameters=trainable).activations_bytes
    inside = 0.0
    for node in graph.nodes:
        if node.type.startswith("pretrained."):
            inside += base_activation_numbers(inspect_base(node.params["base"]), node.params, batch, seq_len)
    return (4 * parameters, 4 * trainable, optimizer_state_bytes(optimizer, momentum) * trainable,
            int(around + inside * act_bytes))


def device_free_bytes(device) -> int | None:
    """Free memory of the device training will use (RAM for the CPU)."""
    import torch

    if device.type == "cuda":
        return int(torch.cuda.mem_get_info(device)[0])
    if device.type == "mps":
        return int(torch.mps.recommended_max_memory() - torch.mps.current_allocated_memory())
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:  # pragma: no cover - psutil ships with the app
        return None


def estimate_project(project, *, n_train: int | None = None, warmup_steps: int = 2, measure: bool = True,
                     progress=None) -> Estimate:
    """Estimate a fine-tuning project's run (see the module docstring).

    ``n_train`` is the number of training samples (windows for language models); without it
    the project's data is prepared to count them. ``measure=False`` skips the timed warm-up.
    """
    import torch

    from app.core.finetune.strategies import count_parameters
    from app.core.graph.compiler import compile_graph
    from app.core.progress import Progress
    from app.core.train.config import TrainConfig
    from app.core.train.devices import effective_precision, resolve_device

    report = Progress(progress)
    config = TrainConfig.from_dict(project.training)
    device = resolve_device(config.device)
    precision = effective_precision(config.precision, device)
    graph = project.graph
    seq_len = int(graph.node(graph.input_ids()[0]).params["shape"][0])
    if n_train is None and project.data is not None:
        report(0.05, "Counting the training samples")
        from app.core.data import prepare

        n_train = len(prepare(project.data, project.folder).train)
    report(0.2, "Loading the base model")
    model = compile_graph(graph)
    trainable, total = count_parameters(model)
    weights, grads, optim, acts = memory_parts(graph, parameters=total, trainable=trainable, batch=config.batch_size,
                                               seq_len=seq_len, precision=precision, optimizer=config.optimizer.name,
                                               momentum=config.optimizer.momentum)
    steps = math.ceil(math.ceil(n_train / config.batch_size) / config.grad_accum) if n_train else None
    seconds = None
    if measure:
        report(0.5, "Measuring a few training steps")
        seconds = measure_step_seconds(model, project, config, device, precision, warmup_steps, report)
    est = Estimate(device=str(device), device_free_bytes=device_free_bytes(device), parameters=total,
                   trainable_parameters=trainable, weights_bytes=weights, gradients_bytes=grads, optimizer_bytes=optim,
                   activations_bytes=acts, batch_size=config.batch_size, grad_accum=config.grad_accum,
                   seq_len=seq_len, steps_per_epoch=steps, epochs=config.epochs if not config.steps else 1,
                   seconds_per_step=seconds)
    if config.steps:
        est = replace(est, steps_per_epoch=config.steps)
    report(1.0, "Estimate ready")
    del model
    if device.type == "cuda":
        torch.cuda.empty_cache()
    return replace(est, fixes=[] if est.fits else suggest_fixes(est, project, precision, device))


def measure_step_seconds(model, project, config, device, precision, warmup_steps, report) -> float:
    """Seconds per optimizer step: one untimed warm-up step, then ``warmup_steps`` timed ones."""
    import torch

    from app.core.data.info import DataInfo
    from app.core.train.devices import autocast_context
    from app.core.train.losses import build_loss
    from app.core.train.optim import build_optimizer

    info = _data_info(project)
    graph = project.graph
    params = graph.node(graph.input_ids()[0]).params
    vocab, seq_len = int(params["vocab_size"]), int(params["shape"][0])
    gen = torch.Generator().manual_seed(0)
    batch = config.batch_size
    x = torch.randint(1, vocab, (batch, seq_len), generator=gen)
    if info.task == "language-model":
        y = torch.randint(1, vocab, (batch, seq_len), generator=gen)
    elif info.task == "classification":
        y = torch.randint(0, info.n_outputs, (batch,), generator=gen)
    elif info.task == "binary":
        y = torch.randint(0, 2, (batch, 1), generator=gen).float()
    else:
        y = torch.randn(batch, info.n_outputs, generator=gen)
    _, loss_fn = build_loss(config.loss, info.task)
    model.to(device).train()
    optimizer = build_optimizer(model, config.optimizer)
    x, y = x.to(device), y.to(device)
    times = []
    for i in range(warmup_steps + 1):
        report(0.5 + 0.5 * i / (warmup_steps + 1), "Measuring a few training steps")
        start = time.perf_counter()
        for _ in range(config.grad_accum):
            with autocast_context(precision, device):
                loss = loss_fn(model(x).float(), y)
            loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return min(times[1:]) if len(times) > 1 else times[0]


def _data_info(project) -> "DataInfo":
    from app.core.data.info import DataInfo

    graph = project.graph
    node = graph.node(graph.input_ids()[0])
    out = graph.node(graph.output_ids()[0])
    from app.core.graph.shapes import infer_shapes

    shape = infer_shapes(graph)[out.id].shape
    task = (project.data or {}).get("task")
    if len(shape) == 3:
        task = "language-model"
    elif task is None:
        loss = (project.training.get("loss") or {}).get("name")
        task = {"cross_entropy": "classification", "bce_logits": "binary", "bce": "binary"}.get(loss, "regression")
    return DataInfo("tokens", tuple(node.params["shape"]), task, int(shape[-1]), int(node.params["vocab_size"]))


def suggest_fixes(est: Estimate, project, precision: str, device) -> list[str]:
    """Changes that would make the run fit, each priced with the same model."""
    graph = project.graph
    budget = USABLE_SHARE * (est.device_free_bytes or 0)
    fixed = est.weights_bytes + est.gradients_bytes + est.optimizer_bytes
    fixes = []
    batch, accum, acts = est.batch_size, est.grad_accum, est.activations_bytes
    while batch > 1 and fixed + acts > budget:
        batch, accum, acts = batch // 2, accum * 2, acts // 2
    if batch != est.batch_size and fixed + acts <= budget:
        fixes.append(f"batch size {batch} with gradient accumulation {accum} (same {est.samples_per_step} samples "
                     f"per step): ~{format_bytes(fixed + acts)}.")
    node = next((n for n in graph.nodes if n.type.startswith("pretrained.")), None)
    if node is not None and node.params.get("strategy") != "lora":
        lora_trainable = max(est.trainable_parameters // 100, 1)
        total = est.weights_bytes + lora_trainable * (4 + optimizer_state_bytes("adamw")) + est.activations_bytes
        fixes.append(f"the LoRA strategy (about 1 % of the weights train): ~{format_bytes(total)}.")
    if est.seq_len > 32:
        shorter = fixed + est.activations_bytes // 2
        fixes.append(f"sequences of {est.seq_len // 2} tokens instead of {est.seq_len}: ~{format_bytes(shorter)}.")
    if node is not None and not node.params.get("gradient_checkpointing"):
        from app.core.finetune.bases import inspect_base

        info = inspect_base(node.params["base"])
        act_bytes = 2 if precision in ("bf16", "fp16") else 4
        saved = (base_activation_numbers(info, node.params, est.batch_size, est.seq_len)
                 - base_activation_numbers(info, {**node.params, "gradient_checkpointing": True}, est.batch_size,
                                           est.seq_len)) * act_bytes
        fixes.append(f"gradient checkpointing (about a third slower): ~{format_bytes(est.total_bytes - saved)}.")
    if precision == "fp32" and device.type == "cuda":
        fixes.append(f"bf16 precision (activations at half size): ~{format_bytes(fixed + est.activations_bytes // 2)}.")
    return fixes
