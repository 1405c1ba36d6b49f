"""Chat fine-tuning: data formats detected, only assistant tokens learned, and a run that chats,
exports as a merged Hugging Face folder (greedy-equal) and as a peft adapter.

The bases are tiny random Llama (own chat template) and Qwen2 (none: ChatML) folders with a BPE
tokenizer trained on the spot; the task is reversing three words.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
import torch

from app.core.finetune.chat_data import (
    IGNORE,
    detect_format,
    encode_all,
    encode_conversation,
    read_chat_file,
    to_conversations,
)
from app.core.finetune.errors import BaseModelError, FinetuneError
from tests.core.chat_support import reverse_examples, tiny_chat_base, write_chat_data


@pytest.fixture(scope="module")
def area(tmp_path_factory):
    root = tmp_path_factory.mktemp("chat")
    return {"root": root, "llama": tiny_chat_base(root / "llama", "llama"),
            "qwen": tiny_chat_base(root / "qwen", "qwen2")}


@pytest.fixture(scope="module")
def tokenizers(area):
    from app.core.finetune.chat_prepare import load_chat_tokenizer

    return {name: load_chat_tokenizer(str(area[name])) for name in ("llama", "qwen")}


@pytest.mark.parametrize("fmt,suffix", [("alpaca", ".jsonl"), ("sharegpt", ".json"), ("messages", ".jsonl"),
                                        ("alpaca", ".csv"), ("messages", ".csv"), ("sharegpt", ".parquet")])
def test_each_format_is_detected_in_each_file_kind(area, fmt, suffix):
    path = write_chat_data(area["root"] / f"detect-{suffix[1:]}", fmt, n=200, suffix=suffix)
    rows, found = read_chat_file(path)
    assert found == fmt and len(rows) == 200
    conversations, notes = to_conversations(rows, found, path.name)
    assert len(conversations) == 200 and notes == []
    question, answer = reverse_examples(200)[0]
    assert conversations[0][-1 if fmt != "messages" else 2] == {"role": "assistant", "content": answer}
    assert question.split(": ")[1] in conversations[0][-2 if fmt != "messages" else 1]["content"]


def test_unknown_shapes_are_refused_naming_the_columns(area):
    with pytest.raises(FinetuneError, match=r"columns found: prompt, completion"):
        detect_format(["prompt", "completion"], "odd.jsonl")
    path = area["root"] / "odd.jsonl"
    path.write_text('{"question": "q", "answer": "a"}\n', encoding="utf-8")
    with pytest.raises(FinetuneError, match="question, answer"):
        read_chat_file(path)
    bad = area["root"] / "bad-role.jsonl"
    bad.write_text(json.dumps({"messages": [{"role": "robot", "content": "x"}]}) + "\n", encoding="utf-8")
    rows, fmt = read_chat_file(bad)
    with pytest.raises(FinetuneError, match="Row 1 of 'bad-role.jsonl'.*'robot'"):
        to_conversations(rows, fmt, bad.name)


def _label_runs(tokenizer, ids, labels) -> list[str]:
    """The learned tokens, one decoded string per contiguous run."""
    runs, current = [], []
    for token, label in zip(ids, labels):
        if label != IGNORE:
            assert label == token
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [tokenizer.decode(r, skip_special_tokens=True).strip() for r in runs]


@pytest.mark.parametrize("base", ["llama", "qwen"])
@pytest.mark.parametrize("fmt", ["alpaca", "sharegpt", "messages"])
def test_only_the_assistant_tokens_are_learned(area, tokenizers, base, fmt):
    tokenizer = tokenizers[base]
    rows, found = read_chat_file(write_chat_data(area["root"] / "mask", fmt, n=20))
    conversations, _ = to_conversations(rows, found, "mask")
    for messages in conversations[:5]:
        ids, labels = encode_conversation(tokenizer, messages)
        replies = [m["content"] for m in messages if m["role"] == "assistant"]
        assert _label_runs(tokenizer, ids, labels) == replies
        learned = sum(label != IGNORE for label in labels)
        assert 0 < learned < len(ids) / 2  # the prompt, system text and template markers are not learned


def test_truncation_counts_cut_and_dropped_examples(area, tokenizers):
    rows, fmt = read_chat_file(write_chat_data(area["root"] / "cut", "messages", n=10))
    conversations, _ = to_conversations(rows, fmt, "cut")
    tokenizer = tokenizers["qwen"]
    full = encode_all(tokenizer, conversations, 512)
    assert full.truncated == 0 and full.dropped == 0 and len(full.ids) == 10
    stats = full.statistics()
    assert stats["min_tokens"] <= stats["median_tokens"] <= stats["max_tokens"] == max(map(len, full.ids))
    cut = encode_all(tokenizer, conversations, 39)  # the first reply fits, the second does not
    assert cut.truncated == 10 and cut.dropped == 0 and all(len(ids) == 40 for ids in cut.ids)
    tight = encode_all(tokenizer, conversations, 30)  # some first replies start after token 30
    assert tight.truncated == 10 and 0 < tight.dropped < 10 and len(tight.ids) == 10 - tight.dropped
    assert all(any(v != IGNORE for v in labels[1:]) for labels in tight.labels)
    assert f"{tight.dropped} example(s) were left out" in " ".join(tight.notes(30))
    tiny = encode_all(tokenizer, conversations, 8)  # only the system turn fits: nothing to learn
    assert tiny.dropped == 10 and tiny.ids == [] and "left out" in " ".join(tiny.notes(8))


def test_lora_targets_are_the_models_own_projections(area):
    from app.core.finetune.bases import inspect_base
    from app.core.finetune.lora_targets import chat_lora_targets

    for name in ("llama", "qwen"):
        assert chat_lora_targets(inspect_base(str(area[name]))) == ["q_proj", "k_proj", "v_proj", "o_proj",
                                                                    "gate_proj", "up_proj", "down_proj"]


@pytest.fixture(scope="module")
def chat_run(area):
    from app.core.finetune.project import create_finetune_project
    from app.core.train.api import train_project

    root = area["root"]
    data = write_chat_data(root, "messages", n=200)
    project, notes = create_finetune_project("finetune-chat", base=str(area["qwen"]), data=data, target=None,
                                             out=root / "chat.mwproj")
    run = train_project(root / "chat.mwproj", out=root / "chat-run", overrides={"steps": 6, "batch_size": 8})
    return root, project, notes, run


def test_the_project_records_format_template_and_lora_targets(chat_run):
    _, project, notes, _ = chat_run
    assert project.data["source"] == {"kind": "chat", "path": "messages.jsonl", "format": "messages"}
    assert project.finetune["chat"] == {"format": "messages", "template": "chatml"}
    node = project.graph.node("base_lm")
    assert node.params["strategy"] == "lora"
    assert node.params["target_modules"] == "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj"
    assert notes[0] == "Detected chat format: messages (role/content), 200 examples."
    assert any("ChatML" in n for n in notes) and any(n.startswith("Chat examples: 200") for n in notes)


def _greedy(model_fn, ids: list[int], n: int) -> list[int]:
    tokens = torch.tensor([ids])
    out = []
    with torch.no_grad():
        for _ in range(n):
            nxt = int(model_fn(tokens)[0, -1].argmax())
            out.append(nxt)
            tokens = torch.cat([tokens, torch.tensor([[nxt]])], dim=1)
    return out


def test_the_run_trains_chats_and_exports_greedy_equal(chat_run):
    from app.core.export import export_run
    from app.core.export.formats.hf import load_with_transformers
    from app.core.export.formats.peft import load_adapter
    from app.core.finetune.chat import ChatSession

    root, project, _, run = chat_run
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "completed"
    session = ChatSession.open(run, system="be brief")
    first = session.reply("reverse: red green blue", max_new_tokens=6, temperature=0)
    prompt_after_one_turn = session.prompt_ids()
    session.reply("reverse: cat dog sun", max_new_tokens=6, temperature=0)
    assert [m["role"] for m in session.messages] == ["system", "user", "assistant", "user", "assistant"]
    assert session.messages[2]["content"] == first
    second_prompt = session.tokenizer.decode(session.prompt_ids())
    assert "reverse: red green blue" in second_prompt and "reverse: cat dog sun" in second_prompt
    assert len(session.prompt_ids()) > len(prompt_after_one_turn)

    ids = session.prompt_ids()
    trained = _greedy(session.generator.model, ids, 8)
    hf = export_run(run, "hf", root / "chat-hf")
    assert hf.parity.passed and (root / "chat-hf" / "chat_template.jinja").is_file()
    merged = load_with_transformers(root / "chat-hf", causal=True)
    assert _greedy(lambda t: merged(input_ids=t).logits, ids, 8) == trained

    adapter = export_run(run, "peft", root / "chat-peft")
    assert adapter.parity.passed
    assert {"adapter_config.json", "adapter_model.safetensors"} <= {p.name for p in (root / "chat-peft").iterdir()}
    assert not (root / "chat-peft" / "model.safetensors").exists()
    with_adapter = load_adapter(project.finetune["base"], root / "chat-peft")
    assert _greedy(lambda t: with_adapter(input_ids=t).logits, ids, 8) == trained
    x = torch.tensor([ids])
    with torch.no_grad():
        expected = session.generator.model(x)
        assert torch.allclose(with_adapter(input_ids=x).logits, expected, atol=1e-5)
        with with_adapter.disable_adapter():  # the adapter is what changed the base
            assert not torch.allclose(with_adapter(input_ids=x).logits, expected, atol=1e-6)


def test_a_remote_code_base_is_refused_without_a_prompt(area, monkeypatch):
    from app.core.finetune.project import create_finetune_project

    evil = area["root"] / "evil"
    shutil.copytree(area["llama"], evil)
    marker = area["root"] / "ran.txt"
    config = json.loads((evil / "config.json").read_text(encoding="utf-8"))
    config["auto_map"] = {"AutoModelForCausalLM": "modeling_evil.EvilModel"}
    (evil / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (evil / "modeling_evil.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", None)
    data = write_chat_data(area["root"] / "evil-data", "alpaca", n=20)
    with pytest.raises(BaseModelError):
        create_finetune_project("finetune-chat", base=str(evil), data=data, target=None,
                                out=area["root"] / "evil.mwproj")
    assert not marker.exists() and not (area["root"] / "evil.mwproj").exists()


def _write(path, text: str | bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


#: Chat data a user may really have: each must end in one line, exit 1, and no project file.
BAD_DATA = {
    "broken-jsonl": ("broken.jsonl", '{"messages": [{"role": "user", "content": "hi"}\n{"oops"\n', "cannot be read"),
    "empty-file": ("empty.jsonl", "", "cannot be read|no examples"),
    "text-file": ("notes.txt", "hello there\n", "use .json, .jsonl, .csv or .parquet"),
    "messages-not-a-list": ("str.jsonl", '{"messages": "hello"}\n', "must be a list of turns"),
    "unknown-speaker": ("robot.jsonl", '{"conversations": [{"from": "robot", "value": "x"}]}\n', "'robot'"),
    "no-replies": ("quiet.jsonl", '{"instruction": "a", "input": "", "output": ""}\n', "(?i)no example .* reply"),
    "csv-non-json-cell": ("cells.csv", "messages\nnot json at all\n", "must be a list of turns"),
    "garbage-parquet": ("junk.parquet", b"\x00\x01not parquet\xff" * 20, "cannot be read"),
    "json-object": ("obj.json", '{"a": 1, "b": 2}', "columns found: a, b"),
    "turn-not-a-dict": ("turns.jsonl", '{"messages": ["hi", "there"]}\n', "role"),
    "null-rows": ("nulls.jsonl", '{"messages": null}\n', "must be a list of turns"),
}


@pytest.mark.parametrize("case", list(BAD_DATA), ids=list(BAD_DATA))
def test_bad_chat_data_ends_in_one_line(area, case, capsys):
    from app.cli import main

    name, content, message = BAD_DATA[case]
    data = _write(area["root"] / "bad" / case / name, content)
    out = data.parent / "p.mwproj"
    assert main(["new", "--template", "finetune-chat", "--base", str(area["qwen"]), "--data", str(data),
                 "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "unexpected" not in err, err
    import re

    assert re.search(message, err), err
    assert not out.exists()


def test_bad_bases_and_settings_end_in_one_line(area, capsys, tmp_path):
    from app.cli import main
    from tests.core.test_finetune_support import tiny_bert

    data = write_chat_data(tmp_path, "alpaca", n=20)
    bert = tiny_bert(tmp_path / "bert")
    cases = [(["--base", str(bert)], "text encoder"), ([], "needs --base"),
             (["--base", str(tmp_path / "nowhere")], "nowhere")]
    for extra, message in cases:
        assert main(["new", "--template", "finetune-chat", "--data", str(data), "--out",
                     str(tmp_path / "p.mwproj"), *extra]) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and message in err and "unexpected" not in err, err
    with pytest.raises(SystemExit) as ended:  # argparse: at least 1, in one line
        main(["chat", str(tmp_path), "--max-tokens", "0"])
    err = capsys.readouterr().err.strip()
    assert ended.value.code == 1 and len(err.splitlines()) == 1 and "at least 1" in err


def test_chat_refuses_a_run_not_trained_on_chats_in_one_line(chat_run, capsys, monkeypatch):
    from app.cli import main

    root, _, _, run = chat_run
    plain = Path(shutil.copytree(run, root / "plain-lm-run"))
    raw = json.loads((plain / "project.mwproj").read_text(encoding="utf-8"))
    raw["finetune"]["template"] = "finetune-lm"
    (plain / "project.mwproj").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("hello\n"))
    assert main(["chat", str(plain)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "'finetune-chat'" in err and len(err.splitlines()) == 1
