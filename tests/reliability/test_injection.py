"""No project text ever becomes code: a red-team corpus against every export of a table run.

Each hostile value is placed at once in the project name, in a class label and in a column
name of a tiny table; the run is trained once (1 epoch) and exported to every format that
fits (pytorch, torchscript, onnx, safetensors, the torchrun bundle). Then what a user does
next is done for real: ``model.py`` imported and ``predict.py`` run in a fresh interpreter
without Modelwright, ``launch.sh`` run with a stand-in torchrun. Every hostile value tries to
create its own marker file; none may ever appear. The generated files must parse (``ast``,
``bash -n``), keep the text as plain data, and the model card must show it, escaped.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.cli import main
from app.core.export.escape import markdown_code, markdown_text, one_line, python_comment, python_string, shell_word
from tests.core.test_export_runs import run_isolated
from tests.reliability.corpus import _valid_project

#: Each value tries to run ``touch MARK`` (MARK: the case's own marker file) from a
#: different place: a docstring, a comment, a shell line, Markdown/HTML of the model card.
HOSTILE = {
    "docstring-escape": '\\"""; __import__("os").system("touch MARK") #',
    "docstring-close": '"""if __import__("os").system("touch MARK") else """',
    "newline": 'x\ntouch MARK\n__import__("os").system("touch MARK") #',
    "carriage-return": 'x\r__import__("os").system("touch MARK")\r# heading\rtouch MARK',
    "line-separator": 'x\u2028touch MARK\u2029__import__("os").system("touch MARK") #',
    "command-substitution": "$(touch MARK)",
    "backticks": "`touch MARK`",
    "single-quotes": "'; touch MARK; '",
    "html": "<script>fetch('MARK')</script><img src=x onerror=\"alert('MARK')\">",
    "links": "[click](javascript:alert('MARK')) ![i](javascript:x) <https://evil.example> www.evil.example",
    "code-fence": "```\n# Injected heading\n<b>MARK</b>\n```",
    "escapes-and-controls": "\\N{BULLET}\\x MARK\x1b[2J\t\u202e\x00evil\\",
}
CODE_FORMATS = ("pytorch", "torchscript", "onnx")  # formats with predict.py beside the model
FORMATS = (*CODE_FORMATS, "safetensors", "torchrun")


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("injection")


def marker(area: Path, case: str) -> Path:
    return area / f"MARK-{case}"


def hostile(area: Path, case: str) -> str:
    return HOSTILE[case].replace("MARK", str(marker(area, case)))


def no_marker(area: Path) -> list[str]:
    return sorted(p.name for p in area.rglob("MARK*"))


@pytest.fixture(scope="module")
def runs(area) -> dict[str, Path]:
    """One trained run per hostile value (named with it, labelled with it, a column named with it)."""
    rng = np.random.default_rng(0)
    made = {}
    for case in HOSTILE:
        text, folder = hostile(area, case), area / case
        folder.mkdir()
        frame = pd.DataFrame({text: rng.random(24), "b": rng.random(24), "label": [text, "plain"] * 12})
        frame.to_parquet(folder / "data.parquet")  # keeps any column name and label exactly
        assert main(["new", "--template", "mlp", "--data", str(folder / "data.parquet"), "--target", "label",
                     "--out", str(folder / "p.mwproj")]) == 0
        project = json.loads((folder / "p.mwproj").read_text(encoding="utf-8"))
        project["name"] = text
        (folder / "p.mwproj").write_text(json.dumps(project), encoding="utf-8")
        assert main(["train", str(folder / "p.mwproj"), "--epochs", "1", "--out", str(folder / "run")]) == 0
        made[case] = folder / "run"
    return made


@pytest.fixture(scope="module")
def exports(area, runs) -> dict[str, dict]:
    """Every run exported to every format through ``main.py export``: per case, the exit code
    and folder of each format, and whether the case's marker appeared while exporting.

    ONNX is exported for two runs only: it is slow, and the project text reaches it only
    through the model card and predict.py, which every other format shares.
    """
    done = {}
    for case, run in runs.items():
        folders, codes = {}, {}
        for fmt in FORMATS:
            if fmt == "onnx" and case not in ("docstring-escape", "code-fence"):
                continue
            folders[fmt] = area / case / f"export-{fmt}"
            codes[fmt] = main(["export", str(run), "--format", fmt, "--out", str(folders[fmt])])
        done[case] = {"folders": folders, "codes": codes, "marker": marker(area, case).exists()}
        marker(area, case).unlink(missing_ok=True)  # later steps start clean
    return done


def _folder(exports, case: str, fmt: str) -> Path:
    if exports[case]["codes"][fmt] != 0:
        pytest.fail(f"the {fmt} export of '{case}' failed (exit {exports[case]['codes'][fmt]})")
    return exports[case]["folders"][fmt]


@pytest.mark.parametrize("case", HOSTILE)
def test_every_format_exports_and_runs_no_project_text(exports, case):
    assert exports[case]["codes"] == {fmt: 0 for fmt in exports[case]["folders"]}
    assert not exports[case]["marker"], "exporting ran the project's text as a command"


@pytest.mark.parametrize("case", HOSTILE)
def test_generated_files_parse_and_hold_the_text_only_as_data(area, exports, case):
    path = str(marker(area, case))  # class names may keep the letters of the text, never the path
    for fmt in exports[case]["folders"]:
        folder = _folder(exports, case, fmt)
        for script in folder.rglob("*.py"):
            if "modelwright" not in script.relative_to(folder).parts:  # the copied core is not generated
                ast.parse(script.read_text(encoding="utf-8"), str(script))
        for script in folder.rglob("*.sh"):
            check = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=30)
            assert check.returncode == 0, check.stderr
            assert path not in script.read_text(encoding="utf-8"), f"{script.name} holds the project's text"
    source = (_folder(exports, case, "pytorch") / "model.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = [ast.get_docstring(n) or "" for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef))]
    assert not [d for d in docstrings if path in d], "a docstring holds the project's text"
    assert not [line for line in source.splitlines() if line.lstrip().startswith("#") and path in line]
    holders = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
               if isinstance(t, ast.Name) and path in ast.unparse(n.value)}
    assert holders == {"PROJECT_NAME", "FEATURES", "FEATURE_NAMES", "CLASS_NAMES"}


_USE_EXPORTS = r"""
import importlib.util, json, runpy, sys, traceback
from pathlib import Path
sys.path.append(sys.argv[1])
assert importlib.util.find_spec("app") is None, "Modelwright must not be importable here"
for folder in map(Path, sys.argv[2:]):
    try:
        manifest = json.loads((folder / "export.json").read_text(encoding="utf-8"))
        text = json.loads((folder.parent / "expect.json").read_text(encoding="utf-8"))["text"]
        if manifest["format"] == "pytorch":
            spec = importlib.util.spec_from_file_location("exported_model", folder / "model.py")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            assert module.PROJECT_NAME == text, module.PROJECT_NAME
            assert text in module.CLASS_NAMES and text in module.FEATURE_NAMES, module.CLASS_NAMES
            getattr(module, manifest["class_name"])()
        sys.argv = ["predict.py", str(folder.parent / "input.csv"), str(folder / "predictions.csv")]
        try:
            runpy.run_path(str(folder / "predict.py"), run_name="__main__")
        except SystemExit as stop:
            assert not stop.code, stop.code
        print(json.dumps({"folder": str(folder), "error": None}))
    except BaseException as exc:
        print(json.dumps({"folder": str(folder), "error": repr(exc)[-500:]}))
"""


@pytest.fixture(scope="module")
def used(area, exports) -> dict[str, dict]:
    """model.py imported and predict.py run on a CSV with the hostile column, for every code export,
    in one fresh interpreter where Modelwright is not importable. Per case: errors, marker seen."""
    folders = []
    for case, outcome in exports.items():
        text = hostile(area, case)
        (area / case / "expect.json").write_text(json.dumps({"text": text}), encoding="utf-8")
        pd.DataFrame({text: [0.1, 0.9], "b": [0.5, 0.2]}).to_csv(area / case / "input.csv", index=False)
        folders += [outcome["folders"][f] for f in CODE_FORMATS
                    if f in outcome["folders"] and outcome["codes"][f] == 0]
    result = run_isolated(_USE_EXPORTS, *folders, cwd=area, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    found = {case: {"errors": [], "marker": marker(area, case).exists()} for case in HOSTILE}
    for report in reports:
        case = Path(report["folder"]).parent.name
        if report["error"]:
            found[case]["errors"].append(f"{Path(report['folder']).name}: {report['error']}")
    assert len(reports) == len(folders), result.stdout[-2000:]
    for case in HOSTILE:
        marker(area, case).unlink(missing_ok=True)
    return found


@pytest.mark.parametrize("case", HOSTILE)
def test_model_py_and_predict_py_run_without_modelwright_and_run_no_project_text(exports, used, case):
    for fmt in CODE_FORMATS:
        if fmt in exports[case]["folders"]:
            written = pd.read_csv(_folder(exports, case, fmt) / "predictions.csv")
            assert len(written) == 2 and "prediction" in written.columns
    assert used[case]["errors"] == []
    assert not used[case]["marker"], "importing model.py or running predict.py ran the project's text"


@pytest.fixture(scope="module")
def fake_torchrun(tmp_path_factory) -> tuple[dict, Path]:
    """A PATH whose torchrun and python3 only record their arguments (the bundle starts
    ``$PYTHON -m torch.distributed.run``)."""
    root = tmp_path_factory.mktemp("fake-torchrun")
    (root / "bin").mkdir()
    calls = root / "calls.txt"
    for tool in ("torchrun", "python3"):
        (root / "bin" / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\nexit 0\n', encoding="utf-8")
        (root / "bin" / tool).chmod(0o755)
    return {"PATH": f"{root / 'bin'}:/usr/bin:/bin", "HOME": str(root), "NPROC_PER_NODE": "1"}, calls


@pytest.mark.parametrize("case", HOSTILE)
def test_launch_sh_starts_torchrun_and_nothing_else(area, exports, fake_torchrun, case):
    env, calls = fake_torchrun
    calls.unlink(missing_ok=True)
    folder = _folder(exports, case, "torchrun")
    done = subprocess.run(["bash", str(folder / "launch.sh"), "--steps", "1"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=30)
    ran = marker(area, case).exists()
    marker(area, case).unlink(missing_ok=True)
    assert not ran, "launch.sh ran the project's text as a command"
    assert done.returncode == 0, done.stderr
    lines = calls.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and "-m torch.distributed.run" in lines[0] and lines[0].endswith("--steps 1")


@pytest.mark.parametrize("case", HOSTILE)
def test_model_cards_show_the_text_escaped(area, exports, case):
    markdown = pytest.importorskip("markdown_it").MarkdownIt("commonmark").enable("table")
    from markdown_it.common.utils import escapeHtml

    text, path = one_line(hostile(area, case)), str(marker(area, case))
    for fmt in exports[case]["folders"]:
        folder = _folder(exports, case, fmt)
        if fmt == "torchrun":
            card, title = (folder / "TRAINING.md").read_text(encoding="utf-8"), f"Distributed training bundle: {text}"
        else:
            card, title = (folder / "README.md").read_text(encoding="utf-8"), text
        tokens = markdown.parse(card)
        kinds = [t.type for t in tokens]
        assert kinds.count("heading_open") == sum(1 for line in card.splitlines() if line.startswith("#")), fmt
        assert "html_block" not in kinds, fmt
        inline = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
        assert not [c for c in inline if c.type in ("html_inline", "link_open")], fmt
        assert all(c.attrs.get("src") == "loss_curve.png" for c in inline if c.type == "image"), fmt
        assert not [t for t in tokens if t.type in ("fence", "code_block") and path in t.content], fmt
        html = markdown.render(card)
        assert f"<h1>{escapeHtml(title)}</h1>" in html, fmt  # the whole text, shown as text
        if fmt != "torchrun":  # the label (class list) and the column (preparation table) too
            data = html.split("<h2>Data</h2>")[1].split("<h2>Architecture</h2>")[0]
            assert data.count(escapeHtml(text)) >= 2, fmt


def test_the_escape_helpers_keep_every_value_exactly_or_inert(area, tmp_path):
    for case in HOSTILE:
        text = hostile(area, case)
        assert ast.literal_eval(python_string(text)) == text
        assert "\n" not in python_comment(text) and "\r" not in python_comment(text)
        compile(f"x = 1  # {python_comment(text)}\ny = {python_string(text)}\n", case, "exec")
        echoed = subprocess.run(["bash", "-c", f"printf %s {shell_word(text)}"], capture_output=True,
                                timeout=30, cwd=tmp_path)
        assert echoed.stdout.decode("utf-8", "surrogateescape") == text.replace("\x00", ""), case
        for inert in (markdown_text(text), markdown_code(text)):
            assert not any(ch in inert for ch in "\n\r\u2028\u2029\x1b\u202e"), case
    assert no_marker(area) == [] and list(tmp_path.iterdir()) == []


def _write_project(path: Path, node_id: str = "dense", type_id: str = "core.linear",
                   param: str = "out_features") -> Path:
    """The small valid project of the corpus with its Dense layer's id, type or parameter name changed."""
    project = _valid_project()
    for node in project["graph"]["nodes"]:
        if node["id"] == "dense":
            node.update(id=node_id, type=type_id, params={param: 1})
    for edge in project["graph"]["edges"]:
        for end in ("source", "target"):
            if edge[end] == "dense":
                edge[end] = node_id
    path.write_text(json.dumps(project), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "says"), [
    ({"node_id": "dense_1\n"}, "cannot be a node id"),
    ({"type_id": "core.linear\n"}, "core.linear"),
    ({"param": "out_features\n"}, "no parameter"),
], ids=["node-id", "type-id", "param-name"])
def test_an_id_with_a_trailing_line_break_is_refused_at_load_in_one_line(capsys, tmp_path, change, says):
    project = _write_project(tmp_path / "bad.mwproj", **change)
    assert main(["validate", str(_write_project(tmp_path / "good.mwproj", "dense_1"))]) == 0
    for args in (["validate", project], ["train", project, "--out", tmp_path / "run"],
                 ["export", project, "--format", "torchrun", "--out", tmp_path / "bundle"]):
        capsys.readouterr()
        code = main([str(a) for a in args])
        err = capsys.readouterr().err.strip()
        assert code == 1, (args, err)
        assert len(err.splitlines()) == 1 and err.startswith("error: ") and says in err, err
        assert "unexpected" not in err
    assert not (tmp_path / "run").exists() and not (tmp_path / "bundle").exists()


def test_the_graph_refuses_a_node_id_with_a_trailing_line_break():
    from app.core.graph.errors import InvalidNodeIdError
    from app.core.graph.graph import Graph

    graph = Graph()
    with pytest.raises(InvalidNodeIdError, match="cannot be a node id"):
        graph.add_node("core.linear", {"out_features": 2}, id="dense_1\n")
    assert graph.add_node("core.linear", {"out_features": 2}, id="dense_1").id == "dense_1"


def test_nested_constants_of_model_py_stay_plain_data(area):
    """Vocabularies, categories and scalers are written with python_literal: any text comes back as is."""
    from app.core.export.pytorch_code import python_literal

    texts = [hostile(area, case) for case in HOSTILE]
    value = {"vocab": texts * 3, "features": [{"name": t, "categories": texts, "fill": t} for t in texts],
             "pair": tuple(texts[:2])}
    source = f"VALUE = {python_literal(value, 8)}\n"
    tree = ast.parse(source)
    assert [type(n).__name__ for n in tree.body] == ["Assign"]
    assert ast.literal_eval(tree.body[0].value) == value


def test_a_run_whose_project_gained_a_bad_node_id_is_refused_by_export(capsys, runs, tmp_path):
    run = Path(shutil.copytree(runs["html"], tmp_path / "run"))
    project_file = next(run.glob("*.mwproj"))
    project = json.loads(project_file.read_text(encoding="utf-8"))
    nodes = project["graph"]["nodes"]
    old = next(n["id"] for n in nodes if n["type"] == "core.linear")
    for node in nodes:
        node["id"] = node["id"] + "\n" if node["id"] == old else node["id"]
    for edge in project["graph"]["edges"]:
        for end in ("source", "target"):
            edge[end] = edge[end] + "\n" if edge[end] == old else edge[end]
    project_file.write_text(json.dumps(project), encoding="utf-8")
    capsys.readouterr()
    assert main(["export", str(run), "--format", "pytorch", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cannot be a node id" in err and "unexpected" not in err, err
    assert not (tmp_path / "out").exists()


def test_type_ids_and_parameter_names_are_matched_whole():
    from dataclasses import replace

    from app.core.graph.errors import RegistryError
    from app.core.graph.registry import ParamSpec, get_layer_spec, register_layer

    spec = get_layer_spec("core.dropout")
    with pytest.raises(RegistryError, match="namespaced"):
        register_layer(replace(spec, type_id="test.injected\n"))
    with pytest.raises(RegistryError, match="malformed"):
        register_layer(replace(spec, type_id="test.injected", params=(ParamSpec("p\n", "float", 0.5, "x"),)))
