"""Import ``transformers`` and ``peft`` with the Hugging Face Hub switched off.

Fine-tuning reads only local folders. Without ``HF_HUB_OFFLINE=1`` a name that is not a
folder makes ``from_pretrained`` retry the network for about 48 seconds before failing, so
the variable is set before transformers is imported, and every load also passes
``local_files_only=True``. Loading bars and advice messages are silenced: the CLI and the
GUI report progress themselves.

Every load also passes ``trust_remote_code=False`` and runs inside :func:`no_prompts`, so a
model folder can never run its own Python code, and transformers can never stop to ask
"Do you wish to run the custom code? [y/N]" on a terminal (a "y" typed there, or piped in,
would run it).
"""

from __future__ import annotations

import io
import os
import sys
import threading
from contextlib import contextmanager

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


_stdin_lock = threading.Lock()
_stdin_users = 0
_saved_stdin = None


@contextmanager
def no_prompts():
    """Run a Hugging Face load with stdin detached (an empty stream): any question gets no answer.

    Counted, so loads in several threads at once restore the real stdin only when the last ends.
    """
    global _stdin_users, _saved_stdin
    with _stdin_lock:
        if _stdin_users == 0:
            _saved_stdin = sys.stdin
            sys.stdin = io.StringIO("")
        _stdin_users += 1
    try:
        yield
    finally:
        with _stdin_lock:
            _stdin_users -= 1
            if _stdin_users == 0:
                sys.stdin = _saved_stdin
                _saved_stdin = None
