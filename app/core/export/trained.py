"""A finished run loaded for export: the project, the trained model on the CPU, its data description.

Exporters read everything from here, never from the GUI or the training process, so the
CLI and the Export view export exactly the same thing.

Example::

    run = load_trained_run("runs/iris-20250101-120000")
    run.model(*run.sample_inputs()[0].tensors)      # the trained model, in eval mode
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import torch

from app.core.data.info import DataInfo
from app.core.export.errors import ExportError
from app.core.graph.graph import Graph
from app.core.runs import RunDirError, read_json, read_metrics


@dataclass(frozen=True)
class SampleCase:
    """One set of model inputs for a parity check, with a plain-words label ("batch of 3")."""

    label: str
    tensors: tuple[torch.Tensor, ...]


@dataclass
class TrainedRun:
    """Everything an exporter needs from one run directory (model weights already loaded)."""

    root: Path
    name: str
    project: object
    graph: Graph
    model: torch.nn.Module
    state_dict: dict[str, torch.Tensor]
    info: DataInfo
    preprocessor: dict
    training: dict
    summary: dict
    metrics: list[dict[str, float]]
    loss_name: str
    input_specs: list[dict] = field(default_factory=list)
    weights: object = None  # app.core.run_weights.RunWeights: which weights (best or final) were loaded

    @property
    def is_language_model(self) -> bool:
        return self.info.task == "language-model"

    @property
    def outputs_are_logits(self) -> bool:
        """True when the model's outputs are raw scores (softmax/sigmoid still to apply), as ``predict`` decides."""
        if self.info.task == "binary":
            return self.loss_name not in ("bce", "mse")
        return True

    def variable_length(self) -> bool:
        """Whether token inputs may be shorter than in training (no layer fixes the length)."""
        token_inputs = [i for i, s in enumerate(self.input_specs) if s["kind"] == "tokens"]
        if not token_inputs:
            return False
        shorter = []
        for spec in self.input_specs:
            shape = list(spec["shape"])
            if spec["kind"] == "tokens":
                if shape[0] < 2:
                    return False
                shape[0] = max(1, shape[0] // 2)
            shorter.append(_random_input(spec, [2, *shape], torch.Generator().manual_seed(1)))
        try:
            with torch.no_grad():
                self.model(*shorter)
        except (RuntimeError, ValueError, IndexError):
            return False
        return True

    def sample_inputs(self, seed: int = 0) -> list[SampleCase]:
        """Inputs the parity checks feed both models: several batch sizes, shorter texts when allowed."""
        gen = torch.Generator().manual_seed(seed)

        def case(label: str, batch: int, shorten: bool = False) -> SampleCase:
            tensors = []
            for spec in self.input_specs:
                shape = list(spec["shape"])
                if shorten and spec["kind"] == "tokens":
                    shape[0] = max(1, shape[0] // 2)
                tensors.append(_random_input(spec, [batch, *shape], gen))
            return SampleCase(label, tuple(tensors))

        cases = [case("a batch of 3", 3), case("a batch of 1", 1), case("a batch of 7", 7)]
        if self.variable_length():
            cases.append(case("a batch of 2 with shorter sequences", 2, shorten=True))
        return cases

    @torch.no_grad()
    def reference_outputs(self, cases: list[SampleCase]) -> list[torch.Tensor]:
        return [self.model(*c.tensors).detach().float() for c in cases]


def _random_input(spec: dict, shape: list[int], gen: torch.Generator) -> torch.Tensor:
    if spec["kind"] == "tokens":
        return torch.randint(0, int(spec["vocab_size"]), shape, generator=gen, dtype=torch.long)
    return torch.randn(shape, generator=gen, dtype=torch.float32)


def load_trained_run(run_dir: str | os.PathLike, weights: str = "best") -> TrainedRun:
    """Load a trained run (project, weights, preprocessing) onto the CPU in eval mode.

    ``weights`` is ``best`` (the best checkpoint, the default; a stopped run has only that)
    or ``final``. Raises :class:`ExportError` (or a RunDirError) saying what is missing or damaged.
    """
    from app.core.data.errors import DataError
    from app.core.data.preprocessor import Preprocessor
    from app.core.graph.compiler import compile_graph
    from app.core.project import load_project
    from app.core.run_weights import load_run_weights, load_weights_into, open_trained_run
    from app.core.train.config import TrainConfig
    from app.core.train.losses import resolve_loss_name

    paths = open_trained_run(run_dir, weights)
    project = load_project(paths.project)
    preprocessor = read_json(paths.preprocessor, "the data preparation")
    try:
        # The same check predict and evaluate make: an export must not carry a preparation
        # its predict.py (or the app) would refuse later.
        Preprocessor.from_dict(preprocessor)
        info = DataInfo.from_dict(preprocessor["info"])
    except (DataError, AttributeError, KeyError, TypeError) as exc:
        raise RunDirError(f"'{paths.preprocessor}' is damaged: {exc}") from None
    model = compile_graph(project.graph)
    chosen = load_run_weights(paths, weights)
    load_weights_into(model, chosen, ExportError)
    model.eval()
    config = TrainConfig.from_dict(project.training)
    try:
        summary = read_json(paths.summary, "the run summary")
    except RunDirError:
        summary = {}
    inputs = []
    for nid in project.graph.input_ids():
        params = project.graph.node(nid).params
        inputs.append({"id": nid, "kind": params["kind"], "shape": [int(d) for d in params["shape"]],
                       "vocab_size": int(params.get("vocab_size") or 0)})
    return TrainedRun(
        root=paths.root, name=project.name, project=project, graph=project.graph, model=model,
        state_dict={k: v.detach().cpu() for k, v in model.state_dict().items()}, info=info,
        preprocessor=preprocessor, training=config.to_dict(), summary=summary,
        metrics=read_metrics(paths.root), loss_name=resolve_loss_name(config.loss, info.task),
        input_specs=inputs, weights=chosen,
    )
