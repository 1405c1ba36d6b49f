"""Data: sources (tables, image folders, text), preparation, splits and in-memory datasets.

The public entry points are :func:`inspect_source` (a first data section for a file),
:func:`prepare` (train/val/test splits and a fitted :class:`Preprocessor`) and the
:class:`TrainingSplit` protocol the engine trains on.

Names are imported on first use: inspecting a file and computing statistics do not load
torch, which keeps the GUI process light.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "DataConfig": "config",
    "DataConfigError": "errors",
    "DataError": "errors",
    "DataInfo": "info",
    "ImageSplit": "datasets",
    "NewData": "preprocessor",
    "PreparedData": "pipeline",
    "Preprocessor": "preprocessor",
    "TensorSplit": "datasets",
    "TokenStreamSplit": "datasets",
    "TrainingSplit": "datasets",
    "inspect_source": "inspection",
    "prepare": "pipeline",
    "synthetic_config": "synthetic",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'app.core.data' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"app.core.data.{module}"), name)
    globals()[name] = value
    return value
