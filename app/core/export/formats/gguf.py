"""``--format gguf``: one GGUF file for llama.cpp and Ollama, with an Ollama ``Modelfile`` beside it.

Only a language model fine-tuned from a Llama-family Hugging Face base (llama, mistral,
qwen2) fits: the run is first written as a plain Hugging Face folder by the hf export
(:func:`app.core.finetune.hf_export.write_hf_folder`, which merges LoRA adapters), then
converted by :mod:`app.core.export.gguf_writer`. ``quant`` is ``f16`` (default) or ``q8_0``.

Modelwright cannot run a GGUF file itself, so the parity check reads the file back with
``gguf.GGUFReader`` and compares every tensor (dequantised, Q/K reordering undone) with the
trained weights, relative to each tensor's largest weight, plus the architecture metadata.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from app.core.export.base import Exporter, ParityCheck, register_exporter
from app.core.export.errors import ExportError

GGUF_FILE = "model.gguf"
MODELFILE = "Modelfile"

_CHATML_TEMPLATE = ('{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}'
                    '<|im_start|>assistant\n')
_LLAMA3_TEMPLATE = ('{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n'
                    '{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n')


def ollama_template(chat_template: str | None) -> tuple[str | None, list[str]]:
    """(Go template for Ollama, its stop tokens) for ChatML or Llama 3 chat templates; (None, []) otherwise."""
    if not chat_template:
        return None, []
    if "<|im_start|>" in chat_template and "<|im_end|>" in chat_template:
        return _CHATML_TEMPLATE, ["<|im_end|>"]
    if "<|start_header_id|>" in chat_template and "<|eot_id|>" in chat_template:
        return _LLAMA3_TEMPLATE, ["<|eot_id|>"]
    return None, []


def modelfile_text(summary) -> str:
    """The Ollama Modelfile: FROM the GGUF file, the chat template in Go syntax when it converts, stop tokens."""
    template, stops = ollama_template(summary.chat_template)
    lines = ["# Ollama: ollama create NAME -f Modelfile, then ollama run NAME", f"FROM ./{GGUF_FILE}"]
    if template is not None:
        lines += ["", f'TEMPLATE """{template}"""']
    elif summary.chat_template:
        lines += ["", "# The model's chat template (tokenizer.chat_template in the GGUF file) is not ChatML or",
                  "# Llama 3, so it was not converted to Ollama's Go template syntax; add a TEMPLATE line by hand."]
    else:
        lines += ["", "# The base model has no chat template: it continues plain text."]
    stops = list(dict.fromkeys(stops + list(summary.stop_tokens)))
    if stops:
        lines.append("")
        lines += [f"PARAMETER stop {json.dumps(stop, ensure_ascii=False)}" for stop in stops]
    return "\n".join(lines) + "\n"


def usage_lines() -> list[str]:
    """The model card's usage section for a GGUF export."""
    return [f"One GGUF file (`{GGUF_FILE}`) for llama.cpp and Ollama.", "",
            "Ollama, with the chat template and stop tokens in `Modelfile`:", "",
            "```", "ollama create my-model -f Modelfile", "ollama run my-model", "```", "",
            "llama.cpp:", "", "```", f"llama-cli -m {GGUF_FILE} -p \"Once upon a time\" -n 64", "```"]


def _finetune_backend():
    from app.core.finetune import hf_export

    return hf_export


def _causal_node(run):
    nodes = [n for n in run.graph.nodes if n.type.startswith("pretrained.")]
    if not getattr(run.project, "finetune", None) or not nodes:
        raise ExportError("The gguf format is for language models fine-tuned from a Llama-family Hugging Face "
                          "base; this network was built in the designer, so use pytorch, onnx or safetensors.")
    causal = [n for n in nodes if n.type == "pretrained.causal_lm"]
    if not causal or not run.is_language_model:
        raise ExportError("The gguf format holds causal language models (llama.cpp and Ollama generate text); this "
                          "run is a text classifier or regressor, so use the hf or onnx format.")
    return causal[0]


def _copy_chat_template(run, node, folder: Path) -> None:
    """The base's chat template file, which the hf folder does not carry, beside the tokenizer."""
    from app.core.finetune.bases import inspect_base

    try:
        base = inspect_base(node.params["base"]).path
    except Exception:  # noqa: BLE001 - the base folder moved: tokenizer_config.json may still hold it
        return
    source = Path(base) / "chat_template.jinja"
    if source.is_file() and not (folder / source.name).exists():
        shutil.copyfile(source, folder / source.name)


@register_exporter
class GGUFExporter(Exporter):
    name = "gguf"
    title = "GGUF (llama.cpp, Ollama)"
    description = "For language models fine-tuned from a Llama-family base: one GGUF file and an Ollama Modelfile."
    tolerance = 1e-3

    def __init__(self) -> None:
        self.quant = "f16"
        self._source: tempfile.TemporaryDirectory | None = None
        self._summary = None

    def configure(self, quant: str | None = None) -> None:
        """Format settings from the command line: ``quant`` is f16 or q8_0."""
        from app.core.export.gguf_writer import QUANTS, TOLERANCES

        if quant is not None:
            if quant not in QUANTS:
                raise ExportError(f"Unknown GGUF quantisation '{quant}'; choose one of {', '.join(QUANTS)}.")
            self.quant = quant
        self.tolerance = TOLERANCES[self.quant]

    def check(self, run) -> None:
        from app.core.export.gguf_writer import ARCHITECTURES

        node = _causal_node(run)
        try:
            import gguf  # noqa: F401
        except ImportError:
            raise ExportError("The gguf format needs the 'gguf' package: pip install -c constraints.txt gguf") from None
        model_type = getattr(run.model[node.id], "model_type", "")
        if model_type not in ARCHITECTURES:
            raise ExportError(f"The gguf format writes language models fine-tuned from a Llama-family base (llama, "
                              f"mistral, qwen2); this run's base is '{model_type}', so use the hf or onnx format.")
        _finetune_backend().check_run(run)
        self.configure()

    def write(self, run, folder: Path, progress) -> list[str]:
        from app.core.export.gguf_writer import write_gguf

        node = _causal_node(run)
        self._source = tempfile.TemporaryDirectory(prefix="modelwright-gguf-")
        source = Path(self._source.name)
        progress(0.1, "Merging the weights into a Hugging Face folder")
        _finetune_backend().write_hf_folder(run, source)
        _copy_chat_template(run, node, source)
        progress(0.4, f"Writing the GGUF file ({self.quant})")
        self._summary = write_gguf(source, folder / GGUF_FILE, quant=self.quant, name=run.name)
        (folder / MODELFILE).write_text(modelfile_text(self._summary), encoding="utf-8")
        return [GGUF_FILE, MODELFILE]

    def verify(self, run, folder: Path, cases, expected) -> ParityCheck:
        from app.core.export.gguf_writer import check_gguf

        backend = f"the GGUF file ({self.quant}) read back with gguf.GGUFReader, relative to each tensor's largest weight"
        try:
            worst, problems = check_gguf(self._source.name, folder / GGUF_FILE)
        finally:
            self._source.cleanup()
        labels = ["every tensor", "the architecture metadata"]
        return ParityCheck(backend, worst, self.tolerance, labels, error="; ".join(problems) or None)

    def manifest(self, run) -> dict:
        summary = self._summary
        return {"gguf": {"file": GGUF_FILE, "quant": self.quant, "architecture": summary.arch,
                         "tokenizer_model": summary.tokenizer_model, "tensors": summary.n_tensors,
                         "chat_template": summary.chat_template is not None}}
