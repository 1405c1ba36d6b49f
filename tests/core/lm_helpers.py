"""Small generated corpora and tiny GPT runs for the language-model tests."""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = ["the cat", "a dog", "the old bird", "my friend", "the teacher", "a child"]
VERBS = ["sees", "likes", "finds", "follows", "paints", "remembers"]
OBJECTS = ["the ball", "a green tree", "the small house", "the river", "a letter", "the garden"]


def sentences_corpus(n: int = 2500, seed: int = 0) -> str:
    """Sentences from a tiny grammar: a small vocabulary a model learns in a few hundred steps."""
    r = random.Random(seed)
    return "\n".join(f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}." for _ in range(n)) + "\n"


def corpus_words() -> set[str]:
    return {w for phrase in SUBJECTS + VERBS + OBJECTS for w in phrase.split()}


def tiny_gpt_project(folder: Path, *, level: str = "char", seq_len: int = 16, n_layer: int = 1, n_embd: int = 32,
                     steps: int = 60, max_vocab: int = 20000, text: str | None = None) -> Path:
    """A saved GPT project on a generated corpus, small enough to train in seconds."""
    from app.core.data import inspect_source, prepare
    from app.core.graph.templates import build_template_graph, template_training_defaults
    from app.core.project import Project, save_project

    data = folder / "corpus.txt"
    data.write_text(text or sentences_corpus(), encoding="utf-8")
    config = inspect_source(data)
    config.text.level, config.text.seq_len, config.text.max_vocab = level, seq_len, max_vocab
    prepared = prepare(config, folder)
    graph = build_template_graph("gpt", prepared.info, n_layer=n_layer, n_embd=n_embd, n_head=2, dropout=0.0)
    training = template_training_defaults("gpt", prepared.info)
    training.update(steps=steps, batch_size=16, threads=1,
                    optimizer={"name": "adamw", "lr": 3e-3, "weight_decay": 0.1, "betas": [0.9, 0.95]},
                    scheduler={"name": "cosine", "warmup_steps": 10})
    path = folder / "tiny.mwproj"
    save_project(Project(name="tiny", graph=graph, data=config.to_dict(), training=training), path)
    return path
