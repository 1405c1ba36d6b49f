"""Train, evaluate and predict from files: what the CLI and the GUI's worker call.

Example::

    run_dir = train_project("iris.mwproj", overrides={"epochs": 20})
    evaluate_run(run_dir)["accuracy"]
    predict_run(run_dir, "new_flowers.csv", "predictions.csv")
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Sequence

import torch

from app.core.errors import ModelwrightError
from app.core.runs import (
    RunDirError,
    atomic_writer,
    default_run_dir,
    find_checkpoint,
    open_run,
    read_json,
    run_paths,
    write_json_atomic,
)
from app.core.safety.training_failures import OutOfMemoryFailure, check_network_fits_memory
from app.core.train.callbacks import Callback, TrainerControl
from app.core.train.config import TrainConfig, TrainConfigError
from app.core.train.devices import DeviceError, auto_threads, resolve_device, seed_everything
from app.core.train.engine import Trainer, TrainingError
from app.core.train.losses import resolve_loss_name
from app.core.train.memory_check import check_training_fits

#: What may change when a run is resumed; everything else would break "as if never stopped".
RESUME_OVERRIDES = ("epochs", "steps", "device")


class TrainingFailed(ModelwrightError):
    """Training ended with status ``failed``; the run directory keeps what was saved."""

    def __init__(self, message: str, run_dir: Path) -> None:
        super().__init__(message)
        self.run_dir = run_dir


def _load(path: Path):
    from app.core.project import load_project

    return load_project(path)


def _write_project_copy(project, config: TrainConfig, target: Path) -> None:
    """The project as trained: the same data and graph, and the effective training settings."""
    from app.core.project import Project, save_project

    copy = Project(name=project.name, graph=project.graph, data=project.data, training=config.to_dict(),
                   finetune=project.finetune, path=project.path)
    save_project(copy, target)


def _prepare(project, progress=None):
    from app.core.data import prepare

    if project.data is None:
        raise TrainingError(f"Project '{project.name}' has no data section; choose a data source first.")
    return prepare(project.data, project.folder, progress=progress)


def _resume_config(paths, overrides: dict | None):
    """The run's own project and training settings, with the few overrides a resume allows."""
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    fixed = sorted(k for k in given if k not in RESUME_OVERRIDES)
    if fixed:
        raise TrainConfigError(
            f"'{fixed[0]}' cannot be changed when resuming (the run continues exactly as it started); "
            f"only {', '.join(RESUME_OVERRIDES)} can. Start a new run to change it."
        )
    project = _load(paths.project)
    return TrainConfig.from_dict(project.training).with_overrides(given), project


def train_project(project_path: str | os.PathLike | None, *, out: str | os.PathLike | None = None,
                  resume: str | os.PathLike | None = None, overrides: dict | None = None,
                  callbacks: Sequence[Callback] = (), control: TrainerControl | None = None,
                  progress=None) -> Path:
    """Train a project and write its run directory; returns the run directory.

    ``resume`` continues the run in that directory from its last checkpoint (the project
    argument may then be None: the run's own copy of the project is used). ``overrides``
    takes ``epochs``, ``steps``, ``batch_size``, ``lr``, ``device``, ``seed`` (None values
    are ignored). A run that ends with status ``failed`` raises :class:`TrainingFailed`.

    Launched by ``torchrun`` with several processes, training is distributed (see
    :mod:`app.core.train.distributed`): only rank 0 writes the run directory and hears the
    ``callbacks``; every process returns the same run directory.
    """
    from app.core.train import distributed

    ctx = distributed.init_distributed(_device_setting(project_path, resume, overrides))
    started_here = ctx is not None
    finished = False
    try:
        run_dir = _train(project_path, out, resume, overrides, callbacks if ctx is None or ctx.is_main else (),
                         control, progress, ctx)
        finished = True
        return run_dir
    finally:
        if started_here:
            distributed.shutdown(finished=finished)


def _device_setting(project_path, resume, overrides) -> str:
    """The device a run will ask for (torchrun needs it before the project is read in full)."""
    if overrides and overrides.get("device"):
        return overrides["device"]
    try:
        source = run_paths(resume).project if resume is not None else Path(project_path)
        return str(json.loads(source.read_text(encoding="utf-8")).get("training", {}).get("device", "auto"))
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        return "auto"  # the real reading below reports what is wrong


def _train(project_path, out, resume, overrides, callbacks, control, progress, ctx) -> Path:
    """Train with the run folder claimed (one writer per run); the claim is released at the end,
    on failure too, and a claim that wrote nothing is undone."""
    claims = []
    try:
        return _train_claimed(project_path, out, resume, overrides, callbacks, control, progress, ctx, claims)
    finally:
        for claim in claims:
            claim.release()


def _claim_on_main(ctx, claim_folder, claims: list):
    """Run ``claim_folder`` on the main process only; every process gets its outcome (or its error)."""
    from app.core.train import distributed

    if ctx is None:
        claim = claim_folder()
        claims.append(claim)
        return claim.root, claim.restart
    outcome, problem = None, None
    if ctx.is_main:
        try:
            claim = claim_folder()
            claims.append(claim)
            outcome = (claim.root, claim.restart)
        except ModelwrightError as exc:
            problem = str(exc)
    outcome, problem = distributed.broadcast_from_main(ctx, (outcome, problem))
    if problem:
        raise RunDirError(problem)
    return outcome


def _note(progress):
    """Where a claim's notes go: stderr (the CLI's notes) and the job's progress messages."""
    import sys

    def note(message: str) -> None:
        print(f"note: {message}", file=sys.stderr, flush=True)
        if progress is not None:
            progress(0.0, message)

    return note


def _restart_config(paths, overrides: dict | None):
    """A run stopped before its first checkpoint starts again with its own project copy, or
    (killed even before writing it) with the project and settings its marker names."""
    from app.core.run_claim import run_marker

    if paths.project.is_file():
        return _resume_config(paths, overrides)
    marker = run_marker(paths.root)
    given = {k: v for k, v in (overrides or {}).items() if v is not None and k in RESUME_OVERRIDES}
    project = _load(Path(marker["project"]))
    training = marker.get("training") or project.training
    return TrainConfig.from_dict(training).with_overrides(given), project


def _train_claimed(project_path, out, resume, overrides, callbacks, control, progress, ctx, claims) -> Path:
    from app.core.graph.compiler import compile_graph
    from app.core.run_claim import claim_new_run, claim_run_to_resume

    main = ctx is None or ctx.is_main
    checkpoint = None
    if resume is not None:
        run_dir, restart = _claim_on_main(ctx, lambda: claim_run_to_resume(resume, note=_note(progress)), claims)
        paths = run_paths(run_dir)
        if restart:
            config, project = _restart_config(paths, overrides)
        else:
            paths = open_run(resume)
            checkpoint = find_checkpoint(paths.root, "last")
            from app.core.train.checkpoint import load_checkpoint

            load_checkpoint(checkpoint, mmap=True)  # a damaged or foreign file is refused before anything is written
            config, project = _resume_config(paths, overrides)
            _check_resumable(paths, config)
    else:
        if project_path is None:
            raise TrainingError("No project given; pass a project file (*.mwproj) to train.")
        project = _load(Path(project_path))
        config = TrainConfig.from_dict(project.training).with_overrides(overrides)
        # one process picks the folder (a default name holds the time), claims and marks it
        run_dir, _ = _claim_on_main(ctx, lambda: claim_new_run(
            Path(out) if out is not None else default_run_dir(project.path), project_path=project.path,
            training=config.to_dict(), note=_note(progress)), claims)
    # An unavailable device, or a network too big for its memory, fails before the data is read.
    check_training_fits(project.graph, config, resolve_device(config.device))

    prepared = _prepare(project, progress)
    info = prepared.info
    paths = run_paths(run_dir)
    seed_everything(config.seed)
    check_network_fits_memory(project.graph)
    model = compile_graph(project.graph)
    if checkpoint is not None:  # a checkpoint that cannot fit is refused before anything is written
        from app.core.train.checkpoint import check_fits_model, load_checkpoint

        check_fits_model(checkpoint, load_checkpoint(checkpoint, mmap=True), model, config.optimizer)
    if checkpoint is None and not project.finetune:
        from app.core.lm.init import initialise_gpt

        initialise_gpt(model)  # a GPT starts from GPT-2's initialisation (same on every process)
    if main:
        if checkpoint is None:
            write_json_atomic(paths.preprocessor, prepared.preprocessor.to_dict())
            write_json_atomic(paths.data_info, info.to_dict())
        _write_project_copy(project, config, paths.project)

    trainer = Trainer(model, config, task=info.task, n_outputs=info.n_outputs, class_names=info.class_names,
                      callbacks=callbacks, control=control, run_dir=paths.root if main else None)
    try:
        state = trainer.fit(prepared.train, prepared.val, resume_from=checkpoint)
    except OutOfMemoryFailure as exc:
        raise TrainingFailed(f"{exc} (run directory: {paths.root})", paths.root) from exc
    if main:  # what the curves say went wrong, with fixes (summary.json's "diagnosis")
        from app.core.experiments.run_diagnosis import add_diagnosis_to_summary

        add_diagnosis_to_summary(paths.summary, state, config, info, prepared.train, project.graph)
    if state.status == "failed":
        raise TrainingFailed(f"{state.error} (run directory: {paths.root})", paths.root)
    return paths.root


def _check_resumable(paths, config: TrainConfig) -> None:
    from app.core.train.checkpoint import load_checkpoint

    try:
        summary = json.loads(paths.summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # killed before the first summary: resumable by definition
    if summary.get("status") != "completed":
        return
    state = load_checkpoint(paths.last_checkpoint)["trainer_state"]
    done = state["global_step"] if config.steps else state["epoch"]
    target = config.steps if config.steps else config.epochs
    if done >= target:
        unit = "steps" if config.steps else "epochs"
        raise TrainingError(f"Run '{paths.root}' already completed its {done} {unit}; pass --{unit} with a "
                            f"larger number to train further, or start a new run.")


# ------------------------------------------------------------------- trained runs
class _TrainedRun:
    """A finished run loaded for inference: project, settings, preprocessor and model."""

    def __init__(self, run_dir: str | os.PathLike, weights: str = "best") -> None:
        from app.core.data.preprocessor import Preprocessor
        from app.core.graph.compiler import compile_graph
        from app.core.run_weights import load_run_weights, load_weights_into, open_trained_run

        self.paths = open_trained_run(run_dir, weights)
        self.project = _load(self.paths.project)
        self.config = TrainConfig.from_dict(self.project.training)
        self.preprocessor = Preprocessor.from_dict(read_json(self.paths.preprocessor, "the data preparation"))
        self.info = self.preprocessor.info
        check_network_fits_memory(self.project.graph)
        self.model = compile_graph(self.project.graph)
        self.weights = load_run_weights(self.paths, weights)  # best by default (see app.core.run_weights)
        load_weights_into(self.model, self.weights)
        try:
            self.device = resolve_device(self.config.device)
        except DeviceError:  # trained on a GPU this machine lacks: the CPU gives the same answers
            self.device = torch.device("cpu")
        self.model.to(self.device).eval()
        self.loss_name = resolve_loss_name(self.config.loss, self.info.task)

    def trainer(self) -> Trainer:
        return Trainer(self.model, self.config.replace(device=self.device.type), task=self.info.task,
                       n_outputs=self.info.n_outputs, class_names=self.info.class_names)

    @torch.no_grad()
    def outputs(self, inputs: torch.Tensor, batch_size: int = 1024) -> torch.Tensor:
        parts = []
        for start in range(0, len(inputs), batch_size):
            parts.append(self.model(inputs[start:start + batch_size].to(self.device)).float().cpu())
        return torch.cat(parts) if parts else torch.empty(0)


def _with_threads(fn):
    def wrapper(*args, **kwargs):
        previous = torch.get_num_threads()
        torch.set_num_threads(auto_threads(10**7, 1))
        try:
            return fn(*args, **kwargs)
        finally:
            torch.set_num_threads(previous)

    wrapper.__doc__, wrapper.__name__ = fn.__doc__, fn.__name__
    return wrapper


@_with_threads
def evaluate_run(run_dir: str | os.PathLike, data_path: str | os.PathLike | None = None, *,
                 weights: str = "best") -> dict:
    """Metrics of a trained run as plain JSON-able values.

    ``weights`` is ``best`` (the best checkpoint, the default) or ``final``; the result's
    ``weights``/``weights_epoch`` say which were used and ``run_status`` how the run ended.

    Without ``data_path``: on the run's test split (or its validation split when there is
    no test part), re-prepared from the project's data exactly as in training. With it: on
    that file, prepared with the run's saved preprocessor (it must hold the target column).
    Classification gives accuracy, precision/recall/F1 (macro and per class) and the
    confusion matrix; regression MAE/MSE/RMSE/R² in the target's own units.
    """
    from app.core.data.datasets import TensorSplit, TokenStreamSplit

    run = _TrainedRun(run_dir, weights)
    task = run.info.task
    if data_path is not None:
        data_path = Path(data_path)
        if not data_path.exists():
            raise ModelwrightError(f"Data not found: {data_path}")
        new = run.preprocessor.load_new_data(data_path)
        if new.targets is None:
            raise ModelwrightError(f"'{data_path.name}' has no target column, so there is nothing to compare "
                                   "the predictions with; use predict for unlabelled data.")
        if task == "language-model":
            stream = torch.cat([new.inputs[0], new.targets[0, -1:]])
            split = TokenStreamSplit(stream, run.preprocessor.seq_len)
        else:
            split = TensorSplit(new.inputs, new.targets)
        split_name = data_path.name
    else:
        prepared = _prepare(run.project)
        split, split_name = (prepared.test, "test") if prepared.test is not None else (prepared.val, "validation")
        if split is None:
            raise ModelwrightError("The project's data has neither a test nor a validation part to evaluate on; "
                                   "pass --data with a labelled file.")
    result = run.trainer().evaluate(split, report=True)
    if task == "regression":
        result.update(_regression_in_original_units(run, split))
    ordered = {"run": str(run.paths.root), "data": split_name, "task": task, "loss_name": run.loss_name,
               **run.weights.to_dict()}
    ordered.update(result)
    return json.loads(json.dumps(ordered, default=float))


def _regression_in_original_units(run: _TrainedRun, split) -> dict:
    """MAE/MSE/RMSE/R² after undoing the target scaling, so MAE reads in the user's units."""
    from app.core.train.metrics import MetricSet

    x, y = split.batch(torch.arange(len(split)))
    predicted, _ = run.preprocessor.decode(run.outputs(x))
    actual, _ = run.preprocessor.decode(y)
    p = torch.tensor(predicted, dtype=torch.float64).reshape(len(predicted), -1)
    a = torch.tensor(actual, dtype=torch.float64).reshape(len(actual), -1)
    metrics = MetricSet("regression", p.shape[1], ("mae", "mse", "rmse", "r2"))
    metrics.update(p, a)
    return metrics.compute()


@_with_threads
def predict_run(run_dir: str | os.PathLike, data_path: str | os.PathLike, out: str | os.PathLike, *,
                overwrite: bool = False, weights: str = "best") -> Path:
    """Write a CSV with the input columns, a ``prediction`` column in the original labels or
    units, and (for classes) one ``prob_<label>`` column per class. Written atomically.
    ``weights``: the run's ``best`` checkpoint (default) or its ``final`` weights.

    An existing ``out`` is replaced only with ``overwrite``, and never when it is the data
    being read, a project file or a file of a run (see :mod:`app.core.safety.output_paths`)."""
    from app.core.safety.output_paths import check_output_file, run_inputs

    run = _TrainedRun(run_dir, weights)
    if run.info.task == "language-model":
        raise ModelwrightError("This run is a language model; use 'generate' to produce text from it.")
    data_path, out = Path(data_path), Path(out)
    if not data_path.exists():
        raise ModelwrightError(f"Data not found: {data_path}")
    check_output_file(out, overwrite=overwrite, inputs=[data_path, *run_inputs(run.paths.root)])
    frame = run.preprocessor.read_frame(data_path)
    inputs = run.preprocessor.transform_frame(frame, f"'{data_path.name}'")
    outputs = run.outputs(inputs)
    from_logits = run.loss_name not in ("bce", "mse") if run.info.task == "binary" else True
    labels, probabilities = run.preprocessor.decode(outputs, from_logits=from_logits)
    table = frame.copy()
    name = "prediction" if "prediction" not in table.columns else "predicted"
    if run.info.task == "regression" and labels and isinstance(labels[0], list):
        columns = run.preprocessor.target.state["columns"]
        for j, column in enumerate(columns):
            table[f"{name}_{column}"] = [row[j] for row in labels]
    else:
        table[name] = labels
    if probabilities is not None:
        class_names = list(run.info.class_names or run.preprocessor.target.labels)
        if len(class_names) != probabilities.shape[1]:
            class_names = [str(label) for label in run.preprocessor.target.labels]
        for j, label in enumerate(class_names):
            table[f"prob_{label}"] = probabilities[:, j]
    with atomic_writer(out, "w", encoding="utf-8", newline="") as f:
        table.to_csv(f, index=False)
    return out
