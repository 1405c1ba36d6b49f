"""Automatic layout of a network on the canvas: layered, top to bottom (a small Sugiyama).

Data flows downwards: every node sits one row below the lowest node feeding it, nodes in a
row are ordered to keep connections short and uncrossed (barycentre sweeps), and rows are
centred on the same vertical axis. Pure Python and Qt-free, so the designer's undoable
"Arrange" command and tests can use it alike.

Example::

    positions = layered_layout(graph)          # {"input": (0.0, 0.0), "dense_1": (0.0, 90.0), ...}
    for node_id, xy in positions.items():
        graph.move_node(node_id, xy)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from app.core.graph.graph import Graph

ROW_SPACING = 110.0
COLUMN_SPACING = 220.0
SWEEPS = 4


def layered_layout(graph: "Graph", *, row_spacing: float = ROW_SPACING, column_spacing: float = COLUMN_SPACING,
                   nodes: Iterable[str] | None = None, origin: tuple[float, float] | None = None
                   ) -> dict[str, tuple[float, float]]:
    """New positions for ``nodes`` (default: all) so the network reads top to bottom.

    Only edges between the chosen nodes count. ``origin`` is where the top row's centre
    goes; by default the layout keeps the top-left of the chosen nodes' current bounding
    box, so arranging does not make the network jump away from where the user looks.
    """
    chosen = [n.id for n in graph.nodes] if nodes is None else [nid for nid in nodes if graph.has_node(nid)]
    if not chosen:
        return {}
    members = set(chosen)
    parents: dict[str, list[str]] = {nid: [] for nid in chosen}
    children: dict[str, list[str]] = {nid: [] for nid in chosen}
    for e in graph.edges:
        if e.source in members and e.target in members:
            parents[e.target].append(e.source)
            children[e.source].append(e.target)

    rank = _longest_path_ranks(chosen, parents, children)
    _add_dummies(chosen, rank, parents, children)
    rows: dict[int, list[str]] = {}
    for nid in rank:  # insertion order (dummies last): a stable start for the sweeps
        rows.setdefault(rank[nid], []).append(nid)
    order = [rows.get(r, []) for r in range(max(rows) + 1)]
    _reduce_crossings(order, parents, children)
    xs = _assign_x(order, parents, children, column_spacing)

    real = [nid for nid in chosen]
    if origin is None:
        left = min(graph.node(nid).position[0] for nid in real)
        top = min(graph.node(nid).position[1] for nid in real)
    else:
        left = origin[0] - (max(xs[n] for n in real) - min(xs[n] for n in real)) / 2
        top = origin[1]
    shift = left - min(xs[n] for n in real)
    return {nid: (float(round(xs[nid] + shift, 1)), float(top + rank[nid] * row_spacing)) for nid in real}


def _add_dummies(chosen, rank, parents, children) -> None:
    """Split edges that skip rows with placeholder nodes, so a skip connection gets its own
    column instead of running through the layers it skips."""
    for nid in list(chosen):
        for child in list(children[nid]):
            span = rank[child] - rank[nid]
            if span <= 1:
                continue
            chain = [nid] + [f"\0{nid}>{child}#{k}" for k in range(1, span)] + [child]
            for k, dummy in enumerate(chain[1:-1], start=1):
                rank[dummy] = rank[nid] + k
                parents[dummy] = [chain[k - 1]]
                children[dummy] = [chain[k + 1]]
            children[nid][children[nid].index(child)] = chain[1]
            parents[child][parents[child].index(nid)] = chain[-2]


def _assign_x(order, parents, children, spacing) -> dict[str, float]:
    """Place each row's nodes, in their order, as near the mean of their neighbours as the
    spacing allows (alternating downward and upward passes)."""
    xs = {nid: i * spacing for row in order for i, nid in enumerate(row)}
    for sweep in range(SWEEPS + 1):
        downwards = sweep % 2 == 0
        rows = range(1, len(order)) if downwards else range(len(order) - 2, -1, -1)
        links = parents if downwards else children
        for r in rows:
            row = order[r]
            wanted = []
            for nid in row:
                near = [xs[m] for m in links[nid]]
                wanted.append(sum(near) / len(near) if near else xs[nid])
            for nid, x in zip(row, _packed(wanted, spacing)):
                xs[nid] = x
    return xs


def _packed(wanted: list[float], spacing: float) -> list[float]:
    """Positions closest to ``wanted`` (least squares) that keep ``spacing`` between neighbours,
    in the given order: pool-adjacent-violators on ``wanted[i] - i * spacing``."""
    blocks: list[list[float]] = []  # [sum, count]
    for i, w in enumerate(wanted):
        blocks.append([w - i * spacing, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    out: list[float] = []
    for s, c in blocks:
        out.extend([s / c] * int(c))
    return [v + i * spacing for i, v in enumerate(out)]


def _longest_path_ranks(chosen, parents, children) -> dict[str, int]:
    """Row of each node: one below its lowest parent (nodes on a loop keep row 0)."""
    indegree = {nid: len(parents[nid]) for nid in chosen}
    ready = [nid for nid in chosen if indegree[nid] == 0]
    rank = {nid: 0 for nid in chosen}
    i = 0
    while i < len(ready):
        nid = ready[i]
        i += 1
        for c in children[nid]:
            rank[c] = max(rank[c], rank[nid] + 1)
            indegree[c] -= 1
            if indegree[c] == 0:
                ready.append(c)
    return rank


def _reduce_crossings(order: list[list[str]], parents, children) -> None:
    """Barycentre heuristic: sort each row by the mean position of its neighbours, down then up."""
    for sweep in range(SWEEPS):
        downwards = sweep % 2 == 0
        rows = range(1, len(order)) if downwards else range(len(order) - 2, -1, -1)
        for r in rows:
            ref = order[r - 1] if downwards else order[r + 1]
            where = {nid: i for i, nid in enumerate(ref)}
            links = parents if downwards else children
            current = {nid: i for i, nid in enumerate(order[r])}

            def key(nid: str) -> tuple[float, int]:
                near = [where[m] for m in links[nid] if m in where]
                return (sum(near) / len(near) if near else float(current[nid]), current[nid])

            order[r].sort(key=key)


def count_crossings(graph: "Graph", positions: dict[str, tuple[float, float]]) -> int:
    """How many pairs of edges between adjacent rows cross (to compare layouts in tests)."""
    segs = []
    for e in graph.edges:
        if e.source in positions and e.target in positions:
            (x1, y1), (x2, y2) = positions[e.source], positions[e.target]
            segs.append((y1, x1, y2, x2))
    crossings = 0
    for i, (ya, xa1, yb, xa2) in enumerate(segs):
        for yc, xb1, yd, xb2 in segs[i + 1:]:
            if (ya, yb) == (yc, yd) and (xa1 - xb1) * (xa2 - xb2) < 0:
                crossings += 1
    return crossings
