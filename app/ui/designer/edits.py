"""Designer edits as plain, reversible model operations (no Qt here).

Every change the designer makes to a network is a list of small operations (add a node,
connect two ports, change a parameter ...). Each one knows how to apply itself to a
:class:`~app.core.graph.graph.Graph` and how to revert itself, using only the graph's public
editing methods, so the graph's change events drive every redraw. The one undo command
(:class:`app.ui.designer.commands.GraphEditCommand`) applies such a list on redo and reverts it
backwards on undo.

:class:`EditBuilder` turns an intention ("delete these nodes", "paste this fragment") into
operations: it plays them on a copy of the graph while building, so an edit the graph
refuses raises its typed error before anything is pushed onto the undo stack.

Example::

    builder = EditBuilder(graph)
    node_id = builder.add_node("core.linear", (0, 200), {"out_features": 3})
    builder.connect("input", node_id)
    ops = builder.ops                 # apply_ops(graph, ops) / revert_ops(graph, ops)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from app.core.graph.graph import Edge, Graph

GRID = 10.0  # canvas snapping step, in scene units


def snap(value: float, step: float = GRID) -> float:
    return float(round(value / step) * step)


# --- the operations --------------------------------------------------------------------------


@dataclass
class AddNode:
    node: dict  # {"id", "type", "params", "position"}

    def apply(self, graph: Graph) -> None:
        n = self.node
        graph.add_node(n["type"], copy.deepcopy(n["params"]), id=n["id"], position=tuple(n["position"]))

    def revert(self, graph: Graph) -> None:
        graph.remove_node(self.node["id"])


@dataclass
class RemoveNode:
    """Remove a node whose edges were already disconnected by earlier operations."""

    node: dict

    def apply(self, graph: Graph) -> None:
        graph.remove_node(self.node["id"])

    def revert(self, graph: Graph) -> None:
        AddNode(self.node).apply(graph)


@dataclass
class Connect:
    edge: Edge

    def apply(self, graph: Graph) -> None:
        e = self.edge
        graph.connect(e.source, e.target, source_port=e.source_port, target_port=e.target_port)

    def revert(self, graph: Graph) -> None:
        graph.disconnect(self.edge)


@dataclass
class Disconnect:
    """Remove an edge; undo puts it back in the same place among the inputs of its port
    (the order of a Concatenate's inputs is part of the network)."""

    edge: Edge
    _later: list[Edge] = field(default_factory=list, repr=False)

    def apply(self, graph: Graph) -> None:
        edges = graph.edges
        at = edges.index(self.edge) if self.edge in edges else len(edges)
        self._later = [e for e in edges[at + 1:]
                       if e.target == self.edge.target and e.target_port == self.edge.target_port]
        graph.disconnect(self.edge)

    def revert(self, graph: Graph) -> None:
        Connect(self.edge).apply(graph)
        for e in self._later:  # move the later inputs of the same port behind it again
            graph.disconnect(e)
            Connect(e).apply(graph)


@dataclass
class SetParam:
    node_id: str
    name: str
    old: Any
    new: Any

    def apply(self, graph: Graph) -> None:
        graph.set_param(self.node_id, self.name, copy.deepcopy(self.new))

    def revert(self, graph: Graph) -> None:
        graph.set_param(self.node_id, self.name, copy.deepcopy(self.old))


@dataclass
class MoveNode:
    node_id: str
    old: tuple[float, float]
    new: tuple[float, float]

    def apply(self, graph: Graph) -> None:
        graph.move_node(self.node_id, self.new)

    def revert(self, graph: Graph) -> None:
        graph.move_node(self.node_id, self.old)


Op = AddNode | RemoveNode | Connect | Disconnect | SetParam | MoveNode


def apply_ops(graph: Graph, ops: Iterable[Op]) -> None:
    for op in ops:
        op.apply(graph)


def revert_ops(graph: Graph, ops: Iterable[Op]) -> None:
    for op in reversed(list(ops)):
        op.revert(graph)


def merge_ops(first: list[Op], then: list[Op]) -> list[Op] | None:
    """One list doing ``first`` then ``then`` when both only move nodes or set the same
    parameters (a drag, a spin box being stepped); None when they cannot be merged."""
    kinds = {type(op) for op in first + then}
    if kinds == {MoveNode}:
        key = lambda op: op.node_id  # noqa: E731
    elif kinds == {SetParam}:
        key = lambda op: (op.node_id, op.name)  # noqa: E731
    else:
        return None
    merged: dict[Any, Op] = {key(op): copy.copy(op) for op in first}
    for op in then:
        if key(op) in merged:
            merged[key(op)].new = op.new
        else:
            merged[key(op)] = copy.copy(op)
    return [op for op in merged.values() if op.old != op.new] or list(merged.values())[:1]


# --- building edits --------------------------------------------------------------------------


def node_dict(graph: Graph, node_id: str) -> dict:
    n = graph.node(node_id)
    return {"id": n.id, "type": n.type, "params": copy.deepcopy(n.params), "position": list(n.position)}


class EditBuilder:
    """Collects operations while playing them on a private copy of ``graph``; the copy raises
    the graph's typed errors (loops, ports, bad parameters) before anything reaches the stack."""

    def __init__(self, graph: Graph) -> None:
        self.scratch = graph.copy()
        self.ops: list[Op] = []

    def _do(self, op: Op) -> None:
        op.apply(self.scratch)
        self.ops.append(op)

    def add_node(self, type_id: str, position: tuple[float, float], params: Mapping[str, Any] | None = None,
                 node_id: str | None = None) -> str:
        node_id = node_id or self.scratch.new_node_id(type_id)
        probe = Graph()
        probe.add_node(type_id, params, id=node_id)  # fills defaults, checks values and the id's form
        node = {"id": node_id, "type": probe.node(node_id).type, "params": probe.node(node_id).params,
                "position": [float(position[0]), float(position[1])]}
        self._do(AddNode(node))
        return node_id

    def remove_nodes(self, node_ids: Iterable[str]) -> None:
        for nid in node_ids:
            if not self.scratch.has_node(nid):
                continue
            for e in [e for e in self.scratch.edges if nid in (e.source, e.target)]:
                self._do(Disconnect(e))
            self._do(RemoveNode(node_dict(self.scratch, nid)))

    def connect(self, source: str, target: str, source_port: str = "out", target_port: str = "in") -> Edge:
        edge = Edge(source, source_port, target, target_port)
        self._do(Connect(edge))
        return edge

    def disconnect(self, edge: Edge) -> None:
        self._do(Disconnect(edge))

    def set_param(self, node_id: str, name: str, value: Any) -> None:
        node = self.scratch.node(node_id)
        old = copy.deepcopy(node.params.get(name))
        self.scratch.set_param(node_id, name, value)  # coerces (e.g. 3.0 -> 3) or raises
        new = copy.deepcopy(node.params[name])
        if old != new:
            self.ops.append(SetParam(node_id, name, old, new))

    def move(self, node_id: str, position: tuple[float, float]) -> None:
        old = self.scratch.node(node_id).position
        new = (float(position[0]), float(position[1]))
        if old != new:
            self._do(MoveNode(node_id, old, new))

    def replace(self, repl) -> None:
        """Apply a :class:`~app.core.graph.composite.Replacement` (expand, collapse, residual block)."""
        for e in repl.cut:
            self.disconnect(e)
        self.remove_nodes(repl.remove)
        for n in repl.add_nodes:
            self.add_node(n["type"], tuple(n["position"]), n["params"], node_id=n["id"])
        for e in repl.add_edges:
            self.connect(e.source, e.target, e.source_port, e.target_port)
        for nid, pos in repl.moves.items():
            self.move(nid, pos)

    def replace_all(self, graph: Graph) -> None:
        """Make the network equal to ``graph`` (a template): everything old goes, everything new comes."""
        self.remove_nodes([n.id for n in self.scratch.nodes])
        for n in graph.nodes:
            self.add_node(n.type, n.position, n.params, node_id=n.id)
        for e in graph.edges:
            self.connect(e.source, e.target, e.source_port, e.target_port)


# --- connection checks while dragging ---------------------------------------------------------


def displaced_edges(graph: Graph, target: str, target_port: str = "in") -> list[Edge]:
    """The edges a new connection into ``target.target_port`` would replace: the one wire of a
    port that takes a single input (none for a port that joins many, such as Concatenate's)."""
    if not graph.has_node(target):
        return []
    port = graph.node(target).spec.port(target_port)
    if port is None or port.variadic:
        return []
    return [e for e in graph.edges if e.target == target and e.target_port == target_port]


def connection_refusal(graph: Graph, source: str, target: str, target_port: str = "in",
                       ancestors: set[str] | None = None, *, replace: bool = False) -> str | None:
    """Why ``source -> target.target_port`` cannot be made (plain words), or None when it can.

    Mirrors the rules of :meth:`Graph.connect` without changing anything, so the canvas can
    mark every refused port while a connection is being dragged. Pass ``ancestors`` (of the
    source) when checking many targets for one source. With ``replace`` an occupied
    single-input port accepts the connection (its old wire goes, see :func:`displaced_edges`).
    """
    if not graph.has_node(source) or not graph.has_node(target):
        return "That node is gone."
    dst = graph.node(target)
    port = dst.spec.port(target_port)
    if port is None:
        return f"{dst.spec.display_name} takes no input."
    if source == target:
        return "A layer cannot feed itself; data must flow one way."
    if ancestors is None:
        ancestors = graph.ancestors(source)
    if target in ancestors:
        return f"'{target}' already feeds '{source}'; this connection would make a loop."
    if Edge(source, "out", target, target_port) in graph.edges:
        return f"'{source}' is already connected to '{target}'."
    if not replace and not port.variadic and any(e.target == target and e.target_port == target_port
                                                 for e in graph.edges):
        return (f"Input '{target_port}' of '{target}' is already connected and takes one input; "
                "use an Add or Concatenate layer to join branches.")
    return None


def shape_after_connect(graph: Graph, source: str, target: str, target_port: str = "in") -> str | None:
    """The shape error ``target`` would get from this connection (None when it fits)."""
    from app.core.graph.shapes import infer_shapes

    trial = graph.copy()
    for edge in displaced_edges(trial, target, target_port):
        trial.disconnect(edge)
    trial.connect(source, target, target_port=target_port)
    result = infer_shapes(trial)[target]
    return result.error if result.error and not result.upstream_error and "not connected" not in result.error else None


# --- clipboard fragments -------------------------------------------------------------------------

FRAGMENT_FORMAT = "modelwright-graph-fragment"


def copy_fragment(graph: Graph, node_ids: Iterable[str]) -> dict:
    """Selected nodes and the edges between them, as JSON-ready data for the clipboard."""
    ids = [nid for nid in dict.fromkeys(node_ids) if graph.has_node(nid)]
    members = set(ids)
    return {
        "format": FRAGMENT_FORMAT,
        "nodes": [node_dict(graph, nid) for nid in ids],
        "edges": [{"source": e.source, "source_port": e.source_port, "target": e.target,
                   "target_port": e.target_port} for e in graph.edges if e.source in members and e.target in members],
    }


def paste_fragment(builder: EditBuilder, fragment: Mapping[str, Any], offset: tuple[float, float]) -> list[str]:
    """Add a copied fragment with fresh ids, shifted by ``offset``; returns the new ids.

    ``node`` parameters (such as an LM head's ``tie_to``) follow the copy when they name a
    copied node, stay when they name a node still in the network, and are cleared otherwise.
    """
    from app.core.graph.errors import GraphFormatError
    from app.core.graph.registry import get_layer_spec

    if not isinstance(fragment, Mapping) or fragment.get("format") != FRAGMENT_FORMAT:
        raise GraphFormatError("The clipboard holds no layers copied from the designer.")
    nodes, edges = fragment.get("nodes") or [], fragment.get("edges") or []
    renamed: dict[str, str] = {}
    created: list[str] = []
    for n in nodes:
        spec = get_layer_spec(n["type"])
        new_id = n["id"] if not builder.scratch.has_node(n["id"]) and n["id"] not in renamed.values() else None
        new_id = new_id or builder.scratch.new_node_id(spec.type_id)
        renamed[n["id"]] = new_id
        x, y = n.get("position") or (0.0, 0.0)
        builder.add_node(spec.type_id, (snap(x + offset[0]), snap(y + offset[1])), n.get("params") or {},
                         node_id=new_id)
        created.append(new_id)
    for n in nodes:
        spec = get_layer_spec(n["type"])
        for p in spec.params:
            ref = (n.get("params") or {}).get(p.name)
            if p.type == "node" and ref:
                if ref in renamed:
                    builder.set_param(renamed[n["id"]], p.name, renamed[ref])
                elif not builder.scratch.has_node(ref):
                    builder.set_param(renamed[n["id"]], p.name, "")
    for e in edges:
        if e["source"] in renamed and e["target"] in renamed:
            builder.connect(renamed[e["source"]], renamed[e["target"]], e.get("source_port", "out"),
                            e.get("target_port", "in"))
    return created
