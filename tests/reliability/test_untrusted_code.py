"""Nothing the app reads can run code: every ``torch.load`` is ``weights_only=True``, every
Hugging Face load (and every snippet of one the app shows or writes) passes
``trust_remote_code=False``, and no module unpickles, evaluates or imports what a file says.
Checked on the source itself, so a new loader that forgets cannot slip in."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            yield node, owner, name


def _keyword(node: ast.Call, name: str):
    for kw in node.keywords:
        if kw.arg == name:
            return kw.value
    return None


SOURCES = sorted(APP.rglob("*.py"))
#: Hugging Face calls that import a model folder's own Python code unless told not to.
HF_LOADERS = ("from_pretrained", "from_config", "pipeline")


def test_the_scan_sees_the_whole_app():
    assert len(SOURCES) > 100 and (APP / "core" / "train" / "checkpoint.py") in SOURCES


def problems_in(source: str, where: str) -> list[str]:
    problems = []
    for node, owner, name in _calls(ast.parse(source)):
        at = f"{where}:{node.lineno}"
        if owner == "torch" and name == "load":
            flag = _keyword(node, "weights_only")
            if not (isinstance(flag, ast.Constant) and flag.value is True):
                problems.append(f"{at}: torch.load without weights_only=True")
        elif owner in ("pickle", "dill", "cloudpickle", "joblib", "marshal") and name in ("load", "loads"):
            problems.append(f"{at}: {owner}.{name} unpickles arbitrary objects")
        elif owner in ("pd", "pandas") and name == "read_pickle":
            problems.append(f"{at}: pandas.read_pickle unpickles arbitrary objects")
        elif name == "load" and owner in ("np", "numpy"):
            flag = _keyword(node, "allow_pickle")
            if flag is not None and not (isinstance(flag, ast.Constant) and flag.value is False):
                problems.append(f"{at}: numpy.load with allow_pickle")
        elif owner == "yaml" and name in ("load", "unsafe_load", "full_load"):
            problems.append(f"{at}: yaml.{name} can build arbitrary objects (use yaml.safe_load)")
        elif isinstance(node.func, ast.Name) and name in ("eval", "exec"):
            problems.append(f"{at}: {name}() runs text as code")
        elif name in HF_LOADERS or _keyword(node, "trust_remote_code") is not None:
            flag = _keyword(node, "trust_remote_code")
            if not (isinstance(flag, ast.Constant) and flag.value is False):
                problems.append(f"{at}: {name} without trust_remote_code=False lets a model folder run its own "
                                "code (or ask on the terminal whether to)")
    problems += _unsafe_snippets(source, where)
    return problems


def _unsafe_snippets(source: str, where: str) -> list[str]:
    """Code the app shows or writes for users to run (usage notes, generated scripts) loads safely too."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for offset, line in enumerate(node.value.splitlines()):
                if "from_pretrained(" in line and "trust_remote_code=False" not in line:
                    problems.append(f"{where}:{node.lineno + offset}: a from_pretrained( snippet without "
                                    "trust_remote_code=False")
    return problems


def test_the_checker_catches_each_unsafe_load():
    torch_load = "torch" + ".load"  # spelled apart so source scanners do not flag these samples
    unsafe = [f"{torch_load}(p)", f"{torch_load}(p, weights_only=False)", f"{torch_load}(p, weights_only=flag)",
              "pickle.load(f)", "pickle.loads(b)", "pd.read_pickle(p)", "np.load(p, allow_pickle=True)",
              "yaml.load(t)", "eval(text)", "exec(text)", "AutoModel.from_pretrained(p, trust_remote_code=True)",
              "AutoModel.from_pretrained(p)", "tf.AutoTokenizer.from_pretrained(p, local_files_only=True)",
              "PeftModel.from_pretrained(model, p)", "AutoConfig.from_pretrained(p, trust_remote_code=flag)",
              "AutoModel.from_config(config)", "pipeline('text-generation', model=p)",
              "transformers.pipeline(task, model=p)", "USAGE = 'model = AutoModel.from_pretrained(folder)'",
              'CARD = """\nfrom transformers import AutoModel\nm = AutoModel.from_pretrained(path)\n"""']
    for line in unsafe:
        assert problems_in(line, "x"), line
    safe = ["torch.load(p, map_location='cpu', weights_only=True)", "np.load(p)", "json.loads(t)",
            "yaml.safe_load(t)", "AutoModel.from_pretrained(p, trust_remote_code=False)",
            "AutoModel.from_pretrained(p, local_files_only=True, trust_remote_code=False)",
            "pipeline('fill-mask', model=p, trust_remote_code=False)",
            "USAGE = 'AutoModel.from_pretrained(folder, trust_remote_code=False)'",
            "DESCRIPTION = 'a folder that transformers loads (from_pretrained)'"]
    for line in safe:
        assert not problems_in(line, "x"), line


def test_no_module_loads_code_from_files():
    problems = []
    for path in SOURCES:
        problems += problems_in(path.read_text(encoding="utf-8"), str(path.relative_to(APP.parent)))
    assert not problems, "\n".join(problems)
