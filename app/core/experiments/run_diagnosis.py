"""Diagnosis of a finished run: written into ``summary.json`` as ``diagnosis`` by the engine's
API, and recomputed from a run directory for runs trained before it existed.

Example::

    for finding in diagnose_run("runs/iris-1"):
        print(finding["title"], [fix["label"] for fix in finding["fixes"]])
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.core.experiments.diagnosis import diagnose


def class_counts(split, task: str) -> list[int] | None:
    """Training examples per class of a tensor split (None for other tasks or data)."""
    targets = getattr(split, "targets", None)
    if targets is None or task not in ("classification", "binary"):
        return None
    import torch

    if task == "binary":
        positives = int((targets.reshape(-1) > 0.5).sum())
        return [int(targets.numel()) - positives, positives]
    return [int(c) for c in torch.bincount(targets.reshape(-1).long())]


def add_diagnosis_to_summary(summary_path: Path, state, config, info, train_split, graph) -> list[dict]:
    """Diagnose the finished ``state`` and write the findings into summary.json."""
    from app.core.runs import write_json_atomic

    findings = [f.to_dict() for f in diagnose(
        state.history, config, task=info.task, n_outputs=info.n_outputs,
        class_counts=class_counts(train_split, info.task), graph=graph, error=state.error)]
    try:
        summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return findings  # no summary to extend (the trainer reports why)
    summary["diagnosis"] = findings
    write_json_atomic(summary_path, summary)
    return findings


def diagnose_run(run_dir: str | os.PathLike) -> list[dict]:
    """The run's diagnosis: the one in summary.json, or computed from its files."""
    from app.core.project import load_project
    from app.core.runs import read_metrics, run_paths

    paths = run_paths(run_dir)
    try:
        summary = json.loads(paths.summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = {}
    if isinstance(summary.get("diagnosis"), list):
        return summary["diagnosis"]
    project = load_project(paths.project)
    try:
        info = json.loads(paths.data_info.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    return [f.to_dict() for f in diagnose(read_metrics(paths.root), project.training, task=info.get("task"),
                                          n_outputs=info.get("n_outputs"), graph=project.graph,
                                          error=summary.get("error"))]
