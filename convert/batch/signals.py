"""Stopping a build on SIGTERM or SIGINT: promptly, cleanly, keeping what finished.

CI runners and ``timeout`` send SIGTERM, a terminal Ctrl-C sends SIGINT. In the main
process either raises ``Interrupted``: the executor stops its workers, the cache records
what finished and the command exits 128 + the signal (143, 130). A worker busy with a task
unwinds it (a half-written output and temporary folders are removed on the way), closes its
pandoc and exits; an idle worker closes its pandoc and exits at once.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from convert.output import remove_left_by, remove_unfinished

STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Interrupted(BaseException):
    """The build was told to stop (not an ``Exception``: no ``except Exception`` may swallow it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum: int, frame: FrameType | None) -> None:
    for each in STOPPING_SIGNALS:  # once is enough: a second signal must not break the clean-up
        signal.signal(each, signal.SIG_IGN)
    raise Interrupted(signum)


# The handler a stop signal runs here now (``_raise`` in a command, ``_in_worker`` in a worker).
_handler: list[Callable[[int, FrameType | None], None] | None] = [None]
_default_unraisable = sys.unraisablehook
_SEND_AGAIN_AFTER_S = 0.05


def _send_again(unraisable: sys.UnraisableHookArgs) -> None:
    """A stop signal that came while a finalizer (a ``__del__``, as ``ZipFile``'s) ran raised
    ``Interrupted`` where Python can only print a traceback and drop it: the stop was lost. It is
    sent again, its handler back in place, to be raised where the code can unwind (a moment later:
    sent at once, it would be raised in this hook, where it is dropped too)."""
    stop = unraisable.exc_value
    if isinstance(stop, Interrupted) and _handler[0] is not None:
        signal.signal(stop.signum, _handler[0])
        threading.Timer(_SEND_AGAIN_AFTER_S, os.kill, (os.getpid(), stop.signum)).start()
        return
    _default_unraisable(unraisable)


def _answer_stops_with(handler: Callable[[int, FrameType | None], None] | None) -> None:
    _handler[0] = handler
    sys.unraisablehook = _send_again if handler is not None else _default_unraisable


@contextmanager
def interruptible() -> Iterator[None]:
    """In the block, SIGTERM and SIGINT raise ``Interrupted`` (main thread only)."""
    previous = {each: signal.signal(each, _raise) for each in STOPPING_SIGNALS}
    before = _handler[0]
    _answer_stops_with(_raise)
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)
        _answer_stops_with(before)


# Workers killed because they had not unwound in time (``local_pool``): what they were writing is
# left behind, and the command removes it from its output folder before it exits.
_killed_workers: set[int] = set()


def killed_while_busy(pid: int) -> None:
    _killed_workers.add(pid)


@contextmanager
def exiting_when_stopped(kept: str | Callable[[], str], outputs: Path | None = None) -> Iterator[None]:
    """A command's run: SIGTERM or Ctrl-C stops it with one line saying what is ``kept`` (or what
    ``kept()`` says then) and the exit code 128 + the signal (143, 130), after the ``with`` blocks
    inside have stopped their workers. A worker killed while writing into ``outputs`` leaves no
    temporary file there."""
    try:
        with interruptible():
            yield
    except Interrupted as exc:
        if outputs is not None:
            remove_left_by(outputs, _killed_workers)
        print(f"tearsheet: stopped by {exc}; {kept if isinstance(kept, str) else kept()}", file=sys.stderr)
        sys.exit(exc.exit_code)


_busy: list[bool] = [False]


@contextmanager
def task_running() -> Iterator[None]:
    """In a worker: a task is under way, so a stop signal unwinds it (see ``stop_worker_on_signals``)."""
    _busy[0] = True
    try:
        yield
    except Interrupted as exc:
        exit_worker(exc.signum)
    finally:
        _busy[0] = False


def exit_worker(signum: int) -> None:
    """End this worker process now, its pandoc closed (and with it pandoc's temporary folder) and no
    output of its own half-written."""
    from convert.pandoc_process import close_all

    remove_unfinished()
    close_all()
    os._exit(128 + signum)


def _in_worker(signum: int, frame: FrameType | None) -> None:
    if _busy[0]:
        _raise(signum, frame)
    exit_worker(signum)


# The build process a worker serves: its id, and its multiprocessing temporary folder.
Build = tuple[int, str]


def stop_worker_on_signals(build: Build | None = None) -> None:
    """Pool initializer part: how a worker process answers SIGTERM and SIGINT.

    With ``build``, the worker also stops itself (as on SIGTERM) once that process is gone, and
    removes the build's temporary folder: a build killed outright (SIGKILL, out of memory) must
    leave neither its workers and their pandoc nor its folder.
    """
    for each in STOPPING_SIGNALS:
        signal.signal(each, _in_worker)
    _answer_stops_with(_in_worker)
    if build is not None:
        threading.Thread(target=_watch_build, args=build, daemon=True, name="build-watch").start()


def _watch_build(build_pid: int, build_temp: str) -> None:
    while alive(build_pid):
        time.sleep(_WATCH_EVERY_S)
    shutil.rmtree(build_temp, ignore_errors=True)  # every worker tries: the first one removes it
    os.kill(os.getpid(), signal.SIGTERM)  # handled on the main thread, where the task unwinds


def alive(pid: int) -> bool:
    """Whether ``pid`` runs: it exists and is not a zombie (killed, not yet reaped by its parent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] != b"Z"
    except (OSError, IndexError):  # no /proc (not Linux): existing is all that can be told
        return True


_WATCH_EVERY_S = 1.0
