"""``main.py --screenshot`` never waits on a dialog: a damaged project or one whose data lies
outside its folder used to open a modal question before the event loop and hang for ever.

Now every dialog takes its safe answer (logged on stderr), the window is still saved, and the
exit status is 1 when the project asked for could not be opened.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.reliability.corpus import _valid_project

ROOT = Path(__file__).resolve().parents[2]


def screenshot(project: Path, png: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--screenshot", str(png), str(project)],
                          capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)


def test_truncated_project_is_logged_and_ends(tmp_path):
    text = json.dumps(_valid_project(), indent=2)
    project = tmp_path / "truncated.mwproj"
    project.write_text(text[: len(text) // 2], encoding="utf-8")
    done = screenshot(project, tmp_path / "shot.png")
    assert done.returncode == 1, done.stderr
    assert "Cannot open project" in done.stderr and "truncated.mwproj" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "shot.png").stat().st_size > 0  # the window, in the state the problem left it


def test_outside_data_is_answered_no_and_ends(tmp_path):
    data = tmp_path / "elsewhere" / "rows.csv"
    data.parent.mkdir()
    data.write_text("a,b,label\n1,2,x\n3,4,y\n5,6,x\n", encoding="utf-8")
    columns = [{"name": "a", "type": "numeric", "role": "feature"}, {"name": "b", "type": "numeric", "role": "feature"},
               {"name": "label", "type": "categorical", "role": "target"}]
    project = dict(_valid_project(), data={"source": {"kind": "table", "path": str(data), "format": "csv"},
                                           "columns": columns})
    path = tmp_path / "project" / "outside.mwproj"
    path.parent.mkdir()
    path.write_text(json.dumps(project), encoding="utf-8")
    done = screenshot(path, tmp_path / "shot.png")
    assert done.returncode == 1, done.stderr
    assert "outside" in done.stderr and "“No”" in done.stderr, done.stderr
    assert (tmp_path / "shot.png").is_file()


def test_every_kind_of_question_takes_its_safe_answer(qapp):
    """The filter itself: Save/Discard/Cancel gets Cancel, Yes/No gets No, a warning gets OK."""
    from app.ui import dialogs
    from app.ui.unattended import answer_dialogs_automatically

    class Log:
        lines: list[str] = []

        def write(self, text):
            self.lines.append(text)

        def flush(self):
            pass

    log = Log()
    answers = answer_dialogs_automatically(QApplication.instance(), stream=log)
    try:
        assert dialogs.ask_save_changes(None, "sketch") == "cancel"
        answer = QMessageBox.question(None, "Delete?", "Delete everything?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        assert answer == QMessageBox.StandardButton.No
        QMessageBox.warning(None, "Careful", "Something went wrong.")
    finally:
        QApplication.instance().removeEventFilter(answers)
        answers.deleteLater()
    assert answers.count == 3
    text = "".join(log.lines)
    assert "Unsaved changes" in text and "“Delete?”" in text and "Something went wrong." in text


@pytest.mark.parametrize("name", ["iris"])
def test_a_good_project_still_exits_0(tmp_path, name):
    project = ROOT / "resources" / "examples" / name / f"{name}.mwproj"
    if not project.exists():
        pytest.skip(f"the bundled example {project} is not in this checkout")
    done = screenshot(project, tmp_path / "shot.png")
    assert done.returncode == 0, done.stderr
    assert "note: dialog" not in done.stderr
