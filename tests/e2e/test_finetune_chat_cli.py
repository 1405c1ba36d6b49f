"""Chat fine-tuning as a user types it: new --template finetune-chat, validate, train, chat (piped),
generate, export hf and peft, and one-line errors for data of another shape."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from app.cli import main
from tests.core.chat_support import tiny_chat_base, write_chat_data
from tests.e2e.conftest import ROOT


@pytest.fixture(scope="module")
def chat_area(tmp_path_factory):
    root = tmp_path_factory.mktemp("chat-cli")
    return root, tiny_chat_base(root / "llama", "llama"), write_chat_data(root, "sharegpt", n=200)


def _chat(run, lines: str, *extra):
    env = dict(os.environ, OMP_NUM_THREADS="1", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "chat", str(run), *extra], input=lines,
                          capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)


def test_new_train_chat_generate_and_export(chat_area, main_py, capsys, monkeypatch):
    root, base, data = chat_area
    project = root / "chat.mwproj"
    made = main_py("new", "--template", "finetune-chat", "--base", base, "--data", data, "--out", project)
    assert made.returncode == 0, made.stderr
    assert "Detected chat format: ShareGPT" in made.stdout + made.stderr
    raw = json.loads(project.read_text(encoding="utf-8"))
    assert raw["data"]["source"]["format"] == "sharegpt" and raw["finetune"]["chat"]["template"] == "base"
    assert main(["validate", str(project)]) == 0
    assert "LoRA on: q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj" in capsys.readouterr().out
    run = root / "run"
    trained = main_py("train", project, "--steps", "6", "--batch-size", "8", "--out", run)
    assert trained.returncode == 0, trained.stderr

    talked = _chat(run, "reverse: red green blue\n\nreverse: cat dog sun\n", "--system", "be brief",
                   "--max-tokens", "5")
    assert talked.returncode == 0, talked.stderr
    replies = talked.stdout.splitlines()
    assert len(replies) == 2  # one line per message; the empty line is skipped
    monkeypatch.setattr(sys, "stdin", io.StringIO("reverse: red green blue\n"))
    assert main(["chat", str(run), "--max-tokens", "5"]) == 0  # greedy by default
    plain = capsys.readouterr().out
    assert len(plain.splitlines()) == 1
    assert main(["generate", str(run), "--prompt", "reverse: red green blue", "--tokens", "5",
                 "--temperature", "0"]) == 0
    assert capsys.readouterr().out.strip() == plain.strip()  # the prompt is answered as a user message

    exported = main_py("export", run, "--format", "hf", "--out", root / "hf")
    assert exported.returncode == 0, exported.stderr
    assert "Parity check passed" in exported.stdout
    assert main(["export", str(run), "--format", "peft", "--out", str(root / "peft")]) == 0
    assert "Parity check passed" in capsys.readouterr().out
    assert (root / "hf" / "chat_template.jinja").is_file() and (root / "peft" / "adapter_config.json").is_file()


def test_data_of_another_shape_and_a_missing_run_give_one_line_errors(chat_area, capsys, monkeypatch):
    root, base, _ = chat_area
    odd = root / "odd.csv"
    odd.write_text("prompt,completion\nhi,there\n", encoding="utf-8")
    assert main(["new", "--template", "finetune-chat", "--base", str(base), "--data", str(odd),
                 "--out", str(root / "odd.mwproj")]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "prompt, completion" in lines[0]
    assert "unexpected" not in err and not (root / "odd.mwproj").exists()
    monkeypatch.setattr(sys, "stdin", io.StringIO("hi\n"))
    assert main(["chat", str(root / "no-run")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1 and "unexpected" not in err
