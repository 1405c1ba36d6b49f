"""``--format onnx``: ``model.onnx`` through ``torch.onnx`` (the torch.export-based exporter).

The batch dimension is dynamic, and so is the text length when no layer fixes it. The
opset (:data:`OPSET`) is one every onnxruntime since 1.14 runs. Before anything is written
the layers are checked: a type known not to convert is named at once; when the converter
fails on the whole network, each layer is tried on its own so the message names the ones
that do not convert. After writing, onnxruntime runs the file on the sample inputs and the
export only counts as done when it matches the trained model (max abs diff <= 1e-4).
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import tempfile
import warnings
from pathlib import Path

from app.core.export.base import Exporter, ParityCheck, compare, register_exporter
from app.core.export.errors import ExportError, UnsupportedLayerError

OPSET = 18
#: Weights above this size go to model.onnx.data beside the graph (protobuf files stop at 2 GB).
SINGLE_FILE_LIMIT = 1_500_000_000
#: Layer types that do not convert, with the reason shown to the user. The built-in layers
#: all convert (the export tests cover every template); a layer added later goes here when
#: its module cannot be expressed in ONNX.
NOT_CONVERTIBLE: dict[str, str] = {}


def _quiet():
    """Silence the converter's own chatter (progress prints, optional-package notices)."""
    stack = contextlib.ExitStack()
    stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
    stack.enter_context(warnings.catch_warnings())
    warnings.simplefilter("ignore")
    for name in ("torch.onnx", "torch.export", "torch._dynamo", "onnxscript"):
        logger = logging.getLogger(name)
        previous = logger.level
        logger.setLevel(logging.ERROR)
        stack.callback(logger.setLevel, previous)
    return stack


def _convert(model, args: tuple, path: Path, input_names: list[str],
             dynamic: tuple | None, single_file: bool) -> None:
    import torch

    with _quiet():
        torch.onnx.export(model, args, str(path), dynamo=True, opset_version=OPSET, input_names=input_names,
                          output_names=["output"], dynamic_shapes=dynamic, external_data=not single_file,
                          optimize=True, verify=False, report=False)


def _first_line(exc: BaseException) -> str:
    """The useful part of a converter error: the operation without an ONNX form, or the summary line."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    missing = re.search(r"No ONNX function found for <OpOverload\(op='([^']+)'", text)
    if missing:
        return f"the operation {missing.group(1)} has no ONNX form"
    summary = re.search(r"## Exception summary\s*<class '[^']+'>: ([^\n]+)", text)
    if summary:
        return summary.group(1).strip()[:200]
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return (lines[0] if lines else type(exc).__name__)[:200]


@register_exporter
class OnnxExporter(Exporter):
    name = "onnx"
    title = "ONNX"
    description = "model.onnx for onnxruntime, TensorRT, OpenVINO, web and mobile runtimes (checked with onnxruntime)."
    bundle = True
    tolerance = 1e-4

    def check(self, run) -> None:
        bad = [(n.id, n.spec.display_name, NOT_CONVERTIBLE[n.spec.type_id]) for n in run.graph.nodes
               if n.spec.type_id in NOT_CONVERTIBLE]
        if bad:
            raise UnsupportedLayerError(_message(bad), bad)

    def write(self, run, folder: Path, progress) -> list[str]:
        import torch

        cases = run.sample_inputs()
        variable = run.variable_length()
        dims = []
        batch = torch.export.Dim("batch")
        for spec in run.input_specs:
            d = {0: batch}
            if variable and spec["kind"] == "tokens":
                d[1] = torch.export.Dim(f"{spec['id']}_length", max=spec["shape"][0])
            dims.append(d)
        nbytes = sum(t.numel() * t.element_size() for t in run.state_dict.values())
        path = folder / "model.onnx"
        try:
            _convert(run.model, cases[0].tensors, path, [s["id"] for s in run.input_specs], (tuple(dims),),
                     nbytes < SINGLE_FILE_LIMIT)
        except Exception as exc:  # the converter raises many error types
            for leftover in folder.glob("model.onnx*"):
                leftover.unlink()
            progress(0.4, "Finding the layers that do not convert")
            bad = self.locate_unconvertible(run)
            if bad:
                raise UnsupportedLayerError(_message(bad), bad) from exc
            raise ExportError(f"The network cannot be converted to ONNX ({_first_line(exc)}); "
                              "export with torchscript or pytorch instead.") from exc
        return sorted(p.name for p in folder.glob("model.onnx*"))

    def verify(self, run, folder: Path, cases, expected) -> ParityCheck:
        import onnxruntime as ort
        import torch

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.log_severity_level = 3
        session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]

        def run_case(tensors):
            return torch.from_numpy(session.run(None, {n: t.numpy() for n, t in zip(names, tensors)})[0])

        return compare(f"onnxruntime {ort.__version__} (opset {OPSET})", self.tolerance, cases, expected, run_case)

    @staticmethod
    def locate_unconvertible(run) -> list[tuple[str, str, str]]:
        """Try each layer of the network on its own; (node id, layer name, reason) for those that fail."""
        import torch

        from app.core.graph.shapes import infer_shapes

        graph, report = run.graph, infer_shapes(run.graph)
        token_inputs = {s["id"]: s for s in run.input_specs if s["kind"] == "tokens"}
        bad = []
        with tempfile.TemporaryDirectory() as tmp:
            for nid, module in run.model.items():
                node = graph.node(nid)
                args = []
                for edge in graph.incoming(nid):
                    shape = [2, *report[edge.source].shape[1:]]
                    if edge.source in token_inputs:
                        args.append(torch.randint(0, token_inputs[edge.source]["vocab_size"], shape))
                    else:
                        args.append(torch.randn(shape))
                try:
                    _convert(module.eval(), tuple(args), Path(tmp) / f"{nid}.onnx", None, None, True)
                except Exception as exc:  # noqa: BLE001 - each failure is reported by name
                    bad.append((nid, node.spec.display_name, _first_line(exc)))
        return bad


def _message(bad: list[tuple[str, str, str]]) -> str:
    names = "; ".join(f"'{nid}' ({name}): {reason}" for nid, name, reason in bad)
    return (f"{len(bad)} layer(s) cannot be converted to ONNX: {names}. Replace them in the designer, "
            "or export with torchscript or pytorch instead.")
