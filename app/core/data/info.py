"""What a model needs to know about its data: the input it gets and the output it owes.

Templates size their graphs from a :class:`DataInfo`, the engine picks losses and metrics
from its ``task``, and ``predict`` turns outputs back into labels with ``class_names``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from app.core.errors import ModelwrightError

InputKind = Literal["vector", "image", "tokens"]
Task = Literal["binary", "classification", "regression", "language-model"]

INPUT_KINDS = ("vector", "image", "tokens")
TASKS = ("binary", "classification", "regression", "language-model")


@dataclass(frozen=True)
class DataInfo:
    """Shape of the prepared data, as the model sees it (batch dimension left out)."""

    input_kind: InputKind
    input_shape: tuple[int, ...]
    task: Task
    n_outputs: int
    vocab_size: int | None = None
    class_names: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.input_kind not in INPUT_KINDS:
            raise ModelwrightError(f"Unknown input kind '{self.input_kind}'; expected one of {', '.join(INPUT_KINDS)}.")
        if self.task not in TASKS:
            raise ModelwrightError(f"Unknown task '{self.task}'; expected one of {', '.join(TASKS)}.")
        object.__setattr__(self, "input_shape", tuple(int(d) for d in self.input_shape))
        if self.class_names is not None:
            object.__setattr__(self, "class_names", tuple(str(c) for c in self.class_names))

    def to_dict(self) -> dict:
        d = asdict(self)
        d["input_shape"] = list(self.input_shape)
        d["class_names"] = list(self.class_names) if self.class_names is not None else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "DataInfo":
        try:
            return cls(
                input_kind=d["input_kind"],
                input_shape=tuple(d["input_shape"]),
                task=d["task"],
                n_outputs=int(d["n_outputs"]),
                vocab_size=d.get("vocab_size"),
                class_names=d.get("class_names"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelwrightError(f"The data description is incomplete or malformed ({exc}).") from exc
