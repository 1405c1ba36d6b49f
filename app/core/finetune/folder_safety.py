"""Refuse a model folder that would make ``transformers`` run code, before transformers sees it.

A Hugging Face folder can ship its own Python (``modeling_*.py``, ``tokenization_*.py``) and
name it in a config's ``auto_map``; with the wrong answer to a prompt, transformers imports
that file, and importing runs it. Modelwright only loads architectures the installed
transformers ships, so :func:`check_base_folder` refuses, by reading JSON only:

* any ``*config.json`` (``config.json``, ``tokenizer_config.json``, ...) that has ``auto_map``;
* a ``*.py`` file in the folder that a config names (a module a loader could import);
* a ``model_type`` the installed transformers does not know (only custom code could load it).

The error names the file that would have run. Nothing here imports torch or transformers, so
the wizard and the designer can check a folder instantly.

Example::

    check_base_folder(Path("my-model"), read_config(Path("my-model")))   # raises BaseModelError
"""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from functools import lru_cache
from pathlib import Path

from app.core.finetune.errors import BaseModelError

CONFIG_SUFFIX = "config.json"
_REFUSED = ("Modelwright never runs code that comes with a model, so this base was refused (nothing in it was "
            "run). Choose a model of a standard architecture saved without custom code.")


def check_base_folder(path: Path, config: dict) -> None:
    """Raise BaseModelError when loading ``path`` could run code from it (see the module docstring)."""
    configs = _config_files(path, config)
    _refuse_auto_map(path, configs)
    _refuse_named_code(path, configs)
    model_type = config.get("model_type")
    if isinstance(model_type, str) and model_type and not is_known_model_type(model_type):
        raise BaseModelError(f"'{path.name}/config.json' describes a '{model_type}' model, an architecture the "
                             "installed transformers does not know, so only code shipped with the model could load "
                             f"it. {_REFUSED}")


def _config_files(path: Path, config: dict) -> dict[str, object]:
    """File name -> parsed JSON of every ``*config.json`` in the folder (unreadable ones are skipped)."""
    found: dict[str, object] = {"config.json": config}
    try:
        names = sorted(p.name for p in path.iterdir() if p.name.endswith(CONFIG_SUFFIX) and p.is_file())
    except OSError:
        return found
    for name in names:
        if name in found:
            continue
        try:
            found[name] = json.loads((path / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue  # transformers cannot read it either
    return found


def _refuse_auto_map(path: Path, configs: dict[str, object]) -> None:
    for name, data in configs.items():
        auto_map = _find_key(data, "auto_map")
        if auto_map is None:
            continue
        modules = _module_references(auto_map)
        code = next((m for m in modules if (path / m).is_file()), modules[0] if modules else None)
        what = f"'{path.name}/{code}'" if code else "custom code"
        raise BaseModelError(f"{what} would run: '{path.name}/{name}' asks transformers to load its own Python code "
                             f"(auto_map). {_REFUSED}")


def _refuse_named_code(path: Path, configs: dict[str, object]) -> None:
    try:
        stems = sorted(p.stem for p in path.glob("*.py") if p.is_file())
    except OSError:
        return
    if not stems:
        return
    for name, data in configs.items():
        for text in _strings(data):
            for stem in stems:
                if _names_module(text, stem):
                    raise BaseModelError(f"'{path.name}/{stem}.py' would run: '{path.name}/{name}' names it "
                                         f"('{text[:80]}'). {_REFUSED}")


def _names_module(text: str, stem: str) -> bool:
    """True when ``text`` refers to the module ``stem``: ``stem``, ``stem.py``, ``stem.Class``, ``repo--stem.Class``."""
    text = text.strip().split("--")[-1].replace("\\", "/").split("/")[-1]
    return text in (stem, f"{stem}.py") or text.startswith(f"{stem}.")


def _module_references(auto_map) -> list[str]:
    """``modeling_x.py`` for each ``modeling_x.ClassName`` (or ``repo--modeling_x.ClassName``) in an auto_map."""
    files = []
    for text in _strings(auto_map):
        module = text.split("--")[-1].rsplit(".", 1)[0]
        if module:
            files.append(module.replace(".", "/") + ".py")
    return list(dict.fromkeys(files))


def _find_key(data, key: str):
    """The value of ``key`` anywhere in nested JSON (sub-configs can carry their own auto_map), else None."""
    if isinstance(data, dict):
        if key in data and data[key]:
            return data[key]
        values = data.values()
    elif isinstance(data, list):
        values = data
    else:
        return None
    for value in values:
        found = _find_key(value, key)
        if found is not None:
            return found
    return None


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def is_known_model_type(model_type: str) -> bool:
    """Whether the installed transformers has ``model_type`` in ``CONFIG_MAPPING``.

    Once transformers is imported its live mapping is asked; before that, the mapping's source
    is read (importing transformers would cost seconds and pull in torch).
    """
    loaded = sys.modules.get("transformers.models.auto.configuration_auto")
    if loaded is not None:
        return model_type in loaded.CONFIG_MAPPING
    listed = listed_model_types()
    if listed:
        return model_type in listed
    from app.core.finetune.offline import transformers

    return model_type in transformers().CONFIG_MAPPING


@lru_cache(maxsize=1)
def listed_model_types() -> frozenset[str]:
    """The keys of transformers' ``CONFIG_MAPPING_NAMES``, read from its source without importing it."""
    try:
        spec = importlib.util.find_spec("transformers")
    except (ImportError, ValueError):
        return frozenset()
    if spec is None or not spec.origin:
        return frozenset()
    auto = Path(spec.origin).parent / "models" / "auto"
    names: set[str] = set()
    for file in ("auto_mappings.py", "configuration_auto.py"):
        try:
            tree = ast.parse((auto / file).read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            names.update(_mapping_keys(node))
    return frozenset(names)


def _mapping_keys(node) -> list[str]:
    """Model types added by ``CONFIG_MAPPING_NAMES = OrderedDict([...])`` or ``CONFIG_MAPPING_NAMES.update({...})``."""
    call = None
    if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "CONFIG_MAPPING_NAMES"
                                            for t in node.targets):
        call = node.value
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
          and isinstance(node.func.value, ast.Name) and node.func.value.id == "CONFIG_MAPPING_NAMES"):
        call = node
    if not isinstance(call, ast.Call):
        return []
    keys = []
    for arg in [*call.args, *(kw.value for kw in call.keywords if kw.arg is None)]:
        if isinstance(arg, ast.Dict):
            keys += [k.value for k in arg.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        elif isinstance(arg, (ast.List, ast.Tuple)):
            keys += [e.elts[0].value for e in arg.elts if isinstance(e, ast.Tuple) and e.elts
                     and isinstance(e.elts[0], ast.Constant) and isinstance(e.elts[0].value, str)]
    return keys
