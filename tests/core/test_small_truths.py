"""What the README and the CLI say about training is what happens: ``--steps`` keeps the
project's evaluation interval, F1 is named for the quantity it is, and the bundled Keras
example trains on the rows the README says."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.core.data import prepare, synthetic_config
from app.core.graph.templates import build_template_graph
from app.core.project import Project, save_project
from app.core.runs import read_metrics

ROOT = Path(__file__).resolve().parents[2]


def keras_seed_project(folder: Path, n_samples: int = 200, **training) -> Path:
    config = synthetic_config("keras-seed", n_samples=n_samples)
    info = prepare(config, folder).info
    settings = {"epochs": 3, "batch_size": 10, "optimizer": {"name": "sgd", "lr": 0.05}, "loss": {"name": "bce"},
                "device": "cpu", "seed": 0, **training}
    path = folder / "seed.mwproj"
    save_project(Project(name="seed", graph=build_template_graph("keras-seed", info), data=config.to_dict(),
                         training=settings), path)
    return path


# --------------------------------------------------------------- --steps keeps eval_every
@pytest.mark.parametrize("project_steps", [None, 40])
def test_steps_on_the_command_line_keeps_the_projects_eval_every(tmp_path, capsys, project_steps):
    eval_every, steps = 7, 30
    project = keras_seed_project(tmp_path, eval_every=eval_every, steps=project_steps)
    out = tmp_path / "run"
    assert cli_main(["train", str(project), "--steps", str(steps), "--out", str(out)]) == 0
    evaluated_at = [int(row["step"]) for row in read_metrics(out)]
    assert evaluated_at == [7, 14, 21, 28, 30]
