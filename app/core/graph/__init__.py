"""The network as data: layer registry, graph (DAG), shape inference, compiler, templates.

Importing this package does not import torch; only :mod:`app.core.graph.compiler` (and the
layer builders it calls) do, so the GUI can edit and check graphs cheaply.
"""

from app.core.graph.errors import (
    CycleError,
    GraphError,
    MissingInputError,
    MissingOutputError,
    PortMismatchError,
    ShapeError,
    ShapeMismatchError,
    UnconnectedInputError,
    UnknownLayerError,
    UnknownParamError,
)
from app.core.graph.graph import Edge, Graph, Node
from app.core.graph.registry import LayerSpec, ParamSpec, PortSpec, get_layer_spec, layer_specs, register_alias, register_layer
from app.core.graph.shapes import NodeShape, ShapeReport, infer_shapes

__all__ = [
    "CycleError", "Edge", "Graph", "GraphError", "LayerSpec", "MissingInputError", "MissingOutputError",
    "Node", "NodeShape", "ParamSpec", "PortMismatchError", "PortSpec", "ShapeError", "ShapeMismatchError",
    "ShapeReport", "UnconnectedInputError", "UnknownLayerError", "UnknownParamError", "compile_graph",
    "get_layer_spec", "infer_shapes", "layer_specs", "register_alias", "register_layer",
]


def __getattr__(name):
    # compile_graph pulls in torch; load it only when asked for.
    if name in ("compile_graph", "GraphModule"):
        from app.core.graph import compiler

        return getattr(compiler, name)
    raise AttributeError(f"module 'app.core.graph' has no attribute {name!r}")
