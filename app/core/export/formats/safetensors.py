"""``--format safetensors``: the weights, and ``architecture.json`` describing the network they fit.

``architecture.json`` holds the project's graph (the same JSON as in the project file), the
data description and the input/output shapes, so Modelwright (or any tool reading the
graph format) can rebuild the network; the weights load with ``strict=True`` into it. The
parity check rebuilds the network from the written JSON and loads the written weights.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.core.export.base import Exporter, ParityCheck, compare, register_exporter
from app.core.export.requirements import imports_of, write_requirements
from app.core.export.usage_code import safetensors_usage
from app.core.export.weights import write_weights

ARCHITECTURE_FORMAT = "modelwright-architecture"
ARCHITECTURE_VERSION = 1


def architecture_dict(run) -> dict:
    from app.core.graph.shapes import infer_shapes

    report = infer_shapes(run.graph)
    output = run.graph.output_ids()[0]
    return {
        "format": ARCHITECTURE_FORMAT,
        "version": ARCHITECTURE_VERSION,
        "name": run.name,
        "inputs": [{**spec, "dtype": "int64" if spec["kind"] == "tokens" else "float32"} for spec in run.input_specs],
        "output_shape": list(report[output].shape),
        "data_info": run.info.to_dict(),
        "outputs_are_logits": run.outputs_are_logits,
        "graph": run.graph.to_dict(),
        "weights": {k: list(v.shape) for k, v in run.state_dict.items()},
    }


@register_exporter
class SafetensorsExporter(Exporter):
    name = "safetensors"
    title = "safetensors + architecture"
    description = "model.safetensors (weights only, safe to load) and architecture.json (the network as JSON)."
    tolerance = 0.0

    def write(self, run, folder: Path, progress) -> list[str]:
        write_weights(run.state_dict, folder / "model.safetensors", {"architecture": "architecture.json"})
        text = json.dumps(architecture_dict(run), indent=2, ensure_ascii=False)
        (folder / "architecture.json").write_text(text + "\n", encoding="utf-8")
        requirements = write_requirements(folder, imports_of([safetensors_usage(run)]))  # the card's snippet
        return ["model.safetensors", "architecture.json", requirements]

    def verify(self, run, folder: Path, cases, expected) -> ParityCheck:
        from safetensors.torch import load_file

        from app.core.graph.compiler import compile_graph
        from app.core.graph.graph import Graph

        arch = json.loads((folder / "architecture.json").read_text(encoding="utf-8"))
        model = compile_graph(Graph.from_dict(arch["graph"]))
        model.load_state_dict(load_file(str(folder / "model.safetensors")), strict=True)
        model.eval()
        return compare("the network rebuilt from architecture.json with the written weights", self.tolerance,
                       cases, expected, lambda xs: model(*xs))
