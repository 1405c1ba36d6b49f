"""Training on several processes with ``torchrun`` (DistributedDataParallel).

``torchrun`` starts one process per GPU (or several CPU processes) and tells each its place
through the environment (``WORLD_SIZE``, ``RANK``, ``LOCAL_RANK``, ``MASTER_ADDR``...).
:func:`init_distributed` reads that, joins the process group (NCCL on CUDA, gloo on CPU)
and returns a :class:`DistributedContext`; without ``torchrun`` it returns None and
everything runs as a single process.

How the engine uses it:

- every process prepares the same data and builds the same model (same seed); DDP
  averages the gradients, so the weights stay identical on every process;
- each process trains on its share of an epoch: :func:`shard_order` deals out the epoch
  order (recomputed from ``(seed, epoch)`` as always) like cards, padded so every process
  gets the same number of batches (``batch_size`` is per process);
- only rank 0 writes the run directory (checkpoints, metrics, summary, weights) and
  reports progress; decisions to stop are agreed on by all processes (:func:`agree_to_end`),
  so no process is left waiting for the others;
- resume works as for one process: every process loads ``checkpoints/last.pt`` (the run
  directory must be on storage every node can read).

Example (two CPU processes on one machine)::

    torchrun --nproc_per_node=2 main.py train project.mwproj --steps 200
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from datetime import timedelta

import torch
import torch.distributed as dist

from app.core.errors import ModelwrightError


class DistributedError(ModelwrightError):
    """The torchrun environment is incomplete, or the processes cannot reach each other."""


@dataclass(frozen=True)
class DistributedContext:
    """This process's place among the training processes."""

    rank: int
    local_rank: int
    world_size: int
    backend: str

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def launched_by_torchrun() -> bool:
    """True when the environment describes more than one training process."""
    try:
        return int(os.environ.get("WORLD_SIZE", "1")) > 1
    except ValueError:
        return False


def launch_rank() -> int:
    """This process's rank as torchrun set it (0 outside torchrun), readable before and after training."""
    try:
        return int(os.environ.get("RANK", "0"))
    except ValueError:
        return 0


def _env_int(name: str) -> int:
    value = os.environ.get(name)
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DistributedError(f"Distributed training needs the environment variable {name} (a whole number), "
                               f"got {value!r}; start training with torchrun.") from None


def current_context() -> DistributedContext | None:
    """The context of an already joined process group, or None for a single process."""
    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() <= 1:
        return None
    return DistributedContext(dist.get_rank(), int(os.environ.get("LOCAL_RANK", dist.get_rank())),
                              dist.get_world_size(), dist.get_backend())


def init_distributed(device: str = "auto") -> DistributedContext | None:
    """Join the process group torchrun describes; None when not launched by torchrun.

    ``device`` is the run's device setting: ``cpu`` forces gloo; otherwise NCCL is used
    when CUDA is available, and each process takes the GPU of its ``LOCAL_RANK``.
    """
    existing = current_context()
    if existing is not None or not launched_by_torchrun():
        return existing
    if not dist.is_available():
        raise DistributedError("This torch build has no distributed support; train with a single process.")
    rank, world, local_rank = _env_int("RANK"), _env_int("WORLD_SIZE"), _env_int("LOCAL_RANK")
    use_cuda = device in ("auto", "cuda") and torch.cuda.is_available()
    if use_cuda:
        if local_rank >= torch.cuda.device_count():
            raise DistributedError(f"Process {rank} wants GPU {local_rank}, but this machine has "
                                   f"{torch.cuda.device_count()}; lower --nproc_per_node.")
        torch.cuda.set_device(local_rank)
    backend = "nccl" if use_cuda else "gloo"
    try:
        dist.init_process_group(backend=backend, rank=rank, world_size=world, timeout=timedelta(minutes=30))
    except (RuntimeError, ValueError) as exc:
        raise DistributedError(f"Training process {rank} of {world} could not reach the others "
                               f"({str(exc).splitlines()[0]}); check MASTER_ADDR/MASTER_PORT.") from exc
    return DistributedContext(rank, local_rank, world, backend)


#: How long a finished process waits for the others before leaving anyway (gloo only; NCCL
#: waits up to the group's own timeout). Ends are agreed, so they arrive within moments.
END_BARRIER_SECONDS = 60


def _wait_for_the_others() -> None:
    try:
        if dist.get_backend() == "gloo":
            dist.monitored_barrier(timeout=timedelta(seconds=END_BARRIER_SECONDS))
        else:
            dist.barrier()
    except RuntimeError:  # a peer is gone already: nothing left to wait for
        pass


def shutdown(*, finished: bool = True) -> None:
    """Leave the process group (after training, so torchrun exits cleanly).

    After a run that ``finished`` on every process, wait for all of them first: a process
    that tears its connections down while a peer still talks to it can abort the peer.
    Then free the DDP wrapper and anything else still holding the group (it sits in
    reference cycles until a collection), so the group's worker threads are joined now,
    by ``destroy_process_group``, rather than during interpreter exit, where a still-running
    C++ thread aborts the process ("terminate called without an active exception").
    """
    if not (dist.is_available() and dist.is_initialized()):
        return
    if finished:
        _wait_for_the_others()
    gc.collect()
    dist.destroy_process_group()


def is_main_process() -> bool:
    ctx = current_context()
    return ctx is None or ctx.is_main


def shard_order(order: torch.Tensor, rank: int, world_size: int) -> torch.Tensor:
    """This process's share of an epoch order: every ``world_size``-th index from ``rank``.

    The order is first padded by repeating its start, so every process gets the same number
    of samples (and so of batches; DDP needs the processes in step).
    """
    n = len(order)
    if n == 0:
        return order
    per_rank = -(-n // world_size)
    padded = per_rank * world_size
    if padded > n:
        order = torch.cat([order, order[: padded - n]])
    return order[rank::world_size]


def samples_per_rank(n: int, world_size: int) -> int:
    return -(-n // world_size)


def wrap_model(model: torch.nn.Module, ctx: DistributedContext, device: torch.device) -> torch.nn.Module:
    """The model inside DistributedDataParallel (gradients averaged across processes)."""
    from torch.nn.parallel import DistributedDataParallel

    if device.type == "cuda":
        return DistributedDataParallel(model, device_ids=[torch.cuda.current_device()])
    return DistributedDataParallel(model)


def _device_for_collectives(ctx: DistributedContext) -> torch.device:
    return torch.device("cuda", torch.cuda.current_device()) if ctx.backend == "nccl" else torch.device("cpu")


def agree_to_end(ctx: DistributedContext, code: int) -> int:
    """The largest ``code`` any process gives (0 go on; higher codes end the run): one small all-reduce."""
    flag = torch.tensor([code], dtype=torch.int64, device=_device_for_collectives(ctx))
    dist.all_reduce(flag, op=dist.ReduceOp.MAX)
    return int(flag.item())


def sum_across(ctx: DistributedContext, values: list[float]) -> list[float]:
    """Element-wise sums of ``values`` over all processes."""
    t = torch.tensor(values, dtype=torch.float64, device=_device_for_collectives(ctx))
    dist.all_reduce(t, op=dist.ReduceOp.SUM)
    return t.tolist()


def broadcast_from_main(ctx: DistributedContext | None, value):
    """Rank 0's ``value`` on every process (any picklable object)."""
    if ctx is None:
        return value
    box = [value if ctx.is_main else None]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def barrier(ctx: DistributedContext | None) -> None:
    if ctx is not None:
        dist.barrier()
