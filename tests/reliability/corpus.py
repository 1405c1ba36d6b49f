"""The bad-input corpus, generated into a folder at test time (the repository keeps only
``tests/data/bad/``; big or binary cases are made here so the checkout stays small).

Every case is something a user could really hand the app: a file from another program, a
file cut off by a full disk, a project from a newer version, a pickle posing as weights.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BAD_DATA = ROOT / "tests" / "data" / "bad"
MARKER_ENV = "MODELWRIGHT_PICKLE_MARKER"


class RunsCode:
    """Unpickling this creates the file named by ``$MODELWRIGHT_PICKLE_MARKER`` (as an attack
    would run any command): the tests assert that file never appears."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


def write_code_pickle(path: Path, marker: Path, *, torch_format: bool = False) -> Path:
    """A file that runs code when unpickled: a raw pickle, or ``torch.save``'s zip format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"model": RunsCode(marker), "weight": RunsCode(marker)}
    if torch_format:
        import torch

        torch.save(payload, path)
    else:
        path.write_bytes(pickle.dumps(payload))
    return path


def data_corpus(folder: Path) -> dict[str, Path]:
    """Bad data files: the shared corpus plus generated ones. Name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for source in sorted(BAD_DATA.iterdir()):
        if source.is_file():
            files[source.name] = Path(shutil.copy(source, folder / source.name))
    generated = {
        "huge_field.csv": b"a,b,label\n1," + b"x" * (5 * 2**20) + b",y\n2,3,z\n",
        "binary.csv": bytes(range(256)) * 64,
        "nul_bytes.csv": b"a,b,label\n\x00\x00\x00,\x00,\x00\n",
        "one_column.csv": b"label\nx\ny\nx\n",
        "zip_posing_as_xlsx.xlsx": b"PK\x03\x04" + b"\x00" * 100,
        "truncated.parquet": b"PAR1" + b"\x00" * 64,
    }
    for name, content in generated.items():
        path = folder / name
        path.write_bytes(content)
        files[name] = path
    return files


def _valid_project(name: str = "p") -> dict:
    return {"format": "modelwright-project", "version": 1, "name": name,
            "data": {"source": {"kind": "synthetic", "generator": "keras-seed", "n_samples": 100, "seed": 1}},
            "graph": {"nodes": [{"id": "input", "type": "io.input", "params": {"kind": "vector", "shape": [2]},
                                 "position": [0, 0]},
                                {"id": "dense", "type": "core.linear", "params": {"out_features": 1},
                                 "position": [0, 100]},
                                {"id": "output", "type": "io.output", "params": {}, "position": [0, 200]}],
                      "edges": [{"source": "input", "source_port": "out", "target": "dense", "target_port": "in"},
                                {"source": "dense", "source_port": "out", "target": "output", "target_port": "in"}]},
            "training": {"epochs": 1, "loss": {"name": "bce_logits"}}, "finetune": None}


def project_corpus(folder: Path, marker: Path) -> dict[str, Path]:
    """Bad project files (``*.mwproj``). Name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    valid = json.dumps(_valid_project(), indent=2)
    cyclic = _valid_project()
    cyclic["graph"]["edges"].append({"source": "dense", "source_port": "out", "target": "dense", "target_port": "in"})
    unknown = _valid_project()
    unknown["graph"]["nodes"][1]["type"] = "exotic.hyperlayer"
    future = dict(_valid_project(), version=999)
    positions = _valid_project()
    positions["graph"]["nodes"][1]["position"] = ["left", {"x": 1}]
    params = _valid_project()
    params["graph"]["nodes"][1]["params"] = {"out_features": "seven"}
    huge = _valid_project()
    huge["graph"]["nodes"][1]["params"] = {"out_features": 10**13}
    foreign = dict(_valid_project(), format="another-app")
    cases: dict[str, bytes] = {
        "empty.mwproj": b"",
        "truncated.mwproj": valid[: len(valid) // 2].encode(),
        "binary.mwproj": bytes(range(256)) * 8,
        "latin1.mwproj": valid.replace('"p"', '"caf\u00e9"').encode("latin-1"),
        "json_array.mwproj": b"[1, 2, 3]",
        "json_string.mwproj": b'"modelwright-project"',
        "deep_nesting.mwproj": b"[" * 100_000 + b"]" * 100_000,
        "huge_number.mwproj": b'{"format": "modelwright-project", "version": ' + b"9" * 5000 + b"}",
        "lone_surrogate.mwproj": valid.replace('"name": "p"', '"name": "\\ud800"').encode(),
        "future_version.mwproj": json.dumps(future).encode(),
        "foreign_format.mwproj": json.dumps(foreign).encode(),
        "cyclic.mwproj": json.dumps(cyclic).encode(),
        "unknown_layer.mwproj": json.dumps(unknown).encode(),
        "bad_positions.mwproj": json.dumps(positions).encode(),
        "bad_param_type.mwproj": json.dumps(params).encode(),
        "no_graph.mwproj": json.dumps({k: v for k, v in _valid_project().items() if k != "graph"}).encode(),
        "network_too_large.mwproj": json.dumps(huge).encode(),
    }
    files = {}
    for name, content in cases.items():
        path = folder / name
        path.write_bytes(content)
        files[name] = path
    files["pickle.mwproj"] = write_code_pickle(folder / "pickle.mwproj", marker)
    return files


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in Path(folder).rglob("*")}
