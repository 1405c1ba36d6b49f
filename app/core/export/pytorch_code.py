"""Write a trained graph as one readable PyTorch file: constants, helper layers, an ``nn.Module``.

The class has one attribute per layer, named after its node (``self.dense_1``), so its
``state_dict`` keys are the trained model's (``dense_1.weight``) and ``model.safetensors``
loads with ``strict=True``. ``forward`` reads top to bottom like hand-written code: a
straight chain reuses ``x``; a value read twice (a skip connection) keeps its node's name.
Modelwright's own layer modules are copied in as source, so the file needs only torch.

Example::

    source = generate_model_source(run)       # a TrainedRun
    Path("model.py").write_text(source)
"""

from __future__ import annotations

import ast
import builtins
import inspect
import keyword
import re
import textwrap

from app.core.export.errors import UnsupportedLayerError
from app.core.export.escape import python_comment, python_string
from app.core.export.layer_code import EMITTERS, LayerCode
from app.core.graph.graph import Graph
from app.core.graph.shapes import infer_shapes

_TAKEN = {"self", "x", "torch", "nn", "F", "math", "reduce"} | set(dir(builtins))


def fmt_shape(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def class_name_for(project_name: str) -> str:
    """'iris flowers' -> 'IrisFlowersModel'; names without ASCII letters give 'ExportedModel'."""
    words = re.findall(r"[A-Za-z0-9]+", project_name or "")
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name:
        return "ExportedModel"
    if name[0].isdigit():
        name = "Model" + name
    return name if name.endswith("Model") else name + "Model"


def unsupported_layers(graph: Graph) -> list[tuple[str, str, str]]:
    """Nodes whose layer type has no code writer: (node id, layer name, reason)."""
    return [(n.id, n.spec.display_name, "no PyTorch code writer for this layer type")
            for n in graph.nodes if n.type not in EMITTERS and n.spec.type_id not in ("io.input", "io.output")
            and n.spec.type_id not in EMITTERS]


def _attr(node_id: str) -> str:
    if node_id.isidentifier() and not keyword.iskeyword(node_id):
        return f"self.{node_id}"
    return f"getattr(self, {python_string(node_id)})"


class _Names:
    """Local variable names for forward: node ids, made safe and unique."""

    def __init__(self) -> None:
        self.used: set[str] = set(_TAKEN)

    def make(self, node_id: str) -> str:
        base = re.sub(r"\W", "_", node_id)
        name = base if base.isidentifier() and not keyword.iskeyword(base) else f"v_{base}"
        while name in self.used:
            name += "_"
        self.used.add(name)
        return name


def _helper_sources(names: set[str]) -> list[str]:
    """Source of the helper layers (and what they use from the same module), in file order."""
    from app.core.graph import modules

    local = {k for k, v in vars(modules).items()
             if getattr(v, "__module__", None) == modules.__name__ and (inspect.isclass(v) or inspect.isfunction(v))}
    wanted, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        tree = ast.parse(textwrap.dedent(inspect.getsource(getattr(modules, name))))
        todo += [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in local]
    source_order = list(vars(modules))
    return [textwrap.dedent(inspect.getsource(getattr(modules, n))).rstrip()
            for n in sorted(wanted, key=source_order.index)]


def _constants(run) -> list[str]:
    """The fitted preprocessing as plain Python data (what a user needs to feed the model)."""
    pre, info = run.preprocessor, run.info
    items: list[tuple[str, object, str]] = [
        ("PROJECT_NAME", str(run.name), "the Modelwright project this model was trained in"),
        ("INPUT_KIND", info.input_kind, "what one sample is: vector, image or tokens"),
        ("INPUT_SHAPE", tuple(info.input_shape), "one sample, without the batch dimension"),
        ("TASK", info.task, ""),
        ("OUTPUTS_ARE_LOGITS", run.outputs_are_logits,
         "True: apply softmax (classes) or sigmoid (yes/no) to get probabilities"),
    ]
    kind = pre.get("kind")
    if kind == "table":
        items.append(("FEATURES", pre.get("features", []),
                      "in input order: fill missing values with 'fill', then (value - center) / scale; "
                      "categories become one-hot columns (onehot) or their index (ordinal)"))
        items.append(("FEATURE_NAMES", pre.get("feature_names", []), "the columns of the input vector"))
    elif kind in ("text", "language-model"):
        tok = pre.get("tokenizer", {})
        if kind == "text":
            items.append(("TEXT_COLUMN", pre.get("column"), "the column holding the text"))
        items.append(("SEQ_LEN", pre.get("seq_len"), "token ids per sample (cut, then padded with 0 at the end)"))
        items.append(("TOKENIZER", {"type": tok.get("type"), "lowercase": tok.get("lowercase", False)},
                      "char: one token per character; word: words, punctuation and single CJK characters"))
        items.append(("VOCAB", tok.get("vocab", []), "token id -> token; 0 is padding, 1 is unknown"))
    elif kind == "image":
        items += [("IMAGE_SIZE", tuple(pre.get("size", ())), "(height, width) after resizing (bilinear)"),
                  ("CHANNELS", pre.get("channels"), "1 = greyscale, 3 = RGB"),
                  ("MEAN", pre.get("mean"), "per channel, on values scaled to 0..1"),
                  ("STD", pre.get("std"), "input = (pixel / 255 - MEAN) / STD")]
    target = pre.get("target") or {}
    if target.get("labels") is not None:
        items.append(("CLASS_NAMES", target["labels"], "output index -> label"))
    if target.get("scalers") is not None:
        items.append(("TARGET_COLUMNS", target.get("columns", []), ""))
        items.append(("TARGET_SCALING", target["scalers"], "prediction = output * scale + center"))
    lines = []
    for name, value, comment in items:
        if comment:
            lines += textwrap.wrap(comment, 98, initial_indent="# ", subsequent_indent="# ")
        lines.append(f"{name} = {python_literal(value, len(name) + 3)}")
    return lines


def python_literal(value, used: int = 0, indent: int = 0, width: int = 99) -> str:
    """``value`` as Python source, one item per line (black style) when it does not fit on one line."""
    flat = repr(tuple(value) if isinstance(value, tuple) else value)
    if len(flat) + used + indent <= width or not isinstance(value, (list, tuple, dict)) or not value:
        return flat
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        items = [f"{pad}{k!r}: {python_literal(v, len(repr(k)) + 2, indent + 4, width)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    if all(isinstance(v, (str, int, float, bool)) or v is None for v in value):
        # Long flat lists (a vocabulary) are packed several items to a line.
        lines, line = [], ""
        for item in (repr(v) + "," for v in value):
            if line and len(pad) + len(line) + 1 + len(item) > width:
                lines.append(line)
                line = ""
            line = f"{line} {item}" if line else item
        body = "\n".join(pad + text for text in lines + [line])
    else:
        body = "\n".join(f"{pad}{python_literal(v, 0, indent + 4, width)}," for v in value)
    opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
    return opening + "\n" + body + "\n" + " " * indent + closing


def generate_model_source(run, class_name: str | None = None) -> str:
    """The whole ``model.py`` for a :class:`~app.core.export.trained.TrainedRun`."""
    graph = run.graph
    missing = unsupported_layers(graph)
    if missing:
        names = ", ".join(f"'{n}' ({t})" for n, t, _ in missing)
        raise UnsupportedLayerError(f"These layers cannot be written as PyTorch code yet: {names}.", missing)
    class_name = class_name or class_name_for(run.name)
    report = infer_shapes(graph)
    inputs = graph.input_ids()
    output = graph.output_ids()[0]
    needed = graph.ancestors(output) | {output}
    order = [nid for nid in graph.topological_order() if nid in needed and nid not in inputs]
    sources = {nid: [e.source for e in graph.incoming(nid)] for nid in order}
    readers: dict[str, list[str]] = {nid: [] for nid in inputs + order}
    for nid in order:
        for s in sources[nid]:
            readers[s].append(nid)

    codes: dict[str, LayerCode] = {}
    for nid in order:
        if nid == output:
            continue
        node = graph.node(nid)
        in_shapes = [report[s].shape for s in sources[nid]]
        codes[nid] = EMITTERS[node.spec.type_id](node.params, in_shapes, report[nid].shape)

    # --- names of values in forward
    names = _Names()
    var: dict[str, str] = {}
    sequence = inputs + order
    for i, nid in enumerate(sequence):
        nxt = sequence[i + 1] if i + 1 < len(sequence) else None
        if nid == output:
            continue
        chain = len(readers[nid]) == 1 and readers[nid][0] == nxt  # read once, right away: reuse x
        var[nid] = "x" if chain and (nid not in inputs or len(inputs) == 1) else names.make(nid)

    init_lines, forward_lines, tie_lines, helpers = [], [], [], set()
    for nid in order:
        if nid == output:
            continue
        code = codes[nid]
        helpers |= set(code.helpers)
        attr = _attr(nid)
        if code.module is not None:
            count = report[nid].params
            comment = f"  # {count:,} parameters" if count else ""
            if attr.startswith("self."):
                init_lines.append(f"{attr} = {code.module}{comment}")
            else:
                init_lines.append(f"self.add_module({python_string(nid)}, {code.module}){comment}")
        if code.ties_weight_to:
            tie_lines.append(f"{attr}.weight = {_attr(code.ties_weight_to)}.weight  "
                             f"# shares its weights with {python_comment(code.ties_weight_to)}")
        expr = code.call(attr, [var[s] for s in sources[nid]])
        forward_lines.append(f"{var[nid]} = {expr}  # {fmt_shape(report[nid].shape)}")
    result = var[sources[output][0]]
    forward_lines.append(f"return {result}")

    arg_names = [var[i] for i in inputs]
    in_desc = ", ".join(f"{var[i]}: {fmt_shape(report[i].shape)}" for i in inputs)
    out_shape = fmt_shape(report[output].shape)
    class_lines = [
        f"class {class_name}(nn.Module):",
        f'    """The network of the project named in PROJECT_NAME: {in_desc} -> {out_shape}."""',
        "",
        "    def __init__(self) -> None:",
        "        super().__init__()",
        *("        " + line for line in init_lines + tie_lines),
        "",
        f"    def forward(self, {', '.join(f'{a}: torch.Tensor' for a in arg_names)}) -> torch.Tensor:",
        *("        " + line for line in forward_lines),
    ]
    helper_text = _helper_sources(helpers) if helpers else []
    body = "\n".join(class_lines)
    everything = body + "\n".join(helper_text)

    imports = ["from __future__ import annotations", ""]
    std = []
    if re.search(r"\bmath\.", everything):
        std.append("import math")
    if re.search(r"\breduce\(", everything):
        std.append("from functools import reduce")
    if std:
        imports += std + [""]
    imports += ["import torch", "import torch.nn as nn"]
    if re.search(r"\bF\.", everything):
        imports.append("import torch.nn.functional as F")

    text = _docstring(run, class_name, arg_names, report, inputs, output) + "\n\n" + "\n".join(imports)
    text += "\n\n\n" + _section("Preprocessing fitted on the training data (plain data)")
    text += "\n".join(_constants(run))
    for helper in helper_text:
        text += "\n\n\n" + (_section("Layers that are not in torch.nn") if helper is helper_text[0] else "") + helper
    text += "\n\n\n" + _section("The network") + body + "\n"
    return re.sub(r"\n{4,}", "\n\n\n", text)


def _section(title: str) -> str:
    return f"# --- {title} " + "-" * max(3, 92 - len(title)) + "\n"


def _docstring(run, class_name: str, arg_names: list[str], report, inputs: list[str], output: str) -> str:
    info = run.info
    examples = []
    for i in inputs:
        shape = ", ".join(["8", *map(str, report[i].shape[1:])])
        spec = run.graph.node(i).params
        if spec["kind"] == "tokens":
            examples.append(f"torch.randint(0, {spec['vocab_size']}, ({shape}))")
        else:
            examples.append(f"torch.randn({shape})")
    if info.task in ("classification", "binary") and (run.preprocessor.get("target") or {}).get("labels"):
        if info.task == "binary":
            prob = "torch.sigmoid(scores)" if run.outputs_are_logits else "scores"
            use = (f"    probability = {prob}[:, 0]\n"
                   "    labels = [CLASS_NAMES[int(p >= 0.5)] for p in probability.tolist()]")
        else:
            use = "    labels = [CLASS_NAMES[i] for i in scores.argmax(1).tolist()]"
        names = ", CLASS_NAMES"
    elif info.task == "language-model":
        use = "    next_token = VOCAB[scores[0, -1].argmax().item()]"
        names = ", VOCAB"
    elif info.task == "regression":
        use = ("    values = [[v * s['scale'] + s['center'] for v, s in zip(row, TARGET_SCALING)]\n"
               "              for row in scores.tolist()]")
        names = ", TARGET_SCALING"
    else:
        use, names = "", ""
    # No project text in here: a docstring cannot hold arbitrary text safely (PROJECT_NAME can).
    return f'''"""A PyTorch model exported from Modelwright ({info.task}); PROJECT_NAME names its project.

Input {", ".join(f"{a} {fmt_shape(report[i].shape)}" for a, i in zip(arg_names, inputs))} -> output \
{fmt_shape(report[output].shape)}. The constants below are the data preparation fitted on the
training data; predict.py (next to this file) applies them to CSV, text or image files.
Only torch is needed (and safetensors to read the weights).

Usage::

    import torch
    from safetensors.torch import load_file
    from model import {class_name}{names}

    model = {class_name}()
    model.load_state_dict(load_file("model.safetensors"))
    model.eval()
    with torch.no_grad():
        scores = model({", ".join(examples)})
{use}
"""'''
