"""Hyper-parameter search: many short runs of one project, chosen by optuna.

Each trial is a normal run directory (``runs/<study>/trial-NNN``) trained by
:func:`app.core.train.api.train_project` from a copy of the project with the trial's values
set. optuna picks the values (grid, random or TPE) and, from the per-epoch validation
metric a :class:`PruningCallback` reports, stops hopeless trials early. The study lives in
an optuna journal file inside the study folder, so a search that is stopped, interrupted
or killed resumes where it left off when started again with the same folder.

Study folder::

    runs/<study>/
      study.json          project, space and strategy (refuses a different space on resume)
      study.journal       optuna's record of every trial (JournalFileBackend)
      projects/trial-NNN.mwproj   the project each trial trained
      trial-NNN/          the trial's run directory (metrics.csv, summary.json, weights…)

Example::

    result = run_search("iris.mwproj", load_space("space.json"), trials=8, strategy="tpe")
    result.best.params, result.best.value, result.best.run_dir
"""

from __future__ import annotations

import itertools
import json
import math
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Sequence

from app.core.errors import ModelwrightError
from app.core.experiments.space import SearchSpace, SearchSpaceError
from app.core.progress import Progress
from app.core.runs import default_run_dir

STRATEGIES = ("grid", "random", "tpe")
STUDY_FORMAT = "modelwright-study"
STUDY_NAME = "search"
FINISHED_STATES = ("COMPLETE", "PRUNED", "FAIL")


class SearchError(ModelwrightError):
    """The search cannot start or cannot go on (its folder, project or metric is wrong)."""


@dataclass
class TrialRecord:
    """One trial as the table shows it (plain values only)."""

    number: int
    state: str                     # running, complete, pruned, failed, interrupted
    params: dict[str, Any]
    value: float | None = None
    run_dir: str | None = None
    seconds: float | None = None
    epochs: int = 0
    error: str | None = None
    curve: list[float] = field(default_factory=list)   # the metric after each epoch

    @property
    def name(self) -> str:
        return trial_name(self.number)

    def to_dict(self) -> dict:
        return {"number": self.number, "state": self.state, "params": dict(self.params), "value": self.value,
                "run_dir": self.run_dir, "seconds": self.seconds, "epochs": self.epochs, "error": self.error,
                "curve": list(self.curve)}


@dataclass
class StudyResult:
    """All trials of a study and the best finished one."""

    folder: Path
    metric: str
    direction: str
    trials: list[TrialRecord]

    @property
    def best(self) -> TrialRecord | None:
        done = [t for t in self.trials if t.state == "complete" and t.value is not None and math.isfinite(t.value)]
        if not done:
            return None
        pick = min if self.direction == "minimize" else max
        return pick(done, key=lambda t: t.value)


class SearchControl:
    """Stop a search from another thread: the trial in progress stops after its current
    batch and is run again first when the search resumes."""

    def __init__(self) -> None:
        self.stop_requested = False
        self._trainer_control = None
        self._lock = threading.Lock()

    def request_stop(self) -> None:
        with self._lock:
            self.stop_requested = True
            if self._trainer_control is not None:
                self._trainer_control.request_stop()

    def _attach(self, trainer_control) -> None:
        with self._lock:
            self._trainer_control = trainer_control
            if self.stop_requested and trainer_control is not None:
                trainer_control.request_stop()


def trial_name(number: int) -> str:
    return f"trial-{number:03d}"


def default_study_dir(project_path: str | os.PathLike, now: datetime | None = None) -> Path:
    """``runs/<project>/search-<time>`` next to the project file."""
    return default_run_dir(project_path, now, kind="search")


# ---------------------------------------------------------------------------- optuna pieces
def _optuna():
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def _sampler(strategy: str, space: SearchSpace):
    optuna = _optuna()
    if strategy in ("grid", "random"):  # a grid's points are queued as fixed trials (see _queue_grid)
        return optuna.samplers.RandomSampler(seed=space.seed)
    # Few trials: start modelling after 3 random ones rather than optuna's default 10.
    return optuna.samplers.TPESampler(seed=space.seed, n_startup_trials=3)


def _pruner(space: SearchSpace):
    optuna = _optuna()
    if not space.pruning:
        return optuna.pruners.NopPruner()
    # A trial is stopped when, at the same epoch, it is worse than the median of the
    # trials before it — after two trials have finished and from its second epoch on.
    return optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=1)


def open_study(folder: Path, space: SearchSpace, strategy: str):
    """Create or reopen the optuna study kept in ``folder/study.journal``."""
    optuna = _optuna()
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    storage = JournalStorage(JournalFileBackend(str(folder / "study.journal")))
    study = optuna.create_study(study_name=STUDY_NAME, storage=storage, sampler=_sampler(strategy, space),
                                pruner=_pruner(space), direction=space.direction, load_if_exists=True)
    return study, storage


def _queue_grid(study, space: SearchSpace) -> None:
    """Queue every grid point once, when the study is new. (optuna's GridSampler ends the
    study from inside ``tell`` when the grid is used up, which the ask-and-tell loop here
    cannot allow; fixed queued trials give the same grid and resume naturally.)"""
    if study.get_trials(deepcopy=False):
        return
    grid = space.grid()
    for values in itertools.product(*grid.values()):
        study.enqueue_trial(dict(zip(grid, values)), skip_if_exists=False)


def _suggest(trial, p) -> Any:
    if p.kind == "choice":
        return trial.suggest_categorical(p.name, list(p.choices))
    if p.kind == "int":
        return trial.suggest_int(p.name, p.low, p.high, step=p.step or 1, log=p.log)
    return trial.suggest_float(p.name, p.low, p.high, step=p.step, log=p.log)


def _recover_interrupted(study, storage) -> None:
    """Trials left ``RUNNING`` by a killed search are marked failed and queued to run again."""
    optuna = _optuna()
    study_id = storage.get_study_id_from_name(STUDY_NAME)
    for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.RUNNING,)):
        trial_id = storage.get_trial_id_from_study_id_trial_number(study_id, t.number)
        storage.set_trial_user_attr(trial_id, "interrupted", True)
        storage.set_trial_state_values(trial_id, optuna.trial.TrialState.FAIL)
        study.enqueue_trial(dict(t.params), skip_if_exists=False)


def _counted(frozen) -> bool:
    """Trials that used up budget: finished ones, not those cut short by an interruption."""
    return frozen.state.name in FINISHED_STATES and not frozen.user_attrs.get("interrupted")


def _record(frozen, folder: Path) -> TrialRecord:
    state = frozen.state.name
    if state == "FAIL" and frozen.user_attrs.get("interrupted"):
        label = "interrupted"
    else:
        label = {"COMPLETE": "complete", "PRUNED": "pruned", "FAIL": "failed", "RUNNING": "running",
                 "WAITING": "waiting"}.get(state, state.lower())
    run_dir = folder / trial_name(frozen.number)
    seconds = None
    if frozen.datetime_start is not None:
        end = frozen.datetime_complete or datetime.now()
        seconds = round((end - frozen.datetime_start).total_seconds(), 3)
    curve = [frozen.intermediate_values[k] for k in sorted(frozen.intermediate_values)]
    value = frozen.value if state == "COMPLETE" else (curve[-1] if state == "PRUNED" and curve else None)
    return TrialRecord(number=frozen.number, state=label, params=dict(frozen.params), value=value,
                       run_dir=str(run_dir) if run_dir.is_dir() else None, seconds=seconds, epochs=len(curve),
                       error=frozen.user_attrs.get("error"), curve=curve)


def read_study(folder: str | os.PathLike) -> StudyResult:
    """The trials of the study in ``folder`` (for the experiments view and ``search``'s output)."""
    folder = Path(folder)
    meta = read_study_meta(folder)
    space = SearchSpace.from_dict(meta["space"])
    optuna = _optuna()
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    journal = folder / "study.journal"
    if not journal.is_file():
        return StudyResult(folder, space.metric, space.direction, [])
    storage = JournalStorage(JournalFileBackend(str(journal)))
    try:
        study = optuna.load_study(study_name=STUDY_NAME, storage=storage)
    except KeyError:
        return StudyResult(folder, space.metric, space.direction, [])
    trials = [_record(t, folder) for t in study.get_trials(deepcopy=False)
              if t.state.name != "WAITING"]
    return StudyResult(folder, space.metric, space.direction, trials)


def read_study_meta(folder: str | os.PathLike) -> dict:
    path = Path(folder) / "study.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SearchError(f"'{folder}' is not a search folder (it has no study.json).") from None
    except (OSError, ValueError) as exc:
        raise SearchError(f"'{path}' cannot be read ({exc}).") from exc
    if not isinstance(meta, dict) or meta.get("format") != STUDY_FORMAT:
        raise SearchError(f"'{path}' is not a Modelwright search description.")
    return meta


def param_importances(folder: str | os.PathLike) -> dict[str, float]:
    """How much each varied setting mattered to the metric (optuna's fANOVA importance,
    summing to 1); empty until two trials have finished with different values."""
    optuna = _optuna()
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    study = optuna.load_study(study_name=STUDY_NAME,
                              storage=JournalStorage(JournalFileBackend(str(Path(folder) / "study.journal"))))
    complete = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    if len(complete) < 2:
        return {}
    try:
        return dict(optuna.importance.get_param_importances(study))
    except (RuntimeError, ValueError):  # e.g. every trial had the same values
        return {}


# ---------------------------------------------------------------------------- the trial callback
def _pruning_callback_class():
    """Built on demand so importing this module does not import the engine (and torch)."""
    from app.core.train.callbacks import Callback

    class PruningCallback(Callback):
        """Reports the watched metric after each evaluation to the optuna trial and stops the
        run (``TrainerControl.request_stop``) when the pruner says it is hopeless."""

        def __init__(self, trial, metric: str, on_epoch: Callable[[int, float], None] | None = None) -> None:
            self.trial = trial
            self.metric = metric
            self.on_epoch = on_epoch
            self.pruned = False
            self.missing: list[str] | None = None

        def on_validation_end(self, trainer, state, control, record) -> None:
            from app.core.train.metrics import canonical_metric

            if self.metric not in record and canonical_metric(trainer.task, self.metric) in record:
                self.metric = canonical_metric(trainer.task, self.metric)  # "val_f1" from before val_f1_macro
            if self.metric not in record:
                self.missing = [k for k in record if k not in ("epoch", "step", "lr", "seconds")]
                control.fail(f"The search watches '{self.metric}', which this run does not measure.")
                return
            value = float(record[self.metric])
            if not math.isfinite(value):
                return  # the non-finite-loss guard fails the run; nothing to report
            step = len([r for r in state.history if self.metric in r]) - 1
            self.trial.report(value, step)
            if self.on_epoch is not None:
                self.on_epoch(step + 1, value)
            if self.trial.should_prune():
                self.pruned = True
                control.request_stop(f"pruned: worse than the median of earlier trials at epoch {step + 1}")

    return PruningCallback


# ---------------------------------------------------------------------------- the search
def _prepare_folder(project_path: Path, space: SearchSpace, strategy: str, out: Path | None) -> Path:
    folder = Path(out) if out is not None else default_study_dir(project_path)
    meta = {"format": STUDY_FORMAT, "version": 1, "project": str(project_path.resolve()),
            "space": space.to_dict(), "strategy": strategy}
    if folder.exists():
        if not folder.is_dir():
            raise SearchError(f"'{folder}' is a file; choose a folder for the search (--out).")
        if (folder / "study.json").is_file():
            old = read_study_meta(folder)
            if old.get("space") != meta["space"]:
                raise SearchError(f"The search in '{folder}' was started with a different search space; "
                                  "use the same space to resume it, or choose another --out.")
            if old.get("strategy") != strategy:
                raise SearchError(f"The search in '{folder}' uses the {old.get('strategy')} strategy; "
                                  f"resume it with --strategy {old.get('strategy')}, or choose another --out.")
            return folder
        if any(folder.iterdir()):
            raise SearchError(f"'{folder}' already exists and is not a search folder; choose another --out.")
    from app.core.runs import write_json_atomic

    folder.mkdir(parents=True, exist_ok=True)
    write_json_atomic(folder / "study.json", meta)
    return folder


def run_search(project_path: str | os.PathLike, space: SearchSpace, *, trials: int,
               timeout_minutes: float | None = None, strategy: str = "tpe", out: str | os.PathLike | None = None,
               control: SearchControl | None = None, progress=None,
               on_trial_start: Callable[[int, dict], None] | None = None,
               on_trial_end: Callable[[TrialRecord], None] | None = None,
               on_epoch: Callable[[int, int, float], None] | None = None,
               train_callbacks: Sequence = ()) -> StudyResult:
    """Run (or resume) a search of ``trials`` trials in all; returns every trial so far.

    ``timeout_minutes`` ends the search after that long (the trial in progress finishes
    first). ``control`` stops it from another thread. ``on_trial_start(number, params)``,
    ``on_epoch(number, epoch, value)`` and ``on_trial_end(record)`` report as it goes.
    A trial whose training fails (e.g. the loss became NaN) is recorded as failed and the
    search goes on; an error that would fail every trial (missing data, a network that does
    not fit) ends the search with that error.
    """
    from app.core.project import save_project
    from app.core.runs import read_summary
    from app.core.train.api import TrainingFailed, train_project
    from app.core.train.callbacks import TrainerControl

    if strategy not in STRATEGIES:
        raise SearchError(f"Unknown search strategy '{strategy}'; use one of {', '.join(STRATEGIES)}.")
    if trials < 1:
        raise SearchError("The search needs at least 1 trial.")
    if timeout_minutes is not None and not timeout_minutes > 0:
        raise SearchError("The time budget must be more than 0 minutes.")
    project_path = Path(project_path)
    from app.core.project import load_project

    project = load_project(project_path)
    space.check_project(project)
    if strategy == "grid":
        trials = min(trials, space.grid_size())
    folder = _prepare_folder(project_path, space, strategy, out)
    control = control or SearchControl()
    report = Progress(progress)
    optuna = _optuna()
    study, storage = open_study(folder, space, strategy)
    _recover_interrupted(study, storage)
    if strategy == "grid":
        _queue_grid(study, space)
    (folder / "projects").mkdir(exist_ok=True)
    started = time.monotonic()
    PruningCallback = _pruning_callback_class()

    while True:
        finished = [t for t in study.get_trials(deepcopy=False) if _counted(t)]
        if len(finished) >= trials or control.stop_requested:
            break
        if timeout_minutes is not None and time.monotonic() - started >= timeout_minutes * 60:
            break
        report(len(finished) / trials, f"Trial {len(finished) + 1} of {trials}")
        trial = study.ask()
        values = {p.name: _suggest(trial, p) for p in space.params}
        name = trial_name(trial.number)
        run_dir = folder / name
        if on_trial_start is not None:
            on_trial_start(trial.number, values)
        trial_project = space.apply(project, values)
        trial_project.name = f"{project.name} {name}"
        project_file = save_project(trial_project, folder / "projects" / f"{name}.mwproj")
        trainer_control = TrainerControl()
        control._attach(trainer_control)
        epoch_hook = (lambda epoch, value, n=trial.number: on_epoch(n, epoch, value)) if on_epoch else None
        pruning = PruningCallback(trial, space.metric, epoch_hook)
        try:
            train_project(project_file, out=run_dir, callbacks=[pruning, *train_callbacks], control=trainer_control)
        except TrainingFailed as exc:
            if pruning.missing is not None:
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
                raise SearchError(f"The search watches '{space.metric}', which this project's runs do not "
                                  f"measure; use one of {', '.join(pruning.missing)}.") from None
            trial.set_user_attr("error", str(exc).split(" (run directory:")[0])
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        except BaseException as exc:
            interrupted = isinstance(exc, KeyboardInterrupt)
            trial.set_user_attr("interrupted" if interrupted else "error", True if interrupted else str(exc))
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            if interrupted:
                study.enqueue_trial(values, skip_if_exists=False)
            raise
        else:
            summary = read_summary(run_dir)
            if summary.get("status") == "stopped":  # the user stopped the search mid-trial
                trial.set_user_attr("interrupted", True)
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
                study.enqueue_trial(values, skip_if_exists=False)
            elif pruning.pruned:
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            else:
                value = _best_value(summary, run_dir, space)
                if value is None:
                    trial.set_user_attr("error", "the run recorded no finite value of the metric")
                    study.tell(trial, state=optuna.trial.TrialState.FAIL)
                else:
                    study.tell(trial, value)
        finally:
            control._attach(None)
        if on_trial_end is not None:
            frozen = next(t for t in study.get_trials(deepcopy=False) if t.number == trial.number)
            on_trial_end(_record(frozen, folder))
    result = read_study(folder)
    report(1.0, "Search finished" if not control.stop_requested else "Search stopped")
    return result


def _best_value(summary: dict, run_dir: Path, space: SearchSpace) -> float | None:
    """The best value of the metric over the run's evaluations (what the checkpoint keeps)."""
    from app.core.runs import read_metrics
    from app.core.train.metrics import canonical_metric

    rows = read_metrics(run_dir)
    name = space.metric if any(space.metric in r for r in rows) else canonical_metric("classification", space.metric)
    values = [r[name] for r in rows if name in r and isinstance(r[name], float) and math.isfinite(r[name])]
    if not values:
        return None
    return min(values) if space.direction == "minimize" else max(values)


def promoted_project(folder: str | os.PathLike, number: int):
    """The project a trial trained (its settings and layer parameters), to adopt as the
    project's own; the values set are in ``read_study(folder)``'s record of that trial."""
    from app.core.project import load_project

    path = Path(folder) / "projects" / f"{trial_name(number)}.mwproj"
    if not path.is_file():
        raise SearchError(f"Trial {number} of '{folder}' has no project file; it may not have started.")
    return load_project(path)
