"""Text generation from a trained language-model run (the CLI's ``generate`` and the GUI playground).

The run directory holds everything needed: ``project.mwproj`` (the network), ``model.safetensors``
(the weights) and ``preprocessor.json`` (the tokenizer). Sampling feeds the model at most
its context window (the longest sequence its position table covers), so prompts and
generations longer than the window simply slide it along.

Characters or words the model never saw cannot be encoded. By default that is an error
naming them (``unknown="error"``); ``unknown="skip"`` leaves them out of the prompt. A BPE
model has no such gaps: every byte has a token.

Example::

    generator = load_generator("runs/poems-20250101-120000")
    result = generator.generate("Roses are", max_new_tokens=100, temperature=0.8, top_k=20, seed=1,
                                on_text=lambda piece: print(piece, end="", flush=True))
    result.text, result.stopped_at_end
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch

from app.core.errors import ModelwrightError
from app.core.progress import Progress

UNKNOWN_POLICIES = ("error", "skip")


class GenerationError(ModelwrightError):
    """The run cannot generate text, or a generation setting or prompt is unusable."""


@dataclass
class GenerationResult:
    """A prompt and what the model wrote after it."""

    prompt: str
    text: str                      # the prompt as the model read it, then the continuation
    continuation: str
    new_token_ids: list[int] = field(default_factory=list)
    stopped_at_end: bool = False   # the model produced the tokenizer's end-of-text token
    skipped: list[str] = field(default_factory=list)  # prompt pieces left out (unknown="skip")


def context_window(graph) -> int:
    """The longest token sequence the network takes: its Input length, or a shorter position table."""
    window = None
    for node in graph.nodes:
        if node.type == "io.input" and node.params.get("kind") == "tokens":
            window = int(node.params["shape"][0])
    if window is None:
        raise GenerationError("This network has no token input, so it cannot generate text.")
    for node in graph.nodes:
        if node.type in ("embed.positional", "embed.sinusoidal"):
            window = min(window, int(node.params["max_len"]))
    return window


class TextGenerator:
    """A language model with its tokenizer, ready to sample (see the module docstring)."""

    def __init__(self, model: torch.nn.Module, preprocessor, window: int, device: torch.device | str = "cpu") -> None:
        self.device = torch.device(device)
        self.model = model.to(self.device).eval()
        self.preprocessor = preprocessor
        self.tokenizer = preprocessor.tokenizer
        self.window = int(window)
        self.vocab_size = int(self.tokenizer.vocab_size)

    # -- prompt --------------------------------------------------------------------------
    def encode_prompt(self, prompt: str, unknown: str = "error") -> tuple[list[int], list[str]]:
        """Token ids of ``prompt`` and the pieces left out (``unknown="skip"``)."""
        if unknown not in UNKNOWN_POLICIES:
            raise GenerationError(f"Unknown-character handling must be one of {', '.join(UNKNOWN_POLICIES)}, "
                                  f"not {unknown!r}.")
        missing = self.tokenizer.unknown_pieces(prompt)
        if missing and unknown == "error":
            shown = ", ".join(repr(m) for m in missing[:10]) + (" ..." if len(missing) > 10 else "")
            raise GenerationError(
                f"The prompt has {len(missing)} piece(s) this model never saw in training: {shown}. "
                "Rephrase the prompt with the training text's characters and words, or skip them "
                "(--unknown skip)."
            )
        from app.core.data.tokenizers import UNK_ID

        ids = [i for i in self.tokenizer.encode(prompt) if i != UNK_ID]
        if not ids:
            ids = self._start_ids()
        return ids, missing

    def _start_ids(self) -> list[int]:
        """Where an empty prompt starts: a line break when the model knows one, else its most common token."""
        newline = [i for i in self.tokenizer.encode("\n") if i > 1]
        if newline:
            return newline
        if self.vocab_size <= 2:
            raise GenerationError("This model's vocabulary is empty; train it on a longer text.")
        return [2]  # char/word vocabularies list tokens by frequency after <pad> and <unk>

    # -- sampling ------------------------------------------------------------------------
    @torch.no_grad()
    def generate(self, prompt: str, max_new_tokens: int = 200, *, temperature: float = 1.0,
                 top_k: int | None = None, seed: int | None = None, stop_at_end: bool = True,
                 unknown: str = "error", on_text: Callable[[str], None] | None = None,
                 progress=None) -> GenerationResult:
        """Continue ``prompt`` by up to ``max_new_tokens`` tokens.

        ``temperature`` 0 always takes the likeliest token; higher values sample more
        freely. ``top_k`` keeps only the k likeliest tokens at each step. The same ``seed``
        gives the same text. ``on_text`` receives each new piece of text as it is made;
        ``progress`` may cancel (raises ``Cancelled``). Generation stops early at the
        tokenizer's end-of-text token when it has one (``stop_at_end``).
        """
        from app.core.train.devices import auto_threads

        _check_settings(max_new_tokens, temperature, top_k)
        previous = torch.get_num_threads()
        # Many small forward passes: extra threads mostly wait on each other (10x slower
        # measured on two shared cores), so the engine's thread rule applies here too.
        n_params = sum(p.numel() for p in self.model.parameters())
        torch.set_num_threads(auto_threads(n_params, self.window))
        try:
            return self._generate(prompt, max_new_tokens, temperature, top_k, seed, stop_at_end, unknown,
                                  on_text, progress)
        finally:
            torch.set_num_threads(previous)

    def _generate(self, prompt, max_new_tokens, temperature, top_k, seed, stop_at_end, unknown, on_text,
                  progress) -> GenerationResult:
        report = Progress(progress)
        ids, skipped = self.encode_prompt(prompt, unknown)
        generator = torch.Generator().manual_seed(seed if seed is not None else random.SystemRandom().randrange(2**63))
        end_id = self.tokenizer.end_token_id if stop_at_end else None
        # Padding and unknown are never written.
        banned = torch.zeros(self.vocab_size, dtype=torch.bool)
        banned[: min(2, self.vocab_size)] = True

        tokens = torch.tensor(ids, dtype=torch.long)
        prompt_text = self.tokenizer.decode(ids)
        shown = prompt_text
        new_ids: list[int] = []
        stopped = False
        for i in range(int(max_new_tokens)):
            report(i / max(max_new_tokens, 1), "Generating")
            context = tokens[-self.window:].unsqueeze(0).to(self.device)
            logits = self.model(context)[0, -1].float().cpu()
            if logits.shape[-1] != self.vocab_size:
                raise GenerationError(f"The model scores {logits.shape[-1]} tokens but its tokenizer has "
                                      f"{self.vocab_size}; the run's files do not belong together.")
            next_id = _sample(logits.masked_fill(banned, float("-inf")), temperature, top_k, generator)
            if end_id is not None and next_id == end_id:
                stopped = True
                break
            new_ids.append(next_id)
            tokens = torch.cat([tokens, torch.tensor([next_id])])
            if on_text is not None:
                text = self.tokenizer.decode(ids + new_ids)
                piece = text[len(shown):] if text.startswith(shown) else self.tokenizer.decode([next_id])
                shown = text
                if piece:
                    on_text(piece)
        report(1.0, "Done")
        full = self.tokenizer.decode(ids + new_ids)
        continuation = full[len(prompt_text):] if full.startswith(prompt_text) else self.tokenizer.decode(new_ids)
        return GenerationResult(prompt=prompt, text=full, continuation=continuation, new_token_ids=new_ids,
                                stopped_at_end=stopped, skipped=skipped)


def _check_settings(max_new_tokens, temperature, top_k) -> None:
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) or max_new_tokens < 0:
        raise GenerationError(f"The number of tokens to generate must be a whole number of at least 0, not {max_new_tokens!r}.")
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool) or not 0 <= temperature <= 100:
        raise GenerationError(f"The temperature must be a number from 0 to 100 (0 = always the likeliest token), "
                              f"not {temperature!r}.")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise GenerationError(f"top-k must be a whole number of at least 1, not {top_k!r}.")


def _sample(logits: torch.Tensor, temperature: float, top_k: int | None, generator: torch.Generator) -> int:
    if temperature == 0:
        return int(torch.argmax(logits))
    logits = logits / temperature
    if top_k is not None and top_k < logits.numel():
        kth = torch.topk(logits, top_k).values[-1]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probs = torch.softmax(logits, dim=-1)
    return int(torch.multinomial(probs, 1, generator=generator))


def load_generator(run_dir: str | os.PathLike, device: str = "cpu") -> TextGenerator:
    """The trained language model of ``run_dir`` with its tokenizer (raises a plain error otherwise)."""
    from safetensors.torch import load_file

    from app.core.data.preprocessor import LanguageModelPreprocessor, Preprocessor
    from app.core.graph.compiler import compile_graph
    from app.core.project import load_project
    from app.core.runs import RunDirError, open_run, read_json

    paths = open_run(run_dir, need_weights=True)
    preprocessor = Preprocessor.from_dict(read_json(paths.preprocessor, "the data preparation"))
    if not isinstance(preprocessor, LanguageModelPreprocessor):
        raise GenerationError(f"Run '{Path(run_dir)}' is a {preprocessor.info.task} model; only language models "
                              "(such as the 'gpt' template trained on a text file) generate text. Use predict instead.")
    project = load_project(paths.project)
    model = compile_graph(project.graph)
    try:
        weights = load_file(str(paths.weights))
    except Exception as exc:  # safetensors raises its own error types for damaged files
        raise RunDirError(f"'{paths.weights}' cannot be read ({exc}); the run's weights are damaged.") from exc
    try:
        model.load_state_dict(weights)
    except RuntimeError as exc:
        raise RunDirError(f"The weights in '{paths.weights}' do not fit the run's network "
                          f"({str(exc).splitlines()[0]}).") from exc
    return TextGenerator(model, preprocessor, context_window(project.graph), device)
