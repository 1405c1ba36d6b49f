"""The pretrained base's own tokenizer, plugged into the data pipeline as tokenizer type ``"pretrained"``.

A fine-tuned model must see text split exactly as during pre-training (same word pieces,
same ids, the same [CLS]/[SEP] markers), so the base's ``tokenizer.json`` is used through
the ``tokenizers`` library. Its full JSON is stored in the run's preprocessor, so ``predict``
and ``evaluate`` tokenise new text the same way even if the base folder moves.

Example::

    tok = PretrainedTokenizer.from_base("minilm")
    tok.encode_padded(["a fine film"], seq_len=8)     # tensor([[101, 1037, 2986, 2143, 102, 0, 0, 0]])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from app.core.data.tokenizers import Tokenizer, register_tokenizer
from app.core.finetune.errors import BaseModelError

if TYPE_CHECKING:
    import torch


def _backend_json(info) -> str:
    """The base's tokenizer as ``tokenizer.json`` text (converted by transformers when only vocab files exist)."""
    path = info.path / "tokenizer.json"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    from app.core.finetune.offline import no_prompts, transformers

    try:
        with no_prompts():
            fast = transformers().AutoTokenizer.from_pretrained(str(info.path), trust_remote_code=False,
                                                                local_files_only=True, use_fast=True)
        return fast.backend_tokenizer.to_str()
    except Exception as exc:  # noqa: BLE001 - any failure means the tokenizer files are unusable
        raise BaseModelError(f"The tokenizer files of '{info.path.name}' cannot be read ({exc}).") from None


_PAD_TOKENS = ("[PAD]", "<pad>")


def pad_token_id(info) -> int | None:
    """The id padding uses: the config's ``pad_token_id``, else the tokenizer's pad token, else None
    (GPT-2 style bases have none; their language-model windows are never padded)."""
    if info.pad_token_id is not None:
        return info.pad_token_id
    from tokenizers import Tokenizer as Backend

    backend = Backend.from_str(_backend_json(info))
    for token in _PAD_TOKENS:
        if backend.token_to_id(token) is not None:
            return backend.token_to_id(token)
    return None


@register_tokenizer("pretrained")
class PretrainedTokenizer(Tokenizer):
    """A ``tokenizers.Tokenizer`` with the base's pad id and the model's vocabulary size."""

    def __init__(self, backend_json: str, base: str, pad_id: int | None, model_vocab: int) -> None:
        from tokenizers import Tokenizer as Backend

        try:
            self.backend = Backend.from_str(backend_json)
        except Exception as exc:  # noqa: BLE001 - the tokenizers library raises plain Exceptions
            raise BaseModelError(f"The tokenizer of the base '{base}' is damaged ({exc}).") from None
        self.backend.no_padding()
        self.backend.no_truncation()
        self._json = backend_json
        self.base = base
        self.pad_id = pad_id
        self.model_vocab = int(model_vocab)
        self.lowercase = False
        self.vocab = []  # the backend holds the vocabulary
        self.index = {}

    @classmethod
    def from_base(cls, reference: str) -> "PretrainedTokenizer":
        from app.core.finetune.bases import inspect_base

        info = inspect_base(reference)
        return cls(_backend_json(info), reference, pad_token_id(info), info.vocab_size)

    @property
    def vocab_size(self) -> int:
        """Ids the model accepts: the model's embedding rows (never fewer than the tokenizer has)."""
        return max(self.model_vocab, self.backend.get_vocab_size(with_added_tokens=True))

    def encode(self, text: str) -> list[int]:
        """Ids of running text, without [CLS]/[SEP] markers (for language-model token streams)."""
        return self.backend.encode(text, add_special_tokens=False).ids

    def split(self, text: str) -> list[str]:
        return self.backend.encode(text, add_special_tokens=False).tokens

    def unknown_pieces(self, text: str) -> list[str]:
        """Stretches of ``text`` the base can only read as its unknown token (none for byte-level BPE)."""
        unk_token = getattr(self.backend.model, "unk_token", None)
        unk_id = self.backend.token_to_id(unk_token) if unk_token else None
        if unk_id is None:
            return []
        encoding = self.backend.encode(text, add_special_tokens=False)
        return list(dict.fromkeys(text[a:b] for i, (a, b) in zip(encoding.ids, encoding.offsets) if i == unk_id))

    @property
    def end_token_id(self) -> int | None:
        """GPT-2 style bases end a text with ``<|endoftext|>``; generation stops there."""
        return self.backend.token_to_id("<|endoftext|>")

    def decode(self, ids: Iterable[int]) -> str:
        return self.backend.decode([int(i) for i in ids], skip_special_tokens=True)

    def encode_padded(self, texts: Iterable[str], seq_len: int) -> "torch.Tensor":
        """(N, seq_len) int64 with the model's markers, cut to ``seq_len`` and padded with the pad id."""
        import torch

        texts = [t if isinstance(t, str) else "" for t in texts]
        pad = self.pad_id if self.pad_id is not None else 0
        rows = []
        for encoding in self.backend.encode_batch(texts, add_special_tokens=True):
            ids = encoding.ids
            if len(ids) > seq_len:  # keep the closing marker ([SEP]) when the text is cut
                ids = ids[: seq_len - 1] + ids[-1:] if encoding.special_tokens_mask[-1] else ids[:seq_len]
            rows.append(ids + [pad] * (seq_len - len(ids)))
        return torch.tensor(rows, dtype=torch.long).reshape(-1, seq_len)

    def to_dict(self) -> dict:
        return {"type": self.type_name, "base": self.base, "pad_id": self.pad_id, "model_vocab": self.model_vocab,
                "tokenizer_json": self._json}

    @classmethod
    def from_dict(cls, d: dict) -> "PretrainedTokenizer":
        return cls(d["tokenizer_json"], d.get("base", ""), d.get("pad_id"), int(d["model_vocab"]))
