"""Create a project from a template and the user's data (``python main.py new``).

The template decides the network's shape; the data decides its size: the input width or
image size, the number of classes, the vocabulary. So the data is inspected and prepared
once here, and the template graph is built from the resulting :class:`DataInfo`.
"""

from __future__ import annotations

from pathlib import Path

from app.core.errors import ModelwrightError
from app.core.project import PROJECT_SUFFIX, Project, save_project

#: The data each template expects, so a wrong pairing fails with a useful message.
TEMPLATE_INPUTS = {
    "keras-seed": ("vector",),
    "mlp": ("vector",),
    "cnn": ("image",),
    "lstm-text": ("tokens",),
    "transformer-text": ("tokens",),
    "gpt": ("tokens",),
}

DATA_HINTS = {
    "vector": "a table (CSV, TSV, Excel, Parquet or JSON Lines) with a target column",
    "image": "a folder with one sub-folder of images per class",
    "tokens": "a CSV with a text column and a label column",
}


def create_project(
    template: str,
    *,
    data: Path | None,
    target: str | None,
    out: Path,
    base: str | None = None,
    overwrite: bool = False,
    progress=None,
) -> tuple[Project, list[str]]:
    """Build, size and save a new project; nothing is written if any step fails.

    Returns the project and the notes the user should see (skipped images, ignored columns).
    """
    from app.core.data import inspect_source, prepare, synthetic_config
    from app.core.graph.templates import build_template_graph, template_names, template_training_defaults

    if template not in template_names():
        raise ModelwrightError(f"Unknown template '{template}'. Available: {', '.join(template_names())}.")
    from app.core.finetune.project import FINETUNE_TEMPLATES

    if base is not None and template not in FINETUNE_TEMPLATES:
        raise ModelwrightError(f"The '{template}' template trains from scratch; it does not take --base.")
    out = Path(out)
    if out.suffix != PROJECT_SUFFIX:
        raise ModelwrightError(f"The project file name must end in {PROJECT_SUFFIX} (got '{out.name}').")
    if out.exists() and not overwrite:
        raise ModelwrightError(f"{out} already exists; choose another name or pass --force to overwrite it.")
    from app.core.safety.output_paths import check_output_file

    # --force replaces a project file, never the data it is made from or a run's own copy
    check_output_file(out, overwrite=overwrite, inputs=[data] if data is not None else [], allow_project=True)
    if template in FINETUNE_TEMPLATES:  # a pretrained base reads the text with its own tokenizer
        from app.core.finetune.project import create_finetune_project

        return create_finetune_project(template, base=base, data=data, target=target, out=out,
                                       overwrite=overwrite, progress=progress)

    if data is None:
        if template != "keras-seed":
            raise ModelwrightError(f"The '{template}' template needs data: pass --data ({_hint(template)}).")
        config = synthetic_config("keras-seed")
    else:
        data = Path(data)
        if not data.exists():
            raise ModelwrightError(f"Data not found: {data}")
        config = inspect_source(data.resolve(), target=target, progress=progress)

    prepared = prepare(config, out.resolve().parent, progress=progress)
    expected = TEMPLATE_INPUTS.get(template)
    if expected and prepared.info.input_kind not in expected:
        raise ModelwrightError(
            f"The '{template}' template needs {_hint(template)}, but this data gives "
            f"{prepared.info.input_kind} inputs."
        )
    if template == "gpt" and prepared.info.task != "language-model":
        raise ModelwrightError("The 'gpt' template needs a plain text file to learn from (language modelling).")

    graph = build_template_graph(template, prepared.info)
    training = template_training_defaults(template, prepared.info, n_train=_training_rows(prepared))
    project = Project(name=out.stem, graph=graph, data=config.to_dict(), training=training, path=None)
    save_project(project, out)
    warnings = list(dict.fromkeys([*config.warnings, *getattr(prepared, "warnings", [])]))
    return project, warnings


def _training_rows(prepared) -> int | None:
    """Rows in the training part (sizes the early-stopping patience), or None when unknown."""
    try:
        return len(prepared.train)
    except TypeError:  # a streamed split has no length
        return None


def _hint(template: str) -> str:
    kinds = TEMPLATE_INPUTS.get(template, ("vector",))
    if template == "gpt":
        return "a plain text file (.txt)"
    return DATA_HINTS[kinds[0]]
