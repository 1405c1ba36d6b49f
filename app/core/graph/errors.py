"""Typed errors of the graph package, one class per rule, each with a message a user can act on.

The canvas shows them next to the node they name; the CLI prints them on one line. Every
class subclasses :class:`GraphError`, itself a :class:`~app.core.errors.ModelwrightError`.
"""

from __future__ import annotations

from app.core.errors import ModelwrightError


class GraphError(ModelwrightError):
    """Something is wrong with the network; ``node_id`` names the node when there is one."""

    def __init__(self, message: str, node_id: str | None = None) -> None:
        super().__init__(message)
        self.node_id = node_id


class RegistryError(GraphError):
    """A layer declaration is incomplete or clashes with another one (a programming mistake)."""


class UnknownLayerError(GraphError):
    """A layer type id that no registry entry (or alias) knows."""


class UnknownParamError(GraphError):
    """A parameter name that the layer type does not have."""


class InvalidParamError(GraphError):
    """A parameter value of the wrong type or outside its allowed range."""


class InvalidNodeIdError(GraphError):
    """A node id that is taken, malformed or reserved."""


class NodeNotFoundError(GraphError):
    """An edit or lookup names a node the graph does not have."""


class GraphFormatError(GraphError):
    """The graph section of a project file is malformed."""


class CycleError(GraphError):
    """A connection would make data flow in a loop."""


class UnconnectedInputError(GraphError):
    """A layer has an input port that nothing feeds."""


class PortMismatchError(GraphError):
    """A connection uses a port the layer does not have, or fills a single-input port twice."""


class ShapeError(GraphError):
    """Raised by a shape rule: the input a layer gets does not fit it (message says why)."""


class ShapeMismatchError(GraphError):
    """Validation found a node whose inputs do not fit (wraps the shape rule's message)."""


class MissingInputError(GraphError):
    """The network has no Input node."""


class MissingOutputError(GraphError):
    """The network has no Output node, or more than one."""
