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

import threading
import traceback

from app.core.child_process import ChildJob


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


class SearchProcess(ChildJob):
    """The parent's handle on a search in a child process (Qt-free). Exactly one
    ``finished`` message ends it, also when the child crashes."""

    process_name = "modelwright-search"
    child_main = staticmethod(child_main)

    def __init__(self, project, space: dict, *, trials: int, strategy: str = "tpe",
                 timeout_minutes: float | None = None, out=None, threads: int | None = None) -> None:
        super().__init__({"project": str(project), "space": dict(space), "trials": int(trials), "strategy": strategy,
                          "timeout_minutes": timeout_minutes, "out": str(out) if out is not None else None,
                          "threads": threads})

    def _crash_result(self, exitcode: int | None) -> dict:
        from app.core.train.supervisor import crash_message

        return {"kind": "finished", "status": "failed", "folder": self.job["out"],
                "error": crash_message(exitcode).replace("training", "search")}
