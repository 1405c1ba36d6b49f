"""The search space: which project settings a hyper-parameter search varies, and over what.

A space is plain JSON (``SPACE.json``, also stored in the study folder) so it can be
written by hand, by the GUI, and read back to resume a search::

    {
      "metric": "val_accuracy",             # what to optimise (default: val_loss)
      "direction": "maximize",              # optional; guessed from the metric's name
      "epochs": 10,                          # optional: epochs per trial
      "pruning": true,                       # stop hopeless trials early (default true)
      "seed": 0,                             # sampler seed: the same space and seed give the same trials
      "params": {
        "training.optimizer.lr": {"low": 1e-4, "high": 0.1, "log": true},
        "training.batch_size":   {"choices": [16, 32, 64]},
        "training.optimizer.name": {"choices": ["adam", "sgd"]},
        "graph.dense_1.out_features": {"type": "int", "low": 8, "high": 64, "step": 8},
        "graph.dropout_1.p":     {"low": 0.0, "high": 0.5, "grid": [0.0, 0.25, 0.5]}
      }
    }

A parameter name is ``training.<dotted setting>`` or ``graph.<node id>.<layer parameter>``.
A range (``low``/``high``, optional ``log``, ``step``, ``type`` int|float) or a list of
``choices``; ``grid`` lists the values the grid strategy tries for a range (default: the
ends and the middle, or every step of a small integer range).

Example::

    space = SearchSpace.from_dict(json.loads(Path("space.json").read_text()))
    project = space.apply(load_project("iris.mwproj"), {"training.optimizer.lr": 0.01})
"""

from __future__ import annotations

import copy
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import ModelwrightError

#: Metrics where lower is better; every other metric is maximised.
LOWER_IS_BETTER = ("loss", "mae", "mse", "rmse", "perplexity")
MAX_GRID_POINTS = 3
MAX_GRID_STEPS = 8


class SearchSpaceError(ModelwrightError):
    """The search space file is malformed or names something the project does not have."""


def metric_direction(metric: str) -> str:
    """``minimize`` for losses and errors, ``maximize`` for scores such as accuracy."""
    tail = metric.split("_", 1)[1] if metric.startswith(("val_", "train_")) else metric
    return "minimize" if tail in LOWER_IS_BETTER else "maximize"


@dataclass(frozen=True)
class ParamRange:
    """One varied setting: a numeric range or a list of choices."""

    name: str
    kind: str  # "float", "int" or "choice"
    low: float | None = None
    high: float | None = None
    log: bool = False
    step: float | None = None
    choices: tuple = ()
    grid: tuple = ()

    @property
    def target(self) -> str:
        return self.name.split(".", 1)[0]

    def grid_values(self) -> list:
        """The values the grid strategy tries."""
        if self.kind == "choice":
            return list(self.choices)
        if self.grid:
            return list(self.grid)
        if self.kind == "int":
            step = int(self.step or 1)
            values = list(range(int(self.low), int(self.high) + 1, step))
            if len(values) <= MAX_GRID_STEPS:
                return values
        if self.log:
            mid = math.sqrt(self.low * self.high)
        else:
            mid = (self.low + self.high) / 2
        values = [self.low, mid, self.high]
        if self.kind == "int":
            values = [int(round(v)) for v in values]
        return list(dict.fromkeys(values))[:MAX_GRID_POINTS]

    def describe(self) -> str:
        if self.kind == "choice":
            return ", ".join(map(str, self.choices))
        text = f"{self.low:g} … {self.high:g}"
        return text + (" (log)" if self.log else "")

    def to_dict(self) -> dict:
        if self.kind == "choice":
            return {"choices": list(self.choices)}
        d: dict = {"type": self.kind, "low": self.low, "high": self.high}
        if self.log:
            d["log"] = True
        if self.step is not None:
            d["step"] = self.step
        if self.grid:
            d["grid"] = list(self.grid)
        return d


def _fail(name: str, problem: str) -> None:
    raise SearchSpaceError(f"Search parameter '{name}': {problem}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def parse_range(name: str, spec: Any) -> ParamRange:
    """Check one entry of ``params`` and turn it into a :class:`ParamRange`."""
    if not isinstance(name, str) or not name.startswith(("training.", "graph.")):
        _fail(str(name), "the name must start with 'training.' (a training setting) or 'graph.' "
                         "(a layer parameter, e.g. graph.dense_1.out_features)")
    if name.startswith("graph.") and name.count(".") != 2:
        _fail(name, "a layer parameter is written graph.<node id>.<parameter>, e.g. graph.dense_1.out_features")
    if isinstance(spec, list):
        spec = {"choices": spec}
    if not isinstance(spec, dict):
        _fail(name, "expected a range {\"low\": …, \"high\": …} or a list of choices")
    known = {"type", "low", "high", "log", "step", "choices", "grid"}
    extra = sorted(set(spec) - known)
    if extra:
        _fail(name, f"unknown key '{extra[0]}'; allowed: {', '.join(sorted(known))}")
    if "choices" in spec:
        choices = spec["choices"]
        if not isinstance(choices, list) or not choices:
            _fail(name, "'choices' must be a non-empty list")
        for value in choices:
            if not isinstance(value, (str, int, float, bool)) and value is not None:
                _fail(name, f"choice {value!r} is not a plain value (text, number, true/false or null)")
        return ParamRange(name, "choice", choices=tuple(choices))
    low, high = spec.get("low"), spec.get("high")
    if not (_is_number(low) and _is_number(high)):
        _fail(name, "a range needs numbers 'low' and 'high' (or give 'choices')")
    if low >= high:
        _fail(name, f"'low' ({low:g}) must be below 'high' ({high:g})")
    kind = spec.get("type") or ("int" if isinstance(low, int) and isinstance(high, int)
                                and not isinstance(spec.get("step", 1), float) else "float")
    if kind not in ("int", "float"):
        _fail(name, f"'type' is {kind!r}; expected int or float")
    log = spec.get("log", False)
    if not isinstance(log, bool):
        _fail(name, "'log' must be true or false")
    if log and low <= 0:
        _fail(name, "a log range needs 'low' above 0")
    step = spec.get("step")
    if step is not None and (not _is_number(step) or step <= 0):
        _fail(name, "'step' must be a number above 0")
    if step is not None and log:
        _fail(name, "'step' and 'log' cannot be used together")
    grid = spec.get("grid") or []
    if not isinstance(grid, list) or not all(_is_number(v) and low <= v <= high for v in grid):
        _fail(name, f"'grid' must be a list of numbers between {low:g} and {high:g}")
    if kind == "int":
        if int(low) != low or int(high) != high:
            _fail(name, "an int range needs whole numbers for 'low' and 'high'")
        low, high = int(low), int(high)
        step = int(step) if step is not None else None
    return ParamRange(name, kind, low=low, high=high, log=log, step=step, choices=(), grid=tuple(grid))


@dataclass(frozen=True)
class SearchSpace:
    """What to vary, what to optimise and how long each trial trains."""

    params: tuple[ParamRange, ...]
    metric: str = "val_loss"
    direction: str = "minimize"
    epochs: int | None = None
    pruning: bool = True
    seed: int = 0

    @classmethod
    def from_dict(cls, d: Any) -> "SearchSpace":
        if not isinstance(d, dict):
            raise SearchSpaceError("The search space must be a JSON object with a 'params' section.")
        known = {"params", "metric", "direction", "epochs", "pruning", "seed"}
        extra = sorted(set(d) - known)
        if extra:
            raise SearchSpaceError(f"Unknown search space key '{extra[0]}'; allowed: {', '.join(sorted(known))}.")
        params = d.get("params")
        if not isinstance(params, dict) or not params:
            raise SearchSpaceError("The search space has no 'params' to vary; add at least one, e.g. "
                                   "\"training.optimizer.lr\": {\"low\": 0.0001, \"high\": 0.1, \"log\": true}.")
        metric = d.get("metric", "val_loss")
        if not isinstance(metric, str) or not metric:
            raise SearchSpaceError("'metric' must be a metric name such as val_loss or val_accuracy.")
        direction = d.get("direction") or metric_direction(metric)
        if direction not in ("minimize", "maximize"):
            raise SearchSpaceError(f"'direction' is {direction!r}; expected minimize or maximize.")
        epochs = d.get("epochs")
        if epochs is not None and (not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1):
            raise SearchSpaceError(f"'epochs' is {epochs!r}; expected a whole number of at least 1.")
        pruning = d.get("pruning", True)
        if not isinstance(pruning, bool):
            raise SearchSpaceError("'pruning' must be true or false.")
        seed = d.get("seed", 0)
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise SearchSpaceError(f"'seed' is {seed!r}; expected a whole number of at least 0.")
        ranges = tuple(parse_range(name, spec) for name, spec in params.items())
        return cls(params=ranges, metric=metric, direction=direction, epochs=epochs, pruning=pruning, seed=seed)

    def to_dict(self) -> dict:
        d: dict = {"metric": self.metric, "direction": self.direction, "pruning": self.pruning, "seed": self.seed,
                   "params": {p.name: p.to_dict() for p in self.params}}
        if self.epochs is not None:
            d["epochs"] = self.epochs
        return d

    def grid(self) -> dict[str, list]:
        return {p.name: p.grid_values() for p in self.params}

    def grid_size(self) -> int:
        return math.prod(len(v) for v in self.grid().values())

    # ------------------------------------------------------------------ projects
    def check_project(self, project) -> None:
        """Refuse a space that names a setting or layer parameter the project lacks."""
        from app.core.graph.registry import get_layer_spec

        for p in self.params:
            if p.target != "graph":
                continue
            _, node_id, param = p.name.split(".")
            if not project.graph.has_node(node_id):
                nodes = ", ".join(n.id for n in project.graph.nodes)
                _fail(p.name, f"the network has no layer '{node_id}' (its layers: {nodes})")
            spec = get_layer_spec(project.graph.node(node_id).type)
            names = [ps.name for ps in spec.params]
            if param not in names:
                _fail(p.name, f"layer '{node_id}' ({spec.display_name}) has no parameter '{param}'"
                              + (f"; it has {', '.join(names)}" if names else ""))
        sample = {p.name: (p.choices[0] if p.kind == "choice" else p.low) for p in self.params}
        self.apply(project, sample)  # raises with the setting's own message when a value cannot be used

    def apply(self, project, values: dict[str, Any]):
        """A copy of ``project`` with ``values`` set (and the space's epochs); checked."""
        from app.core.graph.errors import GraphError
        from app.core.project import Project
        from app.core.train.config import TrainConfig

        training = copy.deepcopy(project.training or {})
        graph = project.graph.copy()
        if self.epochs is not None:
            training["epochs"] = self.epochs
            training["steps"] = None
        for name, value in values.items():
            if name.startswith("training."):
                set_dotted(training, name[len("training."):], value)
            else:
                _, node_id, param = name.split(".")
                try:
                    graph.set_param(node_id, param, value)
                except (GraphError, ModelwrightError) as exc:
                    _fail(name, str(exc))
        try:
            TrainConfig.from_dict(training)
        except ModelwrightError as exc:
            raise SearchSpaceError(f"The search sets a training value the engine refuses: {exc}") from exc
        return Project(name=project.name, graph=graph, data=copy.deepcopy(project.data), training=training,
                       finetune=copy.deepcopy(project.finetune), path=project.path)


def set_dotted(d: dict, path: str, value: Any) -> None:
    """``set_dotted(t, "optimizer.lr", 0.1)`` sets ``t["optimizer"]["lr"]`` (creating groups)."""
    keys = path.split(".")
    node = d
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[keys[-1]] = value


def load_space(path: str | os.PathLike) -> SearchSpace:
    """Read a SPACE.json file (every problem is a :class:`SearchSpaceError`)."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SearchSpaceError(f"Search space file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchSpaceError(f"Cannot read the search space '{path}': {exc}") from exc
    except json.JSONDecodeError as exc:
        raise SearchSpaceError(f"'{path.name}' is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg}).") from exc
    return SearchSpace.from_dict(raw)
