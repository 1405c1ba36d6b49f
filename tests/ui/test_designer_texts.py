"""Designer texts a person reads in full and in their language: node titles, node errors, the
templates list, node bodies and the summary's Type column (English and Simplified Chinese)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStyleOptionViewItem

from app.core.data.info import DataInfo
from app.core.graph.graph import Graph
from app.core.graph.registry import layer_specs
from app.core.project import Project, load_project
from app.ui.designer import DesignerView
from app.ui.designer.items import NodeItem
from tests.release.conftest import chinese  # noqa: F401 - fixture

IRIS = Path(__file__).resolve().parents[2] / "resources" / "examples" / "iris" / "iris.mwproj"
CJK = re.compile(r"[\u4e00-\u9fff]")
WORDS = ("Input", "Output", "Add", "Multiply", "Concatenate", "Dropout", "Embedding", "Flatten", "Reshape")


def make_view(qtbot, project: Project) -> DesignerView:
    stack = QUndoStack()
    view = DesignerView(project, stack)
    view.undo_stack_ref = stack
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_every_registered_layer_names_are_listed_for_translation():
    from app.ui.layer_texts import ALL

    names = {spec.display_name for spec in layer_specs()}
    names |= {p.display_name for spec in layer_specs() for p in spec.params}
    assert names - ALL == set()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_layer_title_is_readable_in_full_on_its_node(qapp, language, request):
    if language == "zh_CN":
        request.getfixturevalue("chinese")
    for spec in layer_specs():
        node = NodeItem(f"{spec.id_prefix}_12", spec, {p.name: p.default for p in spec.params})
        title, ident = node.header_texts()
        full = node.title()
        if title != full:  # shortened only if it can never fit: the tooltip still names it
            assert full in node.toolTip(), spec.type_id
        assert title == full, f"{spec.type_id}: {title!r} is shortened"
        if language == "zh_CN" and (" " in spec.display_name or spec.display_name in WORDS):
            assert CJK.search(full), full
    multi = next(s for s in layer_specs() if s.display_name == "Multi-head self-attention")
    assert NodeItem("attn_1", multi, {}).header_texts()[0] == NodeItem("attn_1", multi, {}).title()


def test_a_node_error_is_shown_whole_beside_the_node(qtbot):
    view = make_view(qtbot, Project(name="p", graph=Graph()))
    first, second = view.add_layer("io.input", (0, 0)), view.add_layer("io.input", (300, 0))
    view.set_param(first, "shape", [4])
    view.set_param(second, "shape", [7])
    add_id = view.add_layer("merge.add", (150, 150))
    assert view.connect_ports(first, add_id, "in")
    assert view.connect_ports(second, add_id, "in")
    view.flush()
    item = view.scene.nodes[add_id]
    qtbot.waitUntil(lambda: item.error is not None and not item.upstream_error)
    message = item.error
    assert len(message) > 35  # longer than the node's own line can show
    assert item.error_note.isVisible() and item.error_note.toPlainText() == message
    assert item.error_note.document().size().width() <= item.error_note.textWidth() + 1  # wrapped, not cut
    assert message in item.badge.toolTip() and message in item.toolTip()
    view.set_param(second, "shape", [4])
    view.flush()
    qtbot.waitUntil(lambda: item.error is None)
    assert not item.error_note.isVisible()


def gallery_texts(gallery):
    return [gallery.list.item(i).text() for i in range(gallery.list.count())]


def assert_items_fit(gallery):
    view = gallery.list
    for i in range(view.count()):
        item = view.item(i)
        rect = view.visualItemRect(item)
        # What the item's own wrapped text needs at its width, as Qt's delegate measures it (with
        # every font the text falls back to), against the room the list gives it.
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = rect
        needed = view.itemDelegate().sizeHint(option, view.indexFromItem(item)).height()
        assert "\n" in item.text() and view.wordWrap()
        assert rect.height() >= needed, (item.text(), rect.height(), needed)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_templates_list_shows_translated_titles_that_fit(qtbot, qapp, language, request):
    from app.core.graph.templates import template_names
    from app.ui.designer.templates import TemplateGallery

    if language == "zh_CN":
        request.getfixturevalue("chinese")
    view = make_view(qtbot, Project(name="p", graph=Graph()))
    gallery = TemplateGallery(view.graph, DataInfo("tokens", (64,), "classification", 2, vocab_size=1000), view)
    qtbot.addWidget(gallery)
    gallery.show()
    qtbot.waitExposed(gallery)
    texts = gallery_texts(gallery)
    assert len(texts) == len(template_names())
    for name, text in zip(template_names(), texts):
        title = text.split("\n")[0]
        assert name not in title, f"raw id {name!r} shown as the title"
        if language == "zh_CN":
            assert CJK.search(title), title
    assert_items_fit(gallery)


def test_chinese_node_bodies_and_summary_types(qtbot, chinese):  # noqa: F811 - fixture
    view = make_view(qtbot, load_project(IRIS))
    view.flush()
    qtbot.waitUntil(lambda: view.summary.table.rowCount() == len(view.graph))
    english_labels = {p.name.replace("_", " ") for spec in layer_specs() for p in spec.params if len(p.name) > 2}
    for node_id, item in view.scene.nodes.items():
        body = item.key_params_text()
        if not item.spec.params:
            continue
        assert CJK.search(body), (node_id, body)
        words = set(re.findall(r"[A-Za-z][A-Za-z ]+[A-Za-z]", body))
        assert not {w.lower() for w in words} & english_labels, (node_id, body)
    type_column = [view.summary.table.item(r, 4).text() for r in range(view.summary.table.rowCount())]
    assert type_column and all(CJK.search(t) for t in type_column), type_column
    assert CJK.search(view.scene.nodes[next(iter(view.scene.nodes))].title())
