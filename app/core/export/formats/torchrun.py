"""``--format torchrun``: a standalone multi-GPU (DDP) training script for the project.

It belongs with distributed training, which this version does not ship; the format is
listed so the command line stays stable, and it says what to use instead.
"""

from __future__ import annotations

from pathlib import Path

from app.core.export.base import Exporter, register_exporter
from app.core.export.errors import ExportError


@register_exporter
class TorchrunExporter(Exporter):
    name = "torchrun"
    title = "torchrun training script"
    description = "A standalone DDP training script (not available in this version)."

    def check(self, run) -> None:
        raise ExportError("The torchrun format (a standalone multi-GPU training script) is not available in this "
                          "version; train with 'python main.py train' and export the run with pytorch, torchscript, "
                          "onnx or safetensors.")

    def write(self, run, folder: Path, progress) -> list[str]:
        self.check(run)
        return []
