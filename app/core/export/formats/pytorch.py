"""``--format pytorch``: one readable ``model.py`` plus ``model.safetensors``.

The parity check imports the written ``model.py`` as a module of its own, builds the class
with no arguments, loads the weights with ``strict=True`` and runs it on the sample inputs.
"""

from __future__ import annotations

import importlib.util
import sys
import uuid
from pathlib import Path

from app.core.export.base import Exporter, ParityCheck, compare, register_exporter
from app.core.export.errors import ExportError, UnsupportedLayerError
from app.core.export.pytorch_code import class_name_for, generate_model_source, unsupported_layers
from app.core.export.weights import write_weights


def import_generated(path: Path):
    """Import a generated ``model.py`` under a throw-away module name (nothing stays in sys.modules)."""
    name = f"modelwright_export_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and typing look the module up while it executes
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


@register_exporter
class PyTorchCodeExporter(Exporter):
    name = "pytorch"
    title = "PyTorch code"
    description = "A readable model.py (an nn.Module with the preprocessing constants) and model.safetensors."
    bundle = True
    tolerance = 1e-5

    def check(self, run) -> None:
        missing = unsupported_layers(run.graph)
        if missing:
            names = ", ".join(f"'{n}' ({t})" for n, t, _ in missing)
            raise UnsupportedLayerError(f"These layers cannot be written as PyTorch code yet: {names}; "
                                        "export with torchscript, onnx or safetensors instead.", missing)

    def write(self, run, folder: Path, progress) -> list[str]:
        source = generate_model_source(run, class_name_for(run.name))
        try:
            compile(source, "model.py", "exec")
        except SyntaxError as exc:  # a bug in the writer, never the user's doing
            raise ExportError(f"The generated model.py is not valid Python ({exc}).") from exc
        (folder / "model.py").write_text(source, encoding="utf-8")
        progress(0.3, "Writing the weights")
        write_weights(run.state_dict, folder / "model.safetensors")
        return ["model.py", "model.safetensors"]

    def manifest(self, run) -> dict:
        return {"class_name": class_name_for(run.name)}

    def verify(self, run, folder: Path, cases, expected) -> ParityCheck:
        from safetensors.torch import load_file

        module = import_generated(folder / "model.py")
        model = getattr(module, class_name_for(run.name))()
        model.load_state_dict(load_file(str(folder / "model.safetensors")), strict=True)
        model.eval()
        return compare("the generated model.py", self.tolerance, cases, expected, lambda xs: model(*xs))
