"""Training in a child process, watched over two pipes: how the GUI runs the engine.

Why a child process: measured here, a signal and redraw per batch made training 27.7x
slower than headless, a QThread engine throttled to 20 Hz still 1.26x; a child process
throttled to 20 Hz 1.025x with the GUI's timers staying on time. It also keeps torch out
of the GUI process and keeps the window alive when training crashes or runs out of memory.

The protocol is plain picklable dicts, never tensors. Child -> parent (``"kind"``):

- ``preparing``: ``fraction``, ``message`` (reading and preparing the data)
- ``started``: ``run_dir``, ``device``, ``parameters``, ``batches_per_epoch``, ``max_epochs``,
  ``max_steps``, ``samples_per_step``, ``units_per_sample`` (tokens per sample for language
  models, else 1), ``unit`` (``samples``/``tokens``), ``step``, ``history`` (records so far
  when resuming), ``monitor``
- ``update`` (at most :data:`MAX_MESSAGES_PER_SECOND` a second): ``steps`` and ``losses``
  (new per-step training losses), ``lrs`` (learning rate at each of those steps),
  ``records`` (new metrics.csv rows), ``checkpoints`` (kinds written), ``epoch``,
  ``batch``, ``batches``, ``step``, ``elapsed`` (training seconds), ``memory`` (bytes),
  ``best`` (``{"value", "epoch", "step"}``)
- ``status``: ``status`` = ``paused`` | ``running`` (acknowledges a command)
- ``finished``: ``status`` (completed | stopped | failed), ``run_dir``, ``error``,
  ``details`` (a traceback for unexpected errors), ``stop_reason``

Parent -> child: the strings ``"pause"``, ``"resume"``, ``"stop"``. A closed command pipe
(the parent died) stops the run cleanly.

Example::

    job = TrainingProcess("iris.mwproj", out="runs/first", overrides={"epochs": 5}).start()
    while job.running:
        for message in job.poll(timeout=0.1):
            print(message["kind"])
    job.result["status"]    # "completed"
"""

from __future__ import annotations

import math
import os
import threading
import time
import traceback
from pathlib import Path

from app.core.child_process import ChildJob

MAX_MESSAGES_PER_SECOND = 20
COMMANDS = ("pause", "resume", "stop")


def crash_message(exitcode: int | None) -> str:
    """Plain words for a child that ended without saying how."""
    if exitcode is not None and exitcode < 0:
        import signal

        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = (" This usually means the computer ran out of memory: try a smaller batch size or model."
                if -exitcode == getattr(signal, "SIGKILL", 9) else "")
        return f"The training process was ended by the system ({name}).{hint}"
    return (f"The training process ended unexpectedly (exit code {exitcode}). "
            "The run directory keeps the last checkpoint; resume it or start a new run.")


# ----------------------------------------------------------------------------- child side
def _memory_bytes(device) -> int:
    """Memory the run holds: allocated GPU memory on CUDA, else the process's resident size."""
    try:
        if getattr(device, "type", "cpu") == "cuda":
            import torch

            return int(torch.cuda.memory_allocated(device))
        import psutil

        return int(psutil.Process().memory_info().rss)
    except Exception:  # noqa: BLE001 - memory is a nice-to-have figure, never a reason to fail
        return 0


def _reporter_class():
    """Built on demand so importing this module never imports the engine (and torch)."""
    from app.core.train.callbacks import Callback

    class PipeReporter(Callback):
        """Collects engine events and sends them as one ``update`` at most 20 times a second."""

        def __init__(self, send, interval: float) -> None:
            self._send = send
            self.interval = interval
            self._last = 0.0
            self._fresh()
            self._device = None

        def _fresh(self) -> None:
            self.steps: list[int] = []
            self.losses: list[float] = []
            self.lrs: list[float] = []
            self.records: list[dict] = []
            self.checkpoints: list[str] = []

        def _maybe_flush(self, trainer, state, force: bool = False) -> None:
            now = time.perf_counter()
            if not force and now - self._last < self.interval:
                return
            self._last = now
            message = {
                "kind": "update", "steps": self.steps, "losses": self.losses, "lrs": self.lrs,
                "records": self.records, "checkpoints": self.checkpoints,
                "epoch": state.epoch, "batch": state.batch_in_epoch, "batches": state.batches_per_epoch,
                "step": state.global_step, "elapsed": trainer.elapsed(),
                "memory": _memory_bytes(self._device),
                "best": {"value": state.best_metric, "epoch": state.best_epoch, "step": state.best_step},
            }
            self._fresh()
            self._send(message)

        def on_fit_start(self, trainer, state, control) -> None:
            self._device = trainer.device
            config = trainer.config
            if trainer.task != "language-model":
                self.units_per_sample = 1
            self._send({
                "kind": "started", "run_dir": str(trainer.paths.root) if trainer.paths else None,
                "device": str(trainer.device), "precision": trainer.precision,
                "parameters": trainer.n_parameters, "batches_per_epoch": state.batches_per_epoch,
                "max_epochs": state.max_epochs, "max_steps": state.max_steps,
                "samples_per_step": config.batch_size * config.grad_accum,
                "units_per_sample": self.units_per_sample, "unit": "tokens" if self.units_per_sample > 1 else "samples",
                "step": state.global_step, "epoch": state.epoch, "history": [dict(r) for r in state.history],
                "monitor": state.best_monitor, "memory": _memory_bytes(trainer.device),
            })
            self._last = time.perf_counter()

        units_per_sample = 1

        def on_train_losses(self, trainer, state, control, steps, losses) -> None:
            self.steps.extend(steps)
            self.losses.extend(losses)
            lr = trainer.schedule.lr if trainer.schedule is not None else math.nan
            self.lrs.extend([lr] * len(steps))
            self._maybe_flush(trainer, state)

        def on_validation_end(self, trainer, state, control, record) -> None:
            self.records.append(dict(record))
            self._maybe_flush(trainer, state)

        def on_checkpoint(self, trainer, state, control, path, kind) -> None:
            self.checkpoints.append(kind)

        def on_fit_end(self, trainer, state, control) -> None:
            self._maybe_flush(trainer, state, force=True)

        def on_exception(self, trainer, state, control, error) -> None:
            try:
                self._maybe_flush(trainer, state, force=True)
            except Exception:  # noqa: BLE001 - the error itself is what must reach the parent
                pass

    return PipeReporter


def _listen(commands, control, send) -> None:
    """Child thread: turn parent commands into control calls; a vanished parent means stop."""
    while True:
        try:
            command = commands.recv()
        except (EOFError, OSError):
            control.request_stop()
            return
        if command == "pause":
            control.request_pause()
            send({"kind": "status", "status": "paused"})
        elif command == "resume":
            control.resume()
            send({"kind": "status", "status": "running"})
        elif command == "stop":
            control.request_stop()
            return


def child_main(events, commands, job: dict) -> None:
    """The child process: train ``job`` (train_project's arguments) and report over ``events``."""
    lock = threading.Lock()
    broken = threading.Event()

    def send(message: dict) -> None:
        if broken.is_set():
            return
        with lock:
            try:
                events.send(message)
            except (OSError, EOFError, BrokenPipeError):
                broken.set()  # the parent is gone: keep training to a clean stop, quietly

    run_dir = job.get("out") or job.get("resume")
    result = {"kind": "finished", "status": "failed", "run_dir": str(run_dir) if run_dir else None,
              "error": None, "details": None, "stop_reason": None}
    try:
        from app.core.train.startup import import_training_modules

        import_training_modules()  # this process exists to train: its imports are frozen
        threads = job.get("threads")
        if threads:
            import torch

            torch.set_num_threads(int(threads))
        from app.core.errors import ModelwrightError
        from app.core.train.api import TrainingFailed, train_project
        from app.core.train.callbacks import TrainerControl

        control = TrainerControl()
        listener = threading.Thread(target=_listen, args=(commands, control, send), daemon=True)
        listener.start()
        reporter = _reporter_class()(send, 1.0 / MAX_MESSAGES_PER_SECOND)
        last_prep = [0.0]

        def preparing(fraction: float, message: str) -> None:
            now = time.perf_counter()
            if fraction >= 1.0 or now - last_prep[0] >= 1.0 / MAX_MESSAGES_PER_SECOND:
                last_prep[0] = now
                send({"kind": "preparing", "fraction": float(fraction), "message": message})

        project = job.get("project")
        if job.get("lm_tokens_per_sample"):
            reporter.units_per_sample = int(job["lm_tokens_per_sample"])
        try:
            out = train_project(project, out=job.get("out"), resume=job.get("resume"),
                                overrides=job.get("overrides"), callbacks=[reporter], control=control,
                                progress=preparing)
            result["run_dir"] = str(out)
            summary = _read_summary(out)
            result["status"] = summary.get("status", "completed")
            result["stop_reason"] = summary.get("stop_reason")
        except TrainingFailed as exc:
            result.update(status="failed", error=str(exc), run_dir=str(exc.run_dir))
        except ModelwrightError as exc:
            result.update(status="failed", error=str(exc))
    except BaseException as exc:  # noqa: BLE001 - anything at all must reach the parent as a failed run
        result.update(status="failed", error=f"{type(exc).__name__}: {exc}", details=traceback.format_exc())
    send(result)
    try:
        events.close()
    except OSError:
        pass


def _read_summary(run_dir) -> dict:
    import json

    try:
        return json.loads((Path(run_dir) / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# ---------------------------------------------------------------------------- parent side
class TrainingProcess(ChildJob):
    """The parent's handle on one training run in a child process (Qt-free; the GUI reads
    :meth:`poll` from a thread). Exactly one ``finished`` message ends every run, also when
    the child crashes (then with ``status`` failed and a plain message)."""

    process_name = "modelwright-training"
    commands = COMMANDS
    child_main = staticmethod(child_main)

    def __init__(self, project: str | os.PathLike | None = None, *, out: str | os.PathLike | None = None,
                 resume: str | os.PathLike | None = None, overrides: dict | None = None,
                 threads: int | None = None, lm_tokens_per_sample: int | None = None) -> None:
        super().__init__({"project": str(project) if project is not None else None,
                          "out": str(out) if out is not None else None,
                          "resume": str(resume) if resume is not None else None,
                          "overrides": dict(overrides or {}), "threads": threads,
                          "lm_tokens_per_sample": lm_tokens_per_sample})
        self.run_dir: str | None = self.job["out"] or self.job["resume"]

    def pause(self) -> bool:
        return self.send("pause")

    def resume(self) -> bool:
        return self.send("resume")

    def _on_message(self, message: dict) -> None:
        if message.get("kind") == "started" and message.get("run_dir"):
            self.run_dir = message["run_dir"]

    def _crash_result(self, exitcode: int | None) -> dict:
        return {"kind": "finished", "status": "failed", "run_dir": self.run_dir, "error": crash_message(exitcode),
                "details": None, "stop_reason": None, "crashed": True}
