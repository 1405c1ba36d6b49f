"""Composite blocks: expand a block node into the layers it is made of, collapse them back, or
insert a residual block as plain layers.

A GPT decoder block or a Transformer encoder layer is one registry entry (one node, one
fused module). Expanding it writes the same computation as separate nodes (LayerNorm,
self-attention, Dropout, Add, Dense ...) so a user can study or change the inside; collapsing a
selection that has exactly that structure turns it back into one block node. Both return a
:class:`Replacement` (what to remove, add, connect and move) instead of editing the graph, so
the designer applies it as one undoable step.

Expanded layers compute what the block computes, with the same number of parameters; their
weights are fresh (the block's fused weights are not split across the new nodes).

Example::

    repl = expand_block(graph, "block_1")        # GPT block -> 10 layers
    apply_replacement(graph, repl)               # or the designer's undoable command
    again = collapse_blocks(graph, repl.added_ids)   # the same layers -> one GPT block
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from app.core.graph.errors import GraphError
from app.core.graph.graph import Edge

if TYPE_CHECKING:
    from app.core.graph.graph import Graph

ROW = 90.0
SRC = "__source__"  # the node feeding a block, in fragments


class CompositeError(GraphError):
    """A block cannot be expanded or a selection cannot be collapsed (the message says why)."""


@dataclass(frozen=True)
class Replacement:
    """One structural edit: cut the edges ``cut``, remove ``remove`` (with their edges), add
    ``add_nodes`` (node dicts as in the project file), connect ``add_edges`` in order, then
    move ``moves``."""

    remove: tuple[str, ...]
    add_nodes: tuple[dict, ...]
    add_edges: tuple[Edge, ...]
    moves: dict[str, tuple[float, float]] = field(default_factory=dict)
    cut: tuple[Edge, ...] = ()

    @property
    def added_ids(self) -> list[str]:
        return [n["id"] for n in self.add_nodes]


# --- the blocks, written out as layers --------------------------------------------------------
# A fragment is a list of (key, type_id, params, inputs); inputs name earlier keys or SRC.

Fragment = list[tuple[str, str, dict, list[str]]]


def _gpt_fragment(params: dict, d: int) -> Fragment:
    p, bias = params["dropout"], params["bias"]
    return [
        ("ln_1", "norm.layer_norm", {"eps": 1e-5, "affine": True}, [SRC]),
        ("attn", "attn.multihead_attention", {"num_heads": params["n_head"], "dropout": p, "bias": bias,
                                              "causal": True}, ["ln_1"]),
        ("drop_1", "core.dropout", {"p": p}, ["attn"]),
        ("add_1", "merge.add", {}, [SRC, "drop_1"]),
        ("ln_2", "norm.layer_norm", {"eps": 1e-5, "affine": True}, ["add_1"]),
        ("fc", "core.linear", {"out_features": params["mlp_ratio"] * d, "bias": bias, "activation": "gelu"}, ["ln_2"]),
        ("proj", "core.linear", {"out_features": d, "bias": bias, "activation": "none"}, ["fc"]),
        ("drop_2", "core.dropout", {"p": p}, ["proj"]),
        ("add_2", "merge.add", {}, ["add_1", "drop_2"]),
    ]


def _encoder_fragment(params: dict, d: int) -> Fragment:
    p = params["dropout"]
    attn = {"num_heads": params["nhead"], "dropout": p, "bias": True, "causal": params["causal"]}
    ff = [
        ("fc", "core.linear", {"out_features": params["dim_feedforward"], "bias": True,
                               "activation": params["activation"]}),
        ("drop_ff", "core.dropout", {"p": p}),
        ("proj", "core.linear", {"out_features": d, "bias": True, "activation": "none"}),
        ("drop_2", "core.dropout", {"p": p}),
    ]
    ln = {"eps": 1e-5, "affine": True}
    if params["norm_first"]:
        frag: Fragment = [
            ("ln_1", "norm.layer_norm", dict(ln), [SRC]),
            ("attn", "attn.multihead_attention", attn, ["ln_1"]),
            ("drop_1", "core.dropout", {"p": p}, ["attn"]),
            ("add_1", "merge.add", {}, [SRC, "drop_1"]),
            ("ln_2", "norm.layer_norm", dict(ln), ["add_1"]),
        ]
        prev = "ln_2"
    else:
        frag = [
            ("attn", "attn.multihead_attention", attn, [SRC]),
            ("drop_1", "core.dropout", {"p": p}, ["attn"]),
            ("add_1", "merge.add", {}, [SRC, "drop_1"]),
            ("ln_1", "norm.layer_norm", dict(ln), ["add_1"]),
        ]
        prev = "ln_1"
    for key, type_id, prm in ff:
        frag.append((key, type_id, prm, [prev]))
        prev = key
    frag.append(("add_2", "merge.add", {}, ["add_1" if params["norm_first"] else "ln_1", "drop_2"]))
    if not params["norm_first"]:
        frag.append(("ln_2", "norm.layer_norm", dict(ln), ["add_2"]))
    return frag


@dataclass(frozen=True)
class BlockKind:
    """A block type that can be written out as layers, and how to guess its parameters back."""

    type_id: str
    fragment: Callable[[dict, int], Fragment]
    candidates: Callable[[list[Any], int], list[dict]]


def _mha_nodes(nodes):
    return [n for n in nodes if n.type == "attn.multihead_attention"]


def _gpt_candidates(nodes, d: int) -> list[dict]:
    out = []
    for mha in _mha_nodes(nodes):
        for fc in (n for n in nodes if n.type == "core.linear" and n.params["activation"] == "gelu"):
            if d and fc.params["out_features"] % d == 0:
                out.append({"n_head": mha.params["num_heads"], "mlp_ratio": fc.params["out_features"] // d,
                            "dropout": mha.params["dropout"], "bias": mha.params["bias"]})
    return out


def _encoder_candidates(nodes, d: int) -> list[dict]:
    out = []
    for mha in _mha_nodes(nodes):
        for fc in (n for n in nodes if n.type == "core.linear" and n.params["activation"] in ("relu", "gelu")):
            for norm_first in (True, False):
                out.append({"nhead": mha.params["num_heads"], "dim_feedforward": fc.params["out_features"],
                            "dropout": mha.params["dropout"], "activation": fc.params["activation"],
                            "norm_first": norm_first, "causal": mha.params["causal"]})
    return out


BLOCKS: dict[str, BlockKind] = {
    "attn.gpt_block": BlockKind("attn.gpt_block", _gpt_fragment, _gpt_candidates),
    "attn.transformer_encoder_layer": BlockKind("attn.transformer_encoder_layer", _encoder_fragment,
                                                _encoder_candidates),
}


def is_expandable(graph: "Graph", node_id: str) -> bool:
    return graph.has_node(node_id) and graph.node(node_id).type in BLOCKS


def expand_block(graph: "Graph", node_id: str) -> Replacement:
    """The block node ``node_id`` written out as layers, wired where the block was."""
    node = graph.node(node_id)
    kind = BLOCKS.get(node.type)
    if kind is None:
        raise CompositeError(f"Node '{node_id}' ({node.spec.display_name}) is a single layer; only blocks "
                             f"({', '.join(_block_names())}) can be expanded.", node_id)
    incoming = graph.incoming(node_id)
    if not incoming:
        raise CompositeError(f"Connect block '{node_id}' to the layer before it first: its size comes "
                             "from its input.", node_id)
    d = _feature_size(graph, incoming[0].source, node_id)
    frag = kind.fragment(node.params, d)
    x, y = node.position
    ids = _fresh_ids(graph, node_id, [key for key, *_ in frag], free={node_id})
    nodes = tuple({"id": ids[key], "type": type_id, "params": dict(prm), "position": [x, y + i * ROW]}
                  for i, (key, type_id, prm, _) in enumerate(frag))
    src = incoming[0]
    exit_id = ids[frag[-1][0]]
    edges: list[Edge] = []
    for key, _, _, inputs in frag:
        for inp in inputs:
            source = src.source if inp == SRC else ids[inp]
            port = src.source_port if inp == SRC else "out"
            edges.append(Edge(source, port, ids[key], "in"))
    for e in graph.outgoing(node_id):
        edges.append(Edge(exit_id, "out", e.target, e.target_port))
    grow = (len(frag) - 1) * ROW
    moves = {n.id: (n.position[0], n.position[1] + grow) for n in graph.nodes
             if n.id != node_id and n.position[1] > y}
    return Replacement((node_id,), nodes, tuple(edges), moves)


def collapse_blocks(graph: "Graph", node_ids) -> Replacement:
    """The selected layers as one block node, when they form exactly one known block."""
    ids = [nid for nid in dict.fromkeys(node_ids) if graph.has_node(nid)]
    members = set(ids)
    if len(ids) < 2:
        raise CompositeError("Select the layers of one block (e.g. an expanded GPT block) to collapse them.")
    entering = [e for e in graph.edges if e.target in members and e.source not in members]
    leaving = [e for e in graph.edges if e.source in members and e.target not in members]
    sources = {(e.source, e.source_port) for e in entering}
    exits = {e.source for e in leaving}
    if len(sources) != 1 or len(exits) > 1:
        raise CompositeError("A block has one input and one output; the selected layers are fed by "
                             f"{len(sources)} layers and feed on from {len(exits)}. Select exactly one block's layers.")
    (src, src_port), = sources
    d = _feature_size(graph, src, ids[0])
    nodes = [graph.node(nid) for nid in ids]
    wanted = _signatures_of_selection(graph, members, src)
    for kind in BLOCKS.values():
        for params in kind.candidates(nodes, d):
            if _signatures_of_fragment(kind.fragment(params, d)) == wanted:
                return _collapse(graph, ids, kind.type_id, params, (src, src_port), leaving)
    names = ", ".join(_block_names())
    raise CompositeError(f"The selected layers do not form a known block ({names}); collapse works on "
                         "layers laid out exactly as an expanded block.")


def _collapse(graph, ids, type_id, params, src, leaving) -> Replacement:
    from app.core.graph.registry import get_layer_spec

    top = min(ids, key=lambda nid: graph.node(nid).position[1])
    x, y = graph.node(top).position
    bottom = max(graph.node(nid).position[1] for nid in ids)
    new_id = _free_id(graph, get_layer_spec(type_id).id_prefix, set(ids))
    node = {"id": new_id, "type": type_id, "params": dict(params), "position": [x, y]}
    edges = [Edge(src[0], src[1], new_id, "in")]
    edges += [Edge(new_id, "out", e.target, e.target_port) for e in leaving]
    shrink = bottom - y
    members = set(ids)
    moves = {n.id: (n.position[0], n.position[1] - shrink) for n in graph.nodes
             if n.id not in members and n.position[1] > bottom}
    return Replacement(tuple(ids), (node,), tuple(edges), moves)


# --- residual blocks (plain layers, inserted after a layer) -----------------------------------


def residual_block(graph: "Graph", after: str | None) -> Replacement:
    """A residual block inserted after ``after``: Conv-BN-ReLU-Conv-BN + skip for images,
    Dense-ReLU-Dense + skip for vectors and sequences; what ``after`` fed now hangs below it."""
    if after is None or not graph.has_node(after):
        raise CompositeError("Select the layer the residual block should follow, then insert it.")
    from app.core.graph.shapes import infer_shapes

    shape = infer_shapes(graph)[after].shape
    if shape is None:
        raise CompositeError(f"Layer '{after}' has no known output shape yet; fix it before adding a "
                             "residual block after it.", after)
    if len(shape) == 4:
        c = shape[1]
        frag: Fragment = [
            ("conv_1", "conv.conv2d", {"out_channels": c, "kernel_size": 3, "padding": 1, "bias": False}, [SRC]),
            ("bn_1", "norm.batch_norm2d", {}, ["conv_1"]),
            ("relu_1", "act.relu", {}, ["bn_1"]),
            ("conv_2", "conv.conv2d", {"out_channels": c, "kernel_size": 3, "padding": 1, "bias": False}, ["relu_1"]),
            ("bn_2", "norm.batch_norm2d", {}, ["conv_2"]),
            ("add", "merge.add", {}, [SRC, "bn_2"]),
            ("relu_2", "act.relu", {}, ["add"]),
        ]
    elif len(shape) in (2, 3):
        d = shape[-1]
        frag = [
            ("fc_1", "core.linear", {"out_features": d, "activation": "relu"}, [SRC]),
            ("fc_2", "core.linear", {"out_features": d}, ["fc_1"]),
            ("add", "merge.add", {}, [SRC, "fc_2"]),
            ("relu", "act.relu", {}, ["add"]),
        ]
    else:
        raise CompositeError(f"A residual block needs an image or a vector/sequence, but '{after}' gives "
                             f"{'(' + ', '.join(map(str, shape)) + ')'}.", after)
    x, y = graph.node(after).position
    ids = _fresh_ids(graph, "res", [key for key, *_ in frag])
    nodes = tuple({"id": ids[key], "type": t, "params": dict(p), "position": [x, y + (i + 1) * ROW]}
                  for i, (key, t, p, _) in enumerate(frag))
    edges = [Edge(after if inp == SRC else ids[inp], "out", ids[key], "in")
             for key, _, _, inputs in frag for inp in inputs]
    old = graph.outgoing(after)
    exit_id = ids[frag[-1][0]]
    edges += [Edge(exit_id, "out", e.target, e.target_port) for e in old]
    grow = len(frag) * ROW
    moves = {n.id: (n.position[0], n.position[1] + grow) for n in graph.nodes if n.position[1] > y}
    return Replacement((), nodes, tuple(edges), moves, cut=tuple(old))


def apply_replacement(graph: "Graph", repl: Replacement) -> None:
    """Apply ``repl`` directly (not undoable; the designer wraps the same steps in a command)."""
    for e in repl.cut:
        graph.disconnect(e)
    for nid in repl.remove:
        graph.remove_node(nid)
    for n in repl.add_nodes:
        graph.add_node(n["type"], n["params"], id=n["id"], position=tuple(n["position"]))
    for e in repl.add_edges:
        graph.connect(e.source, e.target, source_port=e.source_port, target_port=e.target_port)
    for nid, pos in repl.moves.items():
        graph.move_node(nid, pos)


# --- helpers ----------------------------------------------------------------------------------


def _block_names() -> list[str]:
    from app.core.graph.registry import get_layer_spec

    return [get_layer_spec(t).display_name for t in BLOCKS]


def _feature_size(graph: "Graph", source: str, where: str) -> int:
    from app.core.graph.shapes import infer_shapes

    shape = infer_shapes(graph)[source].shape
    if shape is None or len(shape) < 2 or not isinstance(shape[-1], int):
        raise CompositeError(f"The input of '{where}' has no known size yet; fix the layers before it first.", where)
    return int(shape[-1])


def _free_id(graph: "Graph", prefix: str, free: set[str] = frozenset(), taken: set[str] = frozenset()) -> str:
    from app.core.graph.graph import RESERVED_IDS

    n = 1
    while True:
        cand = f"{prefix}_{n}"
        if (cand in free or not graph.has_node(cand)) and cand not in taken and cand not in RESERVED_IDS:
            return cand
        n += 1


def _fresh_ids(graph: "Graph", base: str, keys: list[str], free: set[str] = frozenset()) -> dict[str, str]:
    """Readable ids ``<base>_<key>`` that no other node uses (a number is added on a clash)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        cand = f"{base}_{key}"
        if (graph.has_node(cand) and cand not in free) or cand in taken:
            cand = _free_id(graph, cand, free, taken)
        out[key] = cand
        taken.add(cand)
    return out


def _canon(type_id: str, params: dict) -> str:
    from app.core.graph.registry import get_layer_spec, normalize_params

    return type_id + json.dumps(normalize_params(get_layer_spec(type_id), params), sort_keys=True)


def _signatures(keys, type_params, parents) -> list[str]:
    """A structural fingerprint per node: its type and parameters plus its parents' fingerprints."""
    memo: dict[str, str] = {}

    def sig(k: str) -> str:
        if k == SRC:
            return "SRC"
        if k not in memo:
            t, p = type_params[k]
            memo[k] = _canon(t, p) + "(" + ",".join(sorted(sig(q) for q in parents[k])) + ")"
        return memo[k]

    return sorted(sig(k) for k in keys)


def _signatures_of_fragment(frag: Fragment) -> list[str]:
    keys = [k for k, *_ in frag]
    return _signatures(keys, {k: (t, p) for k, t, p, _ in frag}, {k: list(i) for k, _, _, i in frag})


def _signatures_of_selection(graph: "Graph", members: set[str], src: str) -> list[str]:
    parents: dict[str, list[str]] = {nid: [] for nid in members}
    for e in graph.edges:
        if e.target in members:
            parents[e.target].append(SRC if e.source == src and e.source not in members else e.source)
    type_params = {nid: (graph.node(nid).type, graph.node(nid).params) for nid in members}
    return _signatures(list(members), type_params, parents)
