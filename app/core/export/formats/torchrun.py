"""``--format torchrun``: a self-contained bundle that trains the project on several GPUs or machines.

The bundle holds everything a cluster node needs besides Python packages:

- ``project.mwproj``: the project (from a project file, or a run's project as trained),
  with its data path made absolute;
- ``data.json``: where the data is (absolute path, size, SHA-256), to copy it to the
  same place on every node or to point the project at another copy;
- ``modelwright/``: the Qt-free core of Modelwright and its command line, so nodes need no
  installation, and ``requirements.txt`` with the packages it imports;
- ``run_training.py``: the entry point ``torchrun`` starts once per process;
- ``launch.sh``: ``torchrun --nnodes … --nproc_per_node … run_training.py`` with the node
  count, processes per node, node rank and rendezvous address from the environment;
- ``TRAINING.md``: how to launch it.

Every process prepares the data itself and trains with DistributedDataParallel (see
:mod:`app.core.train.distributed`); rank 0 writes the run directory.

Example::

    export_project_bundle("poems.mwproj", "bundles/poems")     # or export_run(run_dir, "torchrun", ...)
    # then, on each of 2 nodes with 8 GPUs:
    # NNODES=2 NPROC_PER_NODE=8 NODE_RANK=0 MASTER_ADDR=node0 bundles/poems/launch.sh --steps 5000
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from importlib import metadata
from pathlib import Path

from app.core.export.base import Exporter, ExportResult, register_exporter
from app.core.export.errors import ExportError
from app.core.export.escape import markdown_code, markdown_text

#: Packages the bundled core imports while training (the GUI and export extras stay out).
REQUIREMENTS = ("torch", "numpy", "pandas", "pyarrow", "openpyxl", "pillow", "safetensors",
                "charset-normalizer", "tokenizers")
BUNDLE_FORMAT = "modelwright-torchrun-bundle"

_RUN_TRAINING = '''"""Entry point torchrun starts once per process: trains project.mwproj with the bundled Modelwright."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "modelwright"))

from app.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["train", str(HERE / "project.mwproj"), *sys.argv[1:]]))
'''

_LAUNCH = '''#!/usr/bin/env bash
# Distributed training of project.mwproj (beside this file) with torchrun. Settings come from the environment:
#   NNODES          machines taking part (default 1)
#   NPROC_PER_NODE  processes per machine, one per GPU (default: the GPUs here, or 2 on a CPU machine)
#   NODE_RANK       this machine's number, 0 .. NNODES-1 (default 0)
#   MASTER_ADDR     address of machine 0 (default 127.0.0.1), MASTER_PORT (default 29500)
#   RUN_DIR         where rank 0 writes the run (default: run/ in this folder)
#   PYTHON          the Python with the packages of requirements.txt (default: python3)
# Further arguments go to the train command, e.g. --steps 5000 --batch-size 16 --device cpu,
# or --resume "$RUN_DIR" to continue a stopped run.
set -euo pipefail
HERE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
PYTHON="${{PYTHON:-python3}}"
if [ -z "${{NPROC_PER_NODE:-}}" ]; then
  NPROC_PER_NODE="$("$PYTHON" -c 'import torch; print(torch.cuda.device_count() or 2)')"
fi
RUN_DIR="${{RUN_DIR:-$HERE/run}}"
case " $* " in *" --resume "*) OUT_ARGS=() ;; *) OUT_ARGS=(--out "$RUN_DIR") ;; esac
exec "$PYTHON" -m torch.distributed.run \\
  --nnodes "${{NNODES:-1}}" --nproc_per_node "$NPROC_PER_NODE" --node_rank "${{NODE_RANK:-0}}" \\
  --master_addr "${{MASTER_ADDR:-127.0.0.1}}" --master_port "${{MASTER_PORT:-29500}}" \\
  "$HERE/run_training.py" "${{OUT_ARGS[@]}}" "$@"
'''

_GUIDE = '''# Distributed training bundle: {name}

Trains `project.mwproj` with PyTorch DistributedDataParallel, one process per GPU, on one or
more machines. Made by Modelwright; it needs no Modelwright installation (the core is in
`modelwright/`), only Python 3.11+ with the packages of `requirements.txt`.

## Data
{data}

## One machine
    bash launch.sh                       # one process per GPU (2 CPU processes without a GPU)
    NPROC_PER_NODE=4 bash launch.sh --steps 5000

## Several machines
Copy this folder (and the data) to every machine, then on each one:

    NNODES=2 NPROC_PER_NODE=8 NODE_RANK=<0 or 1> MASTER_ADDR=<address of machine 0> bash launch.sh

`--batch-size` is per process: the effective batch is batch size x processes.
Rank 0 writes the run directory (`RUN_DIR`, default `run/`): metrics.csv, summary.json,
checkpoints, model.safetensors. Continue a stopped run with `bash launch.sh --resume run`
(the run directory must be readable from every machine).
'''


def _data_reference(project) -> dict:
    source = (project.data or {}).get("source") or {}
    if source.get("kind") == "synthetic" or not source.get("path"):
        return {"kind": source.get("kind", "none"), "generated": True,
                "note": "The data is generated from its settings on every process; nothing to copy."}
    path = project.data_path()
    if path is None or not path.exists():
        raise ExportError(f"The project's data '{source.get('path')}' is not found (looked at '{path}'); "
                          "fix the data path before making a training bundle.")
    path = path.resolve()
    ref = {"kind": source["kind"], "path": str(path), "generated": False}
    if path.is_file():
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        ref.update(size_bytes=path.stat().st_size, sha256=digest.hexdigest())
    else:
        ref["files"] = sum(1 for p in path.rglob("*") if p.is_file())
    return ref


def _copy_core(target: Path) -> None:
    import app

    root = Path(app.__file__).resolve().parent
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    (target / "app").mkdir(parents=True)
    shutil.copy2(root / "__init__.py", target / "app" / "__init__.py")
    shutil.copy2(root / "cli.py", target / "app" / "cli.py")
    shutil.copytree(root / "core", target / "app" / "core", ignore=ignore)


def _requirements() -> str:
    lines = []
    for name in REQUIREMENTS:
        try:
            lines.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(name)
    return "\n".join(lines) + "\n"


def write_bundle(project, folder: Path, *, source: str) -> list[str]:
    """Write the bundle for ``project`` (a loaded :class:`~app.core.project.Project`) into ``folder``."""
    from app.core.project import Project, save_project

    data_ref = _data_reference(project)
    data = json.loads(json.dumps(project.data)) if project.data is not None else None
    if data is not None and not data_ref["generated"]:
        data["source"]["path"] = data_ref["path"]
    copy = Project(name=project.name, graph=project.graph, data=data, training=dict(project.training),
                   finetune=project.finetune, path=None)
    save_project(copy, folder / "project.mwproj")
    (folder / "data.json").write_text(json.dumps({"format": BUNDLE_FORMAT, "source": source, "data": data_ref},
                                                 indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _copy_core(folder / "modelwright")
    (folder / "requirements.txt").write_text(_requirements(), encoding="utf-8")
    (folder / "run_training.py").write_text(_RUN_TRAINING, encoding="utf-8")
    launch = folder / "launch.sh"
    launch.write_text(_LAUNCH.format(), encoding="utf-8")  # no project text: a name must never reach the shell
    launch.chmod(launch.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    if data_ref["generated"]:
        where = data_ref["note"]
    else:
        where = (f"The project reads {markdown_code(data_ref['path'])}. Copy it to that path on every machine, or edit "
                 "`data.source.path` in `project.mwproj`. `data.json` has its size and SHA-256 to check the copies.")
    (folder / "TRAINING.md").write_text(_GUIDE.format(name=markdown_text(project.name) or "untitled project",
                                                      data=where), encoding="utf-8")
    return ["project.mwproj", "data.json", "modelwright/", "requirements.txt", "run_training.py", "launch.sh",
            "TRAINING.md"]


@register_exporter
class TorchrunExporter(Exporter):
    name = "torchrun"
    title = "torchrun training bundle"
    description = ("project, data reference, launch.sh and the Modelwright core: train on several GPUs or "
                   "machines with torchrun (DistributedDataParallel).")

    def write(self, run, folder: Path, progress) -> list[str]:
        return write_bundle(run.project, folder, source=f"run {run.root}")

    def manifest(self, run) -> dict:
        return {"launch": "launch.sh", "entry_point": "run_training.py"}


def export_project_bundle(project_path: str | os.PathLike, out: str | os.PathLike, *,
                          overwrite: bool = False) -> ExportResult:
    """The torchrun bundle of a project file (no trained run needed); written atomically."""
    from app.core.export.staging import check_destination, staged_folder, write_export_manifest
    from app.core.project import load_project
    from app.core.safety.output_paths import project_inputs

    out = Path(out)
    inputs = project_inputs(project_path)  # --force never replaces the project or its data
    check_destination(out.absolute(), overwrite, inputs)
    project = load_project(project_path)
    with staged_folder(out, overwrite=overwrite, inputs=inputs) as folder:
        files = write_bundle(project, folder, source=f"project {Path(project_path).resolve()}")
        result = ExportResult("torchrun", out.absolute(), sorted(set(files) | {"export.json"}), None)
        write_export_manifest(folder, result, project=project.name, source=str(Path(project_path).resolve()))
    return result
