"""Projects saved in one folder share its ``runs/``: each gets its own subfolder for new runs,
and listing a project's runs shows only its own, old flat runs included."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from app.core.experiments.search import default_study_dir
from app.core.run_claim import write_run_marker
from app.core.runs import default_run_dir
from app.core.train.run_history import delete_run, list_runs

NOW = datetime(2026, 12, 3, 14, 5, 9)


def test_default_run_dir_gives_each_project_its_own_folder(tmp_path):
    iris, wine = tmp_path / "iris.mwproj", tmp_path / "wine.mwproj"
    assert default_run_dir(iris, NOW) == tmp_path / "runs" / "iris" / "20261203-140509"
    assert default_run_dir(wine, NOW) == tmp_path / "runs" / "wine" / "20261203-140509"
    assert default_study_dir(iris, NOW) == tmp_path / "runs" / "iris" / "search-20261203-140509"
    (tmp_path / "runs" / "iris" / "20261203-140509").mkdir(parents=True)
    assert default_run_dir(iris, NOW) == tmp_path / "runs" / "iris" / "20261203-140509-2"


def make_run(run: Path, project: Path | None, name: str | None) -> Path:
    run.mkdir(parents=True)
    content = {"format": "modelwright-project", "training": {"epochs": 1}}
    if name is not None:
        content["name"] = name
    (run / "project.mwproj").write_text(json.dumps(content))
    (run / "summary.json").write_text(json.dumps({"status": "completed"}))
    if project is not None:
        write_run_marker(run, project, None)
    return run


def test_listing_keeps_projects_apart_in_old_and_new_layouts(tmp_path):
    iris, wine = tmp_path / "iris.mwproj", tmp_path / "wine.mwproj"
    for path, name in ((iris, "iris"), (wine, "wine")):
        path.write_text(json.dumps({"format": "modelwright-project", "name": name}))
    runs = tmp_path / "runs"
    make_run(runs / "iris-20250101-100000", iris, "iris")  # flat, with a marker
    make_run(runs / "wine-20250101-110000", wine, "wine")
    make_run(runs / "iris-old", None, "iris")  # before markers: its project copy's name tells
    make_run(runs / "wine-old", None, "wine")
    make_run(runs / "anonymous", None, None)  # says nothing: shown for both rather than lost
    make_run(default_run_dir(iris, NOW), iris, "iris")
    make_run(default_run_dir(wine, NOW), wine, "wine")

    def names(project, name):
        return sorted(str(r.path.relative_to(runs)) for r in list_runs(tmp_path, project, name))

    assert names(iris, "iris") == ["anonymous", "iris-20250101-100000", "iris-old", "iris/20261203-140509"]
    assert names(wine, "wine") == ["anonymous", "wine-20250101-110000", "wine-old", "wine/20261203-140509"]
    # A renamed project file still finds the runs of its own subfolder; none of the other's.
    assert "wine/20261203-140509" not in names(tmp_path / "iris-copy.mwproj", "iris")
    # Without a project: the flat folder as before.
    assert len(list_runs(tmp_path)) == 5

    delete_run(runs / "iris" / "20261203-140509")
    assert names(iris, "iris") == ["anonymous", "iris-20250101-100000", "iris-old"]
