"""Generation from a trained language-model run: window cropping, seeds, unknown characters, end token."""

from __future__ import annotations

import json

import pytest
import torch

from app.core.lm.generate import GenerationError, TextGenerator, context_window, load_generator
from app.core.project import load_project
from app.core.train.api import train_project
from tests.core.lm_helpers import corpus_words, tiny_gpt_project


@pytest.fixture(scope="module")
def lm_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lm")
    project = tiny_gpt_project(folder, seq_len=16, steps=40)
    return train_project(project, out=folder / "run")


def test_a_prompt_and_generation_longer_than_the_window_slide_it_along(lm_run):
    gen = load_generator(lm_run)
    assert gen.window == 16 == context_window(load_project(lm_run / "project.mwproj").graph)
    prompt = "the cat sees the river.\nmy friend likes a letter.\n"  # 49 characters > 16
    result = gen.generate(prompt, 80, temperature=0.8, top_k=10, seed=1)
    assert len(result.new_token_ids) == 80
    assert result.text.startswith(prompt) and result.text == prompt + result.continuation
    assert set(result.continuation) <= set("".join(corpus_words()) + " .\n")


def test_the_same_seed_gives_the_same_text_and_temperature_zero_is_greedy(lm_run):
    gen = load_generator(lm_run)
    a = gen.generate("a dog", 40, temperature=1.0, seed=7).text
    assert gen.generate("a dog", 40, temperature=1.0, seed=7).text == a
    assert {gen.generate("a dog", 40, temperature=1.5, seed=s).text for s in range(4)} != {a}
    greedy = gen.generate("a dog", 30, temperature=0, seed=1).text
    assert gen.generate("a dog", 30, temperature=0, seed=99).text == greedy
    assert gen.generate("a dog", 30, temperature=1.0, top_k=1, seed=5).text == greedy


def test_streamed_pieces_add_up_to_the_continuation(lm_run):
    pieces = []
    result = load_generator(lm_run).generate("the", 25, seed=2, on_text=pieces.append)
    assert "".join(pieces) == result.continuation and len(pieces) == 25


def test_unknown_prompt_characters_are_named_or_skipped(lm_run):
    gen = load_generator(lm_run)
    with pytest.raises(GenerationError, match=r"never saw.*'Z'.*'☃'.*--unknown skip"):
        gen.generate("Zebra ☃ the cat", 5, seed=0)
    result = gen.generate("Zebra ☃ the cat", 5, seed=0, unknown="skip")
    assert result.skipped == ["Z", "☃"] and result.text.startswith("ebra  the cat")


def test_an_empty_prompt_starts_from_a_line_break(lm_run):
    result = load_generator(lm_run).generate("", 20, seed=0)
    assert result.text.startswith("\n") and len(result.new_token_ids) == 20


@pytest.mark.parametrize("kwargs, message", [
    ({"max_new_tokens": -1}, "at least 0"),
    ({"temperature": -0.5}, "temperature"),
    ({"top_k": 0}, "top-k"),
])
def test_bad_settings_are_refused_in_words(lm_run, kwargs, message):
    gen = load_generator(lm_run)
    args = {"max_new_tokens": 5, **kwargs}
    with pytest.raises(GenerationError, match=message):
        gen.generate("the", args.pop("max_new_tokens"), **args)


class _AlwaysEnd(torch.nn.Module):
    """Scores that make the end-of-text token the likeliest after two tokens."""

    def __init__(self, vocab: int, end: int) -> None:
        super().__init__()
        self.vocab, self.end = vocab, end
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        logits = torch.zeros(x.shape[0], x.shape[1], self.vocab)
        logits[..., 5 if self.calls < 3 else self.end] = 50.0
        return logits


def test_generation_stops_at_the_tokenizers_end_token(tmp_path):
    from app.core.data import prepare
    from app.core.data.config import DataConfig
    from app.core.data.preprocessor import Preprocessor

    text = "one two three<|endoftext|>four five six<|endoftext|>" * 60
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    config = DataConfig.from_dict({"source": {"kind": "text", "path": "t.txt"},
                                   "text": {"level": "bpe", "max_vocab": 300, "seq_len": 8}})
    pre = Preprocessor.from_dict(prepare(config, tmp_path).preprocessor.to_dict())
    end = pre.tokenizer.end_token_id
    model = _AlwaysEnd(pre.tokenizer.vocab_size, end)
    result = TextGenerator(model, pre, window=8).generate("one", 50, temperature=0)
    assert result.stopped_at_end and result.new_token_ids == [5, 5] and model.calls == 3
    assert not TextGenerator(_AlwaysEnd(pre.tokenizer.vocab_size, end), pre, window=8).generate(
        "one", 5, temperature=0, stop_at_end=False).stopped_at_end


def test_runs_that_are_not_language_models_are_refused(tmp_path):
    from app.core.new_project import create_project

    project, _ = create_project("keras-seed", data=None, target=None, out=tmp_path / "seed.mwproj")
    run = train_project(project.path, out=tmp_path / "run", overrides={"steps": 2})
    with pytest.raises(GenerationError, match="binary model; only language models"):
        load_generator(run)
    assert json.loads((run / "summary.json").read_text())["status"] == "completed"
