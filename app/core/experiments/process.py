"""A search in a child process, watched over two pipes: how the GUI runs a search.

Like training (:mod:`app.core.train.supervisor`), a search runs in its own process so the
window stays smooth and never imports torch. Messages child -> parent (``"kind"``):

- ``trial_started``: ``number``, ``params``
- ``epoch``: ``number``, ``epoch``, ``value`` (the watched metric after that epoch)
- ``trial``: ``record`` (a :class:`~app.core.experiments.search.TrialRecord` as a dict)
- ``finished``: ``status`` (completed | stopped | failed), ``folder``, ``error``

Parent -> child: ``"stop"`` (the trial in progress stops and is run again on resume); a
closed command pipe (the parent died) stops the search the same way.

Example::

    job = SearchProcess("iris.mwproj", space.to_dict(), trials=8, out="runs/iris-search").start()
    while job.running:
        for message in job.poll(0.1):
            print(message["kind"])
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback


def _listen(commands, control) -> None:
    while True:
        try:
            command = commands.recv()
        except (EOFError, OSError):
            control.request_stop()
            return
        if command == "stop":
            control.request_stop()
            return


def child_main(events, commands, job: dict) -> None:
    """The child process: run the search in ``job`` and report over ``events``."""
    lock = threading.Lock()

    def send(message: dict) -> None:
        with lock:
            try:
                events.send(message)
            except (OSError, EOFError, BrokenPipeError):
                pass

    result = {"kind": "finished", "status": "failed", "folder": job.get("out"), "error": None}
    try:
        import torch

        torch.set_num_threads(int(job.get("threads") or 1))
        from app.core.errors import ModelwrightError
        from app.core.experiments.search import SearchControl, run_search
        from app.core.experiments.space import SearchSpace

        control = SearchControl()
        threading.Thread(target=_listen, args=(commands, control), daemon=True).start()
        try:
            study = run_search(
                job["project"], SearchSpace.from_dict(job["space"]), trials=job["trials"],
                timeout_minutes=job.get("timeout_minutes"), strategy=job.get("strategy", "tpe"), out=job.get("out"),
                control=control,
                on_trial_start=lambda n, p: send({"kind": "trial_started", "number": n, "params": p}),
                on_epoch=lambda n, e, v: send({"kind": "epoch", "number": n, "epoch": e, "value": v}),
                on_trial_end=lambda r: send({"kind": "trial", "record": r.to_dict()}))
            result.update(status="stopped" if control.stop_requested else "completed", folder=str(study.folder))
        except ModelwrightError as exc:
            result.update(error=str(exc))
    except BaseException as exc:  # noqa: BLE001 - anything at all must reach the parent
        result.update(error=f"{type(exc).__name__}: {exc}", details=traceback.format_exc())
    send(result)
    try:
        events.close()
    except OSError:
        pass


class SearchProcess:
    """The parent's handle on a search in a child process (Qt-free). Exactly one
    ``finished`` message ends it, also when the child crashes."""

    def __init__(self, project, space: dict, *, trials: int, strategy: str = "tpe",
                 timeout_minutes: float | None = None, out=None, threads: int | None = None) -> None:
        self.job = {"project": str(project), "space": dict(space), "trials": int(trials), "strategy": strategy,
                    "timeout_minutes": timeout_minutes, "out": str(out) if out is not None else None,
                    "threads": threads}
        self.result: dict | None = None
        self._process = None
        self._events = None
        self._commands = None

    def start(self) -> "SearchProcess":
        ctx = multiprocessing.get_context("spawn")
        events_recv, events_send = ctx.Pipe(duplex=False)
        commands_recv, commands_send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=child_main, args=(events_send, commands_recv, self.job),
                                    name="modelwright-search", daemon=True)
        self._process.start()
        events_send.close()
        commands_recv.close()
        self._events, self._commands = events_recv, commands_send
        return self

    @property
    def running(self) -> bool:
        return self._process is not None and self.result is None

    def stop(self) -> bool:
        if self._commands is None or self.result is not None:
            return False
        try:
            self._commands.send("stop")
            return True
        except (OSError, EOFError, BrokenPipeError):
            return False

    def poll(self, timeout: float = 0.0) -> list[dict]:
        """Every message available now (waiting up to ``timeout`` seconds for the first)."""
        if self._events is None or self.result is not None:
            return []
        messages: list[dict] = []
        wait = timeout
        while True:
            try:
                if not self._events.poll(wait):
                    break
                message = self._events.recv()
            except (EOFError, OSError):
                messages.append(self._crashed())
                break
            wait = 0.0
            messages.append(message)
            if message.get("kind") == "finished":
                self._finish(message)
                break
        if self.result is None and not messages and not self._process.is_alive():
            messages.append(self._crashed())
        return messages

    def _crashed(self) -> dict:
        from app.core.train.supervisor import crash_message

        self._process.join(5)
        message = {"kind": "finished", "status": "failed", "folder": self.job["out"],
                   "error": crash_message(self._process.exitcode).replace("training", "search")}
        self._finish(message)
        return message

    def _finish(self, message: dict) -> None:
        self.result = message
        self._process.join(10)
        for conn in (self._events, self._commands):
            try:
                conn.close()
            except OSError:
                pass

    def wait(self, timeout: float | None = None) -> dict | None:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.result is None:
            self.poll(0.2)
            if deadline is not None and time.monotonic() >= deadline:
                break
        return self.result

    def kill(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)
