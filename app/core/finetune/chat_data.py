"""Instruction and chat data for fine-tuning a causal language model to answer.

People keep such data in three shapes, in JSON, JSON Lines, CSV or Parquet files (read
with the Hugging Face ``datasets`` library, offline):

* Alpaca: ``instruction``, optional ``input``, ``output`` (one question, one answer);
* ShareGPT: ``conversations``, a list of ``{"from": "human"|"gpt"|"system", "value": ...}``;
* messages: ``messages``, a list of ``{"role": "system"|"user"|"assistant", "content": ...}``.

Each example becomes a list of messages, is written out with the base tokenizer's chat
template (ChatML when the base has none) and tokenised; only the tokens of the assistant's
replies are learned (every other label is -100, which the loss ignores). Assistant spans
are found by rendering each prefix of the conversation and taking the characters that the
reply adds, so any template that renders earlier turns unchanged works.

Example::

    records, fmt = read_chat_file(Path("chat.jsonl"))      # fmt: "alpaca" | "sharegpt" | "messages"
    conversations, notes = to_conversations(records, fmt, "chat.jsonl")
    ids, labels = encode_conversation(tokenizer, conversations[0])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from app.core.finetune.errors import FinetuneError

CHAT_FORMATS = ("alpaca", "sharegpt", "messages")
FORMAT_TITLES = {"alpaca": "Alpaca (instruction/input/output)", "sharegpt": "ShareGPT (conversations from/value)",
                 "messages": "messages (role/content)"}
FILE_KINDS = {".json": "json", ".jsonl": "json", ".csv": "csv", ".parquet": "parquet"}
IGNORE = -100

#: The template used when the base's tokenizer has none (ChatML, as Qwen and many others write chats).
CHATML_TEMPLATE = ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + "
                   "'<|im_end|>' + '\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
                   "{% endif %}")
CHATML_END = "<|im_end|>"

_SHAREGPT_ROLES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant",
                   "chatgpt": "assistant", "model": "assistant", "bing": "assistant", "bard": "assistant",
                   "system": "system"}
_ROLES = ("system", "user", "assistant")


def read_chat_file(path: Path) -> tuple[list[dict], str]:
    """The file's rows (plain dicts) and their detected format; refuses files of another shape."""
    path = Path(path)
    kind = FILE_KINDS.get(path.suffix.lower())
    if kind is None:
        raise FinetuneError(f"'{path.name}' is not a chat data file Modelwright reads; use .json, .jsonl, .csv or "
                            ".parquet.")
    if not path.is_file():
        raise FinetuneError(f"Data not found: {path}")
    rows = _load_rows(path, kind)
    if not rows:
        raise FinetuneError(f"'{path.name}' holds no examples; add rows of chat data.")
    return rows, detect_format(list(rows[0].keys()), path.name)


def _load_rows(path: Path, kind: str) -> list[dict]:
    import os
    import tempfile

    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity(datasets.logging.CRITICAL)  # the one-line error below says it all
    try:
        with tempfile.TemporaryDirectory(prefix="mw-chat-") as cache:
            table = datasets.load_dataset(kind, data_files=str(path), split="train", cache_dir=cache,
                                          keep_in_memory=True)
            return table.to_list()
    except Exception as exc:  # noqa: BLE001 - datasets/pyarrow raise many types for a malformed file
        raise FinetuneError(f"'{path.name}' cannot be read as {kind.upper()} chat data ({_root_cause(exc)}); "
                            "check the file.") from None


def _root_cause(exc: BaseException) -> str:
    """The innermost error's first line (datasets wraps the parser's own message)."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return text.replace(str(Path.cwd()), ".")[:200]


def detect_format(columns: list[str], file_name: str) -> str:
    """``alpaca``, ``sharegpt`` or ``messages`` from the column names; refuses anything else naming them."""
    names = set(columns)
    if "messages" in names:
        return "messages"
    if "conversations" in names:
        return "sharegpt"
    if {"instruction", "output"} <= names:
        return "alpaca"
    shown = ", ".join(columns[:12]) or "none"
    raise FinetuneError(f"'{file_name}' is not chat data Modelwright knows (columns found: {shown}); use Alpaca "
                        "(instruction, input, output), ShareGPT (conversations) or messages (role/content) rows.")


def describe_format(fmt: str, n: int) -> str:
    """The one line the CLI prints about the data."""
    return f"Detected chat format: {FORMAT_TITLES[fmt]}, {n} examples."


def _listed(value, what: str, row: int, file_name: str) -> list:
    if isinstance(value, str):  # CSV cells hold the list as JSON text
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, list):
        raise FinetuneError(f"Row {row + 1} of '{file_name}': '{what}' must be a list of turns.")
    return value


def normalise(record: dict, fmt: str, row: int = 0, file_name: str = "the data") -> list[dict]:
    """One example as ``[{"role": ..., "content": ...}, ...]``."""
    if fmt == "alpaca":
        instruction = str(record.get("instruction") or "").strip()
        extra = str(record.get("input") or "").strip()
        prompt = f"{instruction}\n\n{extra}" if extra else instruction
        messages = [{"role": "user", "content": prompt}, {"role": "assistant", "content": str(record.get("output") or "")}]
        system = str(record.get("system") or "").strip()
        return ([{"role": "system", "content": system}] if system else []) + messages
    if fmt == "sharegpt":
        turns = _listed(record.get("conversations"), "conversations", row, file_name)
        messages = []
        for turn in turns:
            speaker = str((turn or {}).get("from", "")).lower() if isinstance(turn, dict) else ""
            if speaker not in _SHAREGPT_ROLES:
                raise FinetuneError(f"Row {row + 1} of '{file_name}': a turn comes from {speaker or 'nobody'!r}; "
                                    "ShareGPT turns come from human, gpt or system.")
            messages.append({"role": _SHAREGPT_ROLES[speaker], "content": str(turn.get("value") or "")})
        return messages
    turns = _listed(record.get("messages"), "messages", row, file_name)
    messages = []
    for turn in turns:
        role = turn.get("role") if isinstance(turn, dict) else None
        if role not in _ROLES:
            raise FinetuneError(f"Row {row + 1} of '{file_name}': a message has the role {role!r}; use system, "
                                "user or assistant.")
        messages.append({"role": role, "content": str(turn.get("content") or "")})
    return messages


def to_conversations(records: list[dict], fmt: str, file_name: str) -> tuple[list[list[dict]], list[str]]:
    """Every usable example as a messages list, and notes on the ones left out."""
    conversations, empty = [], 0
    for i, record in enumerate(records):
        messages = normalise(record, fmt, i, file_name)
        if not any(m["role"] == "assistant" and m["content"].strip() for m in messages):
            empty += 1
            continue
        conversations.append(messages)
    notes = [f"Left out {empty} example(s) of '{file_name}' without an assistant reply."] if empty else []
    if not conversations:
        raise FinetuneError(f"No example in '{file_name}' has an assistant reply to learn from.")
    return conversations, notes


# --- rendering and masking ---------------------------------------------------------------------


def _render(tokenizer, messages: list[dict], generation_prompt: bool) -> str:
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)


def assistant_spans(tokenizer, messages: list[dict]) -> tuple[str, list[tuple[int, int]]]:
    """The rendered conversation and the character spans of the assistant's replies in it.

    A span starts where the prefix up to the reply, rendered with the generation prompt,
    ends, and stops where the prefix including the reply ends (its end-of-turn marker included,
    so the model learns to stop).
    """
    text = _render(tokenizer, messages, False)
    spans, cursor = [], 0
    for i, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        before = _render(tokenizer, messages[:i], True) if i else ""
        through = _render(tokenizer, messages[: i + 1], False)
        if text.startswith(through) and through.startswith(before) and len(before) >= cursor:
            start, end = len(before), len(through)
        else:  # a template that rewrites earlier turns: find the reply's own text
            start = text.find(message["content"], cursor)
            if start < 0:
                continue
            end = start + len(message["content"])
        if end > start:
            spans.append((start, end))
            cursor = end
    return text, spans


def encode_conversation(tokenizer, messages: list[dict]) -> tuple[list[int], list[int]]:
    """Token ids of the rendered conversation and its labels (-100 except on assistant tokens)."""
    text, spans = assistant_spans(tokenizer, messages)
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids = list(encoded["input_ids"])
    labels = [IGNORE] * len(ids)
    for k, (a, b) in enumerate(encoded["offset_mapping"]):
        if b > a and any(a < end and b > start for start, end in spans):
            labels[k] = ids[k]
    return ids, labels


@dataclass
class EncodedChats:
    """Tokenised examples cut to the model's window, with what the cut changed."""

    ids: list[list[int]]
    labels: list[list[int]]
    truncated: int = 0
    dropped: int = 0
    lengths: list[int] = field(default_factory=list)

    def statistics(self) -> dict:
        import numpy as np

        lengths = np.asarray(self.lengths or [0])
        return {"examples": len(self.ids), "min_tokens": int(lengths.min()), "median_tokens": int(np.median(lengths)),
                "p95_tokens": int(np.percentile(lengths, 95)), "max_tokens": int(lengths.max()),
                "truncated": self.truncated, "dropped": self.dropped}

    def notes(self, max_len: int) -> list[str]:
        stats = self.statistics()
        notes = [f"Chat examples: {stats['examples']}, tokens per example min {stats['min_tokens']}, median "
                 f"{stats['median_tokens']}, 95th percentile {stats['p95_tokens']}, max {stats['max_tokens']}."]
        if self.truncated:
            notes.append(f"{self.truncated} example(s) are longer than {max_len} tokens and were cut to fit.")
        if self.dropped:
            notes.append(f"{self.dropped} example(s) were left out: cut to {max_len} tokens, no reply token remained.")
        return notes


def encode_all(tokenizer, conversations: list[list[dict]], max_len: int) -> EncodedChats:
    """Every conversation as (ids, labels) of at most ``max_len + 1`` tokens (inputs and next tokens)."""
    result = EncodedChats([], [])
    for messages in conversations:
        ids, labels = encode_conversation(tokenizer, messages)
        result.lengths.append(len(ids))
        if len(ids) > max_len + 1:
            ids, labels = ids[: max_len + 1], labels[: max_len + 1]
            result.truncated += 1
        if all(v == IGNORE for v in labels[1:]):
            result.dropped += 1
            continue
        result.ids.append(ids)
        result.labels.append(labels)
    return result
