"""A text corpus made at run time from the documentation that ships inside Python itself.

``pydoc_data.topics`` holds the language reference topics that ``help()`` shows (about half
a megabyte of English prose and code). The bundled GPT example learns from it, so the
project ships no corpus of its own.

Example::

    write_python_docs(Path("resources/examples/gpt/python_docs.txt"))
"""

from __future__ import annotations

from pathlib import Path

from app.core.runs import write_text_atomic


def python_docs_text() -> str:
    """Every ``help()`` topic of this Python, in name order, separated by blank lines."""
    from pydoc_data.topics import topics

    return "\n\n".join(topics[name].strip() for name in sorted(topics)) + "\n"


def write_python_docs(path: Path) -> Path:
    """Write the corpus to ``path`` (atomically) and return the path."""
    write_text_atomic(path, python_docs_text())
    return Path(path)
