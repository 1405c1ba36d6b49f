"""Exports of trained runs: PyTorch code, TorchScript, ONNX, safetensors, Hugging Face folders.

Every export is checked: the written model is loaded back the way its users load it and
run on the same inputs as the trained model (see :class:`ParityCheck`).

Example::

    from app.core.export import export_run, exporter_names

    exporter_names()                 # ['pytorch', 'torchscript', 'onnx', 'safetensors', 'hf', 'torchrun']
    result = export_run(run_dir, "pytorch", "exports/iris-code")
    print(result.parity.describe())
"""

from app.core.export.api import export_run
from app.core.export.base import (
    Exporter,
    ExportResult,
    ParityCheck,
    exporter_names,
    format_choices,
    get_exporter,
    register_exporter,
)
from app.core.export.errors import ExportError, ParityError, UnsupportedLayerError

__all__ = [
    "ExportError",
    "ExportResult",
    "Exporter",
    "ParityCheck",
    "ParityError",
    "UnsupportedLayerError",
    "export_run",
    "exporter_names",
    "format_choices",
    "get_exporter",
    "register_exporter",
]
