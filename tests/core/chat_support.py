"""Tiny random Llama and Qwen2 folders and a checkable chat task (reverse three words), built offline."""

from __future__ import annotations

import json
import random
from pathlib import Path

WORDS = ("red green blue cat dog sun moon tree fish bird rock star hill lake road rain snow wind leaf sand").split()
LLAMA_TEMPLATE = ("{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}<<SYS>>{{ m['content'] }}"
                  "<</SYS>>{% elif m['role'] == 'user' %}[INST] {{ m['content'] }} [/INST]{% else %} "
                  "{{ m['content'] }}{{ eos_token }}{% endif %}{% endfor %}")


def reverse_examples(n: int = 200, seed: int = 3) -> list[tuple[str, str]]:
    """(question, answer) pairs: 'reverse: a b c' -> 'c b a'."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        words = rng.sample(WORDS, 3)
        pairs.append((f"reverse: {' '.join(words)}", " ".join(reversed(words))))
    return pairs


def write_chat_data(folder: Path, fmt: str, n: int = 200, suffix: str = ".jsonl") -> Path:
    """The reversal task in Alpaca, ShareGPT or messages rows (messages: two turns per row)."""
    pairs = reverse_examples(n)
    rows = []
    for i, (q, a) in enumerate(pairs):
        if fmt == "alpaca":
            rows.append({"instruction": "reverse the words", "input": q.split(": ", 1)[1], "output": a})
        elif fmt == "sharegpt":
            rows.append({"conversations": [{"from": "human", "value": q}, {"from": "gpt", "value": a}]})
        else:
            q2, a2 = pairs[(i + 1) % n]
            rows.append({"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": q},
                                      {"role": "assistant", "content": a}, {"role": "user", "content": q2},
                                      {"role": "assistant", "content": a2}]})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{fmt}{suffix}"
    if suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(rows), encoding="utf-8")
    elif suffix == ".csv":
        import pandas as pd

        pd.DataFrame([{k: (json.dumps(v) if isinstance(v, list) else v) for k, v in r.items()} for r in rows]) \
            .to_csv(path, index=False)
    else:
        import pandas as pd

        pd.DataFrame(rows).to_parquet(path)
    return path


def _tokenizer(folder: Path, chat_template: str | None):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    from app.core.finetune.offline import transformers

    tf = transformers()
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<|endoftext|>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
    texts = [f"{q} {a} reverse the words [INST] [/INST] <<SYS>> be brief <</SYS>> user assistant system"
             for q, a in reverse_examples(300, 9)]
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=320, special_tokens=specials,
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = tf.PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                                      pad_token="<|endoftext|>", additional_special_tokens=["<|im_start|>", "<|im_end|>"])
    if chat_template:
        fast.chat_template = chat_template
    folder.mkdir(parents=True, exist_ok=True)
    fast.save_pretrained(str(folder))
    return fast


def tiny_chat_base(folder: Path, kind: str = "llama") -> Path:
    """A 2-block, 32-wide Llama (with its own chat template) or Qwen2 (without one: ChatML is used)."""
    from app.core.finetune.offline import transformers

    tf = transformers()
    fast = _tokenizer(folder, LLAMA_TEMPLATE if kind == "llama" else None)
    common = dict(vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                  num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=128,
                  bos_token_id=fast.bos_token_id, eos_token_id=fast.eos_token_id, pad_token_id=fast.pad_token_id)
    if kind == "llama":
        model = tf.LlamaForCausalLM(tf.LlamaConfig(**common))
    else:
        model = tf.Qwen2ForCausalLM(tf.Qwen2Config(**common))
    model.save_pretrained(str(folder))
    return folder
