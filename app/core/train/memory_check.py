"""Refuse a training run that cannot fit in memory, before anything is allocated.

Training a network needs far more than its weights: gradients (as much again), the
optimizer's state (Adam/AdamW two numbers per weight, SGD with momentum one), the
activations each layer keeps for the backward pass at the chosen batch size, and working
space for the optimizer step (PyTorch's multi-tensor Adam, SGD and RMSprop make about one
weight-sized temporary). The graph's shape inference gives every layer's output shape
without building the model (:func:`app.core.lm.memory.estimate_memory`), so a
1.3-billion-parameter network is refused in milliseconds instead of swapping the computer
to a halt or being killed by the system half-way through its first step.

Example::

    check_training_fits(project.graph, config)   # MemoryBudgetError: "Training this network needs about 26.7 GB ..."
"""

from __future__ import annotations

from app.core.errors import ModelwrightError
from app.core.safety.training_failures import MAX_PARAMETERS, NetworkTooLargeError

#: Optimizers whose step makes one weight-sized temporary (their multi-tensor code path).
_STEP_TEMPORARY = {"adam": 1, "adamw": 1, "sgd": 1, "rmsprop": 1, "adagrad": 1}


class MemoryBudgetError(NetworkTooLargeError):
    """Training the network at this batch size needs more memory than the device has free."""


def _gb(n: float) -> str:
    return f"{n / 1e9:,.1f} GB" if n >= 1e8 else f"{n / 1e6:,.0f} MB"


def free_memory_bytes(device) -> int | None:
    """Free memory of the device training will use: free GPU memory for CUDA, available RAM
    for the CPU (and Apple GPUs, which share it); None when it cannot be told."""
    try:
        if getattr(device, "type", str(device)) == "cuda":
            import torch

            if torch.cuda.is_available():
                return int(torch.cuda.mem_get_info(device)[0])
            return None
        import psutil

        return int(psutil.virtual_memory().available)
    except Exception:  # noqa: BLE001 - without a figure the check is skipped, never the run
        return None


def _trainable_at_most(graph) -> int | None:
    """A pretrained base may be frozen (fine-tuning decides which of its weights train), so its
    weights count as weights only: the check must never refuse a run that fits. None: all train."""
    bases = [n for n in graph.nodes if n.type.startswith("pretrained.")]
    if not bases:
        return None
    from app.core.graph.shapes import infer_shapes

    report = infer_shapes(graph)
    return sum(int(report[n.id].params or 0) for n in graph.nodes if not n.type.startswith("pretrained."))


def training_memory_bytes(graph, config, device) -> dict | None:
    """The parts of one training step's memory, in bytes, or None when the network's shapes do
    not work out (that is reported where the network is built)."""
    from app.core.lm.memory import MemoryEstimateError, estimate_memory

    kind = getattr(device, "type", str(device))
    precision = config.precision if kind == "cuda" else "fp32"
    try:
        est = estimate_memory(graph, batch_size=config.batch_size, precision=precision,
                              optimizer=config.optimizer.name, momentum=config.optimizer.momentum,
                              gradient_checkpointing=config.gradient_checkpointing, device=kind,
                              trainable_parameters=_trainable_at_most(graph))
    except (MemoryEstimateError, ModelwrightError, OverflowError, ValueError, TypeError, KeyError):
        return None
    parts = {
        "parameters": est.parameters,
        "weights": est.weights_bytes,
        "gradients": est.gradients_bytes,
        "optimizer state": est.optimizer_bytes,
        "activations": est.activations_bytes,
        "optimizer step": _STEP_TEMPORARY.get(config.optimizer.name, 1) * est.gradients_bytes,
    }
    parts["total"] = sum(v for k, v in parts.items() if k != "parameters")
    return parts


def check_training_fits(graph, config, device=None, *, free_bytes: int | None = None) -> dict | None:
    """Raise :class:`MemoryBudgetError` (one sentence with the numbers and a fix) when one
    training step of ``graph`` with ``config`` needs more than the device has free; returns
    the estimate's parts otherwise (None when there is none)."""
    import torch

    device = torch.device("cpu") if device is None else torch.device(device)
    parts = training_memory_bytes(graph, config, device)
    if parts is None:
        return None
    n = parts["parameters"]
    if n > MAX_PARAMETERS:
        raise MemoryBudgetError(
            f"The network has {n:,} parameters, more than any computer can train (the limit is "
            f"{MAX_PARAMETERS:,}). Make the layers smaller (fewer units, filters or outputs) in the Design view "
            "or the project file.")
    free = free_memory_bytes(device) if free_bytes is None else free_bytes
    if free is None or parts["total"] <= free:
        return parts
    where = {"cuda": "the GPU has", "mps": "the computer has"}.get(device.type, "the computer has")
    detail = ", ".join(f"{k} {_gb(parts[k])}" for k in ("weights", "gradients", "optimizer state", "activations",
                                                         "optimizer step") if parts[k])
    batch = config.batch_size
    if parts["activations"] > parts["total"] / 2 and batch > 1:
        fix = f"lower the batch size (try {max(1, batch // 4)}) or make the layers smaller"
    else:
        fix = "make the layers smaller (fewer units, filters or outputs), or lower the batch size"
    raise MemoryBudgetError(
        f"Training this network ({n:,} parameters) needs about {_gb(parts['total'])} at batch size {batch} "
        f"({detail}) but {where} {_gb(free)} free: {fix} in the project's settings.")
