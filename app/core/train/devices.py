"""Device, precision and CPU thread choices for a run.

Thread rule (``threads: null``): one torch thread when the machine has two cores or fewer,
or when a training step is small (under ~20 million multiply-adds: parameters × batch
size); otherwise one thread per core up to 8. Measured here: on two shared cores, torch's
default thread pool made a small MLP 7× slower than one thread (threads fight over the
cores and spin on tiny kernels); large matrix products do profit from more threads.
"""

from __future__ import annotations

import contextlib
import random

import numpy as np
import torch

from app.core.errors import ModelwrightError
from app.core.train.config import machine_cores

SMALL_STEP_MACS = 20_000_000
MAX_AUTO_THREADS = 8


class DeviceError(ModelwrightError):
    """The requested device or precision is not available here."""


def cpu_cores() -> int:
    """CPU cores this process may use (the same count that bounds the ``threads`` setting)."""
    return machine_cores()


def resolve_device(name: str) -> torch.device:
    """``auto`` picks CUDA, then Apple MPS, then CPU; an unavailable explicit choice is an error."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise DeviceError("Device 'cuda' was requested but no CUDA GPU is available to this torch build; "
                          "use --device cpu or auto.")
    if name == "mps" and not (getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()):
        raise DeviceError("Device 'mps' was requested but Apple Metal is not available here; use --device cpu or auto.")
    if name not in ("cpu", "cuda", "mps"):
        raise DeviceError(f"Unknown device '{name}'; expected auto, cpu, cuda or mps.")
    return torch.device(name)


def effective_precision(precision: str, device: torch.device) -> str:
    """Mixed precision runs on CUDA only; elsewhere the run quietly uses fp32."""
    if precision == "fp32" or device.type != "cuda":
        return "fp32"
    if precision == "bf16" and not torch.cuda.is_bf16_supported():
        raise DeviceError("Precision 'bf16' needs a GPU that supports bfloat16; use fp16 or fp32.")
    return precision


def autocast_context(precision: str, device: torch.device):
    """A fresh autocast context for one forward pass (a no-op context in fp32)."""
    if precision == "fp32":
        return contextlib.nullcontext()
    dtype = torch.bfloat16 if precision == "bf16" else torch.float16
    return torch.autocast(device_type=device.type, dtype=dtype)


def auto_threads(n_parameters: int, batch_size: int, cores: int | None = None) -> int:
    """The thread count the rule in this module's docstring gives."""
    cores = cpu_cores() if cores is None else cores
    if cores <= 2 or n_parameters * batch_size < SMALL_STEP_MACS:
        return 1
    return min(cores, MAX_AUTO_THREADS)


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch (CPU and CUDA) so a run can be repeated exactly."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
