"""Errors an export can end with, each saying what is wrong and what to do."""

from __future__ import annotations

from app.core.errors import ModelwrightError


class ExportError(ModelwrightError):
    """An export cannot be made (bad run, bad output path, a format that does not fit the model)."""


class UnsupportedLayerError(ExportError):
    """Some layers of the network cannot be written in the chosen format; ``layers`` names them.

    ``layers`` is a list of ``(node_id, layer type name, reason)``.
    """

    def __init__(self, message: str, layers: list[tuple[str, str, str]]) -> None:
        super().__init__(message)
        self.layers = layers


class ParityError(ExportError):
    """The exported model does not compute what the trained model computes; nothing was written.

    ``check`` is the :class:`~app.core.export.base.ParityCheck` that failed.
    """

    def __init__(self, message: str, check) -> None:
        super().__init__(message)
        self.check = check
