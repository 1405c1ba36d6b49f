"""Tiny trained runs of every template (shared by the export tests) and their parity checks.

Each run is built once per test process through the real pipeline (inspect the data,
prepare it, size the template, train 1 epoch) and reused by every export test.
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from app.core.export import export_run
from app.core.export.trained import load_trained_run

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TEMPLATES = ("keras-seed", "mlp", "cnn", "lstm-text", "transformer-text", "gpt")
FORMATS = ("pytorch", "torchscript", "onnx", "safetensors")
#: The largest difference each format may show against the trained model (fp32).
TOLERANCE = {"pytorch": 1e-5, "torchscript": 1e-5, "onnx": 1e-4, "safetensors": 0.0}
_WORK = Path(tempfile.mkdtemp(prefix="mw-export-tests-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)

# Small sizes so each run trains in about a second.
_OPTIONS = {
    "keras-seed": {},
    "mlp": {"hidden": [16]},
    "cnn": {"channels": [4, 8]},
    "lstm-text": {"embedding_dim": 16, "hidden_size": 16},
    "transformer-text": {"d_model": 16, "n_layer": 1, "n_head": 2, "dim_feedforward": 32},
    "gpt": {"n_layer": 2, "n_embd": 16, "n_head": 2},
}


def make_images(root: Path) -> Path:
    """Two classes of 10x12 RGB pictures, dark and bright."""
    rng = np.random.default_rng(0)
    for c, name in enumerate(("dark", "bright")):
        (root / name).mkdir(parents=True)
        for i in range(8):
            pixels = rng.integers(0, 100, (10, 12, 3)) + (140 if c else 0)
            Image.fromarray(pixels.astype(np.uint8)).save(root / name / f"{i}.png")
    return root


def _data_config(template: str, folder: Path):
    from app.core.data import inspect_source, synthetic_config

    if template == "keras-seed":
        return synthetic_config("keras-seed", n_samples=120)
    if template == "mlp":
        return inspect_source(ROOT / "resources" / "examples" / "iris" / "iris.csv", target="species")
    if template == "cnn":
        return inspect_source(make_images(folder / "images"))
    if template == "gpt":
        config = inspect_source(DATA / "hamlet.txt")
        d = config.to_dict()
        d["text"].update(seq_len=16, windows_per_epoch=64)
        return type(config).from_dict(d)
    return inspect_source(DATA / "reviews.csv")


@functools.lru_cache(maxsize=None)
def trained_run(template: str) -> Path:
    """The run directory of a 1-epoch run of ``template`` on tiny data (built once per process)."""
    from app.core.data import prepare
    from app.core.graph.templates import build_template_graph, template_training_defaults
    from app.core.project import Project, save_project
    from app.core.train.api import train_project

    folder = _WORK / template
    folder.mkdir()
    config = _data_config(template, folder)
    info = prepare(config, folder).info
    graph = build_template_graph(template, info, **_OPTIONS[template])
    training = template_training_defaults(template, info)
    training.update(epochs=1, batch_size=16)
    training.get("scheduler", {}).pop("warmup_steps", None)
    project = Project(name=f"tiny {template}", graph=graph, data=config.to_dict(), training=training, path=None)
    save_project(project, folder / "tiny.mwproj")
    return train_project(folder / "tiny.mwproj", out=folder / "run", overrides={"epochs": 2})


@functools.lru_cache(maxsize=None)
def exported(template: str, fmt: str) -> Path:
    out = _WORK / template / f"export-{fmt}"
    export_run(trained_run(template), fmt, out)
    return out


# A script run with -I -S: site-packages are added by hand, so the editable install's path
# hook never runs and 'app' is not importable, as on a machine without Modelwright.
# Arguments: site-packages, then export folders; each folder's parent holds inputs.safetensors.
_ISOLATED = r"""
import sys
sys.path.append(sys.argv[1])
import importlib.util
assert importlib.util.find_spec("app") is None, "Modelwright must not be importable here"
import json
from pathlib import Path
import torch
from safetensors.torch import load_file, save_file

for n, name in enumerate(sys.argv[2:]):
    folder = Path(name)
    fmt = json.loads((folder / "export.json").read_text())["format"]
    manifest = json.loads((folder / "export.json").read_text())
    inputs = load_file(str(folder.parent / "inputs.safetensors"))
    cases = sorted({k.split("_")[0] for k in inputs})
    args = {c: [inputs[k] for k in sorted(inputs) if k.startswith(c + "_")] for c in cases}
    if fmt == "pytorch":
        spec = importlib.util.spec_from_file_location(f"generated_{n}", folder / "model.py")
        generated = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(generated)
        net = getattr(generated, manifest["class_name"])()
        net.load_state_dict(load_file(str(folder / "model.safetensors")), strict=True)
        net.eval()
        run = lambda xs: net(*xs)
    elif fmt == "torchscript":
        net = torch.jit.load(str(folder / "model.pt"))
        run = lambda xs: net(*xs)
    elif fmt == "onnx":
        import onnxruntime as ort
        session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]
        run = lambda xs: torch.from_numpy(session.run(None, {n: x.numpy() for n, x in zip(names, xs)})[0])
    else:
        weights = load_file(str(folder / "model.safetensors"))
        arch = json.loads((folder / "architecture.json").read_text())
        assert set(arch["weights"]) == set(weights), "architecture.json lists other weights than the file holds"
        save_file(weights, str(folder / "reloaded.safetensors"))
        continue
    with torch.no_grad():
        outputs = {c: run(args[c]).contiguous() for c in cases}
    save_file(outputs, str(folder / "reloaded.safetensors"))
"""


def run_isolated(script: str, *args, cwd: Path, timeout: int = 180) -> subprocess.CompletedProcess:
    """Run ``script`` in a fresh interpreter where only the venv's packages are importable."""
    path = cwd / "isolated_check.py"
    path.write_text(script, encoding="utf-8")
    purelib = sysconfig.get_paths()["purelib"]
    env = {"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1", "HOME": str(cwd)}
    return subprocess.run([sys.executable, "-I", "-S", str(path), purelib, *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, env=env)


@functools.lru_cache(maxsize=None)
def reloaded_everywhere() -> str:
    """Export every template in every format and reload them all in one process without Modelwright."""
    from safetensors.torch import save_file

    folders = []
    for template in TEMPLATES:
        run = load_trained_run(trained_run(template))
        cases = run.sample_inputs(seed=123)
        save_file({f"c{i}_{j}": t.contiguous() for i, c in enumerate(cases) for j, t in enumerate(c.tensors)},
                  str(_WORK / template / "inputs.safetensors"))
        folders += [exported(template, fmt) for fmt in FORMATS]
    result = run_isolated(_ISOLATED, *folders, cwd=_WORK)
    return result.stderr if result.returncode else ""


@pytest.mark.slow
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_format_reloads_without_modelwright_and_matches_the_trained_model(template):
    from safetensors.torch import load_file

    failure = reloaded_everywhere()
    assert not failure, failure[-3000:]
    run = load_trained_run(trained_run(template))
    cases = run.sample_inputs(seed=123)
    expected = run.reference_outputs(cases)
    for fmt in FORMATS:
        folder = exported(template, fmt)
        manifest = json.loads((folder / "export.json").read_text(encoding="utf-8"))
        assert manifest["parity"]["passed"] and manifest["parity"]["max_abs_diff"] <= TOLERANCE[fmt]
        outputs = load_file(str(folder / "reloaded.safetensors"))
        if fmt == "safetensors":
            assert set(outputs) == set(run.state_dict)
            for key, value in run.state_dict.items():
                assert torch.equal(outputs[key], value), key
            continue
        assert len(outputs) == len(cases)
        for i, want in enumerate(expected):
            got = outputs[f"c{i}"]
            assert got.shape == want.shape, f"{fmt}, {cases[i].label}"
            diff = (got.float() - want).abs().max().item()
            assert diff <= TOLERANCE[fmt], f"{fmt} differs by {diff} on {cases[i].label}"
