"""Export a trained run: what ``python main.py export`` and the Export view call.

Example::

    result = export_run("runs/iris-20250101-120000", "onnx", "exports/iris-onnx")
    result.parity.max_abs_diff, result.parity.passed      # 3e-08, True
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.core.export.base import ExportResult, get_exporter
from app.core.export.errors import ExportError, ParityError
from app.core.export.staging import check_destination, staged_folder
from app.core.progress import Progress
from app.core.safety.output_paths import run_inputs


def export_run(run_dir: str | os.PathLike, format: str, out: str | os.PathLike, *, overwrite: bool = False,
               progress=None, weights: str = "best", options: dict | None = None) -> ExportResult:
    """Write ``run_dir``'s trained model in ``format`` into the folder ``out`` and check it.

    The folder gets the format's files, a model card (``README.md`` with ``loss_curve.png``),
    ``export.json`` (what was written and the parity check) and, for formats that run on
    their own, ``predict.py`` with ``preprocessing.json``. Nothing appears at ``out`` unless
    every step succeeded: a refused format, an unwritable path, a cancel or a failed parity
    check (:class:`ParityError`) leave it untouched. ``weights``: the run's ``best``
    checkpoint (default) or its ``final`` weights. ``options``: the format's own settings
    (``{"quant": "q8_0"}`` for gguf); formats without settings refuse any.
    """
    from app.core.export.bundle import write_bundle
    from app.core.export.model_card import write_model_card
    from app.core.export.trained import load_trained_run

    report = Progress(progress)
    exporter = get_exporter(format)
    if options:
        if not hasattr(exporter, "configure"):
            raise ExportError(f"The {exporter.name} format has no settings ({', '.join(options)}).")
        exporter.configure(**options)
    out = Path(out)
    inputs = run_inputs(run_dir)  # --force never replaces the run, its project or its data
    check_destination(out.absolute(), overwrite, inputs)
    report(0.0, "Loading the trained run")
    run = load_trained_run(run_dir, weights)
    exporter.check(run)
    cases = run.sample_inputs()
    expected = run.reference_outputs(cases)
    with staged_folder(out, overwrite=overwrite, inputs=inputs) as folder:
        report(0.1, f"Writing {exporter.title}")
        files = list(exporter.write(run, folder, lambda f, m="": report(0.1 + 0.5 * f, m)))
        report(0.6, "Checking the export against the trained model")
        parity = exporter.verify(run, folder, cases, expected)
        if parity is not None and not parity.passed:
            raise ParityError(f"The {exporter.title} export does not match the trained model, so it was not saved. "
                              + parity.describe(), parity)
        report(0.8, "Writing the model card")
        if exporter.bundle:
            files += write_bundle(run, folder, exporter.name)
        result = ExportResult(exporter.name, out.absolute(), files, parity)
        files += write_model_card(run, folder, result)
        result.files = sorted(set(files) | {"export.json"})
        manifest = {"format_version": 1, "producer": "Modelwright", "run": str(run.root), "project": run.name,
                    **result.to_dict(), "path": out.name, "inputs": run.input_specs, "task": run.info.task,
                    "weights": run.weights.which,
                    **exporter.manifest(run)}
        (folder / "export.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        report(1.0, "Export finished")
    return result
