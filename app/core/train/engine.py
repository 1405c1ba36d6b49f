"""The training loop.

:class:`Trainer` trains a ``torch.nn.Module`` on ``TrainingSplit``s (in-memory tensors
batched by index slicing) and reports through callbacks. The hot path is kept free of
avoidable work: no ``.item()`` per step (losses are kept as tensors and read in groups),
no per-step allocations beyond the batch itself, ``zero_grad(set_to_none=True)``, and hooks
nobody overrides are never called.

Exact resume: the data order of an epoch is recomputed from ``(seed, epoch)``, the batches
already done are skipped, and model, optimizer, schedule, scaler and every random
generator come back from the checkpoint; on CPU the final weights are bit-identical to an
uninterrupted run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import time
from pathlib import Path
from typing import Protocol, Sequence

import torch

from app.core.errors import ModelwrightError
from app.core.runs import atomic_writer, run_paths, write_json_atomic
from app.core.safety.training_failures import OutOfMemoryFailure, is_out_of_memory, out_of_memory_message
from app.core.train.callbacks import BatchEnd, Callback, CallbackList, TrainerControl, TrainerState
from app.core.train.checkpoint import build_payload, load_checkpoint, restore_rng_state, write_payload
from app.core.train.checkpointing import Checkpointer
from app.core.train.config import TrainConfig
from app.core.train.csv_logger import CSVLogger
from app.core.train import distributed
from app.core.train.devices import (
    auto_threads,
    autocast_context,
    effective_precision,
    resolve_device,
    seed_everything,
)
from app.core.train.early_stopping import EarlyStopping
from app.core.train.guards import NonFiniteLossGuard, non_finite_weights_message, weights_are_finite
from app.core.train.history import History
from app.core.train.losses import build_loss, output_kind
from app.core.train.metrics import MetricSet, canonical_metric, check_metric_names, positive_class
from app.core.train.optim import LRSchedule, build_optimizer
from app.core.train.tensorboard_logger import TensorBoardLogger



class TrainingSplitLike(Protocol):
    """What the engine needs of a data split (``app.core.data.datasets.TrainingSplit``)."""

    def __len__(self) -> int: ...

    def epoch_order(self, epoch: int, seed: int, shuffle: bool) -> torch.Tensor: ...

    def batch(self, indices: torch.Tensor, *, train: bool = False, seed: int = 0,
              step: int = 0) -> tuple[torch.Tensor, torch.Tensor]: ...


class TrainingError(ModelwrightError):
    """Training cannot start or cannot go on (empty data, a model that does not fit it...)."""


def _plain(value):
    """NaN/inf become None so summaries are strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_NO_CONTEXT = contextlib.nullcontext()

#: Evaluation batches hold at most this many input + output numbers.
EVAL_BATCH_ELEMENTS = 2**24

#: Above this size an epoch of tensor data is sliced batch by batch instead of gathered once.
PREGATHER_MAX_BYTES = 256 * 2**20


def _slices_freely(split) -> bool:
    """True when ``split.batch`` is plain indexing of in-memory tensors (no augmentation,
    no per-batch decoding), so gathering a whole epoch gives exactly the same batches."""
    try:
        from app.core.data.datasets import TensorSplit
    except ImportError:  # pragma: no cover - the data package is part of the app
        return False
    if type(split).batch is not TensorSplit.batch:
        return False
    return split.inputs.nbytes + split.targets.nbytes <= PREGATHER_MAX_BYTES


class Trainer:
    """Trains ``model`` as ``config`` says, for a data task (binary, classification,
    regression or language-model) with ``n_outputs`` outputs.

    With ``run_dir`` the run writes checkpoints, metrics.csv and summary.json there, and
    model.safetensors when it completes (not when stopped or failed); without it, it only
    trains (and reports to callbacks).

    Example::

        trainer = Trainer(model, TrainConfig.from_dict({"epochs": 5}), task="classification",
                          n_outputs=3, run_dir="runs/demo")
        state = trainer.fit(train_split, val_split)
        state.status, state.history[-1]["val_accuracy"]
    """

    #: Step losses are read back from the device in groups of at most this many steps, or
    #: sooner once this many seconds have passed since the last read.
    loss_flush_steps = 32
    loss_flush_seconds = 0.05

    def __init__(self, model: torch.nn.Module, config: TrainConfig, *, task: str, n_outputs: int,
                 class_names: Sequence[str] | None = None, callbacks: Sequence[Callback] = (),
                 control: TrainerControl | None = None, run_dir: str | Path | None = None) -> None:
        self.model = model
        # What the loop calls: the model itself, or it wrapped for DDP / torch.compile.
        self.train_model: torch.nn.Module = model
        self.dist: distributed.DistributedContext | None = None
        self.config = config
        self.task = task
        self.n_outputs = int(n_outputs)
        self.class_names = tuple(class_names) if class_names else None
        self.control = control or TrainerControl()
        self.paths = run_paths(run_dir) if run_dir is not None else None
        self.loss_name, self.loss_fn = build_loss(config.loss, task, self.n_outputs)
        self.output_kind = output_kind(self.loss_name)
        self.metric_names = check_metric_names(task, config.metrics)
        self.device = resolve_device(config.device)
        self.precision = effective_precision(config.precision, self.device)
        self.user_callbacks = list(callbacks)
        self.state = TrainerState()
        self.optimizer: torch.optim.Optimizer | None = None
        self.schedule: LRSchedule | None = None
        self.scaler = None
        self.threads = 1
        self.record_columns: list[str] = []
        self.callbacks = CallbackList([])
        self.checkpointer: Checkpointer | None = None
        self._sample_numel = 1
        self._pending: list[torch.Tensor] = []
        self._pending_steps: list[int] = []
        self._pending_counts: list[int] = []
        self._last_flush = 0.0
        self._session_start = 0.0
        self._elapsed_before = 0.0

    # ---------------------------------------------------------------------------- setup
    @property
    def n_parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    @property
    def n_trainable_parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters() if p.requires_grad)

    def _build_callbacks(self, has_val: bool) -> CallbackList:
        cfg = self.config
        default_monitor = "val_loss" if has_val else "train_loss"
        # A multiclass project that watches "val_f1" (its name before f1_macro) watches val_f1_macro.
        monitor = canonical_metric(self.task, cfg.early_stopping.monitor) if cfg.early_stopping else default_monitor
        # Order matters: history first (others read it), the user's callbacks next (so a stop
        # they request in on_validation_end is honoured), writers last (they save the state
        # everyone else has updated).
        first: list[Callback] = [History(), NonFiniteLossGuard()]
        if cfg.early_stopping is not None:
            first.append(EarlyStopping(dataclasses.replace(cfg.early_stopping, monitor=monitor)))
        writers: list[Callback] = []
        if self.paths is not None:
            writers.append(CSVLogger(self.paths.metrics))
            if cfg.tensorboard:
                writers.append(TensorBoardLogger(self.paths.tensorboard))
            self.checkpointer = Checkpointer(cfg.checkpoint, monitor)
            writers.append(self.checkpointer)
        # Layers that steer their own training (gradual unfreezing of a pretrained base) bring
        # their callbacks; they run before the user's, so those see the layer's state.
        layered: list[Callback] = []
        for module in self.model.modules():
            hook = getattr(module, "training_callbacks", None)
            if callable(hook):
                layered.extend(hook())
        return CallbackList(first + layered + self.user_callbacks + writers)

    def _setup(self, train: TrainingSplitLike, val: TrainingSplitLike | None, resume_from: Path | None) -> None:
        cfg = self.config
        n_train = len(train)
        if n_train == 0:
            raise TrainingError("The training split is empty; check the data source and the split ratios.")
        if resume_from is None:
            seed_everything(cfg.seed)
        self.dist = distributed.current_context()
        self.model.to(self.device)
        self._check_model_fits(train)
        if not any(p.requires_grad for p in self.model.parameters()):
            raise TrainingError("The model has no trainable parameters; add a layer with weights or unfreeze one.")
        self.optimizer = build_optimizer(self.model, cfg.optimizer)
        if self.dist is not None:  # each process trains on its share of every epoch
            n_train = distributed.samples_per_rank(n_train, self.dist.world_size)
        n_batches = math.ceil(n_train / cfg.batch_size)
        steps_per_epoch = math.ceil(n_batches / cfg.grad_accum)
        total_steps = cfg.steps if cfg.steps is not None else steps_per_epoch * cfg.epochs
        self.schedule = LRSchedule(self.optimizer, cfg.scheduler, total_steps=total_steps,
                                   steps_per_epoch=steps_per_epoch)
        self.scaler = torch.amp.GradScaler("cuda") if self.precision == "fp16" else None
        self.eval_every = (cfg.eval_every or max(1, math.ceil(cfg.steps / 10))) if cfg.steps else None
        self.record_columns = ["epoch", "step", "train_loss"]
        if val is not None:
            self.record_columns += ["val_loss"] + [f"val_{m}" for m in self.metric_names]
        self.record_columns += ["lr", "seconds"]
        self.callbacks = self._build_callbacks(val is not None)

        rng_state = None
        if resume_from is not None:
            payload = load_checkpoint(resume_from)
            try:
                self.model.load_state_dict(payload["model"])
            except RuntimeError as exc:
                raise TrainingError(f"Checkpoint '{resume_from}' does not fit this model "
                                    f"({str(exc).splitlines()[0]}).") from exc
            self.optimizer.load_state_dict(payload["optimizer"])
            self.schedule.load_state_dict(payload["scheduler"])
            if self.scaler is not None and payload.get("scaler"):
                self.scaler.load_state_dict(payload["scaler"])
            self.state = TrainerState.from_dict(payload["trainer_state"])
            if self.state.batches_per_epoch not in (0, n_batches):
                raise TrainingError("The training data changed since this run was checkpointed "
                                    f"({self.state.batches_per_epoch} batches per epoch then, {n_batches} now); "
                                    "resume needs the same data and batch size.")
            for cb in self.callbacks:
                if cb.state_key and cb.state_key in self.state.callback_state:
                    cb.load_state_dict(self.state.callback_state[cb.state_key])
            rng_state = payload["rng"]
        self.state.status = "running"
        self.state.error = None
        self.state.batches_per_epoch = n_batches
        self.state.max_epochs = None if cfg.steps else cfg.epochs
        self.state.max_steps = cfg.steps
        if rng_state is not None:
            restore_rng_state(rng_state)  # last, so nothing above draws from the restored generators
        self.train_model = self._training_model()

    def _training_model(self) -> torch.nn.Module:
        """The model as the loop runs it: checkpointed blocks, DDP, torch.compile, as configured."""
        cfg, model = self.config, self.model
        if cfg.gradient_checkpointing:
            from app.core.train.activation_checkpointing import enable_activation_checkpointing

            enable_activation_checkpointing(model)
        if self.dist is not None:
            model = distributed.wrap_model(model, self.dist, self.device)
            # Dropout differs between processes (they see different data anyway); the weights
            # stay identical because DDP averages the gradients.
            torch.manual_seed(cfg.seed + 1_000_003 * self.dist.rank + self.state.global_step)
        if cfg.compile:
            model = torch.compile(model)
        return model

    def _check_model_fits(self, train: TrainingSplitLike) -> None:
        """One tiny forward pass (eval mode, no gradients), so a network that does not fit
        the data fails now with a plain message instead of a stack trace mid-epoch."""
        x, y = train.batch(train.epoch_order(0, self.config.seed, False)[:2])
        was_training = self.model.training
        self.model.eval()
        expected = {
            "binary": "one output (a final layer of size 1)",
            "classification": f"{self.n_outputs} outputs, one per class",
            "regression": f"{self.n_outputs} output(s), one per target",
            "language-model": f"(batch, sequence, {self.n_outputs}) scores over the vocabulary",
        }[self.task]
        try:
            with torch.no_grad():
                out = self.model(x.to(self.device))
                problem = None
                if self.task in ("binary", "regression") and tuple(out.shape) != tuple(y.shape):
                    problem = f"gives outputs of shape {tuple(out.shape)[1:]} per sample"
                elif self.task == "classification" and (out.dim() != 2 or out.shape[1] != self.n_outputs):
                    problem = f"gives outputs of shape {tuple(out.shape)[1:]} per sample"
                elif self.task == "language-model" and (tuple(out.shape[:-1]) != tuple(y.shape)
                                                        or out.shape[-1] != self.n_outputs):
                    problem = f"gives outputs of shape {tuple(out.shape)[1:]} per sample"
                else:
                    self.loss_fn(out.float(), y.to(self.device))
                    self._sample_numel = x[:1].numel() + out[:1].numel()
        except (RuntimeError, ValueError, IndexError, TypeError) as exc:
            if is_out_of_memory(exc):
                raise  # not a mismatch with the data: fit() explains it as running out of memory
            problem = f"fails on the data ({str(exc).splitlines()[0]})"
        finally:
            self.model.train(was_training)
        if problem:
            raise TrainingError(
                f"The network does not fit the data: it {problem}, but this {self.task} task needs {expected} "
                f"(inputs per sample: {tuple(x.shape)[1:]}). Check the Input node's shape and the size of the "
                "last layer."
            )

    # ----------------------------------------------------------------------------- fit
    def fit(self, train: TrainingSplitLike, val: TrainingSplitLike | None = None, *,
            resume_from: str | Path | None = None) -> TrainerState:
        """Train until the configured epochs/steps are done, a stop is requested, early
        stopping triggers or the loss stops being finite. Returns the final state.

        Exceptions reach ``on_exception`` hooks, mark the run failed (summary.json) and are
        re-raised.
        """
        if val is not None and len(val) == 0:
            val = None
        previous_threads = torch.get_num_threads()
        self.threads = self.config.threads or auto_threads(self.n_trainable_parameters, self.config.batch_size)
        if self.threads != previous_threads:
            torch.set_num_threads(self.threads)
        self._session_start = time.perf_counter()
        set_up = False
        try:
            self._setup(train, val, Path(resume_from) if resume_from is not None else None)
            set_up = True
            # Training time starts now: setup includes one-off imports torch does lazily.
            self._session_start = time.perf_counter()
            self._elapsed_before = self.state.elapsed_seconds
            self._last_flush = time.perf_counter()
            self.model.train()
            self.callbacks.call("on_fit_start", self, self.state, self.control)
            self._loop(train, val)
            self._finish()
            self.callbacks.call("on_fit_end", self, self.state, self.control)
            return self.state
        except BaseException as exc:
            failure = self._explain_failure(exc)
            if resume_from is not None and not set_up:
                # A resume refused before its first step leaves the run (summary.json included) as it was.
                if failure is not None:
                    raise failure from exc
                raise
            if failure is not None:
                self._fail(failure)
                raise failure from exc
            self._fail(exc)
            raise
        finally:
            if torch.get_num_threads() != previous_threads:
                torch.set_num_threads(previous_threads)

    def _loop(self, train: TrainingSplitLike, val: TrainingSplitLike | None) -> None:
        cfg, state, control, callbacks = self.config, self.state, self.control, self.callbacks
        model, optimizer, schedule, scaler = self.train_model, self.optimizer, self.schedule, self.scaler
        loss_fn, device, precision = self.loss_fn, self.device, self.precision
        bs, accum, seed, n_batches = cfg.batch_size, cfg.grad_accum, cfg.seed, state.batches_per_epoch
        step_mode, max_steps, eval_every = cfg.steps is not None, cfg.steps, self.eval_every
        on_device = device.type != "cpu"
        batch_listeners = callbacks.listens("on_batch_end")
        params = [p for group in optimizer.param_groups for p in group["params"]]
        pending, pending_steps, pending_counts = self._pending, self._pending_steps, self._pending_counts
        clock = time.perf_counter
        pregather = _slices_freely(train)
        flush_steps, flush_seconds = self.loss_flush_steps, self.loss_flush_seconds
        ddp = self.dist
        # Under DDP a process ends only where all agree (a stop asked of one process alone is
        # carried to the others at the next agreement point), so none is left waiting.
        self._agreed_end = False
        ending = (lambda: control.should_end) if ddp is None else (lambda: self._agreed_end)
        if ddp is not None:
            no_sync = getattr(model, "no_sync", None) or getattr(getattr(model, "_orig_mod", None), "no_sync")

        while not (state.global_step >= max_steps if step_mode else state.epoch >= cfg.epochs):
            epoch = state.epoch
            order = train.epoch_order(epoch, seed, cfg.shuffle)
            if ddp is not None:
                order = distributed.shard_order(order, ddp.rank, ddp.world_size)
            # Plain tensor data: gather the epoch once, then every batch is a free slice.
            gathered = train.batch(order) if pregather else None
            callbacks.call("on_epoch_start", self, state, control)
            b = state.batch_in_epoch
            while b < n_batches:
                group_end = min(b + accum, n_batches)
                k = group_end - b
                step_loss = None
                samples = 0
                for mb in range(b, group_end):
                    if gathered is not None:
                        x, y = gathered[0][mb * bs:(mb + 1) * bs], gathered[1][mb * bs:(mb + 1) * bs]
                    else:
                        x, y = train.batch(order[mb * bs:(mb + 1) * bs], train=True, seed=seed,
                                           step=epoch * n_batches + mb)
                    if on_device:
                        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
                    # Under DDP only the last micro-batch of a step averages gradients.
                    with (no_sync() if ddp is not None and mb < group_end - 1 else _NO_CONTEXT):
                        if precision == "fp32":
                            loss = loss_fn(model(x), y)
                        else:
                            with autocast_context(precision, device):
                                loss = loss_fn(model(x), y)
                        if k > 1:
                            loss = loss / k
                        if scaler is not None:
                            scaler.scale(loss).backward()
                        else:
                            loss.backward()
                    step_loss = loss.detach() if step_loss is None else step_loss + loss.detach()
                    samples += y.shape[0]
                if cfg.grad_clip is not None:
                    if scaler is not None:
                        scaler.unscale_(optimizer)
                    torch.nn.utils.clip_grad_norm_(params, cfg.grad_clip)
                if scaler is not None:
                    scaler.step(optimizer)
                    scaler.update()
                else:
                    optimizer.step()
                for p in params:  # zero_grad(set_to_none=True) without its per-call profiler scope
                    p.grad = None
                schedule.step()
                b = group_end
                state.global_step += 1
                state.batch_in_epoch = b
                pending.append(step_loss)
                pending_steps.append(state.global_step)
                pending_counts.append(samples)
                if batch_listeners:
                    callbacks.call("on_batch_end", self, state, control,
                                   BatchEnd(epoch, b, n_batches, state.global_step, schedule.lr, step_loss))
                if ddp is not None:
                    # By step number alone: rank 0 also reads losses when it checkpoints, so
                    # the pending count differs between processes.
                    if state.global_step % flush_steps == 0:
                        self.flush_losses()
                        self._agree_to_end()
                elif len(pending) >= flush_steps or clock() - self._last_flush >= flush_seconds:
                    self.flush_losses()
                if control.pause_requested and not ending():
                    self._pause()
                if ending():
                    break
                if step_mode:
                    if state.global_step % eval_every == 0:
                        self._evaluate_and_record(val)
                        if ddp is not None:
                            self._agree_to_end()
                    if state.global_step >= max_steps or ending():
                        break
            if ending() or b < n_batches:
                break  # stopped, or a step-based run reached its steps mid-epoch
            state.epoch = epoch + 1
            state.batch_in_epoch = 0
            if not step_mode:
                self._evaluate_and_record(val)
            callbacks.call("on_epoch_end", self, state, control)
            if ddp is not None:
                self._agree_to_end()
            if ending():
                break
        # A step-based run ends with an evaluation of its final weights.
        if step_mode and not ending() and (not state.history or state.history[-1]["step"] != state.global_step):
            self._evaluate_and_record(val)
        self.flush_losses()

    def _agree_to_end(self) -> None:
        """Under DDP: when any process stops or fails, every process does (none is left waiting)."""
        control = self.control
        # 3 failed, 2 stopped by the user (run ends "stopped"), 1 ended for a reason such as
        # early stopping (run ends "completed"), 0 going on.
        mine = (3 if control.failure is not None else 0 if not control.stop_requested
                else 2 if control.stop_reason is None else 1)
        agreed = distributed.agree_to_end(self.dist, mine)
        self._agreed_end = agreed > 0
        if agreed == 3 and control.failure is None:
            control.fail("Another training process failed (see its output); all processes stopped.")
        elif agreed == 2 and (not control.stop_requested or control.stop_reason is not None):
            control.stop_requested, control.stop_reason = True, None
        elif agreed == 1 and not control.stop_requested:
            control.request_stop("another training process ended the run")

    def _pause(self) -> None:
        self.flush_losses()
        self.state.status = "paused"
        paused_at = time.perf_counter()
        self.control.wait_while_paused()
        # Time spent paused is not training time.
        self._session_start += time.perf_counter() - paused_at
        self.state.status = "running"

    # ----------------------------------------------------------------- losses and records
    def flush_losses(self) -> bool:
        """Read pending step losses from the device (one sync) and hand them to callbacks.

        Returns False when the run has failed (e.g. a non-finite loss), so nothing is saved.
        """
        if self._pending:
            values = torch.stack(self._pending).float().tolist()
            steps, counts = list(self._pending_steps), list(self._pending_counts)
            self._pending.clear()
            self._pending_steps.clear()
            self._pending_counts.clear()
            state = self.state
            for value, n in zip(values, counts):
                state.interval_loss_sum += value * n
                state.interval_loss_count += n
            self.callbacks.call("on_train_losses", self, state, self.control, steps, values)
        self._last_flush = time.perf_counter()
        return self.control.failure is None

    def elapsed(self) -> float:
        return self._elapsed_before + (time.perf_counter() - self._session_start)

    def _evaluate_and_record(self, val: TrainingSplitLike | None) -> dict | None:
        ok = self.flush_losses()
        if self.dist is not None:  # every process takes the same way out (collectives follow)
            self._agree_to_end()
            ok = self.control.failure is None
        if not ok:
            return None
        state = self.state
        epoch = state.fractional_epoch if self.config.steps else state.epoch
        loss_sum, loss_count = state.interval_loss_sum, state.interval_loss_count
        if self.dist is not None:  # the training loss over all processes' batches
            loss_sum, loss_count = distributed.sum_across(self.dist, [loss_sum, float(loss_count)])
        record: dict = {
            "epoch": round(epoch, 4) if isinstance(epoch, float) else epoch,
            "step": state.global_step,
            "train_loss": loss_sum / loss_count if loss_count else math.nan,
        }
        if val is not None:
            result = self.evaluate(val)
            record["val_loss"] = result["loss"]
            for name in self.metric_names:
                record[f"val_{name}"] = result[name]
        record["lr"] = self.schedule.lr
        record["seconds"] = round(self.elapsed(), 3)
        state.interval_loss_sum, state.interval_loss_count = 0.0, 0
        self.schedule.on_evaluation(record)
        self.callbacks.call("on_validation_end", self, state, self.control, record)
        return record

    @torch.no_grad()
    def evaluate(self, split: TrainingSplitLike, *, report: bool = False, batch_size: int | None = None) -> dict:
        """Mean loss and metrics of the model on ``split`` (``report=True`` adds per-class
        figures and the confusion matrix). Plain floats; the model is left in train mode
        only if it was in train mode before."""
        was_training = self.model.training
        self.model.eval()
        metrics = MetricSet(self.task, self.n_outputs, self.metric_names, output_kind=self.output_kind,
                            class_names=self.class_names)
        # Without gradients a batch needs far less memory: evaluate in batches of up to
        # EVAL_BATCH_ELEMENTS input+output numbers (never fewer samples than in training).
        bs = batch_size or max(self.config.batch_size, EVAL_BATCH_ELEMENTS // max(self._sample_numel, 1))
        n = len(split)
        total = torch.zeros((), dtype=torch.float64, device=self.device)
        count = 0
        order = torch.arange(n)
        try:
            for start in range(0, n, bs):
                x, y = split.batch(order[start:start + bs])
                if self.device.type != "cpu":
                    x, y = x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)
                with autocast_context(self.precision, self.device):
                    out = self.model(x)
                out = out.float()
                elements = y.numel() if self.task == "language-model" else y.shape[0]
                total += self.loss_fn(out, y).double() * elements
                count += elements
                metrics.update(out, y)
        finally:
            self.model.train(was_training)
        result = metrics.report() if report else metrics.compute()
        result["loss"] = total.item() / count if count else math.nan
        return result

    # ------------------------------------------------------------------- checkpoints
    def checkpoint_payload(self, *, copy: bool = False) -> dict:
        state = self.state
        state.elapsed_seconds = self.elapsed()
        for cb in self.callbacks:
            if cb.state_key:
                saved = cb.state_dict()
                if saved is not None:
                    state.callback_state[cb.state_key] = saved
        return build_payload(model=self.model, optimizer=self.optimizer, schedule=self.schedule,
                             scaler=self.scaler, trainer_state=state.to_dict(), config=self.config.to_dict(),
                             copy=copy)

    def write_checkpoint(self, kind: str, payload: dict | None = None) -> Path | None:
        """Write ``checkpoints/<kind>.pt`` (now, or a payload captured earlier)."""
        if self.paths is None:
            return None
        path = self.paths.checkpoints / f"{kind}.pt"
        write_payload(path, payload if payload is not None else self.checkpoint_payload())
        self.callbacks.call("on_checkpoint", self, self.state, self.control, path, kind)
        return path

    # --------------------------------------------------------------------- the end
    def _finish(self) -> None:
        """Settle the run's status and write what it leaves behind.

        Only a completed run writes ``model.safetensors``: a stopped run keeps its ``last``
        checkpoint to resume from, so its half-trained weights never pass for a finished
        model; and weights that stopped being finite fail the run whatever the losses said.
        """
        state, control = self.state, self.control
        if control.failure is None and not weights_are_finite(self.model):
            control.fail(non_finite_weights_message(self, state))
        self._settle_status()
        state.elapsed_seconds = self.elapsed()
        if self.paths is not None:
            if self.checkpointer is not None:
                self.checkpointer.finish(self, state)
                self._settle_status()  # the final save may still find a non-finite loss or weight
            if state.status == "completed":
                self.save_weights(self.paths.weights)
            self.write_summary()

    def _settle_status(self) -> None:
        state, control = self.state, self.control
        if control.failure:
            state.status, state.error = "failed", control.failure
        elif control.stop_requested and control.stop_reason is None:
            state.status = "stopped"
        else:
            state.status = "completed"

    def _explain_failure(self, exc: BaseException) -> ModelwrightError | None:
        """An error a user can act on in place of a raw one (running out of memory), or None."""
        if not is_out_of_memory(exc):
            return None
        if self.device.type == "cuda":
            try:
                torch.cuda.empty_cache()  # so the summary, the best checkpoint and the GUI can still work
            except Exception:  # noqa: BLE001 - freeing memory is a courtesy
                pass
        state = self.state
        return OutOfMemoryFailure(out_of_memory_message(
            device=self.device, batch_size=self.config.batch_size, grad_accum=self.config.grad_accum,
            step=state.global_step + 1 if state.batches_per_epoch else None,
            epoch=state.epoch + 1 if state.batches_per_epoch else None))

    def _fail(self, exc: BaseException) -> None:
        state = self.state
        state.status = "failed"
        if isinstance(exc, KeyboardInterrupt):
            state.error = "Training was interrupted."
        elif isinstance(exc, ModelwrightError):
            state.error = str(exc)
        else:
            state.error = f"{type(exc).__name__}: {exc}"
        state.elapsed_seconds = self.elapsed()
        for cb in self.callbacks:
            try:
                cb.on_exception(self, state, self.control, exc)
            except Exception:  # noqa: BLE001 - one failing hook must not hide the original error
                pass
        if self.paths is not None:
            try:
                self.write_summary()
            except Exception:  # noqa: BLE001 - the original error matters more
                pass

    def save_weights(self, path: Path) -> None:
        """The model's weights as safetensors (tensors sharing memory are stored separately)."""
        from safetensors.torch import save

        tensors: dict[str, torch.Tensor] = {}
        seen: set[int] = set()
        for name, value in self.model.state_dict().items():
            t = value.detach().to("cpu").contiguous()
            ptr = t.untyped_storage().data_ptr()
            if ptr in seen and t.numel() > 0:
                t = t.clone()
            seen.add(ptr)
            tensors[name] = t
        data = save(tensors, metadata={"format": "pt"})
        with atomic_writer(path, "wb") as f:
            f.write(data)

    def summary(self) -> dict:
        state = self.state
        history = state.history
        best_record = next((r for r in history if r["step"] == state.best_step), None) if state.best_step else None
        return _plain({
            "status": state.status,
            "error": state.error,
            "stop_reason": self.control.stop_reason,
            "task": self.task,
            "loss": self.loss_name,
            "metrics": list(self.metric_names),
            **({"positive_class": positive_class(self.class_names)} if self.task == "binary" else {}),
            "device": str(self.device),
            "precision": self.precision,
            "threads": self.threads,
            "parameters": self.n_parameters,
            "trainable_parameters": self.n_trainable_parameters,
            "epochs_completed": state.epoch,
            "global_step": state.global_step,
            "elapsed_seconds": round(state.elapsed_seconds, 3),
            "final": dict(history[-1]) if history else {},
            "best": {"monitor": state.best_monitor, "value": state.best_metric, "epoch": state.best_epoch,
                     "step": state.best_step, "metrics": dict(best_record) if best_record else {}},
        })

    def write_summary(self) -> None:
        if self.paths is not None:
            write_json_atomic(self.paths.summary, self.summary())
