"""Checkpoints that ``torch.load(path, weights_only=True)`` can read.

Everything is stored as tensors and plain containers: the numpy and Python random states
are turned into lists, the trainer state into a JSON string. Files are written atomically
(temporary file, fsync, rename), so ``kill -9`` at any moment leaves the previous
checkpoint intact.
"""

from __future__ import annotations

import copy as _copy
import json
import random
import warnings
from pathlib import Path

import numpy as np
import torch

from app.core.errors import ModelwrightError
from app.core.runs import atomic_writer

FORMAT = "modelwright-checkpoint"
VERSION = 1


class CheckpointError(ModelwrightError):
    """A checkpoint file cannot be read or does not fit the model."""


def capture_rng_state() -> dict:
    """All random generators a training step may draw from, as weights_only-safe values."""
    np_state = np.random.get_state()
    py_state = random.getstate()
    state = {
        "torch": torch.get_rng_state(),
        "numpy": {"name": str(np_state[0]), "keys": torch.from_numpy(np_state[1].astype(np.int64)),
                  "pos": int(np_state[2]), "has_gauss": int(np_state[3]), "cached_gaussian": float(np_state[4])},
        "python": {"version": py_state[0], "state": list(py_state[1]), "gauss_next": py_state[2]},
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    npd = state["numpy"]
    np.random.set_state((npd["name"], npd["keys"].numpy().astype(np.uint32), npd["pos"], npd["has_gauss"],
                         npd["cached_gaussian"]))
    pyd = state["python"]
    random.setstate((pyd["version"], tuple(pyd["state"]), pyd["gauss_next"]))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def build_payload(*, model: torch.nn.Module, optimizer, schedule, scaler, trainer_state: dict,
                  config: dict, copy: bool = False) -> dict:
    """Everything a resume needs, as tensors and plain containers.

    ``copy=True`` detaches the payload from the live objects (for a checkpoint that is
    written a little later, see ``CheckpointConfig``).
    """
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": schedule.state_dict(),
        "scaler": scaler.state_dict() if scaler is not None else None,
        "rng": capture_rng_state(),
        "trainer_state": trainer_state,
        "config": config,
        "data_position": {"epoch": trainer_state["epoch"], "batch_in_epoch": trainer_state["batch_in_epoch"]},
    }
    if copy:
        # Only the live tensors need copying; the rest was built fresh above.
        payload["model"] = {k: v.detach().clone() for k, v in payload["model"].items()}
        payload["optimizer"] = _copy.deepcopy(payload["optimizer"])
        payload["scheduler"] = _copy.deepcopy(payload["scheduler"])
        payload["scaler"] = _copy.deepcopy(payload["scaler"])
    return payload


def write_payload(path: Path, payload: dict) -> None:
    """Write a checkpoint payload to ``path`` atomically."""
    # The trainer state and settings go in as JSON text, so every value in them stays a
    # plain type whatever callbacks put there (and JSON is made only when writing).
    payload = dict(payload, trainer_state=json.dumps(payload["trainer_state"]), config=json.dumps(payload["config"]))
    with atomic_writer(path, "wb") as f:
        torch.save(payload, f)


def load_checkpoint(path: Path, map_location: str | torch.device = "cpu", *, mmap: bool = False) -> dict:
    """Read a checkpoint safely (no unpickling of arbitrary objects). ``mmap=True`` maps the
    tensors instead of reading them: a cheap check that a file is a checkpoint of this app."""
    try:
        with warnings.catch_warnings():  # torch warns about foreign pickles before refusing them
            warnings.simplefilter("ignore")
            payload = torch.load(path, map_location=map_location, weights_only=True, mmap=mmap)
    except FileNotFoundError:
        raise CheckpointError(f"Checkpoint '{path}' does not exist.") from None
    except Exception as exc:  # torch raises several types for corrupt or foreign files
        raise CheckpointError(f"Checkpoint '{path}' cannot be read ({str(exc).splitlines()[0]}); "
                              "it may be damaged or not made by this app.") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"'{path}' is not a checkpoint made by this app.")
    if int(payload.get("version", 0)) > VERSION:
        raise CheckpointError(f"Checkpoint '{path}' was written by a newer version of the app; update the app.")
    payload["trainer_state"] = json.loads(payload["trainer_state"])
    payload["config"] = json.loads(payload["config"])
    return payload
