"""The project file: save/load round trip, validation messages, migrations, atomic saves."""

import json

import pytest

from app.core import project as project_module
from app.core.data.info import DataInfo
from app.core.graph.templates import build_template_graph, template_training_defaults
from app.core.project import Project, ProjectError, load_project, save_project

INFO = DataInfo(input_kind="vector", input_shape=(4,), task="classification", n_outputs=3, class_names=("a", "b", "c"))


def make_project(tmp_path, name="demo"):
    graph = build_template_graph("mlp", INFO)
    training = template_training_defaults("mlp", INFO)
    data = {
        "source": {"kind": "table", "path": str(tmp_path / "data.csv")},
        "columns": [
            {"name": "x1", "type": "numeric", "role": "feature"},
            {"name": "y", "type": "categorical", "role": "target"},
        ],
    }
    return Project(name=name, graph=graph, data=data, training=training)


def write_raw(path, raw):
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_save_then_load_gives_the_same_project(tmp_path):
    (tmp_path / "data.csv").write_text("x1,x2,x3,x4,y\n1,2,3,4,a\n")
    original = make_project(tmp_path)
    path = save_project(original, tmp_path / "demo.mwproj")
    loaded = load_project(path)
    assert loaded.name == "demo"
    assert loaded.graph.to_dict() == original.graph.to_dict()
    assert loaded.training == original.training
    # the data file sits beside the project, so the path is stored relative and still resolves
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["data"]["source"]["path"] == "data.csv"
    assert raw["format"] == "modelwright-project" and raw["version"] == project_module.CURRENT_VERSION
    assert loaded.data_path() == (tmp_path / "data.csv").resolve()


def test_save_as_to_another_folder_keeps_the_data_reachable(tmp_path):
    (tmp_path / "data.csv").write_text("x\n1\n")
    project = make_project(tmp_path)
    save_project(project, tmp_path / "demo.mwproj")
    other = tmp_path / "elsewhere"
    other.mkdir()
    save_project(project, other / "copy.mwproj")
    assert load_project(other / "copy.mwproj").data_path() == (tmp_path / "data.csv").resolve()


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON (line 1"),
        ("[1, 2]", "not an object"),
        ('{"format": "something-else", "version": 1}', "not a Modelwright project"),
        ('{"format": "modelwright-project", "version": "one"}', "invalid 'version'"),
        ('{"format": "modelwright-project", "version": 1, "name": "x", "training": {}}', "missing its 'graph' section"),
    ],
)
def test_malformed_files_are_refused_with_the_reason(tmp_path, content, message):
    path = tmp_path / "bad.mwproj"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProjectError, match=message.replace("(", r"\(")):
        load_project(path)


def test_binary_garbage_and_missing_files_are_refused(tmp_path):
    garbage = tmp_path / "garbage.mwproj"
    garbage.write_bytes(b"\xff\xfe\x00\x81" * 50)
    with pytest.raises(ProjectError, match="not UTF-8"):
        load_project(garbage)
    with pytest.raises(ProjectError, match="not found"):
        load_project(tmp_path / "missing.mwproj")


def test_a_newer_version_is_refused_with_a_clear_message(tmp_path):
    raw = make_project(tmp_path).to_dict()
    raw["version"] = project_module.CURRENT_VERSION + 1
    with pytest.raises(ProjectError, match="newer Modelwright"):
        load_project(write_raw(tmp_path / "future.mwproj", raw))


def test_an_invalid_graph_names_the_problem(tmp_path):
    raw = make_project(tmp_path).to_dict()
    raw["graph"]["nodes"][1]["type"] = "core.no_such_layer"
    with pytest.raises(ProjectError, match="no_such_layer"):
        load_project(write_raw(tmp_path / "bad_graph.mwproj", raw))


def test_old_versions_are_migrated_through_the_chain(tmp_path, monkeypatch):
    """Pretend the current format is version 2, which renamed 'training' from 'train_settings'."""
    current = make_project(tmp_path).to_dict()
    old = dict(current)
    old["version"] = 1
    old["train_settings"] = old.pop("training")

    def v1_to_v2(raw):
        raw["training"] = raw.pop("train_settings")
        return raw

    monkeypatch.setattr(project_module, "CURRENT_VERSION", 2)
    monkeypatch.setitem(project_module.MIGRATIONS, 1, v1_to_v2)
    loaded = load_project(write_raw(tmp_path / "old.mwproj", old))
    assert loaded.training == current["training"]
    assert loaded.to_dict()["version"] == 2


def test_a_version_without_a_migration_is_refused(tmp_path, monkeypatch):
    raw = make_project(tmp_path).to_dict()
    monkeypatch.setattr(project_module, "CURRENT_VERSION", 3)
    with pytest.raises(ProjectError, match="cannot be upgraded"):
        load_project(write_raw(tmp_path / "old.mwproj", raw))


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    path = save_project(project, tmp_path / "demo.mwproj")
    before = path.read_bytes()

    monkeypatch.setattr(project_module.Project, "to_dict", lambda self: {"graph": object()})
    with pytest.raises(TypeError):
        save_project(project, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
