"""The chat template beside an exported chat model, so ``apply_chat_template`` renders turns as in training.

A base with its own template already has it in the copied tokenizer files; one that had
none was trained on ChatML, which the exported folder must then say too.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATE_FILE = "chat_template.jinja"


def chat_template_of(run) -> str | None:
    """The template a chat run was trained with, or None for other runs."""
    finetune = getattr(run.project, "finetune", None) or {}
    if finetune.get("template") != "finetune-chat":
        return None
    from app.core.finetune.chat_prepare import load_chat_tokenizer

    return load_chat_tokenizer(finetune["base"]).chat_template


def write_chat_template(run, folder: Path) -> list[str]:
    """``chat_template.jinja`` in ``folder`` for a chat run (nothing for other runs)."""
    template = chat_template_of(run)
    if template is None:
        return []
    (Path(folder) / TEMPLATE_FILE).write_text(template, encoding="utf-8")
    return [TEMPLATE_FILE]
