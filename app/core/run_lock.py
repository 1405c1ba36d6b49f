"""One writer per run folder: a lock file created exclusively before anything is written.

Two ``train`` processes started on the same ``--out`` (or a ``--resume`` of a run that is
still training) would otherwise interleave their files into one inconsistent run. The lock
is ``RUN/.modelwright-run.lock``, created with ``O_CREAT | O_EXCL`` (only one process can
create it) and holding the owner's PID and host. A lock whose process died (same host, PID
gone) is taken over; a live one refuses the newcomer in one line.

Example::

    lock = acquire_run_lock(run_dir, note=print)     # RunBusyError when another process trains it
    try:
        ...                                          # write the run
    finally:
        lock.release()
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from app.core.fileio import disk_full_error
from app.core.runs import RunDirError

LOCK_NAME = ".modelwright-run.lock"
#: A lock file still empty after this long was left by a process killed while creating it.
EMPTY_LOCK_GRACE_SECONDS = 5.0
#: A takeover guard this old was left by a process killed while taking over a stale lock.
STALE_GUARD_SECONDS = 30.0


class RunBusyError(RunDirError):
    """Another live process is writing this run folder."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds a run lock, as written in the lock file."""

    pid: int
    host: str
    started: float
    raw: bytes

    @classmethod
    def parse(cls, raw: bytes) -> "LockHolder | None":
        try:
            data = json.loads(raw.decode("utf-8"))
            return cls(int(data["pid"]), str(data["host"]), float(data["started"]), raw)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None

    def alive(self) -> bool:
        """False only when certain: same host and the process is gone (or its PID was reused)."""
        if self.host != socket.gethostname():
            return True  # another machine sharing the folder: its processes cannot be checked from here
        return process_alive(self.pid, since=self.started)

    def describe(self) -> str:
        since = datetime.fromtimestamp(self.started).strftime("%Y-%m-%d %H:%M:%S")
        return f"process {self.pid} on {self.host} (since {since})"


def process_alive(pid: int, since: float | None = None) -> bool:
    """Whether process ``pid`` runs on this machine (a zombie, or a newer process that reused
    the PID after ``since``, counts as gone)."""
    import psutil

    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        if since is not None and process.create_time() > since + 1.0:
            return False
        return True
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # exists but cannot be inspected (another user's): assume it is alive
        return True


class RunLock:
    """A held run lock; :meth:`release` removes the file if it is still this process's."""

    def __init__(self, path: Path, raw: bytes) -> None:
        self.path = path
        self._raw = raw
        self.held = True

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        try:
            if self.path.read_bytes() == self._raw:
                self.path.unlink()
        except OSError:
            pass

    def __enter__(self) -> "RunLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def lock_path(run_dir: str | os.PathLike) -> Path:
    return Path(run_dir) / LOCK_NAME


def read_holder(run_dir: str | os.PathLike) -> LockHolder | None:
    """The process named in ``run_dir``'s lock file, or None when there is no readable lock."""
    try:
        return LockHolder.parse(lock_path(run_dir).read_bytes())
    except OSError:
        return None


def acquire_run_lock(run_dir: str | os.PathLike, *, note: Callable[[str], None] | None = None,
                     attempts: int = 50) -> RunLock:
    """Create ``run_dir``'s lock exclusively; take over a dead process's lock (saying so through
    ``note``); raise :class:`RunBusyError` when a live process holds it."""
    run_dir = Path(run_dir)
    path = lock_path(run_dir)
    raw = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": time.time(),
                      "token": uuid.uuid4().hex}).encode("utf-8")
    for _ in range(attempts):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            pass
        except FileNotFoundError:
            raise  # the folder is gone: the caller decides whether to create it again
        except OSError as exc:
            raise RunDirError(f"Cannot create the lock file '{path}': {exc.strerror or exc}. "
                              "Choose a folder you can write to.") from exc
        else:
            try:
                try:
                    os.write(fd, raw)
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:  # a full disk: no empty lock is left behind
                path.unlink(missing_ok=True)
                full = disk_full_error(exc, path)
                raise (full or RunDirError(f"Cannot write the lock file '{path}': {exc.strerror or exc}.")) from exc
            return RunLock(path, raw)
        try:
            current = path.read_bytes()
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            continue  # released meanwhile: try again
        except OSError as exc:
            raise RunDirError(f"Cannot read the lock file '{path}': {exc.strerror or exc}.") from exc
        holder = LockHolder.parse(current)
        if holder is None and age < EMPTY_LOCK_GRACE_SECONDS:
            time.sleep(0.05)  # another process is writing its name into the lock right now
            continue
        if holder is not None and holder.alive():
            raise RunBusyError(f"'{run_dir}' is being trained by {holder.describe()}; wait for it to finish "
                               f"or choose another folder (delete '{path}' only if no such process is running).")
        if _remove_stale(path, current) and note is not None:
            who = holder.describe() if holder is not None else "a process that was killed while starting"
            note(f"'{run_dir}' was locked by {who}, which is no longer running; taking it over.")
    raise RunBusyError(f"Could not lock '{run_dir}': other processes keep claiming it; try again.")


def _remove_stale(path: Path, stale: bytes) -> bool:
    """Delete the lock file if it still holds ``stale``; a guard file makes the check and the
    delete one step, so a lock just taken by another process is never removed by mistake."""
    guard = path.with_name(path.name + ".takeover")
    try:
        fd = os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        try:
            if time.time() - guard.stat().st_mtime > STALE_GUARD_SECONDS:
                guard.unlink()
        except OSError:
            pass
        time.sleep(0.05)
        return False
    os.close(fd)
    try:
        if path.read_bytes() == stale:
            path.unlink()
            return True
        return False
    except OSError:
        return False
    finally:
        try:
            guard.unlink()
        except OSError:
            pass
