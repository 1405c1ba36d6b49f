"""Chat data made ready for the engine: the data section's ``source.kind == "chat"`` path of ``prepare``.

Each example is one row of ``(inputs, next tokens)``: the rendered conversation without its
last token and the labels shifted by one, padded to the project's sequence length (inputs
with the pad id, labels with -100). Batches are trimmed to their longest example, so short
chats cost little. The run's preprocessor is the language-model one with the base's
tokenizer, so ``generate`` and the exporters treat a chat run like any fine-tuned LM.
"""

from __future__ import annotations

from pathlib import Path

import torch

from app.core.data.datasets import TensorSplit
from app.core.finetune.chat_data import CHATML_TEMPLATE, IGNORE, encode_all, read_chat_file, to_conversations
from app.core.finetune.errors import FinetuneError


def load_chat_tokenizer(reference: str):
    """The base's Hugging Face tokenizer with a chat template (ChatML when the base has none)."""
    from app.core.finetune.bases import inspect_base
    from app.core.finetune.offline import no_prompts, transformers

    info = inspect_base(reference)
    try:
        with no_prompts():
            tokenizer = transformers().AutoTokenizer.from_pretrained(str(info.path), trust_remote_code=False, local_files_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure means the tokenizer files are unusable
        raise FinetuneError(f"The tokenizer of '{info.path.name}' cannot be read ({exc}).") from None
    if not getattr(tokenizer, "chat_template", None):
        tokenizer.chat_template = CHATML_TEMPLATE
    return tokenizer


def has_own_template(reference: str) -> bool:
    """Whether the base's tokenizer brings its own chat template (else ChatML is used)."""
    from app.core.finetune.bases import inspect_base

    info = inspect_base(reference)
    for name in ("tokenizer_config.json",):
        path = info.path / name
        if path.is_file():
            import json

            try:
                if json.loads(path.read_text(encoding="utf-8")).get("chat_template"):
                    return True
            except ValueError:
                return False
    return (info.path / "chat_template.jinja").is_file() or (info.path / "chat_template.json").is_file()


class ChatSplit(TensorSplit):
    """Padded (inputs, labels) rows; each batch is cut to the longest example in it."""

    def __init__(self, inputs: torch.Tensor, targets: torch.Tensor, lengths: torch.Tensor) -> None:
        super().__init__(inputs, targets)
        self.lengths = lengths

    def batch(self, indices, *, train: bool = False, seed: int = 0, step: int = 0):
        longest = int(self.lengths[indices].max()) if len(indices) else 1
        return self.inputs[indices, :longest], self.targets[indices, :longest]


def _rows(ids: list[list[int]], labels: list[list[int]], seq_len: int, pad: int) -> ChatSplit:
    n = len(ids)
    inputs = torch.full((n, seq_len), pad, dtype=torch.long)
    targets = torch.full((n, seq_len), IGNORE, dtype=torch.long)
    lengths = torch.zeros(n, dtype=torch.long)
    for i, (row, lab) in enumerate(zip(ids, labels)):
        k = len(row) - 1
        inputs[i, :k] = torch.tensor(row[:-1])
        targets[i, :k] = torch.tensor(lab[1:])
        lengths[i] = k
    return ChatSplit(inputs, targets, lengths)


def prepare_chat_data(config, base_dir, report):
    """``PreparedData`` for a chat source (see the module docstring)."""
    from app.core.data.info import DataInfo
    from app.core.data.pipeline import PreparedData
    from app.core.data.preprocessor import LanguageModelPreprocessor
    from app.core.data.sources import resolve_path
    from app.core.data.split import SPLIT_NAMES, split_rows
    from app.core.finetune.tokenizer import PretrainedTokenizer

    if config.text is None or not config.text.pretrained:
        raise FinetuneError("Chat data needs the base model's tokenizer ('data.text.pretrained'); create the project "
                            "with 'new --template finetune-chat --base FOLDER'.")
    path = Path(resolve_path(config.source, base_dir))
    rows, fmt = read_chat_file(path)
    report(0.3, "Rendering the chats")
    conversations, notes = to_conversations(rows, config.source.format or fmt, path.name)
    tokenizer = load_chat_tokenizer(config.text.pretrained)
    seq_len = int(config.text.seq_len)
    encoded = encode_all(tokenizer, conversations, seq_len)
    if not encoded.ids:
        raise FinetuneError(f"No example of '{path.name}' keeps a reply within {seq_len} tokens; choose a longer "
                            "sequence length ('data.text.seq_len').")
    notes += encoded.notes(seq_len)
    pretrained = PretrainedTokenizer.from_base(config.text.pretrained)
    pad = pretrained.pad_id if pretrained.pad_id is not None else (tokenizer.eos_token_id or 0)
    parts = split_rows(len(encoded.ids), config.split)
    splits = {}
    for name in SPLIT_NAMES:
        index = [int(i) for i in parts.get(name, [])]
        splits[name] = _rows([encoded.ids[i] for i in index], [encoded.labels[i] for i in index], seq_len, pad) \
            if index else None
    if splits["train"] is None:
        raise FinetuneError(f"'{path.name}' leaves no example to train on; give the train part a share.")
    vocab = pretrained.vocab_size
    info = DataInfo("tokens", (seq_len,), "language-model", vocab, vocab, None)
    preprocessor = LanguageModelPreprocessor(info, pretrained, seq_len)
    return PreparedData(info, splits["train"], splits["val"], splits["test"], preprocessor, notes,
                        {k: len(parts.get(k, [])) for k in SPLIT_NAMES})
