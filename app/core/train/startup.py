"""The start of a process that is about to train: its heavy imports, with the collector paused.

Why: importing torch, pandas and ``torch._dynamo`` (torch loads it when the first optimizer
is made, from ``Optimizer.add_param_group``) creates some 300,000 objects that live as long
as the process. While they are being created, CPython's garbage collector runs several full
collections, each walking every object made so far: on the keras-seed run of
``benchmarks/bench_training.py`` that was about one second of CPU in a seven-second process.
With the collector paused during those imports and what they made frozen afterwards
(``gc.freeze``: moved out of the collector's sight for good), the imports cost only
themselves. Everything made later (the data, the model, the loop's tensors) is collected
as usual.

Call it first thing in a process whose job is to train (the CLI's ``train`` and ``search``,
the GUI's training child), not in a long-lived process that has other objects of its own:
whatever exists when it runs is frozen too.

Example::

    from app.core.train.startup import import_training_modules

    import_training_modules()
    from app.core.train.api import train_project      # already imported: free
"""

from __future__ import annotations

import gc
import importlib


def import_training_modules() -> None:
    """Import what every training run needs, without the collector's rescans (see above)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        import torch  # noqa: F401 - imported for its side effect: loaded once, frozen below

        try:
            importlib.import_module("torch._dynamo")  # what torch imports at the first optimizer
        except ImportError:  # pragma: no cover - a torch without it imports nothing later either
            pass
        import pandas  # noqa: F401 - every data source goes through pandas

        import app.core.train.api  # noqa: F401
        from app.core.data import prepare  # noqa: F401 - the function (app.core.data's lazy name)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
