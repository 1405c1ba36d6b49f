"""Designer responsiveness on a 300-node network: moving a node and connecting must redraw
within one frame (16 ms).

Each measured step goes the whole way a user's gesture goes: the canvas's request, the undo
command, the graph edit, the graph's events, the items, shape inference (for connections),
and a synchronous repaint of the visible canvas at a zoom that shows the network. Prints
medians, the ratio to the 16 ms budget (below 1.0 is within it) and the ratio to a plain
baseline measured in the same run: a bare QGraphicsScene with the same number of plain
rectangle items, moving one item and repainting (what any Qt canvas pays).

    QT_QPA_PLATFORM=offscreen python -m benchmarks.bench_designer
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView  # noqa: E402

from app.core.graph.graph import Graph  # noqa: E402
from app.core.project import Project  # noqa: E402

BUDGET_MS = 16.0
NODES = 300
REPEATS = 40


def network(n: int = NODES) -> Graph:
    """A residual MLP: blocks of Dense-ReLU-Dense + skip Add, laid out in a column, n nodes."""
    from app.core.graph.layout import layered_layout

    g = Graph()
    last = g.add_node("io.input", {"kind": "vector", "shape": [64]}, id="input").id
    while len(g) < n - 5:
        a = g.add_node("core.linear", {"out_features": 64, "activation": "relu"}).id
        b = g.add_node("core.linear", {"out_features": 64}).id
        add = g.add_node("merge.add").id
        g.connect(last, a)
        g.connect(a, b)
        g.connect(b, add)
        g.connect(last, add)
        last = add
    while len(g) < n - 1:
        nid = g.add_node("core.dropout").id
        g.connect(last, nid)
        last = nid
    g.add_node("io.output", id="output")
    g.connect(last, "output")
    for nid, pos in layered_layout(g).items():
        g.move_node(nid, pos)
    return g


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def measure_designer(app: QApplication) -> dict[str, float]:
    from app.ui.designer import DesignerView

    stack = QUndoStack()
    project = Project(name="bench", graph=network())
    view = DesignerView(project, stack)
    view.resize(1440, 900)
    view.show()
    app.processEvents()
    view.canvas.fit_to_view()
    view.canvas.set_zoom(0.35)  # a realistic working zoom: dozens of nodes in view
    middle = [n.id for n in project.graph.nodes][NODES // 2]
    view.canvas.centerOn(view.scene.nodes[middle])
    app.processEvents()
    viewport = view.canvas.viewport()

    move, connect, shapes_only = [], [], []
    x0, y0 = project.graph.node(middle).position
    for i in range(REPEATS):
        t = time.perf_counter()
        view.canvas.nodes_dragged.emit({middle: (x0 + 10 * ((i % 5) + 1), y0)}, ("bench-drag", i // 10))
        viewport.repaint()
        move.append(time.perf_counter() - t)
    ids = [n.id for n in project.graph.nodes]
    source, target = "input", next(i for i in reversed(ids) if project.graph.node(i).type == "merge.add")
    for _ in range(REPEATS):
        t = time.perf_counter()
        assert view.connect_ports(source, target), view.message.text()
        viewport.repaint()
        connect.append(time.perf_counter() - t)
        stack.undo()
        viewport.repaint()
    from app.core.graph.shapes import infer_shapes

    for _ in range(REPEATS):
        t = time.perf_counter()
        infer_shapes(project.graph)
        shapes_only.append(time.perf_counter() - t)
    view.close()
    return {"move": _median_ms(move), "connect": _median_ms(connect), "infer": _median_ms(shapes_only)}


def measure_baseline(app: QApplication) -> float:
    scene = QGraphicsScene()
    items = [scene.addRect(QRectF(0, 0, 196, 62)) for _ in range(NODES)]
    for i, item in enumerate(items):
        item.setPos(0, i * 110)
    view = QGraphicsView(scene)
    view.resize(1000, 820)
    view.show()
    view.scale(0.35, 0.35)
    view.centerOn(items[NODES // 2])
    app.processEvents()
    samples = []
    for i in range(REPEATS):
        t = time.perf_counter()
        items[NODES // 2].setPos(QPointF(10 * ((i % 5) + 1), (NODES // 2) * 110))
        view.viewport().repaint()
        samples.append(time.perf_counter() - t)
    view.close()
    return _median_ms(samples)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    results = measure_designer(app)
    baseline = measure_baseline(app)
    print(f"designer, {NODES}-node network, medians of {REPEATS} (budget {BUDGET_MS:.0f} ms per frame)")
    print(f"  move a node (command + redraw):      {results['move']:6.2f} ms  "
          f"budget ratio {results['move'] / BUDGET_MS:4.2f}  vs plain QGraphicsScene {results['move'] / baseline:5.1f}x")
    print(f"  connect two ports (+ shapes, redraw): {results['connect']:6.2f} ms  "
          f"budget ratio {results['connect'] / BUDGET_MS:4.2f}  vs plain QGraphicsScene {results['connect'] / baseline:5.1f}x")
    print(f"  shape inference alone:               {results['infer']:6.2f} ms")
    print(f"  baseline (bare scene, move + repaint): {baseline:6.2f} ms")


if __name__ == "__main__":
    main()
