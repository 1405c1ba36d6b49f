"""The layer table of ``python main.py validate`` (and the designer's summary panel).

Example::

    table = layer_table(graph)
    table.total_params, table.errors          # 13, []
    print(format_layer_table(table))
    # name     type            output shape  params  FLOPs
    # input    Input           (B, 2)             0      0
    # dense_1  Dense (Linear)  (B, 3)             9      6
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterator

from app.core.graph.errors import CycleError
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


@dataclass(frozen=True)
class LayerTable:
    """Rows in data-flow order (iterable like a list) plus totals over the nodes the model uses.

    ``errors`` lists ``(node_id, message)`` for every rule the graph breaks (structure and
    shapes), so a clean table means the project can be compiled and trained.
    """

    rows: tuple[LayerRow, ...]
    total_params: int
    total_flops: int
    errors: tuple[tuple[str, str], ...]

    def __iter__(self) -> Iterator[LayerRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> LayerRow:
        return self.rows[index]

    def to_dict(self) -> dict:
        """Plain JSON: ``{"layers": [...], "total_params": n, "total_flops": n, "errors": [...]}``."""
        return {
            "layers": [asdict(r) for r in self.rows],
            "total_params": self.total_params,
            "total_flops": self.total_flops,
            "errors": [{"node": n, "message": m} for n, m in self.errors],
        }


def layer_table(graph: Graph) -> LayerTable:
    """One row per node, in the order data flows through the network."""
    report = infer_shapes(graph)
    try:
        order = graph.topological_order()
    except CycleError:  # the rows carry the error; keep file order
        order = [n.id for n in graph.nodes]
    rows = tuple(
        LayerRow(nid, graph.node(nid).spec.display_name, report[nid].shape_str, report[nid].params,
                 report[nid].flops, report[nid].error)
        for nid in order
    )
    errors = tuple((p.node_id or "network", str(p)) for p in graph.problems())
    return LayerTable(rows, report.total_params, report.total_flops, errors)


def human_count(n: int) -> str:
    """1234567 -> "1.23M": short numbers for people."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.3g}{unit}"
    return str(n)


def format_layer_table(table: LayerTable | Graph) -> str:
    """The table as aligned plain text with a totals line (FLOPs are multiply-adds per sample)."""
    if isinstance(table, Graph):
        table = layer_table(table)
    header = ("name", "type", "output shape", "params", "FLOPs")
    body = [(r.name, r.type, r.output_shape if not r.error else f"? ({r.error})", f"{r.params:,}",
             human_count(r.flops)) for r in table]
    footer = ("total", "", "", f"{table.total_params:,}", human_count(table.total_flops))
    widths = [max(len(row[i]) for row in [header, *body, footer]) for i in range(5)]
    # A long error message sits at the end of its line instead of widening every row.
    widths[2] = max([len(header[2])] + [len(b[2]) for b in body if not b[2].startswith("? (")])

    def line(cells):
        left = [c.ljust(w) for c, w in zip(cells[:3], widths[:3])]
        right = [c.rjust(w) for c, w in zip(cells[3:], widths[3:])]
        if cells[2].startswith("? ("):
            return "  ".join(left[:2] + ["?".ljust(widths[2])] + right + [cells[2][2:]]).rstrip()
        return "  ".join(left + right).rstrip()

    rule = "-" * len(line(header))
    return "\n".join([line(header), rule, *(line(b) for b in body), rule, line(footer)])
