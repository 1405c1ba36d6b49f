"""GPT end to end through the command line: new -> train (--steps) -> generate."""

from __future__ import annotations

import json
import math

from tests.core.lm_helpers import corpus_words, sentences_corpus


def test_gpt_learns_a_corpus_and_writes_its_words(tmp_path, main_py):
    (tmp_path / "corpus.txt").write_text(sentences_corpus(), encoding="utf-8")
    made = main_py("new", "--template", "gpt", "--data", "corpus.txt", "--out", "story.mwproj", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    trained = main_py("train", "story.mwproj", "--steps", "200", "--batch-size", "16", "--lr", "0.003",
                      "--out", "run", cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    vocab = json.loads((tmp_path / "run" / "data_info.json").read_text())["vocab_size"]
    assert summary["status"] == "completed" and summary["global_step"] == 200
    assert summary["final"]["val_loss"] < 0.35 * math.log(vocab), summary["final"]

    out = main_py("generate", "run", "--prompt", "the teacher", "--tokens", "150", "--temperature", "0.7",
                  "--seed", "3", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("the teacher")
    words = [w.strip(".") for w in out.stdout.split()]
    known = sum(w in corpus_words() for w in words)
    assert len(words) > 15 and known >= 0.8 * len(words), out.stdout

    again = main_py("generate", "run", "--prompt", "the teacher", "--tokens", "150", "--temperature", "0.7",
                    "--seed", "3", cwd=tmp_path)
    assert again.stdout == out.stdout

    refused = main_py("generate", "run", "--prompt", "Ünïcode", cwd=tmp_path)
    assert refused.returncode == 1 and "never saw" in refused.stderr and "Traceback" not in refused.stderr
