"""``--format peft``: the LoRA adapter alone, which ``peft.PeftModel`` loads on the base model.

A LoRA run's learned weights are a few megabytes beside a base of gigabytes; this folder holds
only them (``adapter_config.json``, ``adapter_model.safetensors``) with the tokenizer and chat
template, so users who already have the base load the adapter on it. The parity check loads
the base with plain ``transformers`` (``trust_remote_code=False``), puts the written adapter on
it with ``peft`` and compares the scores with the trained model's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from app.core.export.base import Exporter, ParityCheck, compare, register_exporter
from app.core.export.errors import ExportError

_TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt")


def _lora_node(run):
    nodes = [n for n in run.graph.nodes if n.type == "pretrained.causal_lm"]
    if not getattr(run.project, "finetune", None) or len(nodes) != 1:
        raise ExportError("The peft format holds LoRA adapters of a fine-tuned language model; this run has none. "
                          "Use hf, pytorch or safetensors.")
    node = nodes[0]
    if node.params.get("strategy") != "lora":
        raise ExportError(f"The peft format holds LoRA adapters, but this run trained with the "
                          f"'{node.params.get('strategy')}' strategy; use the hf format.")
    return node


def _base_folder(node) -> Path:
    from app.core.finetune.bases import inspect_base

    info = inspect_base(node.params["base"])
    if info.run is not None:
        raise ExportError("The peft format needs a Hugging Face folder as the base; this run continued another run. "
                          "Use the hf format.")
    return info.path


@register_exporter
class PeftAdapterExporter(Exporter):
    name = "peft"
    title = "LoRA adapter (peft)"
    description = "For LoRA fine-tuned language models: the adapter alone, loaded on the base with peft."
    tolerance = 1e-5

    def check(self, run) -> None:
        _base_folder(_lora_node(run))

    def write(self, run, folder: Path, progress) -> list[str]:
        from app.core.export.requirements import write_requirements
        from app.core.finetune.chat_export import write_chat_template

        node = _lora_node(run)
        base = _base_folder(node)
        adapter = run.model[node.id].backbone
        adapter.save_pretrained(str(folder), safe_serialization=True)
        config = folder / "adapter_config.json"
        if config.is_file():  # the base as its users name it: the folder the adapter was trained on
            import json

            settings = json.loads(config.read_text(encoding="utf-8"))
            settings["base_model_name_or_path"] = str(base)
            config.write_text(json.dumps(settings, indent=2), encoding="utf-8")
        for name in _TOKENIZER_FILES:
            if (base / name).is_file():
                shutil.copyfile(base / name, folder / name)
        write_chat_template(run, folder)
        names = sorted(p.name for p in folder.iterdir())
        return names + [write_requirements(folder, {"torch", "transformers", "peft"})]

    def verify(self, run, folder: Path, cases, expected) -> ParityCheck:
        model = load_adapter(_base_folder(_lora_node(run)), folder)

        def run_case(xs):
            return model(input_ids=xs[0], use_cache=False).logits

        return compare("the base loaded with transformers and the adapter with peft", self.tolerance, cases,
                       expected, run_case)


def load_adapter(base: Path, folder: Path):
    """The base as its users load it (plain transformers, offline, no code from the folder) with the adapter."""
    import warnings

    import peft
    import transformers

    model = transformers.AutoModelForCausalLM.from_pretrained(str(base), trust_remote_code=False, local_files_only=True)
    with warnings.catch_warnings():  # peft calls a transformers property that warns about its own rename
        warnings.simplefilter("ignore", FutureWarning)
        return peft.PeftModel.from_pretrained(model, str(folder), trust_remote_code=False).eval()
