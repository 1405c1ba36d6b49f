"""Fine-tuning end to end in the core: MiniLM learns sentiment, LoRA trains few weights, hf folders
reload with transformers alone, tiny local BERT/GPT-2 folders work, unsafe or broken folders are refused."""

from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest
import torch

from app.core.finetune import BaseModelError, FinetuneError, create_finetune_project, inspect_base
from app.core.finetune.strategies import count_parameters
from tests.core.test_finetune_support import corpus_text, sentiment_csv, tiny_bert, tiny_gpt2

SETTINGS = {"epochs": 2, "batch_size": 16, "checkpoint": {"epoch_min_seconds": 60.0}}


def _val_accuracy_of_untrained(project_path: Path) -> float:
    """Accuracy of the project's network before any training (the untrained-head baseline)."""
    from app.core.data import prepare
    from app.core.graph.compiler import compile_graph
    from app.core.project import load_project
    from app.core.train.config import TrainConfig
    from app.core.train.engine import Trainer

    project = load_project(project_path)
    prepared = prepare(project.data, project.folder)
    torch.manual_seed(0)
    model = compile_graph(project.graph)
    trainer = Trainer(model, TrainConfig.from_dict(project.training), task=prepared.info.task,
                      n_outputs=prepared.info.n_outputs)
    return trainer.evaluate(prepared.val)["accuracy"]


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("finetune")


@pytest.fixture(scope="module")
def reviews(work) -> Path:
    return sentiment_csv(work / "reviews.csv", n=160)


def _train(work: Path, reviews: Path, strategy: str, **kwargs) -> tuple[Path, Path]:
    from app.core.train.api import train_project

    project = work / f"{strategy}.mwproj"
    create_finetune_project("finetune-text", base="minilm", data=reviews, target="sentiment", out=project,
                            strategy=strategy, seq_len=16, training=SETTINGS, **kwargs)
    return project, train_project(project, out=work / f"run-{strategy}")


@pytest.fixture(scope="module")
def full_run(work, reviews):
    return _train(work, reviews, "full")


@pytest.fixture(scope="module")
def lora_run(work, reviews):
    return _train(work, reviews, "lora")


def test_full_finetuning_of_minilm_beats_the_untrained_head(full_run):
    from app.core.train.api import evaluate_run

    project, run = full_run
    baseline = _val_accuracy_of_untrained(project)
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "completed" and summary["epochs_completed"] == 2
    accuracy = summary["final"]["val_accuracy"]
    assert accuracy > 0.85 and accuracy > baseline + 0.2, (accuracy, baseline)
    assert summary["trainable_parameters"] == summary["parameters"] > 22_000_000
    assert evaluate_run(run)["accuracy"] > 0.85  # the saved weights reload and still know it


def test_lora_trains_under_two_percent_of_the_weights_and_learns(lora_run):
    project, run = lora_run
    summary = json.loads((run / "summary.json").read_text())
    share = summary["trainable_parameters"] / summary["parameters"]
    assert share < 0.02
    rows = (run / "metrics.csv").read_text().splitlines()[1:]
    first, last = (dict(zip(("epoch", "step", "train_loss", "val_loss", "val_accuracy"), r.split(","))) for r in
                   (rows[0], rows[-1]))
    assert float(last["val_loss"]) < float(first["val_loss"])
    assert summary["final"]["val_accuracy"] > _val_accuracy_of_untrained(project) + 0.1


def test_project_records_the_base_and_reads_text_with_its_tokenizer(full_run):
    from app.core.project import load_project

    project = load_project(full_run[0])
    assert project.finetune == {"template": "finetune-text", "node": "encoder", "base": "minilm",
                                "base_name": "all-MiniLM-L6-v2", "architecture": "BertModel", "strategy": "full"}
    assert project.data["text"]["level"] == "pretrained" and project.data["text"]["pretrained"] == "minilm"
    saved = json.loads((full_run[1] / "preprocessor.json").read_text())
    assert saved["tokenizer"]["type"] == "pretrained" and saved["info"]["vocab_size"] == 30522


def test_predict_gives_labels_in_the_users_words(full_run, work):
    import pandas as pd

    from app.core.train.api import predict_run

    new = work / "new.csv"
    pd.DataFrame({"review": ["what a wonderful and superb film", "the plot was dreadful and boring"]}).to_csv(new, index=False)
    out = predict_run(full_run[1], new, work / "pred.csv")
    assert pd.read_csv(out)["prediction"].tolist() == ["positive", "negative"]


def test_hf_export_reloads_with_transformers_and_gives_the_same_logits(lora_run, work):
    from app.core.export import export_run
    from app.core.export.trained import load_trained_run
    from app.core.finetune.offline import transformers
    from app.core.finetune.tokenizer import PretrainedTokenizer

    result = export_run(lora_run[1], "hf", work / "hf-lora")
    assert result.parity.passed and result.parity.max_abs_diff < 1e-5
    folder = result.path
    # Load it the way its users will, without Modelwright or peft: the native class, every weight trained.
    tf = transformers()
    model, loading = tf.AutoModelForSequenceClassification.from_pretrained(
        str(folder), local_files_only=True, trust_remote_code=False, output_loading_info=True)
    assert not loading["missing_keys"] and type(model).__name__ == "BertForSequenceClassification"
    assert not any("lora" in k for k in model.state_dict())
    tokenizer = tf.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    texts = ["the acting was superb", "the ending was dull and tedious"]
    ids = PretrainedTokenizer.from_base("minilm").encode_padded(texts, 16)
    assert tokenizer(texts, padding="max_length", max_length=16, return_tensors="pt")["input_ids"].tolist() == ids.tolist()
    with torch.no_grad():
        logits = model.eval()(input_ids=ids, attention_mask=(ids != 0).long()).logits
        expected = load_trained_run(lora_run[1]).model(ids)
    # binary: the one trained score z is written as the two scores (0, z)
    assert torch.allclose(logits[:, 1:] - logits[:, :1], expected, atol=1e-5)


def test_an_earlier_run_is_a_base_that_keeps_its_fine_tuned_weights(full_run, work, reviews):
    from app.core.graph.compiler import compile_graph
    from app.core.project import load_project
    from app.core.export.trained import load_trained_run

    run = full_run[1]
    info = inspect_base(str(run))
    assert info.run == run and info.model_type == "bert" and "as fine-tuned in" in info.name
    project, _ = create_finetune_project("finetune-text", base=str(run), data=reviews, target="sentiment",
                                         out=work / "again.mwproj", strategy="head", seq_len=16)
    continued = compile_graph(project.graph)
    trained = load_trained_run(run).model
    ids = torch.randint(1, 30000, (2, 16))
    with torch.no_grad():
        assert torch.allclose(continued["encoder"].eval()(ids), trained["encoder"](ids), atol=1e-5)
    # the new native head only (pooler 384x384 + 384, classifier 384 + 1): the encoder is frozen
    assert count_parameters(continued)[0] == 384 * 384 + 384 + 385


# --- tiny local Hugging Face folders -------------------------------------------------------------


@pytest.fixture(scope="module")
def bert_folder(work) -> Path:
    return tiny_bert(work / "tiny-bert")


@pytest.fixture(scope="module")
def gpt2_folder(work) -> Path:
    return tiny_gpt2(work / "tiny-gpt2")


def test_a_local_gpt2_folder_is_continued_on_a_text_file_and_exported(gpt2_folder, work):
    from app.core.export import export_run
    from app.core.finetune.offline import transformers
    from app.core.train.api import evaluate_run, train_project

    text = corpus_text(work / "corpus.txt")
    project, _ = create_finetune_project("finetune-lm", base=str(gpt2_folder), data=text, target=None,
                                         out=work / "lm.mwproj", seq_len=32,
                                         training={"epochs": 2, "batch_size": 8, "optimizer": {"lr": 5e-3}})
    assert [n.type for n in project.graph.nodes] == ["io.input", "pretrained.causal_lm", "io.output"]
    run = train_project(work / "lm.mwproj", out=work / "run-lm")
    rows = [r.split(",") for r in (run / "metrics.csv").read_text().splitlines()[1:]]
    assert float(rows[-1][3]) < float(rows[0][3])  # validation loss falls
    assert evaluate_run(run)["perplexity"] < 300  # far below guessing among ~300 tokens
    result = export_run(run, "hf", work / "hf-lm")
    model = transformers().AutoModelForCausalLM.from_pretrained(str(result.path), local_files_only=True).eval()
    from app.core.export.trained import load_trained_run

    ids = torch.randint(0, 300, (2, 20))
    with torch.no_grad():
        assert torch.allclose(model(input_ids=ids).logits, load_trained_run(run).model(ids), atol=1e-5)


def test_a_local_bert_folder_classifies_with_freeze_n_and_discriminative_rates(bert_folder, work, reviews):
    from app.core.graph.compiler import compile_graph
    from app.core.train.config import OptimizerConfig
    from app.core.train.optim import build_optimizer

    project, _ = create_finetune_project("finetune-text", base=str(bert_folder), data=reviews, target="sentiment",
                                         out=work / "bert.mwproj", strategy="freeze_n", seq_len=16,
                                         options={"freeze_blocks": 1, "lr_scale": 0.5, "lr_decay": 0.5})
    model = compile_graph(project.graph)
    named = dict(model.named_parameters())
    assert not named["encoder.backbone.embeddings.word_embeddings.weight"].requires_grad
    assert not named["encoder.backbone.encoder.layer.0.attention.self.query.weight"].requires_grad
    assert named["encoder.backbone.encoder.layer.1.attention.self.query.weight"].requires_grad
    optimizer = build_optimizer(model, OptimizerConfig(name="adamw", lr=1e-3, weight_decay=0.01))
    rate = {id(p): g["lr"] for g in optimizer.param_groups for p in g["params"]}
    assert rate[id(named["encoder.backbone.encoder.layer.1.attention.self.query.weight"])] == pytest.approx(5e-4)
    head = next(n.id for n in project.graph.nodes if n.type == "head.classifier")
    assert rate[id(named[f"{head}.weight"])] == pytest.approx(1e-3)
    assert id(named["encoder.backbone.encoder.layer.0.attention.self.query.weight"]) not in rate


def test_gradual_unfreezing_opens_one_block_per_epoch_from_the_top(bert_folder, work, reviews):
    from app.core.data import prepare
    from app.core.finetune.unfreezing import GradualUnfreezing
    from app.core.graph.compiler import compile_graph
    from app.core.project import load_project
    from app.core.train.config import TrainConfig
    from app.core.train.engine import Trainer

    create_finetune_project("finetune-text", base=str(bert_folder), data=reviews, target="sentiment",
                            out=work / "gradual.mwproj", strategy="gradual", seq_len=16)
    project = load_project(work / "gradual.mwproj")
    prepared = prepare(project.data, project.folder)
    model = compile_graph(project.graph)
    layer = dict(model.named_parameters())["encoder.backbone.encoder.layer.0.output.dense.weight"]
    before = layer.detach().clone()
    trainer = Trainer(model, TrainConfig.from_dict({**project.training, "epochs": 4}), task=prepared.info.task,
                      n_outputs=prepared.info.n_outputs)
    trainer.fit(prepared.train, prepared.val)
    unfreezer = next(cb for cb in trainer.callbacks if isinstance(cb, GradualUnfreezing))
    counts = [n for _, n in unfreezer.unfrozen_counts]
    assert counts == sorted(counts) and len(set(counts)) == 4  # more weights learn each epoch
    head, _ = count_parameters(model[next(n.id for n in project.graph.nodes if n.type == "head.classifier")])
    assert counts[0] == head
    assert not torch.equal(before, layer)  # block 0 unfroze in epoch 2 and learned


# --- pre-flight estimate -------------------------------------------------------------------------


def test_estimate_counts_memory_and_time_and_offers_fixes(lora_run, monkeypatch):
    from app.core.finetune import estimate
    from app.core.project import load_project

    project = load_project(lora_run[0])
    est = estimate.estimate_project(project, n_train=128, warmup_steps=1)
    assert est.trainable_parameters < 0.02 * est.parameters
    assert est.weights_bytes == 4 * est.parameters and est.gradients_bytes == 4 * est.trainable_parameters
    assert est.optimizer_bytes == 8 * est.trainable_parameters  # AdamW keeps two moments
    assert est.activations_bytes > 0 and est.tokens_per_step == 16 * 16
    assert est.steps_per_epoch == 8 and est.seconds_per_step > 0 and est.fits and not est.fixes
    monkeypatch.setattr(estimate, "device_free_bytes", lambda device: 100 * 2**20)
    tight = estimate.estimate_project(project, n_train=128, measure=False)
    assert not tight.fits and tight.seconds_per_step is None
    assert any("gradient checkpointing" in f for f in tight.fixes)
    assert "does NOT fit" in tight.describe()


def test_activation_memory_follows_the_strategy():
    from app.core.finetune.estimate import base_activation_numbers

    info = inspect_base("minilm")
    full = base_activation_numbers(info, {"strategy": "full"}, 16, 64)
    assert base_activation_numbers(info, {"strategy": "head"}, 16, 64) == 0
    assert base_activation_numbers(info, {"strategy": "freeze_n", "freeze_blocks": 3}, 16, 64) < full
    assert base_activation_numbers(info, {"strategy": "full", "gradient_checkpointing": True}, 16, 64) < full / 4
    assert base_activation_numbers(info, {"strategy": "full"}, 32, 64) == pytest.approx(2 * full, rel=0.01)


# --- refusals ------------------------------------------------------------------------------------


class _Exploit:
    """Unpickling this creates a marker file: the proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_malicious_pickle_is_refused_without_running_it(bert_folder, work, reviews):
    import shutil

    folder = work / "evil"
    shutil.copytree(bert_folder, folder)
    (folder / "model.safetensors").unlink()
    marker = work / "PWNED"
    with (folder / "pytorch_model.bin").open("wb") as f:
        pickle.dump({"bert.embeddings.word_embeddings.weight": _Exploit(marker)}, f)
    assert inspect_base(str(folder)).weights == "pickle"
    with pytest.raises(BaseModelError, match="could run code.*refused.*model.safetensors"):
        create_finetune_project("finetune-text", base=str(folder), data=reviews, target="sentiment",
                                out=work / "evil.mwproj")
    from app.core.finetune.builder import build_pretrained

    with pytest.raises(BaseModelError, match="refused"):
        build_pretrained({"base": str(folder), "strategy": "full", "pooling": "mean"}, causal=False)
    assert not marker.exists() and not (work / "evil.mwproj").exists()


def test_a_plain_pytorch_model_bin_loads_through_weights_only(bert_folder, work):
    import shutil

    from safetensors.torch import load_file

    from app.core.finetune.loading import load_backbone

    folder = work / "bin"
    shutil.copytree(bert_folder, folder)
    torch.save(load_file(str(folder / "model.safetensors")), folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    model = load_backbone(inspect_base(str(folder)), causal=False)
    reference = load_backbone(inspect_base(str(bert_folder)), causal=False)
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), reference.state_dict().values()))


@pytest.mark.parametrize("damage, message", [
    ("no-config", "has no config.json"),
    ("bad-json", "config.json' is damaged"),
    ("no-weights", "has no model weights"),
    ("truncated", "damaged or incomplete"),
    ("no-tokenizer", "has no tokenizer"),
])
def test_incomplete_or_damaged_folders_are_refused_with_the_reason(bert_folder, work, damage, message):
    import shutil

    folder = work / f"broken-{damage}"
    shutil.copytree(bert_folder, folder)
    if damage == "no-config":
        (folder / "config.json").unlink()
    elif damage == "bad-json":
        (folder / "config.json").write_text("{not json", encoding="utf-8")
    elif damage == "no-weights":
        (folder / "model.safetensors").unlink()
    elif damage == "truncated":
        data = (folder / "model.safetensors").read_bytes()
        (folder / "model.safetensors").write_bytes(data[: len(data) // 3])
    else:
        (folder / "tokenizer.json").unlink()
    with pytest.raises(BaseModelError, match=message):
        inspect_base(str(folder))


def test_a_missing_base_fails_at_once_without_the_network(work, reviews):
    start = time.perf_counter()
    with pytest.raises(BaseModelError, match="does not exist"):
        create_finetune_project("finetune-text", base="bert-base-uncased", data=reviews, target="sentiment",
                                out=work / "x.mwproj")
    assert time.perf_counter() - start < 5
    from app.core.finetune.offline import transformers

    transformers()
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_wrong_pairings_say_what_to_do(work, reviews, bert_folder, gpt2_folder):
    with pytest.raises(FinetuneError, match="needs --base"):
        create_finetune_project("finetune-lm", base=None, data=reviews, target=None, out=work / "a.mwproj")
    with pytest.raises(FinetuneError, match="plain text file"):
        create_finetune_project("finetune-lm", base=str(gpt2_folder), data=reviews, target=None, out=work / "a.mwproj")
    text = corpus_text(work / "c2.txt")
    with pytest.raises(FinetuneError, match="GPT-style base"):
        create_finetune_project("finetune-lm", base=str(bert_folder), data=text, target=None, out=work / "a.mwproj")
    with pytest.raises(FinetuneError, match="at most 64 tokens"):
        create_finetune_project("finetune-text", base=str(bert_folder), data=reviews, target="sentiment",
                                out=work / "a.mwproj", seq_len=128)
    assert not (work / "a.mwproj").exists()


def test_the_pretrained_tokenizer_round_trips_and_pads_with_the_pad_id():
    from app.core.data.tokenizers import tokenizer_from_dict
    from app.core.finetune.tokenizer import PretrainedTokenizer

    tok = PretrainedTokenizer.from_base("minilm")
    ids = tok.encode_padded(["a fine film", "word " * 40], 8)
    assert ids[0].tolist()[:2] == [101, 1037] and ids[0, -1] == 0  # [CLS] a ... padded with [PAD]=0
    assert ids[1, -1] == 102  # a long text is cut but keeps its closing [SEP]
    again = tokenizer_from_dict(json.loads(json.dumps(tok.to_dict())))
    assert torch.equal(again.encode_padded(["a fine film"], 8), ids[:1])
    assert again.decode(ids[0].tolist()) == "a fine film"


def test_torchscript_export_with_predict_py_reads_text_with_the_base_tokenizer(full_run, work):
    import subprocess
    import sys

    from app.core.export import export_run

    result = export_run(full_run[1], "torchscript", work / "ts")
    assert result.parity.passed
    new = work / "to-predict.csv"
    new.write_text("review,note\nwhat a wonderful and superb film,a\nthe plot was dreadful and boring,b\n",
                   encoding="utf-8")
    out = work / "ts-pred.csv"
    done = subprocess.run([sys.executable, str(result.path / "predict.py"), str(new), str(out)],
                          capture_output=True, text=True, timeout=120, cwd=work)
    assert done.returncode == 0, done.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[2] for r in rows[1:]] == ["positive", "negative"]
