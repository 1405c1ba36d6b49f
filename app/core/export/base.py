"""The common shape of every export format, the parity report, and the registry of formats.

An :class:`Exporter` writes one format into a folder and says how to check it: the export
is loaded back the way its users will load it (onnxruntime, ``torch.jit.load``, the generated
code) and run on the same inputs as the trained model. :func:`app.core.export.export_run`
refuses to call an export successful when that check fails.

Example (adding a format)::

    from app.core.export.base import Exporter, ParityCheck, register_exporter

    @register_exporter
    class NumpyExporter(Exporter):
        name = "numpy"
        title = "NumPy arrays"
        description = "The weights as one .npz file."

        def write(self, run, folder, progress):
            import numpy as np
            np.savez(folder / "weights.npz", **{k: v.numpy() for k, v in run.state_dict.items()})
            return ["weights.npz"]

        def verify(self, run, folder, cases, expected):
            import numpy as np
            saved = np.load(folder / "weights.npz")
            diff = max(float(abs(saved[k] - v.numpy()).max(initial=0)) for k, v in run.state_dict.items())
            return ParityCheck("NumPy reload", diff, 0.0, ["every weight"])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from app.core.export.errors import ExportError

if TYPE_CHECKING:  # torch loads only when an export runs, so listing formats stays light
    import torch


@dataclass
class ParityCheck:
    """How far the exported model's outputs are from the trained model's, on the same inputs."""

    backend: str
    max_abs_diff: float
    tolerance: float
    cases: list[str] = field(default_factory=list)
    error: str | None = None  # the exported model failed to run at all

    @property
    def passed(self) -> bool:
        return self.error is None and math.isfinite(self.max_abs_diff) and self.max_abs_diff <= self.tolerance

    def describe(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        text = (f"Parity check {verdict}: {self.backend} vs the trained model, max abs diff "
                f"{self.max_abs_diff:.3g} (tolerance {self.tolerance:.0e}) on {', '.join(self.cases)}.")
        return text + (f" The exported model failed to run: {self.error}" if self.error else "")

    def to_dict(self) -> dict:
        return {"backend": self.backend, "max_abs_diff": self.max_abs_diff, "tolerance": self.tolerance,
                "passed": self.passed, "cases": list(self.cases), "error": self.error}


def compare(backend: str, tolerance: float, cases, expected: list[torch.Tensor],
            run_case: Callable[[tuple], object]) -> ParityCheck:
    """Run ``run_case(tensors)`` on every case and measure it against ``expected``.

    An exception while running becomes a failed check naming the case, never a crash.
    """
    import torch

    actual = []
    for case in cases:
        try:
            with torch.no_grad():
                actual.append(run_case(case.tensors))
        except Exception as exc:  # noqa: BLE001 - any failure of the exported model is a failed check
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
            return ParityCheck(backend, math.inf, tolerance, [c.label for c in cases],
                               error=f"on {case.label}: {first}")
    return ParityCheck(backend, max_abs_diff(expected, actual), tolerance, [c.label for c in cases])


@dataclass
class ExportResult:
    """What an export produced: the folder, its files, and the parity check (None when not applicable)."""

    format: str
    path: Path
    files: list[str]
    parity: ParityCheck | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"format": self.format, "path": str(self.path), "files": list(self.files),
                "parity": self.parity.to_dict() if self.parity else None, "notes": list(self.notes)}


def max_abs_diff(expected: list[torch.Tensor], actual: list) -> float:
    """Largest absolute difference over all cases; inf when shapes differ or values are not finite."""
    import torch

    worst = 0.0
    for e, a in zip(expected, actual, strict=True):
        a = torch.as_tensor(a).detach().float().cpu()
        if tuple(a.shape) != tuple(e.shape):
            return math.inf
        if e.numel():
            d = (a - e).abs().max().item()
            worst = max(worst, d if math.isfinite(d) else math.inf)
    return worst


class Exporter:
    """One export format. Subclasses set ``name``/``title``/``description`` and implement ``write``.

    * ``check(run)``: raise an :class:`ExportError` before anything is written when the
      format cannot hold this model (name the layers that do not fit).
    * ``write(run, folder, progress) -> [file names]``: write into ``folder`` (a private
      staging folder; never write elsewhere).
    * ``verify(run, folder, cases, expected) -> ParityCheck | None``: load what was written
      as its users will and compare with ``expected`` (the trained model's outputs on
      ``cases``).
    * ``manifest(run) -> dict``: extra entries for ``export.json``.
    * ``bundle``: True when the folder gets ``predict.py`` (the exported model can run on
      its own with torch or onnxruntime).
    """

    name: str = ""
    title: str = ""
    description: str = ""
    bundle: bool = False
    tolerance: float = 1e-5

    def check(self, run) -> None:
        """Refuse models this format cannot hold (default: every model fits)."""

    def write(self, run, folder: Path, progress) -> list[str]:
        raise NotImplementedError

    def verify(self, run, folder: Path, cases, expected: list[torch.Tensor]) -> ParityCheck | None:
        return None

    def manifest(self, run) -> dict:
        """Extra entries for ``export.json`` that loaders of this format need (e.g. the class name)."""
        return {}


_EXPORTERS: dict[str, type[Exporter]] = {}


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    """Class decorator adding a format under ``cls.name`` (names are never reused)."""
    if not cls.name or not cls.title:
        raise ExportError(f"Export format {cls.__name__} needs a name and a title.")
    if cls.name in _EXPORTERS:
        raise ExportError(f"Export format '{cls.name}' is already registered.")
    _EXPORTERS[cls.name] = cls
    return cls


def _ensure_builtins() -> None:
    import app.core.export.formats  # noqa: F401  (registers the built-in formats)


def exporter_names() -> list[str]:
    """Format names in the order the CLI and the Export view list them."""
    _ensure_builtins()
    return list(_EXPORTERS)


def get_exporter(name: str) -> Exporter:
    _ensure_builtins()
    cls = _EXPORTERS.get(name)
    if cls is None:
        raise ExportError(f"Unknown export format '{name}'; choose one of {', '.join(_EXPORTERS)}.")
    return cls()


def format_choices() -> list[tuple[str, str, str]]:
    """(name, title, description) of every format, for menus and help texts."""
    _ensure_builtins()
    return [(c.name, c.title, c.description) for c in _EXPORTERS.values()]


