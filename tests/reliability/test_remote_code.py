"""A pretrained base never runs code that came with it, never waits at a prompt, and never
fine-tunes from random weights without a word.

The folders are tiny random BERT/GPT-2 models saved on the spot (no downloads) and then made
hostile: a config's ``auto_map`` naming a ``modeling_*.py`` that writes a marker file when it
is imported, the same for the tokenizer, an architecture transformers does not know, and a
``model.safetensors`` whose tensor names match nothing. The commands run as a user runs them;
the prompt cases in a real subprocess whose stdin answers "y" to every question.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli import main
from tests.core.test_finetune_support import corpus_text, sentiment_csv, tiny_bert, tiny_gpt2
from tests.reliability.cli_checks import run_cli

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "Do you wish to run the custom code"


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("remote-code")
    tiny_bert(root / "bert")
    tiny_gpt2(root / "gpt2")
    sentiment_csv(root / "reviews.csv", n=40)
    corpus_text(root / "corpus.txt", repeats=10)
    return root


def _copy(area: Path, source: str, name: str) -> Path:
    return Path(shutil.copytree(area / source, area / name))


def _project(area: Path, base: Path) -> Path:
    """A fine-tuning project on a clean base (made before the base is tampered with)."""
    from app.core.finetune import create_finetune_project

    out = area / f"{base.name}.mwproj"
    if (base / "config.json").read_text(encoding="utf-8").count('"gpt2"'):
        create_finetune_project("finetune-lm", base=str(base), data=area / "corpus.txt", target=None, out=out,
                                seq_len=16)
    else:
        create_finetune_project("finetune-text", base=str(base), data=area / "reviews.csv", target="sentiment",
                                out=out, seq_len=16)
    return out


def _plant_code(folder: Path, config_name: str, auto_map: dict, module: str, marker: Path) -> None:
    """Add ``module`` (writes ``marker`` when imported) and name it in ``config_name``'s auto_map."""
    path = folder / config_name
    config = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    config["auto_map"] = auto_map
    if config_name == "config.json":
        config["model_type"] = "evil_bert"  # unknown type: transformers would ask whether to run the code
    path.write_text(json.dumps(config), encoding="utf-8")
    (folder / module).write_text(f"open({str(marker)!r}, 'w').write('ran')\n"
                                 "from transformers import BertConfig, BertModel, BertTokenizerFast\n"
                                 "class EvilConfig(BertConfig):\n    model_type = 'evil_bert'\n"
                                 "class EvilModel(BertModel):\n    config_class = EvilConfig\n"
                                 "class EvilTokenizer(BertTokenizerFast):\n    pass\n", encoding="utf-8")


def _answering_yes(*args) -> tuple[subprocess.CompletedProcess, float]:
    """``main.py args`` in a subprocess whose stdin says "y" to any question; (result, seconds)."""
    env = dict(os.environ, OMP_NUM_THREADS="1", QT_QPA_PLATFORM="offscreen")
    start = time.monotonic()
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], input="y\n" * 500,
                            capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    return result, time.monotonic() - start


CODE_CASES = {
    "model": ("config.json", {"AutoConfig": "modeling_evil.EvilConfig", "AutoModel": "modeling_evil.EvilModel"},
              "modeling_evil.py"),
    "tokenizer": ("tokenizer_config.json", {"AutoTokenizer": ["tokenization_evil.EvilTokenizer", None]},
                  "tokenization_evil.py"),
}


@pytest.mark.parametrize("case", sorted(CODE_CASES))
def test_code_in_a_base_never_runs_even_when_the_terminal_says_yes(area, case):
    config_name, auto_map, module = CODE_CASES[case]
    base = _copy(area, "bert", f"code-{case}")
    project = _project(area, base)
    marker = area / f"RAN-{case}"
    _plant_code(base, config_name, auto_map, module, marker)
    commands = [("train", project, "--epochs", "1", "--out", area / f"run-{case}"),
                ("new", "--template", "finetune-text", "--base", base, "--data", area / "reviews.csv",
                 "--target", "sentiment", "--out", area / f"new-{case}.mwproj")]
    for args in commands:
        result, seconds = _answering_yes(*args)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1, (args[0], result.stdout, result.stderr)
        assert len(lines) == 1 and lines[0].startswith("error: ") and module in lines[0], result.stderr
        assert PROMPT not in result.stdout + result.stderr
        assert not marker.exists(), f"{args[0]} ran {module}"
        assert seconds < 60
    assert not (area / f"new-{case}.mwproj").exists() and not (area / f"run-{case}").exists()


def test_a_config_that_names_a_python_file_is_refused_and_other_python_files_are_not(area):
    from app.core.finetune.bases import inspect_base
    from app.core.finetune.errors import BaseModelError

    base = _copy(area, "bert", "named-code")
    (base / "convert_checkpoint.py").write_text("raise SystemExit('never imported')\n", encoding="utf-8")
    assert inspect_base(str(base)).model_type == "bert"  # a script nothing names is harmless
    (base / "pipeline_evil.py").write_text("raise SystemExit('never imported')\n", encoding="utf-8")
    config = json.loads((base / "config.json").read_text(encoding="utf-8"))
    config["custom_pipelines"] = {"evil": {"impl": "pipeline_evil.EvilPipeline"}}
    (base / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(BaseModelError, match=r"named-code/pipeline_evil\.py"):
        inspect_base(str(base))


def test_an_architecture_transformers_does_not_know_is_refused(area, capsys):
    base = _copy(area, "bert", "unknown-type")
    project = _project(area, base)
    config = json.loads((base / "config.json").read_text(encoding="utf-8"))
    config["model_type"] = "frobnicator"
    (base / "config.json").write_text(json.dumps(config), encoding="utf-8")
    line = run_cli(capsys, ["new", "--template", "finetune-text", "--base", base, "--data", area / "reviews.csv",
                            "--target", "sentiment", "--out", area / "unknown.mwproj"], area)
    assert "frobnicator" in line and "unknown-type/config.json" in line
    line = run_cli(capsys, ["train", project, "--epochs", "1", "--out", area / "unknown-run"], area)
    assert "frobnicator" in line


def test_known_architectures_are_read_without_importing_transformers():
    """The list the check reads from transformers' source is exactly ``transformers.CONFIG_MAPPING``."""
    from app.core.finetune.folder_safety import listed_model_types
    from app.core.finetune.offline import transformers

    assert set(listed_model_types()) == set(transformers().CONFIG_MAPPING.keys())
    assert {"bert", "gpt2", "distilbert", "llama"} <= listed_model_types()


def _scramble(folder: Path) -> int:
    """Rename every tensor of model.safetensors to something no architecture uses; returns how many."""
    from safetensors.torch import load_file, save_file

    tensors = load_file(str(folder / "model.safetensors"))
    save_file({f"unrelated.t{i}": t.contiguous() for i, t in enumerate(tensors.values())},
              str(folder / "model.safetensors"), metadata={"format": "pt"})
    return len(tensors)


@pytest.mark.parametrize("source,model_type", [("bert", "bert"), ("gpt2", "gpt2")])
def test_weights_that_fit_nothing_are_refused_with_the_counts(area, capsys, source, model_type):
    base = _copy(area, source, f"scrambled-{source}")
    project = _project(area, base)
    _scramble(base)
    line = run_cli(capsys, ["train", project, "--steps", "2", "--out", area / f"scrambled-run-{source}"], area)
    assert re.search(rf"model\.safetensors in 'scrambled-{source}' holds 0 of the \d+ tensors a {model_type} "
                     "model needs", line), line


def test_a_normal_base_still_fine_tunes_and_later_tampering_is_caught(area, capsys):
    base = _copy(area, "bert", "normal")
    project = _project(area, base)
    run = area / "normal-run"
    assert main(["train", str(project), "--epochs", "1", "--out", str(run)]) == 0
    assert (run / "model.safetensors").is_file()
    lm = _copy(area, "gpt2", "normal-lm")
    lm_run = area / "normal-lm-run"
    assert main(["train", str(_project(area, lm)), "--steps", "2", "--batch-size", "2", "--out", str(lm_run)]) == 0
    marker = area / "RAN-later"
    for folder in (base, lm):
        _plant_code(folder, "config.json", CODE_CASES["model"][1], "modeling_evil.py", marker)
    for args in (["evaluate", run], ["predict", run, "--data", area / "reviews.csv", "--out", area / "p.csv"],
                 ["export", run, "--format", "hf", "--out", area / "hf"],
                 ["generate", lm_run, "--prompt", "the", "--tokens", "4"]):
        assert "modeling_evil.py" in run_cli(capsys, args, area)
    assert not marker.exists()


def test_a_checkpoint_without_the_unused_pooler_loads(area):
    from safetensors.torch import load_file, save_file

    from app.core.finetune.bases import inspect_base
    from app.core.finetune.loading import load_backbone

    base = _copy(area, "bert", "no-pooler")
    tensors = {k: v for k, v in load_file(str(base / "model.safetensors")).items() if "pooler" not in k}
    save_file(tensors, str(base / "model.safetensors"), metadata={"format": "pt"})
    model = load_backbone(inspect_base(str(base)), causal=False)
    assert model.embeddings.word_embeddings.weight.shape[1] == 32


def test_loads_run_with_stdin_detached_and_give_it_back():
    from app.core.finetune.offline import no_prompts

    before = sys.stdin
    with no_prompts(), no_prompts():
        with pytest.raises(EOFError):
            input("Do you wish to run the custom code? [y/N] ")
    assert sys.stdin is before


def test_the_wizard_explains_a_base_with_code_and_does_not_go_on(area, qtbot):
    from app.ui.finetune.wizard import FinetuneWizard

    base = _copy(area, "bert", "wizard-code")
    marker = area / "RAN-wizard"
    _plant_code(base, "config.json", CODE_CASES["model"][1], "modeling_evil.py", marker)
    wizard = FinetuneWizard()
    qtbot.addWidget(wizard)
    wizard.base_page.folder.setChecked(True)
    wizard.base_page.set_path(str(base))
    assert not wizard.base_page.isComplete()
    assert "wizard-code/modeling_evil.py" in wizard.base_page.details.text()
    assert not marker.exists()
