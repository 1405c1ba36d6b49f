"""Tokenizers that turn text into token ids and back, with their vocabulary as JSON.

Character- and word-level tokenizers are fitted on the training text; a byte-level BPE
tokenizer is trained on it with the ``tokenizers`` library. A pretrained
tokenizer (for fine-tuning a Hugging Face base) plugs in by registering another type.

Example (registering a new kind)::

    @register_tokenizer("hf")
    class PretrainedTokenizer(Tokenizer):
        ...  # encode/decode/to_dict/from_dict around a tokenizers.Tokenizer

    tok = tokenizer_from_dict({"type": "hf", ...})
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Callable, Iterable

from app.core.data.errors import DataError

if TYPE_CHECKING:  # torch is imported on use, so inspecting data in the GUI stays light
    import torch

PAD, UNK = "<pad>", "<unk>"
PAD_ID, UNK_ID = 0, 1
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|\w+|[^\w\s]", re.UNICODE)
_REGISTRY: dict[str, type["Tokenizer"]] = {}


def register_tokenizer(name: str) -> Callable[[type["Tokenizer"]], type["Tokenizer"]]:
    def wrap(cls: type["Tokenizer"]) -> type["Tokenizer"]:
        _REGISTRY[name] = cls
        cls.type_name = name
        return cls

    return wrap


def tokenizer_from_dict(d: dict) -> "Tokenizer":
    if d.get("type") == "pretrained" and "pretrained" not in _REGISTRY:
        import app.core.finetune.tokenizer  # noqa: F401  (registers the pretrained-base tokenizer)
    cls = _REGISTRY.get(d.get("type", ""))
    if cls is None:
        raise DataError(f"Unknown tokenizer type '{d.get('type')}' in the saved preparation; known: {', '.join(_REGISTRY)}.")
    return cls.from_dict(d)


class Tokenizer:
    """Base: a vocabulary (id 0 = padding, id 1 = unknown) and split/join rules."""

    type_name = ""

    def __init__(self, vocab: list[str], lowercase: bool = False) -> None:
        self.vocab = list(vocab)
        self.lowercase = lowercase
        self.index = {tok: i for i, tok in enumerate(self.vocab)}

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    @property
    def end_token_id(self) -> int | None:
        """The id that marks the end of a text (generation stops there), if the tokenizer has one."""
        return None

    def unknown_pieces(self, text: str) -> list[str]:
        """The pieces of ``text`` outside the vocabulary (they would encode as ``<unk>``), in order, once each."""
        index = self.index
        return list(dict.fromkeys(tok for tok in self.split(text) if tok not in index))

    def split(self, text: str) -> list[str]:
        raise NotImplementedError

    def join(self, tokens: list[str]) -> str:
        raise NotImplementedError

    @classmethod
    def fit(cls, texts: Iterable[str], max_vocab: int, lowercase: bool = False) -> "Tokenizer":
        """Most frequent tokens first (ties by first appearance), capped at ``max_vocab`` ids."""
        probe = cls([PAD, UNK], lowercase)
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(probe.split(text))
        common = [tok for tok, _ in counts.most_common(max(0, max_vocab - 2))]
        return cls([PAD, UNK] + common, lowercase)

    def encode(self, text: str) -> list[int]:
        index = self.index
        return [index.get(tok, UNK_ID) for tok in self.split(text)]

    def decode(self, ids: Iterable[int]) -> str:
        vocab = self.vocab
        tokens = [vocab[i] if 0 <= i < len(vocab) else UNK for i in (int(x) for x in ids) if i != PAD_ID]
        return self.join(tokens)

    def encode_padded(self, texts: Iterable[str], seq_len: int) -> "torch.Tensor":
        """(N, seq_len) int64: cut after ``seq_len`` tokens, padded with id 0 at the end."""
        import torch

        rows = []
        for text in texts:
            ids = self.encode(text)[:seq_len]
            rows.append(ids + [PAD_ID] * (seq_len - len(ids)))
        return torch.tensor(rows, dtype=torch.long).reshape(-1, seq_len)

    def to_dict(self) -> dict:
        return {"type": self.type_name, "lowercase": self.lowercase, "vocab": self.vocab}

    @classmethod
    def from_dict(cls, d: dict) -> "Tokenizer":
        return cls(list(d["vocab"]), bool(d.get("lowercase", False)))


@register_tokenizer("char")
class CharTokenizer(Tokenizer):
    """One token per character (good for small corpora and for Chinese)."""

    def split(self, text: str) -> list[str]:
        return list(text.lower() if self.lowercase else text)

    def join(self, tokens: list[str]) -> str:
        return "".join(tokens)


@register_tokenizer("word")
class WordTokenizer(Tokenizer):
    """Words, punctuation marks and single CJK characters as tokens."""

    def split(self, text: str) -> list[str]:
        return _WORD.findall(text.lower() if self.lowercase else text)

    def join(self, tokens: list[str]) -> str:
        return " ".join(tokens)


@register_tokenizer("bpe")
class BPETokenizer(Tokenizer):
    """Byte-level BPE (GPT-2 style) trained on the text: word pieces, never an unknown token.

    Saved as the ``tokenizers`` library's own JSON under ``"tokenizer"``.
    """

    def __init__(self, spec: str, lowercase: bool = False) -> None:
        from tokenizers import Tokenizer as HFTokenizer

        self.spec = spec
        self._tok = HFTokenizer.from_str(spec)
        by_id = sorted(self._tok.get_vocab(with_added_tokens=True).items(), key=lambda kv: kv[1])
        super().__init__([tok for tok, _ in by_id], lowercase)
        if self.vocab[:2] != [PAD, UNK]:
            raise DataError("The saved BPE tokenizer does not start with <pad> and <unk>; train it again.")
        self._end = self._tok.token_to_id("<|endoftext|>")

    @property
    def end_token_id(self) -> int | None:
        return self._end

    def split(self, text: str) -> list[str]:
        return self._tok.encode(text.lower() if self.lowercase else text).tokens

    def join(self, tokens: list[str]) -> str:
        return self._tok.decoder.decode(tokens)

    def encode(self, text: str) -> list[int]:
        return self._tok.encode(text.lower() if self.lowercase else text).ids

    def decode(self, ids: Iterable[int]) -> str:
        n = len(self.vocab)
        return self._tok.decode([i for i in (int(x) for x in ids) if i != PAD_ID and 0 <= i < n],
                                skip_special_tokens=False)

    def unknown_pieces(self, text: str) -> list[str]:
        return []  # every byte has a token

    @classmethod
    def fit(cls, texts: Iterable[str], max_vocab: int, lowercase: bool = False) -> "BPETokenizer":
        from app.core.lm.bpe import train_bpe

        return cls(train_bpe(list(texts), max_vocab, lowercase=lowercase), lowercase)

    def to_dict(self) -> dict:
        import json

        return {"type": self.type_name, "lowercase": self.lowercase, "tokenizer": json.loads(self.spec)}

    @classmethod
    def from_dict(cls, d: dict) -> "BPETokenizer":
        import json

        return cls(json.dumps(d["tokenizer"]), bool(d.get("lowercase", False)))


def make_tokenizer(level: str, texts: Iterable[str], max_vocab: int, lowercase: bool,
                   pretrained: str | None = None) -> Tokenizer:
    """A tokenizer fitted on ``texts``; level ``"pretrained"`` uses the base model's own instead."""
    if level == "pretrained":
        from app.core.finetune.tokenizer import PretrainedTokenizer

        return PretrainedTokenizer.from_base(pretrained)
    cls = {"char": CharTokenizer, "word": WordTokenizer, "bpe": BPETokenizer}[level]
    return cls.fit(texts, max_vocab, lowercase)
