"""The window against the bad-input corpus: Open, Import and drag-and-drop give a message,
never a crash dialog, keep the open project, and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.reliability.corpus import data_corpus, files_under, project_corpus
from tests.ui.conftest import wait_for_job

DATA = ["empty.csv", "fake.parquet", "fake.xlsx", "garbage.csv", "header_only.csv", "ragged.csv", "binary.csv",
        "nul_bytes.csv", "huge_field.csv", "zip_posing_as_xlsx.xlsx", "truncated.parquet"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    area = tmp_path_factory.mktemp("gui-corpus")
    marker = area / "CODE-RAN"
    return area, marker, data_corpus(area / "data"), project_corpus(area / "projects", marker)


def drop(window, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))


def test_bad_projects_give_a_message_and_keep_the_open_project(qtbot, window, iris_project, messages, crashes,
                                                               corpus):
    area, marker, _data, projects = corpus
    assert window.open_project(iris_project)
    wait_for_job(qtbot, window.data_view)
    before = files_under(area)
    for name, path in projects.items():
        if name == "network_too_large.mwproj":
            continue  # a valid file: the size is refused when training starts
        count = len(messages)
        assert not window.open_project(path), name
        assert len(messages) == count + 1, name
        title, text = messages[-1]
        assert title == "Cannot open project" and path.name in text, (name, text)
        assert window.document.path == iris_project
    # Dropped, the same files go the same way.
    for name in ("truncated.mwproj", "pickle.mwproj", "future_version.mwproj"):
        count = len(messages)
        drop(window, projects[name])
        qtbot.waitUntil(lambda: len(messages) == count + 1, timeout=3000)
    assert window.document.path == iris_project
    assert not crashes and not marker.exists()
    assert files_under(area) == before


@pytest.mark.parametrize("how", ["open", "drop"])
def test_bad_data_files_give_a_message_not_a_crash(qtbot, window, messages, crashes, corpus, how):
    """Import problems show in the data view's banner (the window stays usable)."""
    area, _marker, data, _projects = corpus
    before = files_under(area)
    window.new_project()
    banner = window.data_view.banner
    for name in DATA:
        banner.hide()
        if how == "open":
            window.open_path(data[name])
        else:
            drop(window, data[name])
            qtbot.waitUntil(lambda: window.data_view.job is not None or banner.isVisibleTo(window), timeout=3000)
        wait_for_job(qtbot, window.data_view)
        qtbot.waitUntil(lambda: banner.isVisibleTo(window) and data[name].name in banner.text(), timeout=5000)
        assert window.document.data is None, name  # nothing half-imported
    assert not crashes and not messages
    assert files_under(area) == before
