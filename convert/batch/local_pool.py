"""The local executor: warm worker processes on this machine (a forkserver that imported WeasyPrint once)."""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.util
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, TypeVar

from convert.batch.executor import Stop
from convert.batch.outcomes import JobOutcome, Task, crash_reason, lost
from convert.batch.signals import Interrupted, alive, killed_while_busy, task_running
from convert.batch.worker import run_durably, warm_up

T = TypeVar("T")

# AF_UNIX socket paths: 108 bytes on Linux, 104 on macOS and the BSDs, the terminating NUL included.
_SOCKET_PATH_LIMIT = 104
# what multiprocessing adds to the temporary folder for the forkserver's socket: /pymp-XXXXXXXX/listener-XXXXXXXX
_SOCKET_NAME_LENGTH = len("/pymp-12345678/listener-12345678")


def _mp_context() -> BaseContext:
    """A forkserver that imported WeasyPrint once, where there is one and its socket's path fits in
    TMPDIR (a long TMPDIR made every build fail with "AF_UNIX path too long"); else fresh processes."""
    fits = len(os.fsencode(tempfile.gettempdir())) + _SOCKET_NAME_LENGTH < _SOCKET_PATH_LIMIT
    if fits and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["convert.batch.worker", "weasyprint"])
        return context
    return multiprocessing.get_context("spawn")


# Marks multiprocessing's temporary folder as a build's, with the build's process id.
BUILD_MARK = "tearsheet-build.pid"


def _pool_temp_dir() -> str:
    """multiprocessing's temporary folder of this process (its forkserver's socket), marked as a build's.

    A build killed outright cannot remove it: its workers do when they see the build gone, and
    every build first removes those that builds no longer running left (workers there were none).
    """
    _remove_left_temp_dirs()
    folder = multiprocessing.util.get_temp_dir()
    (Path(folder) / BUILD_MARK).write_text(str(os.getpid()), encoding="ascii")
    return folder


def _remove_left_temp_dirs() -> None:
    for folder in Path(tempfile.gettempdir()).glob("pymp-*"):
        try:
            pid = int((folder / BUILD_MARK).read_text(encoding="ascii"))
        except (OSError, ValueError):  # not a build's, or not ours to read
            continue
        if pid != os.getpid() and not alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class LocalPool:
    """Warm worker processes on this machine, started for one build; ``jobs`` 1 works in this process."""

    jobs: int

    def describe(self) -> str:
        return ""  # the usual case: nothing worth a line

    def run(self, tasks: Sequence[Task], stop: Stop) -> Iterator[JobOutcome]:
        if not tasks:
            return iter(())
        return self._in_process(tasks, stop) if self.jobs <= 1 else self._in_pool(tasks, stop)

    def _in_process(self, tasks: Sequence[Task], stop: Stop) -> Iterator[JobOutcome]:
        for task in tasks:
            outcome = run_durably(task)
            yield outcome
            if stop(outcome):
                return

    def _in_pool(self, tasks: Sequence[Task], stop: Stop) -> Iterator[JobOutcome]:
        with stopping_workers(warm_pool(min(self.jobs, len(tasks)))) as pool:
            # Left early (Ctrl-C, or the caller stopped early), stopping_workers's shutdown cancels what is queued.
            futures: dict[Future[JobOutcome], Task] = {pool.submit(run_durably, task): task for task in tasks}
            for future in as_completed(futures):
                if future.cancelled():
                    continue
                try:
                    outcome = future.result()
                except Exception as exc:  # a worker killed (out of memory, a crash in a native library)
                    outcome = lost(futures[future], crash_reason(exc))
                yield outcome
                if stop(outcome):
                    for pending in futures:
                        pending.cancel()


@contextlib.contextmanager
def stopping_workers(pool: ProcessPoolExecutor) -> Iterator[ProcessPoolExecutor]:
    """``pool`` for a ``with``, shut down when it is left; left because the run was told to stop (SIGTERM,
    Ctrl-C), its workers stop at once instead of finishing the work under way."""
    try:
        yield pool
    except STOPPED:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(cancel_futures=True)  # after _stop_workers: returns at once


# What tells a run to stop: SIGTERM or SIGINT inside ``signals.interruptible``, Ctrl-C outside it.
STOPPED = (Interrupted, KeyboardInterrupt)


class WarmPool(ProcessPoolExecutor):
    """Warm worker processes where every task runs as one (``signals.task_running``): told to stop, a
    worker unwinds what it is doing — a half-written output and temporary folders removed, the locks
    it holds released — before it closes its pandoc and exits."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return super().submit(_as_task, fn, *args, **kwargs)


def _as_task(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with task_running():
        return fn(*args, **kwargs)


def warm_pool(workers: int) -> WarmPool:
    """``workers`` warm processes (WeasyPrint, fonts, stylesheets and pandoc ready, ``worker.warm_up``) for
    one run: a build's, ``convert``'s, or ``collect``'s (reading articles, laying out a PDF book's)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    build = (os.getpid(), _pool_temp_dir())
    return WarmPool(workers, mp_context=_mp_context(), initializer=warm_up, initargs=(epoch, build))


class SharedWarmPool:
    """One warm pool for every stage of a run that wants one (``collect`` reads articles in it, then
    lays out a PDF book's): started by the first stage that asks, with its worker count, and shut
    down when the run's ``with`` block ends — not once per stage."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._stack = contextlib.ExitStack()  # the pool's stopping_workers, left when the run's block is

    @contextlib.contextmanager
    def __call__(self, workers: int) -> Iterator[ProcessPoolExecutor]:
        """The pool, for a stage's ``with`` (leaving it does not shut the pool down)."""
        yield self.get(workers)

    def get(self, workers: int) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._stack.enter_context(stopping_workers(warm_pool(workers)))
        return self._pool

    def __enter__(self) -> SharedWarmPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stack.__exit__(*exc)


# How long interrupted workers get to unwind their task and close pandoc before they are killed.
_STOP_GRACE_S = 5.0


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Tell every worker to stop (SIGTERM: it unwinds its task and closes its pandoc), then wait; kill stragglers."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive() and process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + _STOP_GRACE_S
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
            if process.pid is not None:
                killed_while_busy(process.pid)
