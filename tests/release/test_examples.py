"""The bundled examples: each one validates, is small, and opens from a private copy."""

from __future__ import annotations

import json

import pytest

from tests.release.conftest import ROOT

EXAMPLES_DIR = ROOT / "resources" / "examples"


def all_examples():
    from app.ui.examples import EXAMPLES

    return EXAMPLES


def test_every_template_has_a_bundled_example():
    from app.core.project import load_project

    templates = set()
    for example in all_examples():
        project = load_project(EXAMPLES_DIR / example.project)
        templates.add(project.finetune["template"] if project.finetune else None)
        templates.update(node.type for node in project.graph.nodes)
    kinds = {json.loads((EXAMPLES_DIR / e.project).read_text())["data"]["source"]["kind"] for e in all_examples()}
    assert {"table", "image_folder", "synthetic", "text"} <= kinds
    assert "finetune-text" in templates
    assert {"conv.conv2d", "rnn.lstm"} & templates or len(templates) > 5


@pytest.mark.parametrize("example", [e.project for e in all_examples()])
def test_example_validates_from_the_command_line(example, capsys, tmp_path):
    import main
    from app.ui.examples import EXAMPLES, working_copy

    entry = next(e for e in EXAMPLES if e.project == example)
    # From the user's copy, as File > Examples opens it (the GPT corpus is written there).
    path = working_copy(entry, home=tmp_path)
    assert main.main(["validate", str(path)]) == 0
    table = capsys.readouterr().out
    assert "output" in table and "(B," in table  # one row per layer with its output shape


def test_image_and_text_data_stay_small():
    shapes = sum(p.stat().st_size for p in (EXAMPLES_DIR / "shapes").rglob("*.png"))
    assert 0 < shapes < 300_000
    assert len(list((EXAMPLES_DIR / "shapes" / "images").iterdir())) == 3
    reviews = (EXAMPLES_DIR / "reviews" / "reviews.csv").read_text(encoding="utf-8").splitlines()
    assert reviews[0] == "text,sentiment" and len(reviews) == 301


def test_working_copy_is_made_once_and_keeps_user_changes(tmp_path):
    from app.ui.examples import EXAMPLES, working_copy

    iris = next(e for e in EXAMPLES if e.folder == "iris")
    path = working_copy(iris, home=tmp_path)
    assert path == tmp_path / "iris" / "iris.mwproj" and (tmp_path / "iris" / "iris.csv").exists()
    path.write_text(path.read_text(encoding="utf-8").replace('"name": "iris"', '"name": "mine"'), encoding="utf-8")
    again = working_copy(iris, home=tmp_path)
    assert '"name": "mine"' in again.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*partial"))


def test_a_copy_that_cannot_be_written_is_a_clear_error(tmp_path):
    from app.core.errors import ModelwrightError
    from app.ui.examples import EXAMPLES, working_copy

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ModelwrightError, match="Could not copy the example"):
        working_copy(EXAMPLES[0], home=blocker / "sub")


def test_file_examples_menu_opens_the_copy(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from app.ui import dialogs, examples
    from app.ui.main_window import MainWindow

    monkeypatch.setattr(examples, "examples_home", lambda: tmp_path / "home")
    monkeypatch.setattr(dialogs, "warn", lambda *a: pytest.fail(f"warning shown: {a[1:]}"))
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), probe_device=False)
    qtbot.addWidget(window)
    actions = window.examples_menu.actions()
    assert len(actions) == len(examples.available_examples()) >= 7
    keras = next(a for a in actions if "Keras" in a.text())
    keras.trigger()
    assert window.document.path == (tmp_path / "home" / "keras-seed" / "keras-seed.mwproj").resolve()
    assert window.document.project.name == "Keras first network"
