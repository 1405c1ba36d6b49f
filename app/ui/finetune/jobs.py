"""The wizard's background jobs: plain functions the worker thread runs (torch loads here, never at startup)."""

from __future__ import annotations

from pathlib import Path


def read_columns(path: str, progress=None) -> dict:
    """Columns of a table (name -> detected type) and its suggested target, or a text file's kind."""
    from app.core.data import inspect_source

    config = inspect_source(Path(path), progress=progress)
    return {"kind": config.source.kind,
            "columns": {c.name: c.type for c in config.columns},
            "target": next((c.name for c in config.columns if c.role == "target"), None)}


def plan_and_estimate(spec: dict, progress=None):
    """Build the project as the wizard describes it, then estimate its run (loads the base, times a few steps)."""
    from app.core.finetune.estimate import estimate_project
    from app.core.finetune.project import plan_finetune_project
    from app.core.progress import Progress

    report = Progress(progress)
    report(0.0, "Preparing the data with the base's tokenizer")
    plan = plan_finetune_project(progress=lambda f, m="": report(0.3 * f, m), **spec)
    estimate = estimate_project(plan.project, n_train=plan.n_train, progress=lambda f, m="": report(0.3 + 0.7 * f, m))
    return plan, estimate
