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
    version = payload.get("version", 0)
    if not _int(version):
        raise _damaged(Path(path), "'version'", version, "a whole number")
    if version > VERSION:
        raise CheckpointError(f"Checkpoint '{path}' was written by a newer version of the app; update the app.")
    check_payload(path, payload)
    return payload


# -------------------------------------------------------------------- validation
# A checkpoint is read back with torch's safe loader, which only guarantees plain
# containers: a hand-edited or damaged file can still hold a string where a count belongs.
# Every field a resume uses is checked here, before anything is written, so a bad file
# gives one sentence and leaves the run directory (summary.json included) as it was.

def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _count(v) -> bool:
    return _int(v) and v >= 0


def _number(v) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) or (isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"))


def _optional(check):
    return lambda v: v is None or check(v)


def _tensor(v) -> bool:
    return isinstance(v, torch.Tensor)


_TRAINER_STATE_FIELDS = {
    "epoch": (_count, "a whole number of at least 0"),
    "global_step": (_count, "a whole number of at least 0"),
    "batch_in_epoch": (_count, "a whole number of at least 0"),
    "batches_per_epoch": (_count, "a whole number of at least 0"),
    "max_epochs": (_optional(_count), "a whole number or null"),
    "max_steps": (_optional(_count), "a whole number or null"),
    "best_metric": (_optional(_number), "a number or null"),
    "best_monitor": (lambda v: isinstance(v, str), "text"),
    "best_epoch": (_optional(_number), "a number or null"),
    "best_step": (_optional(_count), "a whole number or null"),
    "history": (lambda v: isinstance(v, list) and all(isinstance(r, dict) for r in v), "a list of records"),
    "status": (lambda v: isinstance(v, str), "text"),
    "error": (lambda v: v is None or isinstance(v, str), "text or null"),
    "elapsed_seconds": (_number, "a number"),
    "interval_loss_sum": (_number, "a number"),
    "interval_loss_count": (_count, "a whole number of at least 0"),
    "callback_state": (lambda v: isinstance(v, dict) and all(isinstance(x, dict) for x in v.values()),
                       "a group of settings per callback"),
}


def _optimizer_ok(v) -> bool:
    if not isinstance(v, dict) or not isinstance(v.get("state"), dict) or not isinstance(v.get("param_groups"), list):
        return False
    if not all(isinstance(s, dict) for s in v["state"].values()):
        return False
    return all(isinstance(g, dict) and isinstance(g.get("params"), list) and all(_int(i) for i in g["params"])
               for g in v["param_groups"])


def _scheduler_ok(v) -> bool:
    return (isinstance(v, dict) and _count(v.get("step_count")) and _number(v.get("plateau_scale"))
            and _count(v.get("plateau_bad")) and isinstance(v.get("base_lrs"), list)
            and all(_number(x) for x in v["base_lrs"]) and (v.get("plateau_best") is None or _number(v.get("plateau_best"))))


def _rng_ok(v) -> bool:
    if not isinstance(v, dict):
        return False
    t, npd, pyd = v.get("torch"), v.get("numpy"), v.get("python")
    if not (_tensor(t) and t.dtype == torch.uint8):
        return False
    if not (isinstance(npd, dict) and isinstance(npd.get("name"), str) and _tensor(npd.get("keys"))
            and npd["keys"].numel() == 624 and _int(npd.get("pos")) and _int(npd.get("has_gauss"))
            and _number(npd.get("cached_gaussian"))):
        return False
    if not (isinstance(pyd, dict) and _int(pyd.get("version")) and isinstance(pyd.get("state"), (list, tuple))
            and len(pyd["state"]) == 625 and all(_int(x) for x in pyd["state"])
            and (pyd.get("gauss_next") is None or _number(pyd.get("gauss_next")))):
        return False
    cuda = v.get("cuda")
    return cuda is None or (isinstance(cuda, (list, tuple)) and all(_tensor(x) for x in cuda))


_PAYLOAD_FIELDS = {
    "model": (lambda v: isinstance(v, dict) and all(isinstance(k, str) and _tensor(x) for k, x in v.items()),
              "a set of named weight tensors"),
    "optimizer": (_optimizer_ok, "an optimizer state (its 'state' and 'param_groups')"),
    "scheduler": (_scheduler_ok, "a learning-rate schedule state"),
    "scaler": (lambda v: v is None or isinstance(v, dict), "a gradient scaler state or null"),
    "rng": (_rng_ok, "the random generators' states"),
}


_MISSING = object()


def _damaged(path: Path, what: str, value, expected: str) -> CheckpointError:
    if value is _MISSING:
        found = "missing"
    else:
        shown = f"a {type(value).__name__}" if isinstance(value, (dict, list, tuple, torch.Tensor)) else repr(value)[:40]
        found = f"{shown} instead of {expected}"
    return CheckpointError(f"Checkpoint '{path}' is damaged: its {what} is {found}; "
                           "resume from another checkpoint (best.pt) or start a new run.")


def check_payload(path: Path, payload: dict) -> None:
    """Check every field a resume reads; ``trainer_state`` and ``config`` are decoded in place."""
    for key in ("trainer_state", "config"):
        text = payload.get(key)
        if isinstance(text, str):
            try:
                payload[key] = json.loads(text)
            except (ValueError, RecursionError):
                raise _damaged(Path(path), f"'{key}'", "text", "a JSON object") from None
        if not isinstance(payload.get(key), dict):
            raise _damaged(Path(path), f"'{key}'", payload.get(key), "a JSON object")
    for key, (ok, expected) in _PAYLOAD_FIELDS.items():
        if key not in payload:
            raise _damaged(Path(path), f"'{key}'", _MISSING, expected)
        if not ok(payload[key]):
            raise _damaged(Path(path), f"'{key}'", payload[key], expected)
    state = payload["trainer_state"]
    for key, (ok, expected) in _TRAINER_STATE_FIELDS.items():
        if key in state and not ok(state[key]):
            raise _damaged(Path(path), f"training state '{key}'", state[key], expected)


def check_fits_model(path: Path, payload: dict, model: torch.nn.Module, optimizer_config) -> None:
    """Check that a checkpoint's weights, optimizer state and schedule match ``model`` as the
    run's settings build it, so a resume that cannot work is refused before anything is written."""
    from app.core.train.optim import build_optimizer

    path = Path(path)
    expected = model.state_dict()
    saved = payload["model"]
    missing = [k for k in expected if k not in saved]
    extra = [k for k in saved if k not in expected]
    if missing or extra:
        name, what = (missing[0], "lacks") if missing else (extra[0], "has an unknown")
        raise CheckpointError(f"Checkpoint '{path}' does not fit this run's network: it {what} weight '{name}'; "
                              "resume from another checkpoint (best.pt) or start a new run.")
    for key, tensor in expected.items():
        if tuple(saved[key].shape) != tuple(tensor.shape):
            raise CheckpointError(
                f"Checkpoint '{path}' does not fit this run's network: its weight '{key}' is "
                f"{_shape(saved[key])} where the network's is {_shape(tensor)}; resume from another checkpoint "
                "(best.pt) or start a new run.")
    optimizer = build_optimizer(model, optimizer_config)
    groups = optimizer.param_groups
    saved_groups = payload["optimizer"]["param_groups"]
    if len(saved_groups) != len(groups) or any(len(a["params"]) != len(b["params"])
                                               for a, b in zip(saved_groups, groups)):
        raise CheckpointError(
            f"Checkpoint '{path}' does not fit this run's optimizer: it holds {len(saved_groups)} parameter "
            f"group(s) of {[len(g['params']) for g in saved_groups]} where the settings make {len(groups)} of "
            f"{[len(g['params']) for g in groups]}; resume from another checkpoint (best.pt) or start a new run.")
    shapes = {}
    for saved_group, group in zip(saved_groups, groups):
        for index, param in zip(saved_group["params"], group["params"]):
            shapes[index] = tuple(param.shape)
    for index, state in payload["optimizer"]["state"].items():
        if index not in shapes:
            raise CheckpointError(f"Checkpoint '{path}' is damaged: its optimizer keeps state for parameter {index!r}, "
                                  "which no parameter group names; resume from another checkpoint (best.pt) or start "
                                  "a new run.")
        for key, value in state.items():
            if isinstance(value, torch.Tensor) and value.dim() > 0 and tuple(value.shape) != shapes[index]:
                raise CheckpointError(
                    f"Checkpoint '{path}' is damaged: its optimizer state '{key}' of parameter {index} is "
                    f"{_shape(value)} where the parameter is {_shape(shapes[index])}; resume from another checkpoint "
                    "(best.pt) or start a new run.")
    if len(payload["scheduler"]["base_lrs"]) != len(groups):
        raise CheckpointError(
            f"Checkpoint '{path}' is damaged: its learning-rate schedule has {len(payload['scheduler']['base_lrs'])} "
            f"rate(s) for {len(groups)} parameter group(s); resume from another checkpoint (best.pt) or start a new run.")


def _shape(value) -> str:
    dims = tuple(value.shape) if isinstance(value, torch.Tensor) else tuple(value)
    return "×".join(str(d) for d in dims) if dims else "a single number"
