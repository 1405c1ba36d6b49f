"""The bundled GPT example: its corpus is made from Python's own help topics and fits its network."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.core.data import prepare
from app.core.lm.corpus import python_docs_text, write_python_docs
from app.core.project import load_project
from app.core.train.api import train_project

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "gpt"


def test_the_example_trains_on_the_corpus_python_ships(tmp_path):
    text = python_docs_text()
    assert len(text) > 100_000 and "assert" in text
    shutil.copy(EXAMPLE / "gpt.mwproj", tmp_path / "gpt.mwproj")
    write_python_docs(tmp_path / "python_docs.txt")
    project = load_project(tmp_path / "gpt.mwproj")
    prepared = prepare(project.data, project.folder)
    assert prepared.info.vocab_size == 2000 == project.graph.node("tok_emb").params["num_embeddings"]
    run = train_project(tmp_path / "gpt.mwproj", out=tmp_path / "run", overrides={"steps": 2, "batch_size": 4})
    assert (run / "model.safetensors").is_file()
