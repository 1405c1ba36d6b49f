"""Property-based fuzzing of the project loader: whatever JSON a file holds, loading it gives a
project or one of the app's own errors (with a message), never a crash."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.data.info import DataInfo
from app.core.errors import ModelwrightError
from app.core.graph.templates import build_template_graph, template_training_defaults
from app.core.project import load_project, project_from_dict

ROOT = Path(__file__).resolve().parents[2]

scalars = (st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
           | st.sampled_from(["", "auto", "core.linear", "io.input", "../../etc/passwd", "vector", "-1", "1e9"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=10)


def _seeds() -> list[dict]:
    """Valid projects of several shapes: the bundled examples and graphs from templates."""
    raws = [json.loads((ROOT / "resources" / "examples" / name / f"{name}.mwproj").read_text(encoding="utf-8"))
            for name in ("iris", "gpt")]
    image = DataInfo("image", (1, 8, 8), "classification", 3, class_names=("a", "b", "c"))
    tokens = DataInfo("tokens", (8,), "classification", 2, vocab_size=20, class_names=("a", "b"))
    for template, info in (("cnn", image), ("lstm-text", tokens), ("transformer-text", tokens)):
        raws.append({"format": "modelwright-project", "version": 1, "name": template, "data": raws[0]["data"],
                     "graph": build_template_graph(template, info).to_dict(),
                     "training": template_training_defaults(template, info), "finetune": None})
    return raws


SEEDS = _seeds()


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _paths(value, prefix + (i,))


def _load(raw) -> None:
    try:
        project = project_from_dict(raw)
    except ModelwrightError as exc:
        assert str(exc).strip(), f"{type(exc).__name__} without a message"
        return
    project.to_dict()  # a loaded project can always be written back


def test_the_seeds_are_valid_projects():
    for raw in SEEDS:
        project_from_dict(copy.deepcopy(raw))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(json_values)
def test_arbitrary_json_is_refused_with_a_message(value):
    _load(value)
    _load({"format": "modelwright-project", "version": 1, "graph": value, "training": value, "data": value})


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mutated_projects_load_or_are_refused_with_a_message(data):
    raw = copy.deepcopy(data.draw(st.sampled_from(SEEDS)))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(list(_paths(raw))[1:]))
        parent = raw
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and data.draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(json_values)
    _load(raw)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_in_a_file_are_refused_with_a_message(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "fuzzed.mwproj"
    path.write_bytes(content)
    try:
        load_project(path)
    except ModelwrightError as exc:
        assert path.name in str(exc) or "Modelwright" in str(exc)
