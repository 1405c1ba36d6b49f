"""Export behaviour a user relies on: readable code, clear refusals, nothing half-written,
the model card, and predict.py giving the same predictions as the app."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pandas as pd
import pytest
import torch
from PIL import Image

from app.core.export import (
    ExportError,
    ParityCheck,
    ParityError,
    UnsupportedLayerError,
    export_run,
    exporter_names,
    get_exporter,
)
from app.core.export.formats.onnx import OnnxExporter
from app.core.export.layer_code import EMITTERS
from app.core.export.pytorch_code import class_name_for, python_literal
from app.core.graph.registry import layer_specs
from app.core.progress import Cancelled
from tests.core.test_export_runs import ROOT, _WORK, exported, run_isolated, trained_run

IRIS = ROOT / "resources" / "examples" / "iris" / "iris.csv"


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".partial") or ".old-" in p.name]


def test_formats_are_listed_in_the_documented_order():
    assert exporter_names() == ["pytorch", "torchscript", "onnx", "safetensors", "hf", "torchrun", "peft", "gguf"]
    with pytest.raises(ExportError, match="Unknown export format 'tflite'.*pytorch"):
        get_exporter("tflite")


def test_every_built_in_layer_has_a_code_writer():
    # Pretrained bases leave as Hugging Face folders (format hf), not as generated source.
    missing = [
        s.type_id
        for s in layer_specs()
        if s.type_id not in EMITTERS and not s.type_id.startswith(("io.", "pretrained."))
    ]
    assert missing == []


def test_generated_code_reads_like_hand_written_pytorch():
    source = (exported("mlp", "pytorch") / "model.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert "import app" not in source and "from app" not in source
    assert "Modelwright" in ast.get_docstring(tree)  # says where it came from, and how to use it
    assert "model.load_state_dict(load_file(\"model.safetensors\"))" in source
    assert "self.dense_1 = nn.Linear(4, 16)" in source
    assert "x = torch.relu(self.dense_1(x))  # (B, 16)" in source
    assert "CLASS_NAMES = ['setosa', 'versicolor', 'virginica']" in source
    assert "'scaling': {" in source and "'center':" in source  # scaler constants as plain data
    assert max(len(line) for line in source.splitlines()) <= 110


def test_generated_gpt_code_carries_its_own_layers_and_the_weight_tying():
    source = (exported("gpt", "pytorch") / "model.py").read_text(encoding="utf-8")
    for helper in ("class GPTBlock(nn.Module)", "class CausalSelfAttention(nn.Module)", "class LearnedPositional"):
        assert helper in source
    assert "self.lm_head.weight = self.tok_emb.weight" in source
    assert "VOCAB = [" in source and "SEQ_LEN = 16" in source


def test_class_names_come_from_the_project_name():
    assert class_name_for("iris flowers") == "IrisFlowersModel"
    assert class_name_for("3d scans") == "Model3dScansModel"
    assert class_name_for("图像") == "ExportedModel"


def test_long_constants_stay_valid_python():
    vocab = ["<pad>", "<unk>", " ", "'", '"', "a b"] * 40
    assert eval(python_literal(vocab, 8)) == vocab


def _project_with_layer(tmp_path: Path, type_id: str) -> Path:
    """A one-epoch run on iris whose network has a layer of ``type_id`` after the input."""
    from app.core.data import inspect_source
    from app.core.graph.graph import Graph
    from app.core.project import Project, save_project
    from app.core.train.api import train_project

    graph = Graph()
    graph.add_node("io.input", {"kind": "vector", "shape": [4]}, id="input")
    graph.add_node(type_id, {}, id="odd_scale")
    graph.add_node("head.classifier", {"num_classes": 3}, id="head")
    graph.add_node("io.output", id="output")
    graph.connect("input", "odd_scale")
    graph.connect("odd_scale", "head")
    graph.connect("head", "output")
    training = {"epochs": 1, "batch_size": 32, "optimizer": {"name": "adam", "lr": 0.01},
                "loss": {"name": "cross_entropy"}, "metrics": ["accuracy"]}
    project = Project(name="odd", graph=graph, data=inspect_source(IRIS, target="species").to_dict(),
                      training=training, path=None)
    save_project(project, tmp_path / "odd.mwproj")
    return train_project(tmp_path / "odd.mwproj", out=tmp_path / "run")


class _OddScale(torch.nn.Module):
    """Uses erfinv (no ONNX form) and the batch's values read back as Python numbers (which a
    trace freezes into the file)."""

    def forward(self, x):
        return torch.erfinv(torch.tanh(x) * 0.5) / (1 + torch.tensor(x.tolist()).abs().max())


@pytest.fixture
def odd_layer():
    from app.core.graph import registry
    from app.core.graph.registry import LayerSpec, no_flops, no_params, register_layer

    spec = register_layer(LayerSpec(
        type_id="test.scale_by_max", display_name="Scale by max", category="Test",
        description="Divides by the largest value in the batch.", params=(),
        shape_rule=lambda params, inputs: inputs[0], build=lambda params, inputs: _OddScale(),
        count_params=no_params, count_flops=no_flops, id_prefix="scale",
    ))
    yield spec
    registry._SPECS.pop(spec.type_id, None)


@pytest.mark.slow
def test_layers_that_do_not_convert_are_named_and_nothing_is_written(tmp_path, odd_layer):
    run = _project_with_layer(tmp_path, odd_layer.type_id)
    with pytest.raises(UnsupportedLayerError, match=r"'odd_scale' \(Scale by max\): the operation "
                                                    r"prims.erf_inv has no ONNX form") as info:
        export_run(run, "onnx", tmp_path / "onnx")
    assert [n for n, _, _ in info.value.layers] == ["odd_scale"]
    with pytest.raises(UnsupportedLayerError, match=r"cannot be written as PyTorch code yet: 'odd_scale' \(Scale by max\)"):
        export_run(run, "pytorch", tmp_path / "code")
    # Tracing freezes the batch's maximum into the file: the parity check catches it.
    with pytest.raises(ParityError, match="does not match the trained model.*FAILED") as failed:
        export_run(run, "torchscript", tmp_path / "script")
    assert failed.value.check.max_abs_diff > 1e-5
    assert not any((tmp_path / name).exists() for name in ("onnx", "code", "script"))
    assert _leftovers(tmp_path) == []


def test_onnx_refuses_layer_types_known_not_to_convert(monkeypatch):
    from app.core.export.formats import onnx as onnx_format
    from app.core.export.trained import load_trained_run

    monkeypatch.setitem(onnx_format.NOT_CONVERTIBLE, "rnn.lstm", "no ONNX form in this test")
    run = load_trained_run(trained_run("lstm-text"))
    with pytest.raises(UnsupportedLayerError, match=r"'lstm_1' \(LSTM\): no ONNX form in this test"):
        OnnxExporter().check(run)


def test_hf_refuses_designer_models_with_the_formats_that_fit(tmp_path):
    run = trained_run("mlp")
    with pytest.raises(ExportError, match="hf format is for fine-tuned Hugging Face models.*pytorch, onnx or safetensors"):
        export_run(run, "hf", tmp_path / "hf")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_destination_fails_cleanly(tmp_path):
    blocker = tmp_path / "a-file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError, match="Cannot write the export to"):
        export_run(trained_run("mlp"), "pytorch", blocker / "export")
    with pytest.raises(ExportError, match="is a file"):
        export_run(trained_run("mlp"), "pytorch", blocker)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file.txt"]


def test_a_failed_parity_check_or_a_cancel_leaves_nothing_behind(tmp_path, monkeypatch):
    from app.core.export.formats.torchscript import TorchScriptExporter

    monkeypatch.setattr(TorchScriptExporter, "verify",
                        lambda self, run, folder, cases, expected: ParityCheck("test", 0.5, 1e-5, ["a batch of 3"]))
    with pytest.raises(ParityError, match="max abs diff 0.5"):
        export_run(trained_run("mlp"), "torchscript", tmp_path / "ts")

    def cancel_when_writing(fraction, message):
        if fraction > 0.05:
            raise Cancelled()

    with pytest.raises(Cancelled):
        export_run(trained_run("mlp"), "pytorch", tmp_path / "code", progress=cancel_when_writing)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_export_is_replaced_only_when_asked(tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "old.txt").write_text("keep me")
    with pytest.raises(ExportError, match="already exists and is not empty"):
        export_run(trained_run("mlp"), "safetensors", out)
    assert (out / "old.txt").exists()
    with pytest.raises(ExportError, match="not written by a Modelwright export"):
        export_run(trained_run("mlp"), "safetensors", out, overwrite=True)  # only an earlier export is replaced
    assert (out / "old.txt").exists()
    (out / "export.json").write_text('{"producer": "Modelwright"}')
    result = export_run(trained_run("mlp"), "safetensors", out, overwrite=True)
    assert not (out / "old.txt").exists() and (out / "model.safetensors").exists()
    assert result.parity.passed and result.parity.max_abs_diff == 0.0
    assert _leftovers(tmp_path) == []


def test_model_card_describes_data_architecture_training_and_parity():
    folder = exported("mlp", "onnx")
    card = (folder / "README.md").read_text(encoding="utf-8")
    for heading in ("## Parity check", "## Data", "## Architecture", "## Training", "### Final metrics"):
        assert heading in card
    assert "onnxruntime" in card and "passed" in card
    assert "| dense_1 | Dense (Linear) | (B, 16) |" in card
    assert "setosa, versicolor, virginica" in card and "sepal_length" in card
    assert "val_accuracy" in card and "![Loss curve](loss_curve.png)" in card
    with Image.open(folder / "loss_curve.png") as png:
        assert png.format == "PNG" and png.size == (720, 420)
        colours = {c for _, c in png.convert("RGB").getcolors(1 << 16)}
    assert (31, 119, 180) in colours and (255, 127, 14) in colours  # both loss lines are drawn
    manifest = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    assert manifest["parity"]["passed"] and manifest["format"] == "onnx"
    assert set(manifest["files"]) >= {"model.onnx", "predict.py", "preprocessing.json", "README.md"}


_PREDICT_ALL = r"""
import runpy, sys
sys.path.append(sys.argv[1])
import importlib.util
assert importlib.util.find_spec("app") is None
for folder, source, out in zip(*[iter(sys.argv[2:])] * 3):
    sys.argv = ["predict.py", source, out, "--tokens", "12"]
    try:
        runpy.run_path(folder + "/predict.py", run_name="__main__")
    except SystemExit as exc:
        if exc.code:
            raise
"""


@pytest.mark.slow
def test_predict_py_gives_the_apps_predictions_without_modelwright(tmp_path):
    from app.core.train.api import predict_run

    images = _WORK / "cnn" / "images"
    reviews = ROOT / "tests" / "data" / "reviews.csv"
    jobs = [("mlp", "pytorch", IRIS), ("mlp", "onnx", IRIS), ("cnn", "torchscript", images),
            ("transformer-text", "onnx", reviews), ("lstm-text", "torchscript", reviews)]
    args = []
    for template, fmt, source in jobs:
        args += [exported(template, fmt), source, tmp_path / f"{template}-{fmt}.csv"]
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("To be, or not", encoding="utf-8")
    args += [exported("gpt", "onnx"), prompt, tmp_path / "continued.txt"]
    result = run_isolated(_PREDICT_ALL, *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]

    for template, fmt, source in jobs:
        bundle = pd.read_csv(tmp_path / f"{template}-{fmt}.csv")
        app = pd.read_csv(predict_run(trained_run(template), source, tmp_path / f"app-{template}-{fmt}.csv"))
        if template == "cnn":  # the app's table also has the label column; match rows by file
            assert len(bundle) == 16
            bundle = bundle.set_index("path").loc[app["path"]].reset_index()
        assert list(bundle["prediction"]) == list(app["prediction"]), f"{template} {fmt}"
        probs = [c for c in app.columns if c.startswith("prob_")]
        assert probs and probs == [c for c in bundle.columns if c.startswith("prob_")]
        assert (bundle[probs] - app[probs]).abs().to_numpy().max() < 1e-4
    continued = (tmp_path / "continued.txt").read_text(encoding="utf-8")
    assert continued.startswith("To be, or not") and len(continued) > len("To be, or not")


def test_predict_py_replaces_its_output_only_when_the_whole_file_is_written(tmp_path):
    from app.core.export.standalone_predict import write_atomically

    out = tmp_path / "predictions.csv"
    out.write_text("previous predictions\n")

    def dies_halfway(path):
        Path(path).write_text("prediction\n1\n")
        raise KeyboardInterrupt  # the user pressed Ctrl+C while it wrote

    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, dies_halfway)
    assert out.read_text() == "previous predictions\n" and os.listdir(tmp_path) == ["predictions.csv"]
    write_atomically(out, lambda path: Path(path).write_text("prediction\n2\n"))
    assert out.read_text() == "prediction\n2\n" and os.listdir(tmp_path) == ["predictions.csv"]
