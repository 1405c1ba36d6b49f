"""Write python_docs.txt next to this file: the corpus of the GPT example, made from Python's own help topics.

    python resources/examples/gpt/make_corpus.py
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from app.core.lm.corpus import write_python_docs  # noqa: E402

if __name__ == "__main__":
    path = write_python_docs(HERE / "python_docs.txt")
    print(f"Wrote {path} ({path.stat().st_size:,} bytes)")
