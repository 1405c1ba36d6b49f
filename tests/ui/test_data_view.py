"""The data view driven as a user would: import, roles, missing values, split, labels, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import wait_for_job, wait_for_summary


def import_into_new_project(qtbot, window, path):
    window.new_project()
    job = window.data_view.import_path(path)
    assert job is not None
    wait_for_job(qtbot, window.data_view)
    return window.data_view


def test_import_csv_shows_the_table_and_is_one_undo_step(qtbot, window, iris_csv):
    view = import_into_new_project(qtbot, window, iris_csv)
    assert view.model.rowCount() == 150
    assert view.model.columnCount() == 5
    assert view.model.index(0, 0).data() == "5.1"
    data = window.document.data
    assert data["source"]["kind"] == "table"
    assert [c["role"] for c in data["columns"]] == ["feature"] * 4 + ["target"]
    assert "species" in view.model.headerData(4, Qt.Orientation.Horizontal) and "target" in view.model.headerData(4, Qt.Orientation.Horizontal)
    assert window.document.modified and window.isWindowModified()

    window.undo_action.trigger()
    assert window.document.data is None
    assert view.pages.currentIndex() == 0  # back to "bring in your data"


def test_changing_a_role_from_the_header_menu_is_undoable(qtbot, window, iris_csv):
    view = import_into_new_project(qtbot, window, iris_csv)
    menu = view.header_menu(1)
    role_menu = menu.actions()[0].menu()
    ignore = next(a for a in role_menu.actions() if a.data() == ("role", "ignore"))
    ignore.trigger()
    assert window.document.data["columns"][1]["role"] == "ignore"
    assert "ignored" in view.model.headerData(1, Qt.Orientation.Horizontal)

    # Making a feature the target turns the old target into a feature (one target at a time).
    view.set_column_role("petal_width", "target")
    roles = {c["name"]: c["role"] for c in window.document.data["columns"]}
    assert roles["petal_width"] == "target" and roles["species"] == "feature"

    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert all(c["role"] != "ignore" for c in window.document.data["columns"])
    assert {c["name"]: c["role"] for c in window.document.data["columns"]}["species"] == "target"


def test_an_invalid_role_combination_is_refused_with_a_reason(qtbot, window, iris_csv):
    view = import_into_new_project(qtbot, window, iris_csv)
    before = window.document.undo_stack.count()
    assert not view.set_column_role("species", "ignore")  # no target left
    assert window.document.undo_stack.count() == before
    assert "target" in view.banner.text()


@pytest.fixture
def gappy_csv(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "age": rng.integers(18, 80, 60).astype(float),
        "income": rng.normal(3000, 500, 60).round(1),
        "group": rng.choice(["a", "b"], 60),
        "label": rng.choice(["yes", "no"], 60),
    })
    frame.loc[[3, 10, 11], "age"] = np.nan
    frame.loc[[5], "income"] = np.nan
    path = tmp_path / "gappy.csv"
    frame.to_csv(path, index=False)
    return path


def test_missing_values_are_highlighted_and_filling_them_changes_the_project(qtbot, window, gappy_csv):
    view = import_into_new_project(qtbot, window, gappy_csv)
    age = view.model.column_names().index("age")
    assert view.model.index(3, age).data() == ""
    assert view.model.index(3, age).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert view.model.index(4, age).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "age (3)" in wait_for_summary(qtbot, view)

    panel = view.preparation_panel
    panel.missing.setCurrentIndex(panel.missing.findData("median"))
    panel.missing.activated.emit(panel.missing.currentIndex())
    assert window.document.data["preparation"]["missing"] == "median"
    assert "median" in wait_for_summary(qtbot, view)

    panel.missing.setCurrentIndex(panel.missing.findData("drop"))
    panel.missing.activated.emit(panel.missing.currentIndex())
    summary = wait_for_summary(qtbot, view)
    assert "<b>56</b> of 60 rows used" in summary  # rows 3, 5, 10, 11 dropped, as training will

    window.document.undo_stack.undo()
    assert window.document.data["preparation"]["missing"] == "median"
    assert panel.missing.currentData() == "median"


def test_split_ratios_and_seed_update_the_summary(qtbot, window, iris_csv):
    view = import_into_new_project(qtbot, window, iris_csv)
    assert "<b>120</b> train" in wait_for_summary(qtbot, view)
    panel = view.preparation_panel
    panel.val_percent.setValue(20)
    ratios = window.document.data["split"]["ratios"]
    assert ratios == pytest.approx({"train": 0.7, "val": 0.2, "test": 0.1})
    assert panel.train_label.text() == "70 %"
    summary = wait_for_summary(qtbot, view)
    assert "<b>105</b> train" in summary and "<b>30</b> validation" in summary
    assert "setosa (35)" in summary  # stratified: every class keeps its share

    panel.seed.setValue(7)
    assert window.document.data["split"]["seed"] == 7
    window.document.undo_stack.undo()
    assert window.document.data["split"]["seed"] == 42


def test_relabel_a_row_in_the_table_then_undo_and_redo(qtbot, window, iris_csv):
    view = import_into_new_project(qtbot, window, iris_csv)
    target = view.model.target_column()
    cell = view.model.index(0, target)
    assert "versicolor" in view.model.class_names()

    assert not view.model.setData(cell, "versicolor")  # goes through the undo stack, not the frame
    assert window.document.label_overrides == {0: "versicolor"}
    assert cell.data() == "versicolor"
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert view.model.frame().iloc[0]["species"] == "setosa"  # the source data is untouched

    window.undo_action.trigger()
    assert window.document.label_overrides == {}
    assert cell.data() == "setosa"
    window.redo_action.trigger()
    assert cell.data() == "versicolor"


def test_relabel_selected_rows_with_a_new_class(qtbot, window, iris_csv):
    view = import_into_new_project(qtbot, window, iris_csv)
    target = view.model.target_column()
    selection = view.table.selectionModel()
    for row in (2, 3, 4):
        selection.select(view.model.index(row, target), selection.SelectionFlag.Select)
    view.add_class("unsure")
    assert window.document.label_overrides == {2: "unsure", 3: "unsure", 4: "unsure"}
    assert "unsure" in view.model.class_names()
    assert window.document.undo_stack.undoText().startswith("Relabel 3 rows")
    window.document.undo_stack.undo()
    assert window.document.label_overrides == {}


def test_the_label_picker_offers_existing_classes(qtbot, window, iris_csv):
    view = import_into_new_project(qtbot, window, iris_csv)
    index = view.model.index(0, view.model.target_column())
    editor = view.table.itemDelegate().createEditor(view.table.viewport(), None, index)
    assert [editor.itemText(i) for i in range(editor.count())] == ["setosa", "versicolor", "virginica"]
    editor.setCurrentText("virginica")
    view.table.itemDelegate().setModelData(editor, view.model, index)
    assert window.document.label_overrides == {0: "virginica"}


def test_export_labelled_data_writes_a_new_file_and_leaves_the_source(qtbot, window, iris_csv, tmp_path):
    view = import_into_new_project(qtbot, window, iris_csv)
    original = iris_csv.read_bytes()
    view.relabel_rows([0], "virginica")
    out = view.export_labelled_data(tmp_path / "labelled.csv")
    assert out is not None
    labelled = pd.read_csv(out, encoding="utf-8-sig")
    assert labelled.loc[0, "species"] == "virginica" and labelled.loc[1, "species"] == "setosa"
    assert iris_csv.read_bytes() == original


def test_cancelling_a_long_import_leaves_the_project_unchanged(qtbot, window, tmp_path):
    path = tmp_path / "big.csv"
    rng = np.random.default_rng(1)
    pd.DataFrame(rng.random((400_000, 6)), columns=list("abcdef")).assign(y=rng.integers(0, 2, 400_000)).to_csv(path, index=False)
    window.new_project()
    view = window.data_view
    job = view.import_path(path)
    assert view.pages.currentIndex() == 1 and view.cancel_button.isEnabled()
    with qtbot.waitSignal(job.cancelled, timeout=20000):
        view.cancel_button.click()
    wait_for_job(qtbot, view)
    assert window.document.data is None
    assert window.document.undo_stack.count() == 0
    assert "cancelled" in view.banner.text().lower()
    assert view.pages.currentIndex() == 0


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("garbage.csv", bytes(range(256)) * 40, "garbage.csv"),
        ("empty.csv", b"", "empty"),
        ("header.csv", b"a,b,c\n", "no data rows"),
    ],
)
def test_a_bad_file_shows_a_message_and_keeps_the_project(qtbot, window, iris_csv, tmp_path, name, content, expected):
    view = import_into_new_project(qtbot, window, iris_csv)
    before = window.document.data
    bad = tmp_path / name
    bad.write_bytes(content)
    view.import_path(bad)
    wait_for_job(qtbot, view)
    assert expected in view.banner.text()
    assert window.document.data == before
    assert view.pages.currentIndex() == 2 and view.model.rowCount() == 150


def test_column_panel_shows_statistics_and_a_histogram(qtbot, window, iris_csv):
    view = import_into_new_project(qtbot, window, iris_csv)
    panel = view.column_panel
    view.table.setCurrentIndex(view.model.index(0, 2))
    assert panel.column == "petal_length"
    qtbot.waitUntil(lambda: "Mean" in panel._stats.text(), timeout=10000)
    assert "Rows: 150" in panel._stats.text() and "Min 1 " in panel._stats.text()
    assert panel.chart().bars > 1
    panel._type.setCurrentIndex(panel._type.findData("categorical"))
    panel._type.activated.emit(panel._type.currentIndex())
    assert window.document.data["columns"][2]["type"] == "categorical"


def test_image_folder_shows_a_gallery_with_classes(qtbot, window, tmp_path):
    from PIL import Image

    for label, colour in (("cats", (200, 80, 80)), ("dogs", (80, 80, 200))):
        (tmp_path / "pets" / label).mkdir(parents=True)
        for i in range(3):
            Image.new("RGB", (40, 30), colour).save(tmp_path / "pets" / label / f"{i}.png")
    view = import_into_new_project(qtbot, window, tmp_path / "pets")
    assert window.document.data["source"]["kind"] == "image_folder"
    assert view.pages.currentIndex() == 3
    assert view.gallery.model.rowCount() == 6
    assert view.gallery.classes.count() == 3  # all + two classes
    view.gallery.classes.setCurrentIndex(2)
    assert view.gallery.model.rowCount() == 3
    view.gallery.show()
    view.gallery.model.data(view.gallery.model.index(0), Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: view.gallery.model.loaded_count() >= 1, timeout=5000)
    assert not view.preparation_panel._image_box.isHidden()


def test_a_text_file_shows_a_text_preview(qtbot, window, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Once upon a time there was a small model.\n" * 50, encoding="utf-8")
    view = import_into_new_project(qtbot, window, path)
    assert window.document.data["source"]["kind"] == "text"
    assert view.pages.currentIndex() == 4
    assert view.text_preview.toPlainText().startswith("Once upon a time")
