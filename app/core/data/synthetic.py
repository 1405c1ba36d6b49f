"""Generated data sets, reproducible from a seed (the bundled example needs no file)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.core.data.config import ColumnConfig, DataConfig, PreparationConfig, SourceConfig, SplitConfig
from app.core.data.errors import DataError


def keras_seed(n_samples: int = 1000, seed: int = 7) -> pd.DataFrame:
    """The classic Keras first example: two features uniform in [0, 1), label 1 when x1 + x2 > 1.

    The original fits all the points; :func:`synthetic_config` holds 20 % out for validation
    (800 of the default 1,000 train), so the figures a run shows are on unseen points.
    """
    rng = np.random.default_rng(seed)
    x = rng.random((n_samples, 2))
    y = (x.sum(axis=1) > 1.0).astype(np.int64)
    return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": y})


GENERATORS = {"keras-seed": keras_seed}


def generate(source: SourceConfig) -> pd.DataFrame:
    try:
        make = GENERATORS[source.generator]
    except KeyError:
        raise DataError(f"Unknown data generator '{source.generator}'; known: {', '.join(GENERATORS)}.") from None
    return make(n_samples=source.n_samples or 1000, seed=source.seed if source.seed is not None else 7)


def synthetic_config(generator: str = "keras-seed", n_samples: int = 1000, seed: int = 7) -> DataConfig:
    """The data section for a generated data set (the bundled Keras example)."""
    if generator != "keras-seed":
        raise DataError(f"Unknown data generator '{generator}'; known: {', '.join(GENERATORS)}.")
    return DataConfig(
        source=SourceConfig(kind="synthetic", generator=generator, n_samples=n_samples, seed=seed),
        columns=[
            ColumnConfig("x1", "numeric", "feature"),
            ColumnConfig("x2", "numeric", "feature"),
            ColumnConfig("y", "numeric", "target"),
        ],
        task="binary",
        preparation=PreparationConfig(scaling="none"),
        split=SplitConfig(method="random", ratios={"train": 0.8, "val": 0.2, "test": 0.0}, seed=seed),
    )
