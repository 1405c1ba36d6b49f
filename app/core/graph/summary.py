"""The layer table of ``python main.py validate`` (and the designer's summary panel).

Example::

    rows = layer_table(graph)
    print(format_layer_table(graph))
    # name     type            output shape   params  FLOPs
    # input    Input           (B, 2)              0      0
    # dense_1  Dense (Linear)  (B, 3)              9      6
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.graph.graph import Graph
from app.core.graph.shapes import infer_shapes


@dataclass(frozen=True)
class LayerRow:
    """One node as the table shows it; ``error`` is set (and ``output_shape`` is "?") when it does not fit."""

    name: str
    type: str
    output_shape: str
    params: int
    flops: int
    error: str | None = None


def layer_table(graph: Graph) -> list[LayerRow]:
    """One row per node, in the order data flows through the network."""
    report = infer_shapes(graph)
    try:
        order = graph.topological_order()
    except Exception:  # a loop: fall back to file order, the rows carry the error
        order = [n.id for n in graph.nodes]
    rows = []
    for nid in order:
        node, result = graph.node(nid), report[nid]
        rows.append(LayerRow(nid, node.spec.display_name, result.shape_str, result.params, result.flops,
                             result.error))
    return rows


def layer_totals(rows: list[LayerRow]) -> tuple[int, int]:
    """(parameters, FLOPs) summed over the rows."""
    return sum(r.params for r in rows), sum(r.flops for r in rows)


def human_count(n: int) -> str:
    """1234567 -> "1.23M": short numbers for people."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.3g}{unit}"
    return str(n)


def format_layer_table(graph: Graph) -> str:
    """The table as aligned plain text with a totals line (FLOPs are multiply-adds per sample)."""
    rows = layer_table(graph)
    header = ("name", "type", "output shape", "params", "FLOPs")
    body = [(r.name, r.type, r.output_shape if not r.error else f"error: {r.error}",
             f"{r.params:,}", human_count(r.flops)) for r in rows]
    report = infer_shapes(graph)
    footer = ("total", "", "", f"{report.total_params:,}", human_count(report.total_flops))
    widths = [max(len(row[i]) for row in [header, *body, footer]) for i in range(5)]
    widths[2] = max(len(header[2]), *(len(b[2]) for b in body if not b[2].startswith("error")), 0)

    def line(cells):
        left = [c.ljust(w) for c, w in zip(cells[:3], widths[:3])]
        right = [c.rjust(w) for c, w in zip(cells[3:], widths[3:])]
        return "  ".join(left + right).rstrip()

    rule = "-" * len(line(header))
    return "\n".join([line(header), rule, *(line(b) for b in body), rule, line(footer)])
