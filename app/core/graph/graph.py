"""The network as data: nodes (layers) joined by edges into a DAG, with change notifications.

The graph holds no view logic. The designer canvas and its undo commands edit it only
through the methods below and redraw from the events they receive via :meth:`Graph.subscribe`.
Every edit is checked at once (unknown types, parameters, ports, loops) and raises one typed
:class:`~app.core.graph.errors.GraphError` naming the node; whole-graph rules (inputs left
unconnected, missing Input/Output, shapes that do not fit) are checked by :meth:`Graph.validate`
and listed by :meth:`Graph.problems`.

Example::

    g = Graph()
    g.add_node("io.input", {"kind": "vector", "shape": [2]}, id="input")
    g.add_node("core.linear", {"out_features": 1, "activation": "sigmoid"})   # id "dense_1"
    g.add_node("io.output", id="output")
    g.connect("input", "dense_1")
    g.connect("dense_1", "output")
    g.validate()
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from app.core.graph.errors import (
    CycleError,
    GraphError,
    GraphFormatError,
    InvalidNodeIdError,
    InvalidParamError,
    MissingInputError,
    MissingOutputError,
    NodeNotFoundError,
    PortMismatchError,
    ShapeMismatchError,
    UnconnectedInputError,
    UnknownLayerError,
    UnknownParamError,
)
from app.core.graph.registry import LayerSpec, get_layer_spec, normalize_params

_NODE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")  # used with fullmatch: "a\n" is no id

# Names a node may not take because the compiled model (an nn.ModuleDict subclass) already
# has an attribute of that name; a test keeps this list in step with torch.
RESERVED_IDS = frozenset({
    "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children", "clear", "compile",
    "cpu", "cuda", "double", "dump_patches", "eval", "extra_repr", "float", "forward",
    "get_buffer", "get_extra_state", "get_parameter", "get_submodule", "half", "input_ids",
    "ipu", "items", "keys", "load_state_dict", "modules", "mtia", "named_buffers",
    "named_children", "named_modules", "named_parameters", "output_id", "parameters", "pop",
    "register_backward_hook", "register_buffer", "register_forward_hook",
    "register_forward_pre_hook", "register_full_backward_hook",
    "register_full_backward_pre_hook", "register_load_state_dict_post_hook",
    "register_load_state_dict_pre_hook", "register_module", "register_parameter",
    "register_state_dict_post_hook", "register_state_dict_pre_hook", "requires_grad_",
    "set_extra_state", "set_submodule", "share_memory", "state_dict", "to", "to_empty", "train",
    "training", "type", "update", "values", "xpu", "zero_grad", "T_destination",
})


@dataclass
class Node:
    """One layer in the graph. Edit it through :class:`Graph` so listeners hear about it."""

    id: str
    type: str
    params: dict[str, Any]
    position: tuple[float, float] = (0.0, 0.0)

    @property
    def spec(self) -> LayerSpec:
        return get_layer_spec(self.type)


@dataclass(frozen=True)
class Edge:
    """Data flows from ``source``'s output port to ``target``'s input port."""

    source: str
    source_port: str
    target: str
    target_port: str


# --- change notifications -------------------------------------------------------------------


@dataclass(frozen=True)
class NodeAdded:
    node_id: str
    type: str


@dataclass(frozen=True)
class NodeRemoved:
    node_id: str
    type: str


@dataclass(frozen=True)
class EdgeAdded:
    edge: Edge


@dataclass(frozen=True)
class EdgeRemoved:
    edge: Edge


@dataclass(frozen=True)
class ParamChanged:
    node_id: str
    name: str
    old: Any
    new: Any


@dataclass(frozen=True)
class NodeMoved:
    node_id: str
    old: tuple[float, float]
    new: tuple[float, float]


GraphEvent = NodeAdded | NodeRemoved | EdgeAdded | EdgeRemoved | ParamChanged | NodeMoved


def _label(node: Node) -> str:
    return f"'{node.id}' ({node.spec.display_name})"


class Graph:
    """A DAG of layers. Nodes and edges keep insertion order (it is the file order)."""

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._edges: list[Edge] = []
        self._listeners: list[Callable[[GraphEvent], None]] = []

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Graph) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  (mutable)

    def __repr__(self) -> str:
        return f"Graph({len(self._nodes)} nodes, {len(self._edges)} edges)"

    # --- reading ----------------------------------------------------------------------------

    @property
    def nodes(self) -> list[Node]:
        return list(self._nodes.values())

    @property
    def edges(self) -> list[Edge]:
        return list(self._edges)

    def node(self, node_id: str) -> Node:
        try:
            return self._nodes[node_id]
        except KeyError:
            raise NodeNotFoundError(f"There is no node '{node_id}' in the network.", node_id) from None

    def has_node(self, node_id: str) -> bool:
        return node_id in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def incoming(self, node_id: str) -> list[Edge]:
        """Edges into ``node_id``, in port order, then edge order (the module's argument order)."""
        node = self.node(node_id)
        order = {p.name: i for i, p in enumerate(node.spec.inputs)}
        edges = [e for e in self._edges if e.target == node_id]
        return sorted(edges, key=lambda e: order.get(e.target_port, len(order)))

    def outgoing(self, node_id: str) -> list[Edge]:
        return [e for e in self._edges if e.source == node_id]

    def input_ids(self) -> list[str]:
        """Ids of the Input nodes in id order: the compiled model's positional arguments."""
        return sorted(n.id for n in self._nodes.values() if n.spec.type_id == "io.input")

    def output_ids(self) -> list[str]:
        return [n.id for n in self._nodes.values() if n.spec.type_id == "io.output"]

    def new_node_id(self, type_id: str) -> str:
        """A free readable id for a new node of ``type_id``: ``dense_1``, ``dense_2``, ..."""
        prefix = get_layer_spec(type_id).id_prefix
        n = 1
        while f"{prefix}_{n}" in self._nodes:
            n += 1
        return f"{prefix}_{n}"

    # --- editing ----------------------------------------------------------------------------

    def add_node(self, type_id: str, params: Mapping[str, Any] | None = None, *,
                 id: str | None = None, position: tuple[float, float] = (0.0, 0.0)) -> Node:
        """Add a layer; missing parameters take their defaults. Returns the new node."""
        spec = get_layer_spec(type_id)
        node_id = id if id is not None else self.new_node_id(spec.type_id)
        self._check_new_id(node_id)
        try:
            values = normalize_params(spec, params)
        except (UnknownParamError, InvalidParamError) as exc:
            raise type(exc)(f"Node '{node_id}': {exc}", node_id) from None
        node = Node(node_id, spec.type_id, values, _position(position, node_id))
        self._nodes[node_id] = node
        self._emit(NodeAdded(node_id, spec.type_id))
        return node

    def remove_node(self, node_id: str) -> None:
        """Remove a node and every edge touching it (EdgeRemoved events come first)."""
        node = self.node(node_id)
        for edge in [e for e in self._edges if node_id in (e.source, e.target)]:
            self._edges.remove(edge)
            self._emit(EdgeRemoved(edge))
        del self._nodes[node_id]
        self._emit(NodeRemoved(node_id, node.type))

    def connect(self, source: str, target: str, *, source_port: str = "out",
                target_port: str = "in") -> Edge:
        """Join ``source``'s output to ``target``'s input; refuses bad ports and loops."""
        src, dst = self.node(source), self.node(target)
        if source_port not in src.spec.outputs:
            raise PortMismatchError(
                f"Node {_label(src)} has no output port '{source_port}'; its output is 'out'.", source
            )
        port = dst.spec.port(target_port)
        if port is None:
            names = ", ".join(p.name for p in dst.spec.inputs)
            what = f"its inputs are {names}" if names else "it takes no input"
            raise PortMismatchError(f"Node {_label(dst)} has no input port '{target_port}'; {what}.", target)
        edge = Edge(source, source_port, target, target_port)
        if edge in self._edges:
            raise PortMismatchError(f"Node '{source}' is already connected to {_label(dst)}.", target)
        if source == target:
            raise CycleError(f"Node {_label(dst)} cannot feed itself; data must flow one way.", target)
        if self._reaches(target, source):
            raise CycleError(
                f"Connecting '{source}' to '{target}' would make data flow in a loop "
                f"('{target}' already feeds '{source}').", target,
            )
        if not port.variadic and any(e.target == target and e.target_port == target_port for e in self._edges):
            raise PortMismatchError(
                f"Input '{target_port}' of node {_label(dst)} is already connected; it takes one input. "
                "Use an Add or Concatenate node to join branches.", target,
            )
        self._edges.append(edge)
        self._emit(EdgeAdded(edge))
        return edge

    def disconnect(self, source: str | Edge, target: str | None = None, *, source_port: str = "out",
                   target_port: str = "in") -> None:
        """Remove one edge, given as an :class:`Edge` or as its ends."""
        edge = source if isinstance(source, Edge) else Edge(source, source_port, target or "", target_port)
        if edge not in self._edges:
            raise PortMismatchError(f"There is no connection from '{edge.source}' to '{edge.target}'.", edge.target)
        self._edges.remove(edge)
        self._emit(EdgeRemoved(edge))

    def set_param(self, node_id: str, name: str, value: Any) -> None:
        """Change one parameter (checked against the layer's declaration)."""
        node = self.node(node_id)
        try:
            new = normalize_params(node.spec, {name: value})[name]
        except (UnknownParamError, InvalidParamError) as exc:
            raise type(exc)(f"Node '{node_id}': {exc}", node_id) from None
        old = node.params.get(name)
        if old == new:
            return
        node.params[name] = new
        self._emit(ParamChanged(node_id, name, copy.copy(old), copy.copy(new)))

    def move_node(self, node_id: str, position: tuple[float, float]) -> None:
        node = self.node(node_id)
        new = _position(position, node_id)
        old = node.position
        if old == new:
            return
        node.position = new
        self._emit(NodeMoved(node_id, old, new))

    # --- notifications ----------------------------------------------------------------------

    def subscribe(self, callback: Callable[[GraphEvent], None]) -> Callable[[], None]:
        """Call ``callback(event)`` after every edit; returns a function that unsubscribes."""
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def unsubscribe(self, callback: Callable[[GraphEvent], None]) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def _emit(self, event: GraphEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    # --- order and checks -------------------------------------------------------------------

    def topological_order(self) -> list[str]:
        """Node ids so every node comes after all nodes feeding it (ties: insertion order)."""
        indegree = {nid: 0 for nid in self._nodes}
        children: dict[str, list[str]] = {nid: [] for nid in self._nodes}
        for e in self._edges:
            indegree[e.target] += 1
            children[e.source].append(e.target)
        ready = [nid for nid, d in indegree.items() if d == 0]
        order: list[str] = []
        i = 0
        while i < len(ready):
            nid = ready[i]
            i += 1
            order.append(nid)
            for child in children[nid]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
        if len(order) != len(self._nodes):
            stuck = next(nid for nid, d in indegree.items() if d > 0)
            raise CycleError(f"Node '{stuck}' is part of a loop; data must flow one way.", stuck)
        return order

    def ancestors(self, node_id: str) -> set[str]:
        """Every node whose output reaches ``node_id``."""
        parents: dict[str, list[str]] = {}
        for e in self._edges:
            parents.setdefault(e.target, []).append(e.source)
        seen: set[str] = set()
        stack = [node_id]
        while stack:
            for p in parents.get(stack.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        return seen

    def problems(self) -> list[GraphError]:
        """Every rule the graph breaks, one typed error each (the canvas shows them all)."""
        found: list[GraphError] = []
        if not self.input_ids():
            found.append(MissingInputError("The network has no Input node; add one where the data comes in."))
        outputs = self.output_ids()
        if not outputs:
            found.append(MissingOutputError("The network has no Output node; add one after the last layer."))
        elif len(outputs) > 1:
            found.append(MissingOutputError(
                f"The network has {len(outputs)} Output nodes ({', '.join(outputs)}); keep exactly one.",
                outputs[1],
            ))
        try:
            self.topological_order()
        except CycleError as exc:
            found.append(exc)
            return found
        fed = {(e.target, e.target_port) for e in self._edges}
        for node in self._nodes.values():
            for port in node.spec.inputs:
                if (node.id, port.name) not in fed:
                    found.append(UnconnectedInputError(
                        f"Input '{port.name}' of node {_label(node)} is not connected; "
                        "connect a layer to it or delete the node.", node.id,
                    ))
        from app.core.graph.shapes import infer_shapes

        report = infer_shapes(self)
        for nid, result in report.nodes.items():
            if result.error and not result.upstream_error and not any(p.node_id == nid for p in found):
                found.append(ShapeMismatchError(f"Node {_label(self._nodes[nid])}: {result.error}", nid))
        return found

    def validate(self) -> None:
        """Raise the first problem (see :meth:`problems`); return quietly when all is well."""
        found = self.problems()
        if found:
            raise found[0]

    # --- copies and files -------------------------------------------------------------------

    def copy(self) -> "Graph":
        """An independent copy with the same nodes and edges and no listeners."""
        g = Graph()
        for n in self._nodes.values():
            g._nodes[n.id] = Node(n.id, n.type, copy.deepcopy(n.params), n.position)
        g._edges = list(self._edges)
        return g

    def to_dict(self) -> dict:
        """The ``"graph"`` section of a project file (plain JSON types)."""
        return {
            "nodes": [
                {"id": n.id, "type": n.type, "params": copy.deepcopy(n.params), "position": list(n.position)}
                for n in self._nodes.values()
            ],
            "edges": [
                {"source": e.source, "source_port": e.source_port, "target": e.target, "target_port": e.target_port}
                for e in self._edges
            ],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Graph":
        """Load a graph section; old type ids follow their aliases, missing params get defaults."""
        if not isinstance(d, Mapping):
            raise GraphFormatError("The network section of the project must be an object with nodes and edges.")
        nodes, edges = d.get("nodes", []), d.get("edges", [])
        if not isinstance(nodes, list) or not isinstance(edges, list):
            raise GraphFormatError("The network section's 'nodes' and 'edges' must be lists.")
        g = cls()
        for i, item in enumerate(nodes):
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str) or not isinstance(item.get("type"), str):
                raise GraphFormatError(f"Node number {i + 1} in the network needs a text 'id' and 'type'.")
            node_id = item["id"]
            try:
                get_layer_spec(item["type"])
            except UnknownLayerError as exc:
                raise UnknownLayerError(f"Node '{node_id}': {exc}", node_id) from None
            params = item.get("params") or {}
            if not isinstance(params, Mapping):
                raise GraphFormatError(f"Node '{node_id}': 'params' must be an object.", node_id)
            g.add_node(item["type"], params, id=node_id, position=item.get("position") or (0.0, 0.0))
        for i, item in enumerate(edges):
            if not isinstance(item, Mapping) or not all(isinstance(item.get(k), str) for k in ("source", "target")):
                raise GraphFormatError(f"Connection number {i + 1} in the network needs a 'source' and a 'target'.")
            for end in ("source", "target"):
                if item[end] not in g._nodes:
                    raise GraphFormatError(
                        f"Connection number {i + 1} names node '{item[end]}', which is not in the network.",
                        item[end],
                    )
            g.connect(item["source"], item["target"], source_port=item.get("source_port", "out"),
                      target_port=item.get("target_port", "in"))
        return g

    # --- internals --------------------------------------------------------------------------

    def _check_new_id(self, node_id: str) -> None:
        if not isinstance(node_id, str) or not _NODE_ID.fullmatch(node_id):
            raise InvalidNodeIdError(
                f"'{node_id}' cannot be a node id: use letters, digits and '_', starting with a letter.", None
            )
        if node_id in RESERVED_IDS:
            raise InvalidNodeIdError(f"'{node_id}' is a reserved word; choose another node id.", node_id)
        if node_id in self._nodes:
            raise InvalidNodeIdError(f"There is already a node '{node_id}'; node ids must be unique.", node_id)

    def _reaches(self, start: str, goal: str) -> bool:
        children: dict[str, list[str]] = {}
        for e in self._edges:
            children.setdefault(e.source, []).append(e.target)
        seen, stack = {start}, [start]
        while stack:
            for c in children.get(stack.pop(), ()):
                if c == goal:
                    return True
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        return False


def _position(position: Iterable[Any], node_id: str) -> tuple[float, float]:
    try:
        x, y = position
        return (float(x), float(y))
    except (TypeError, ValueError):
        raise GraphFormatError(f"Node '{node_id}': position must be two numbers [x, y].", node_id) from None
