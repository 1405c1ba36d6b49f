"""``--format hf``: a Hugging Face folder (``config.json``, weights, tokenizer) for fine-tuned models.

Only a model fine-tuned from a Hugging Face base has a Hugging Face architecture to write;
a network drawn in the designer does not, so it is refused with the formats that fit.
The fine-tuning package plugs in here: it provides ``app.core.finetune.hf_export`` with
``check_run(run)`` (refuses networks a folder cannot hold), ``write_hf_folder(run, folder)
-> [file names]`` and ``run_outputs(run, outputs)`` (the folder's scores in the trained model's terms), and
this exporter uses them for runs whose project has a ``finetune`` section.

The parity check loads the written folder the way its users will, with plain ``transformers``
(``AutoModelForSequenceClassification`` or ``AutoModelForCausalLM``, ``trust_remote_code=False``)
and the attention mask a tokenizer's padding gives, never with Modelwright's own loader.
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
        from app.core.export.requirements import imports_of, write_requirements
        from app.core.export.usage_code import hf_usage

        files = list(_finetune_backend().write_hf_folder(run, folder))
        return files + [write_requirements(folder, imports_of([hf_usage(run)]))]

    def verify(self, run, folder: Path, cases, expected) -> ParityCheck:
        backend = _finetune_backend()
        model = load_with_transformers(folder, causal=run.is_language_model)
        pad = None if run.is_language_model else backend.pad_token_id(run)

        def run_case(xs):
            ids = xs[0]
            if run.is_language_model:
                return model(input_ids=ids, use_cache=False).logits
            mask = None if pad is None else (ids != pad).long()
            return backend.run_outputs(run, model(input_ids=ids, attention_mask=mask).logits)

        kind = "AutoModelForCausalLM" if run.is_language_model else "AutoModelForSequenceClassification"
        return compare(f"the Hugging Face folder loaded with transformers' {kind}", self.tolerance, cases, expected,
                       run_case)


def load_with_transformers(folder: Path, causal: bool):
    """The folder as its users load it: plain transformers, offline, never running code from the folder."""
    import transformers

    cls = transformers.AutoModelForCausalLM if causal else transformers.AutoModelForSequenceClassification
    model = cls.from_pretrained(str(folder), trust_remote_code=False, local_files_only=True, use_safetensors=True)
    return model.eval()
