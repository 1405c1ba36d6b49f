"""``--format hf``: a Hugging Face folder (``config.json``, weights, tokenizer) for fine-tuned models.

Only a model fine-tuned from a Hugging Face base has a Hugging Face architecture to write;
a network drawn in the designer does not, so it is refused with the formats that fit.
The fine-tuning package plugs in here: it provides ``app.core.finetune.hf_export`` with
``check_run(run)`` (refuses networks a folder cannot hold), ``write_hf_folder(run, folder)
-> [file names]`` and ``load_hf_model(folder)`` (a callable model for the parity check), and
this exporter uses them for runs whose project has a ``finetune`` section.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from app.core.export.base import Exporter, ParityCheck, compare, register_exporter
from app.core.export.errors import ExportError

GRAPH_MODEL_MESSAGE = ("The hf format is for fine-tuned Hugging Face models; this network was built in the "
                       "designer, so use pytorch, onnx or safetensors.")


def _finetune_backend():
    try:
        return importlib.import_module("app.core.finetune.hf_export")
    except ModuleNotFoundError:
        return None


@register_exporter
class HuggingFaceExporter(Exporter):
    name = "hf"
    title = "Hugging Face folder"
    description = "For fine-tuned Hugging Face models: a folder that transformers loads (from_pretrained)."
    tolerance = 1e-5

    def check(self, run) -> None:
        if not getattr(run.project, "finetune", None):
            raise ExportError(GRAPH_MODEL_MESSAGE)
        if _finetune_backend() is None:
            raise ExportError("This Modelwright cannot write fine-tuned models as Hugging Face folders yet; "
                              "use pytorch, onnx or safetensors.")
        _finetune_backend().check_run(run)

    def write(self, run, folder: Path, progress) -> list[str]:
        return list(_finetune_backend().write_hf_folder(run, folder))

    def verify(self, run, folder: Path, cases, expected) -> ParityCheck:
        model = _finetune_backend().load_hf_model(folder)
        return compare("the Hugging Face folder", self.tolerance, cases, expected, lambda xs: model(*xs))
