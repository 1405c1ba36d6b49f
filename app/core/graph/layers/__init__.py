"""Built-in layer families; importing this package registers them in palette order."""

from app.core.graph.layers import (  # noqa: F401  (import order = palette order)
    io,
    core,
    conv,
    pool,
    norm,
    activation,
    embedding,
    recurrent,
    attention,
    seq,
    merge,
    heads,
    pretrained,
)
