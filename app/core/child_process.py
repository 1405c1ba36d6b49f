"""The parent's side of a long job run in a spawned child process, over two one-way pipes.

Training and hyper-parameter search both run this way, so the GUI stays smooth, never
imports torch, and survives a child that crashes or runs out of memory. The child sends
plain dicts (``{"kind": ...}``) and always ends with one ``{"kind": "finished"}``; the parent
sends short command strings. A child that dies without saying so still ends the job with
a ``finished`` message built by :meth:`ChildJob._crash_result`.

Subclasses say what runs (``child_main``) and what a crash reports. Example::

    class EchoJob(ChildJob):
        process_name = "echo"
        child_main = staticmethod(echo_main)      # echo_main(events, commands, job)

        def _crash_result(self, exitcode):
            return {"kind": "finished", "status": "failed", "error": f"exit {exitcode}"}

    job = EchoJob({"text": "hi"}).start()
    job.wait()["status"]
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from typing import Callable, ClassVar


class ChildJob:
    """Start, talk to, drain and end one child process. Qt-free; :meth:`poll` may be called
    from a reader thread while another thread sends commands."""

    process_name: ClassVar[str] = "modelwright-job"
    commands: ClassVar[tuple[str, ...]] = ("stop",)
    child_main: ClassVar[Callable]

    def __init__(self, job: dict) -> None:
        self.job = job
        self.result: dict | None = None
        self._process = None
        self._events = None
        self._commands = None
        self._lock = threading.Lock()

    def start(self):
        ctx = multiprocessing.get_context("spawn")
        events_recv, events_send = ctx.Pipe(duplex=False)
        commands_recv, commands_send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=type(self).child_main, args=(events_send, commands_recv, self.job),
                                    name=self.process_name, daemon=True)
        self._process.start()
        events_send.close()  # only the child writes events; our copy closed means EOF on its exit
        commands_recv.close()
        self._events, self._commands = events_recv, commands_send
        return self

    @property
    def running(self) -> bool:
        return self._process is not None and self.result is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def send(self, command: str) -> bool:
        """Send one of :attr:`commands`; False when the child is gone already."""
        if command not in self.commands:
            raise ValueError(f"unknown command {command!r}")
        if self._commands is None or self.result is not None:
            return False
        with self._lock:
            try:
                self._commands.send(command)
                return True
            except (OSError, EOFError, BrokenPipeError):
                return False

    def stop(self) -> bool:
        return self.send("stop")

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
            self._on_message(message)
        if self.result is None and not messages and not self._process.is_alive():
            # Dead with nothing left in the pipe (a crash that skipped the pipe's EOF).
            messages.append(self._crashed())
        return messages

    def wait(self, timeout: float | None = None) -> dict | None:
        """Drain messages until the job finishes (or ``timeout`` passes); returns the result."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.result is None:
            left = 0.2 if deadline is None else max(0.0, min(0.2, deadline - time.monotonic()))
            self.poll(left)
            if deadline is not None and time.monotonic() >= deadline:
                break
        return self.result

    def kill(self) -> None:
        """Last resort when a stop is not honoured (the window is closing)."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)

    # --- for subclasses ---------------------------------------------------------------------
    def _on_message(self, message: dict) -> None:
        """Called for every message but the last; a place to remember what it says."""

    def _crash_result(self, exitcode: int | None) -> dict:
        """The ``finished`` message of a child that died without sending one."""
        raise NotImplementedError

    # --- internals --------------------------------------------------------------------------
    def _crashed(self) -> dict:
        self._process.join(5)
        message = self._crash_result(self._process.exitcode)
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
