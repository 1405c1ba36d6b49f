"""Create a ``finetune-chat`` project: a causal LM base taught to answer from instruction or chat data.

The data section is a ``chat`` source whose ``format`` is the detected shape (alpaca,
sharegpt, messages) and whose text settings name the base's tokenizer and the longest
example in tokens. The ``finetune`` section says which chat template renders the chats (the
base's own, or ChatML when it has none). The strategy is LoRA by default, on the attention
and MLP projections the model itself has (the node's ``target_modules``, editable).
"""

from __future__ import annotations

from pathlib import Path

from app.core.finetune.errors import FinetuneError

TEMPLATE = "finetune-chat"
MAX_DEFAULT_SEQ_LEN = 1024


def _sequence_length(tokenizer, conversations, limit: int) -> int:
    """The longest example in tokens (rounded up to 16), at most ``limit``."""
    from app.core.finetune.chat_data import encode_conversation

    longest = max(len(encode_conversation(tokenizer, messages)[0]) for messages in conversations)
    return int(min(limit, max(16, -(-longest // 16) * 16)))


def plan_chat_project(*, base: str | None, data: Path | None, folder: Path, strategy: str | None = None,
                      seq_len: int | None = None, options: dict | None = None, training: dict | None = None,
                      progress=None, **_ignored):
    """A :class:`~app.core.finetune.project.FinetunePlan` for chat data; nothing is written."""
    from app.core.data import prepare
    from app.core.data.config import DataConfig, SourceConfig, TextConfig
    from app.core.finetune.bases import inspect_base, resolve_reference
    from app.core.finetune.chat_data import describe_format, read_chat_file, to_conversations
    from app.core.finetune.chat_prepare import has_own_template, load_chat_tokenizer
    from app.core.finetune.project import FinetunePlan, finetune_section
    from app.core.graph.templates import build_template_graph, template_training_defaults
    from app.core.project import Project
    from app.core.train.config import TrainConfig

    if not base:
        raise FinetuneError("The 'finetune-chat' template needs --base: the folder of a Hugging Face causal language "
                            "model (Llama, Qwen2, Mistral, GPT-2 ...: config.json, model.safetensors, tokenizer files).")
    info = inspect_base(resolve_reference(base))
    if info.kind != "causal-lm":
        raise FinetuneError(f"'{info.name}' is a text encoder ({info.architecture}); a chat model needs a causal "
                            "language model base.")
    if info.run is not None:
        raise FinetuneError("The 'finetune-chat' template starts from a Hugging Face folder; export the run with "
                            "'export --format hf' and use that folder as --base.")
    if data is None:
        raise FinetuneError("The 'finetune-chat' template needs data: pass --data (a .json, .jsonl, .csv or .parquet "
                            "file of Alpaca, ShareGPT or messages rows).")
    data = Path(data)
    rows, fmt = read_chat_file(data)
    conversations, notes = to_conversations(rows, fmt, data.name)
    tokenizer = load_chat_tokenizer(info.reference)
    limit = min(info.max_positions, MAX_DEFAULT_SEQ_LEN)
    length = int(seq_len or _sequence_length(tokenizer, conversations, limit))
    if length > info.max_positions:
        raise FinetuneError(f"'{info.name}' reads at most {info.max_positions} tokens; choose a sequence length of "
                            f"at most {info.max_positions}, not {length}.")
    config = DataConfig(source=SourceConfig(kind="chat", path=str(data.resolve()), format=fmt), task="language-model",
                        text=TextConfig(level="pretrained", pretrained=info.reference, seq_len=length))
    prepared = prepare(config, Path(folder).resolve(), progress=progress)
    strategy = strategy or "lora"
    graph = build_template_graph(TEMPLATE, prepared.info, base=info.reference, strategy=strategy, **(options or {}))
    settings = template_training_defaults(TEMPLATE, prepared.info)
    for key, value in (training or {}).items():
        settings[key] = {**settings[key], **value} if isinstance(value, dict) and isinstance(settings.get(key), dict) \
            else value
    TrainConfig.from_dict(settings)
    own = has_own_template(info.reference)
    section = finetune_section(TEMPLATE, info, strategy)
    section["chat"] = {"format": fmt, "template": "base" if own else "chatml"}
    project = Project(name=data.stem, graph=graph, data=config.to_dict(), training=settings, finetune=section,
                      path=None)
    node = graph.node("base_lm")
    lines = [describe_format(fmt, len(rows)),
             "Chat template: the base's own." if own else
             "Chat template: ChatML (<|im_start|>role ... <|im_end|>), because the base's tokenizer has none."]
    if strategy == "lora":
        lines.append(f"LoRA on: {node.params.get('target_modules')}.")
    return FinetunePlan(project, lines + notes + list(prepared.warnings), len(prepared.train), info)


def describe_chat_project(project) -> list[str]:
    """What ``validate`` adds for a chat project: the data format, the chat template, the LoRA targets."""
    finetune = getattr(project, "finetune", None) or {}
    chat = finetune.get("chat")
    if finetune.get("template") != TEMPLATE or not isinstance(chat, dict):
        return []
    from app.core.finetune.chat_data import FORMAT_TITLES

    template = "the base's own" if chat.get("template") == "base" else "ChatML (the base has none)"
    lines = [f"Chat data: {FORMAT_TITLES.get(chat.get('format'), chat.get('format'))}; chat template: {template}."]
    node = project.graph.node(finetune.get("node", "base_lm"))
    if node.params.get("strategy") == "lora":
        lines.append(f"LoRA on: {node.params.get('target_modules')} (node '{node.id}', option target_modules).")
    return lines
