"""Create a fine-tuning project: the data read with the base's tokenizer, the base as a graph node.

What ``python main.py new --template finetune-text|finetune-lm --base ...`` and the wizard
call. The project's ``finetune`` section records the template, the base and the node that
holds it; the node's parameters (strategy, LoRA settings, learning-rate scales) are the
settings training uses, so the designer's inspector can change them later.

Example::

    project, notes = create_finetune_project("finetune-text", base="minilm", data=Path("reviews.csv"),
                                             target="sentiment", out=Path("reviews.mwproj"),
                                             strategy="lora", seq_len=32)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.finetune.bases import BaseInfo, inspect_base, resolve_reference
from app.core.finetune.errors import FinetuneError

FINETUNE_TEMPLATES = ("finetune-text", "finetune-lm", "finetune-chat")
NODE_IDS = {"finetune-text": "encoder", "finetune-lm": "base_lm", "finetune-chat": "base_lm"}
DEFAULT_SEQ_LEN = {"finetune-text": 64, "finetune-lm": 128, "finetune-chat": 256}
HEAD_ONLY_LR = 5e-3


def finetune_data_config(config, template: str, info: BaseInfo, *, seq_len: int | None = None,
                         text_column: str | None = None):
    """``config`` (a DataConfig from ``inspect_source``) set up to read text with the base's tokenizer."""
    from app.core.data.config import TextConfig

    old = config.text
    if template == "finetune-lm":
        if config.source.kind != "text":
            raise FinetuneError("The 'finetune-lm' template continues a language model on a plain text file "
                                "(.txt); this data is a table. Use 'finetune-text' for labelled rows.")
        if info.kind != "causal-lm":
            raise FinetuneError(f"'{info.name}' is a text encoder ({info.architecture}); continuing a language "
                                "model needs a GPT-style base (a causal language model folder).")
    else:
        if config.source.kind not in ("table",):
            raise FinetuneError("The 'finetune-text' template learns from a table with a text column and a label "
                                "column (CSV, Excel, ...); for a plain text file use 'finetune-lm'.")
        if text_column is not None:
            _use_text_column(config, text_column)
        texts = [c for c in config.feature_columns() if c.type == "text"]
        if not texts:
            raise FinetuneError("The data has no text column to read; choose the column that holds the text "
                                "(its type must be text).")
    length = int(seq_len or (old.seq_len if old is not None and template == "finetune-lm" else 0)
                 or DEFAULT_SEQ_LEN[template])
    if length > info.max_positions:
        raise FinetuneError(f"'{info.name}' reads at most {info.max_positions} tokens per text; choose a sequence "
                            f"length of at most {info.max_positions}, not {length}.")
    config.text = TextConfig(level="pretrained", pretrained=info.reference, seq_len=length,
                             windows_per_epoch=old.windows_per_epoch if old is not None else None)
    return config


def _use_text_column(config, name: str) -> None:
    """Make ``name`` the one text feature; other features are ignored (the target keeps its role)."""
    config.column(name)  # raises with the column list when it is not there
    for c in config.columns:
        if c.name == name:
            c.role, c.type = "feature", "text"
        elif c.role == "feature":
            c.role = "ignore"


def finetune_section(template: str, info: BaseInfo, strategy: str) -> dict:
    """The project's ``finetune`` section (the node's parameters stay the ones training uses)."""
    return {"template": template, "node": NODE_IDS[template], "base": info.reference, "base_name": info.name,
            "architecture": info.architecture, "strategy": strategy}


@dataclass
class FinetunePlan:
    """A fine-tuning project built but not saved yet, with what the wizard shows about it."""

    project: object
    notes: list[str]
    n_train: int
    info: BaseInfo


def plan_finetune_project(template: str, *, base: str | None, data: Path | None, target: str | None,
                          folder: Path, text_column: str | None = None, task: str | None = None,
                          strategy: str = "full", seq_len: int | None = None, options: dict | None = None,
                          training: dict | None = None, progress=None) -> FinetunePlan:
    """Build a fine-tuning project for the data (prepared once, to size the network); nothing is written.

    ``folder`` is where the project will be saved (relative data paths are resolved there).
    """
    from app.core.data import inspect_source, prepare
    from app.core.graph.templates import build_template_graph, template_training_defaults
    from app.core.project import Project
    from app.core.train.config import TrainConfig

    if template not in FINETUNE_TEMPLATES:
        raise FinetuneError(f"'{template}' is not a fine-tuning template; choose {' or '.join(FINETUNE_TEMPLATES)}.")
    if template == "finetune-chat":  # instruction/chat rows, not a table or a text file
        from app.core.finetune.chat_project import plan_chat_project

        return plan_chat_project(base=base, data=data, folder=folder, strategy=strategy if strategy != "full" else None,
                                 seq_len=seq_len, options=options, training=training, progress=progress)
    if not base:
        if template == "finetune-lm":
            raise FinetuneError("The 'finetune-lm' template needs --base: the folder of a GPT-style Hugging Face "
                                "model (config.json, model.safetensors, tokenizer files).")
        base = "minilm"
    info = inspect_base(resolve_reference(base))
    if info.weights == "pickle":  # refuse an unsafe weights file now, not at the first training step
        from app.core.finetune.loading import read_pickled_weights

        read_pickled_weights(info.path / "pytorch_model.bin")
    if data is None:
        what = "a plain text file (.txt)" if template == "finetune-lm" else "a table with a text and a label column"
        raise FinetuneError(f"The '{template}' template needs data: pass --data ({what}).")
    data = Path(data)
    if not data.exists():
        raise FinetuneError(f"Data not found: {data}")
    config = inspect_source(data.resolve(), target=target, progress=progress)
    if task is not None:
        config.task = task
    config = finetune_data_config(config, template, info, seq_len=seq_len, text_column=text_column)
    prepared = prepare(config, Path(folder).resolve(), progress=progress)
    graph = build_template_graph(template, prepared.info, base=info.reference, strategy=strategy, **(options or {}))
    settings = template_training_defaults(template, prepared.info)
    if strategy == "head":  # only the small head learns: it can take larger steps
        settings["optimizer"] = {**settings["optimizer"], "lr": HEAD_ONLY_LR}
    for key, value in (training or {}).items():
        if isinstance(value, dict) and isinstance(settings.get(key), dict):
            settings[key] = {**settings[key], **value}
        else:
            settings[key] = value
    TrainConfig.from_dict(settings)  # bad hyper-parameters fail here, before anything is written
    project = Project(name=data.stem, graph=graph, data=config.to_dict(), training=settings,
                      finetune=finetune_section(template, info, strategy), path=None)
    notes = list(dict.fromkeys([*config.warnings, *getattr(prepared, "warnings", [])]))
    return FinetunePlan(project, notes, len(prepared.train), info)


def create_finetune_project(template: str, *, base: str | None, data: Path | None, target: str | None, out: Path,
                            overwrite: bool = False, progress=None, **settings):
    """Build, size and save a fine-tuning project; returns (project, notes). Nothing is written on failure.

    ``settings`` are :func:`plan_finetune_project`'s keyword options (text_column, task,
    strategy, seq_len, options, training).
    """
    from app.core.project import PROJECT_SUFFIX, save_project

    out = Path(out)
    if out.suffix != PROJECT_SUFFIX:
        raise FinetuneError(f"The project file name must end in {PROJECT_SUFFIX} (got '{out.name}').")
    if out.exists() and not overwrite:
        raise FinetuneError(f"{out} already exists; choose another name or pass --force to overwrite it.")
    plan = plan_finetune_project(template, base=base, data=data, target=target, folder=out.resolve().parent,
                                 progress=progress, **settings)
    plan.project.name = out.stem
    save_project(plan.project, out)
    return plan.project, plan.notes
