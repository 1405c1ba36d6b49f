"""Turn a validated graph into a ``torch.nn.Module`` the engine trains and the exporters save.

The model is an ``nn.ModuleDict`` keyed by node id, so state_dict keys read
``"<node_id>.<param>"`` (e.g. ``"dense_1.weight"``). Its ``forward`` walks a plan fixed at
compile time (topological order, which inputs each node reads, when an intermediate can be
dropped), so there is no data-dependent Python control flow: ``torch.jit.trace``,
``torch.onnx.export`` and ``torch.compile`` all see one straight line of operations.

Example::

    model = compile_graph(graph)          # raises the graph's first problem, if any
    y = model(torch.randn(8, 2))          # several Input nodes: pass them in input-id order
"""

from __future__ import annotations

import torch
import torch.nn as nn

from app.core.graph.errors import GraphError
from app.core.graph.graph import Graph
from app.core.graph.shapes import infer_shapes


class GraphModule(nn.ModuleDict):
    """A compiled graph: one submodule per node (Input nodes have none) and a fixed plan.

    ``input_ids`` lists the Input nodes in argument order; ``output_id`` names the Output.
    """

    def __init__(self, modules: dict[str, nn.Module], plan: list[tuple[str, tuple[str, ...], tuple[str, ...]]],
                 input_ids: list[str], output_id: str) -> None:
        super().__init__(modules)
        self.input_ids = tuple(input_ids)
        self.output_id = output_id
        # (node id, the node ids it reads, the intermediates no later node needs)
        self._plan = tuple(plan)
        # A plain chain (one input, each node reading only the one before) runs like
        # nn.Sequential, without the bookkeeping of intermediates: the common case, and the
        # one where that bookkeeping weighs most (thousands of tiny steps).
        self._chain = _chain_of(self._plan, self.input_ids, output_id)

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        if len(inputs) != len(self.input_ids):
            raise GraphError(
                f"The model takes {len(self.input_ids)} input(s) ({', '.join(self.input_ids)}) "
                f"but was given {len(inputs)}."
            )
        if self._chain is not None:
            x = inputs[0]
            modules = self._modules  # looked up on every call, so a replaced submodule is used
            for node_id in self._chain:
                x = modules[node_id](x)
            return x
        values: dict[str, torch.Tensor] = dict(zip(self.input_ids, inputs))
        for node_id, sources, release in self._plan:
            values[node_id] = self[node_id](*[values[s] for s in sources])
            for name in release:
                del values[name]
        return values[self.output_id]


def _chain_of(plan, input_ids: tuple[str, ...], output_id: str) -> tuple[str, ...] | None:
    """The node ids in order when the plan is a single chain from the one input to the output."""
    if len(input_ids) != 1 or not plan or plan[-1][0] != output_id:
        return None
    previous = input_ids[0]
    for node_id, sources, _release in plan:
        if sources != (previous,):
            return None
        previous = node_id
    return tuple(node_id for node_id, _sources, _release in plan)


def compile_graph(graph: Graph) -> GraphModule:
    """Build the torch model for ``graph``; raises the first validation problem as a GraphError.

    Nodes that do not feed the Output are left out, so every parameter of the model is trained.
    """
    graph.validate()
    report = infer_shapes(graph)
    input_ids = graph.input_ids()
    output_id = graph.output_ids()[0]
    needed = graph.ancestors(output_id) | {output_id}
    order = [nid for nid in graph.topological_order() if nid in needed and nid not in input_ids]

    modules: dict[str, nn.Module] = {}
    sources: dict[str, tuple[str, ...]] = {}
    for nid in order:
        node = graph.node(nid)
        edges = graph.incoming(nid)
        sources[nid] = tuple(e.source for e in edges)
        in_shapes = [report[e.source].shape for e in edges]
        modules[nid] = node.spec.build(node.params, in_shapes)

    for nid in order:
        node = graph.node(nid)
        if node.spec.after_build is not None:
            for p in node.spec.params:
                ref = node.params.get(p.name) if p.type == "node" else None
                if ref and ref not in modules:
                    raise GraphError(
                        f"Node '{nid}' shares weights with '{ref}', which is not part of the model "
                        "(it does not feed the Output).", nid,
                    )
            node.spec.after_build(modules[nid], node.params, modules)

    # Drop each intermediate right after its last reader so memory stays flat in deep chains.
    last_use: dict[str, str] = {}
    for nid in order:
        for s in sources[nid]:
            last_use[s] = nid
    release: dict[str, list[str]] = {nid: [] for nid in order}
    for value, reader in last_use.items():
        if value != output_id:
            release[reader].append(value)
    plan = [(nid, sources[nid], tuple(sorted(set(release[nid])))) for nid in order]
    return GraphModule(modules, plan, input_ids, output_id)


def count_parameters(model: nn.Module) -> int:
    """Learnable numbers in ``model``; a tied weight counts once."""
    return sum(p.numel() for p in model.parameters())
