"""Training failures a user can fix: running out of memory, or a network too big to build.

PyTorch reports both as bare ``RuntimeError``s ("CUDA out of memory. Tried to allocate ...")
or as ``torch.OutOfMemoryError``; the engine turns them into :class:`OutOfMemoryFailure`
with the fix spelled out, and ends the run keeping the checkpoints saved so far.

Example::

    try:
        loss.backward()
    except Exception as exc:
        if is_out_of_memory(exc):
            raise OutOfMemoryFailure(out_of_memory_message(device="cuda", batch_size=64)) from exc
"""

from __future__ import annotations

from app.core.errors import ModelwrightError

#: Above this many parameters a network cannot be built on any machine this app runs on
#: (4 TB of float32 weights); it also keeps sizes far from integer overflow in torch.
MAX_PARAMETERS = 10**12


class OutOfMemoryFailure(ModelwrightError):
    """Training ran out of memory; the message says what to change."""


class NetworkTooLargeError(ModelwrightError):
    """The network's weights alone would not fit in this computer's memory."""


def is_out_of_memory(exc: BaseException) -> bool:
    """True for PyTorch's out-of-memory errors on any device (and Python's ``MemoryError``)."""
    if isinstance(exc, MemoryError):
        return True
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a hard dependency
        return False
    kinds = tuple(k for k in (getattr(torch, "OutOfMemoryError", None),
                              getattr(getattr(torch, "cuda", None), "OutOfMemoryError", None)) if k is not None)
    if kinds and isinstance(exc, kinds):
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and ("out of memory" in text or "can't allocate memory" in text
                                              or "failed to allocate" in text)


def _device_words(device) -> str:
    kind = getattr(device, "type", str(device))
    return {"cuda": "GPU", "mps": "Apple GPU"}.get(kind, "computer")


def out_of_memory_message(*, device, batch_size: int, grad_accum: int = 1, step: int | None = None,
                          epoch: int | None = None) -> str:
    """Plain words: where memory ran out and the smallest change that usually fixes it."""
    where = f" at step {step}" if step is not None else ""
    if epoch is not None:
        where += f" (epoch {epoch})"
    if batch_size > 1:
        smaller = max(1, batch_size // 2)
        fix = (f"Start a new run with batch size {smaller}, or keep the same effective batch with batch size "
               f"{smaller} and gradient accumulation {grad_accum * 2} (grad_accum)")
    else:
        fix = ("The batch size is already 1: make the network smaller (fewer or narrower layers, a shorter "
               "sequence length)")
    extra = "; bf16 precision or gradient checkpointing also saves memory" if _device_words(device) != "computer" else ""
    return (f"The {_device_words(device)} ran out of memory{where} with batch size {batch_size}. {fix}{extra}. "
            "The checkpoints saved before this are kept.")


def check_network_fits_memory(graph, *, memory_bytes: int | None = None) -> None:
    """Refuse a network whose float32 weights alone exceed this computer's memory.

    Untrusted projects can ask for a layer with 10^15 outputs; building it would exhaust
    memory (or overflow inside torch) instead of giving an answer. Shape inference counts
    the parameters without allocating anything.
    """
    from app.core.graph.shapes import infer_shapes

    try:
        total = int(infer_shapes(graph).total_params)
    except ModelwrightError:
        return  # the network's own problems are reported where it is built
    if memory_bytes is None:
        try:
            import psutil

            memory_bytes = int(psutil.virtual_memory().total)
        except Exception:  # noqa: BLE001 - without a figure, only the absolute limit applies
            memory_bytes = None
    needed = total * 4
    if total > MAX_PARAMETERS or (memory_bytes is not None and needed > memory_bytes):
        have = f" and this computer has {memory_bytes / 2**30:.1f} GiB" if memory_bytes is not None else ""
        raise NetworkTooLargeError(
            f"The network has {total:,} parameters: its weights alone need {needed / 2**30:,.1f} GiB{have}. "
            "Make the layers smaller (fewer units, filters or outputs) in the Design view or the project file."
        )
