"""``--format torchscript``: ``model.pt`` for ``torch.jit.load``, no Python classes needed to load it.

The compiled graph has no data-dependent control flow, so tracing records every operation,
including the sizes read from the input: the batch size (and the text length) stay free.
The parity check loads the file back and runs it on batches and lengths other than the one
it was traced with.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from app.core.export.base import Exporter, ParityCheck, compare, register_exporter
from app.core.export.errors import ExportError


@register_exporter
class TorchScriptExporter(Exporter):
    name = "torchscript"
    title = "TorchScript"
    description = "model.pt: loads with torch.jit.load in any PyTorch program (C++ too), no model code needed."
    bundle = True
    tolerance = 1e-5

    def write(self, run, folder: Path, progress) -> list[str]:
        import torch

        example = run.sample_inputs()[0].tensors
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecation and "trace might be incorrect" notes: parity decides
            try:
                with torch.no_grad():
                    traced = torch.jit.trace(run.model, example, check_trace=False)
            except Exception as exc:  # tracing reports many error types
                raise ExportError(f"The network cannot be traced to TorchScript ({str(exc).splitlines()[0]}); "
                                  "export with pytorch or onnx instead.") from exc
            torch.jit.save(traced, str(folder / "model.pt"))
        return ["model.pt"]

    def verify(self, run, folder: Path, cases, expected) -> ParityCheck:
        import torch

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loaded = torch.jit.load(str(folder / "model.pt"), map_location="cpu")
            loaded.eval()
            return compare("torch.jit.load", self.tolerance, cases, expected, lambda xs: loaded(*xs))
