"""Shape inference speed: it runs on every edit in the designer, so it must stay far below a frame.

Budget: a 500-node graph in at most 50 ms. Prints the median of repeated runs for chains of
100/500/1000 nodes and a residual network, the ratio to the budget (below 1.0 is within it),
and the ratio to a plain baseline measured in the same run: one bare Python walk over the
same nodes in topological order copying each input shape (the floor any inference pays).
"""

from __future__ import annotations

import statistics
import time

from app.core.graph import Graph, infer_shapes

BUDGET_MS = 50.0
REPEATS = 15


def chain(n: int) -> Graph:
    """Input, then n-2 layers cycling through Dense, ReLU, LayerNorm, Dropout, then Output."""
    g = Graph()
    last = g.add_node("io.input", {"kind": "vector", "shape": [32]}, id="input").id
    cycle = [("core.linear", {"out_features": 32}), ("act.relu", {}), ("norm.layer_norm", {}),
             ("core.dropout", {"p": 0.1})]
    for i in range(n - 2):
        type_id, params = cycle[i % len(cycle)]
        nid = g.add_node(type_id, params).id
        g.connect(last, nid)
        last = nid
    g.add_node("io.output", id="output")
    g.connect(last, "output")
    return g


def residual(blocks: int) -> Graph:
    """Image ResNet-style: blocks of Conv-BN-ReLU-Conv-BN + skip Add + ReLU (7 nodes each)."""
    g = Graph()
    last = g.add_node("io.input", {"kind": "image", "shape": [16, 32, 32]}, id="input").id
    for _ in range(blocks):
        path = last
        for type_id, params in [("conv.conv2d", {"out_channels": 16}), ("norm.batch_norm2d", {}), ("act.relu", {}),
                                ("conv.conv2d", {"out_channels": 16}), ("norm.batch_norm2d", {})]:
            nid = g.add_node(type_id, params).id
            g.connect(path, nid)
            path = nid
        add = g.add_node("merge.add").id
        g.connect(path, add)
        g.connect(last, add)
        relu = g.add_node("act.relu").id
        g.connect(add, relu)
        last = relu
    for type_id in ("pool.global_avg_pool2d", "io.output"):
        nid = g.add_node(type_id, id="output" if type_id == "io.output" else None).id
        g.connect(last, nid)
        last = nid
    return g


def baseline_walk(graph: Graph) -> None:
    """The plain floor: visit nodes in order and copy the first input's shape forward."""
    shapes: dict[str, tuple] = {}
    parents: dict[str, list[str]] = {}
    for e in graph.edges:
        parents.setdefault(e.target, []).append(e.source)
    for nid in graph.topological_order():
        ps = parents.get(nid)
        shapes[nid] = shapes[ps[0]] if ps else ("B", 32)


def median_ms(fn, *args) -> float:
    fn(*args)  # warm caches
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    cases = [("chain 100", chain(100)), ("chain 500", chain(500)), ("chain 1000", chain(1000)),
             ("residual 72 blocks", residual(72))]
    print(f"{'graph':<20} {'nodes':>6} {'infer ms':>9} {'x budget':>9} {'walk ms':>8} {'x walk':>7} {'validate ms':>12}")
    for name, g in cases:
        report = infer_shapes(g)
        assert report.ok, report.errors
        infer = median_ms(infer_shapes, g)
        walk = median_ms(baseline_walk, g)
        validate = median_ms(g.validate)
        # The budget is for 500 nodes; scale it linearly for other sizes.
        budget = BUDGET_MS * len(g) / 500
        print(f"{name:<20} {len(g):>6} {infer:>9.2f} {infer / budget:>9.3f} {walk:>8.2f} {infer / walk:>7.1f} "
              f"{validate:>12.2f}")
    print(f"(budget: {BUDGET_MS:.0f} ms per 500 nodes; 'x budget' below 1 is within it; "
          "validate = structure checks + inference)")


if __name__ == "__main__":
    main()
