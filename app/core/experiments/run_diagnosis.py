"""Diagnosis of a finished run: written into ``summary.json`` as ``diagnosis`` by the engine's
API, and recomputed from a run directory for runs trained before it existed.

The live panel of the training view uses :class:`DiagnosisInputs` read from the run folder,
the same inputs as the engine, so what it shows while a run trains is what summary.json says
when it ends (except class imbalance, which needs the class counts the engine takes from the
training split at the end).

Example::

    for finding in diagnose_run("runs/iris-1"):
        print(finding["title"], [fix["label"] for fix in finding["fixes"]])
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class DiagnosisInputs:
    """Everything besides the metrics rows that the diagnosis of one run is given. The engine
    (summary.json), the training view (live, as epochs arrive) and :func:`diagnose_run` all
    judge a run through this, so they show the same findings for the same rows."""

    training: dict
    task: str | None = None
    n_outputs: int | None = None
    graph: Any = None
    class_counts: tuple[int, ...] | None = None

    @classmethod
    def from_run(cls, run_dir: str | os.PathLike, *, fallback_training: dict | None = None,
                 fallback_graph=None) -> "DiagnosisInputs":
        """Read from the run folder: its copy of the project (the settings it really trains
        with) and data_info.json (written before the first epoch)."""
        from app.core.errors import ModelwrightError
        from app.core.project import load_project
        from app.core.runs import run_paths

        paths = run_paths(run_dir)
        training, graph = dict(fallback_training or {}), fallback_graph
        try:
            project = load_project(paths.project)
            training, graph = dict(project.training), project.graph
        except (ModelwrightError, OSError):
            pass  # a run folder without its project copy: the caller's settings
        try:
            info = json.loads(paths.data_info.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        if not isinstance(info, dict):
            info = {}
        return cls(training, info.get("task"), info.get("n_outputs"), graph)

    def diagnose(self, rows, error: str | None = None) -> list[dict]:
        return [f.to_dict() for f in diagnose(rows, self.training, task=self.task, n_outputs=self.n_outputs,
                                              class_counts=self.class_counts, graph=self.graph, error=error)]


def add_diagnosis_to_summary(summary_path: Path, state, config, info, train_split, graph) -> list[dict]:
    """Diagnose the finished ``state`` and write the findings into summary.json."""
    from app.core.runs import write_json_atomic

    counts = class_counts(train_split, info.task)
    inputs = DiagnosisInputs(_training_dict(config), info.task, info.n_outputs, graph,
                             tuple(counts) if counts else None)
    findings = inputs.diagnose(state.history, error=state.error)
    try:
        summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return findings  # no summary to extend (the trainer reports why)
    summary["diagnosis"] = findings
    write_json_atomic(summary_path, summary)
    return findings


def _training_dict(config) -> dict:
    return config.to_dict() if hasattr(config, "to_dict") else dict(config or {})


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
    load_project(paths.project)  # a run without a readable project says so (ProjectError)
    return DiagnosisInputs.from_run(paths.root).diagnose(read_metrics(paths.root), error=summary.get("error"))
