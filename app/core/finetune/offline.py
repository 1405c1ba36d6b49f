"""Import ``transformers`` and ``peft`` with the Hugging Face Hub switched off.

Fine-tuning reads only local folders. Without ``HF_HUB_OFFLINE=1`` a name that is not a
folder makes ``from_pretrained`` retry the network for about 48 seconds before failing, so
the variable is set before transformers is imported, and every load also passes
``local_files_only=True``. Loading bars and advice messages are silenced: the CLI and the
GUI report progress themselves.
"""

from __future__ import annotations

import os

_OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def go_offline() -> None:
    """Tell every Hugging Face library that there is no network (before they are imported)."""
    for name in _OFFLINE_VARIABLES:
        os.environ[name] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def transformers():
    """The ``transformers`` module, imported offline and quiet."""
    go_offline()
    import transformers as tf

    tf.utils.logging.set_verbosity_error()
    tf.utils.logging.disable_progress_bar()
    return tf


def peft():
    """The ``peft`` module (it imports transformers, so offline first)."""
    transformers()
    import peft as pf

    return pf
