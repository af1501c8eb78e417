"""The Dask executor: every task of a build runs on a Dask distributed cluster.

Each task travels as a ``shipping.Parcel`` (the input bytes, its images, its
options) and comes back as the output bytes, which the client writes. Tasks
go out biggest first, a few more than the cluster has threads, so the
client never holds every input in memory at once. A worker lost mid-task
costs no output: the scheduler runs the task again elsewhere (up to its
``allowed-failures``), a task that raised is retried ``retries`` times, and
the outcome says how often either happened.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any

import dask
import distributed

from convert.batch.executor import ExecutorUnavailable, Stop
from convert.batch.outcomes import JobOutcome, Task, lost
from convert.batch.shipping import Delivery, deliver, pack, run_parcel

# distributed ships py.typed but leaves most calls unannotated; mypy --strict would flag each of them.
_distributed: Any = distributed

RETRIES = 2  # for a task that raised on its worker (the scheduler's allowed-failures covers lost workers)
CONNECT_TIMEOUT = "15s"
# Connecting and the scheduler's first answer together: an HTTP server or a silent port at the
# scheduler's address would otherwise keep the client waiting for a handshake forever.
HANDSHAKE_TIMEOUT_S = 15.0
_AHEAD = 2  # tasks in flight per worker thread: enough to keep each busy while results travel


def _identify(address: str, seconds: float = HANDSHAKE_TIMEOUT_S) -> None:
    """Ask ``address`` who it is, all within ``seconds``; ``ExecutorUnavailable`` unless a Dask scheduler answers."""

    async def identity() -> Any:
        async with _distributed.rpc(address, timeout=seconds) as scheduler:
            return await scheduler.identity()

    try:
        answer = asyncio.run(asyncio.wait_for(identity(), seconds))
    except TimeoutError:
        raise ExecutorUnavailable(f"{address}: no answer from a Dask scheduler within {seconds:g} s") from None
    except Exception as exc:  # junk, a closed port, a protocol error: one line
        raise ExecutorUnavailable(f"{address}: cannot reach the Dask scheduler ({_reason(exc)})") from None
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        raise ExecutorUnavailable(f"{address}: answers, but is not a Dask scheduler")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def _attempts_query() -> Callable[..., dict[str, tuple[int, int]]]:
    """A function for the scheduler: per task, the workers lost while it ran and the retries it has left.

    Made inside a function so it is pickled by value: the scheduler need not have Tearsheet installed.
    """

    def attempts(dask_scheduler: Any, keys: list[str]) -> dict[str, tuple[int, int]]:
        tasks = dask_scheduler.tasks
        return {key: (tasks[key].suspicious, tasks[key].retries) for key in keys if key in tasks}

    return attempts


def retry_note(lost_workers: int, failed_tries: int) -> str:
    """The warning a retried task carries, or "" when it ran once."""
    parts = []
    if lost_workers:
        parts.append(f"{lost_workers} worker{'s' if lost_workers > 1 else ''} lost while running it")
    if failed_tries:
        parts.append(f"{failed_tries} failed tr{'ies' if failed_tries > 1 else 'y'}")
    return f"retried on the Dask cluster after {' and '.join(parts)}" if parts else ""


@dataclass
class DaskExecutor:
    """A connection to a Dask scheduler; ``with`` closes it."""

    client: Any  # a distributed.Client
    retries: int = RETRIES

    @classmethod
    def connect(cls, scheduler: str | None) -> DaskExecutor:
        """Connect to ``scheduler`` (default: Dask's ``scheduler-address`` setting, DASK_SCHEDULER_ADDRESS)."""
        address = scheduler or dask.config.get("scheduler-address", None)
        if not address:
            raise ExecutorUnavailable(
                "the dask executor needs a scheduler: --scheduler tcp://HOST:PORT, "
                "build.scheduler in the manifest, or DASK_SCHEDULER_ADDRESS"
            )
        _identify(address)
        try:
            # Not the default client: a library caller's own Dask work must not land on it.
            client = _distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except Exception as exc:  # whatever a peer makes the client raise, the user gets one line
            raise ExecutorUnavailable(f"{address}: cannot reach the Dask scheduler ({_reason(exc)})") from None
        return cls(client)

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.client.close()

    @property
    def jobs(self) -> int:
        """Worker threads now (a cluster may grow or shrink while it builds)."""
        return sum(self.client.nthreads().values())

    def describe(self) -> str:
        """One line for the user: where the build runs, and the dashboard when there is one."""
        info = self.client.scheduler_info()
        workers = info.get("workers", {})
        line = f"dask: scheduler {info.get('address', '?')}, {len(workers)} workers, {self.jobs} threads"
        if "dashboard" in info.get("services", {}):
            line += f"; dashboard {self.client.dashboard_link}"
        return line

    def run(self, tasks: Sequence[Task], stop: Stop) -> Iterator[JobOutcome]:
        queue = iter(tasks)  # biggest first, as planned: the scheduler starts them in the order they come
        running: dict[Any, Task] = {}  # future → task
        finished = _distributed.as_completed(loop=self.client.loop, with_results=True, raise_errors=False)

        def send(count: int) -> None:
            for task in itertools.islice(queue, max(count, 0)):
                key = f"tearsheet-{uuid.uuid4().hex}"
                future = self.client.submit(run_parcel, pack(task), key=key, retries=self.retries, pure=False)
                running[future] = task
                finished.add(future)

        attempts_of = _attempts_query()
        send(self._window())
        try:
            for batch in finished.batches():
                attempts = self.client.run_on_scheduler(attempts_of, keys=[future.key for future, _ in batch])
                for future, result in batch:
                    task = running.pop(future)
                    lost_workers, retries_left = attempts.get(future.key, (0, self.retries))
                    outcome = self._outcome(future, result, task)
                    # A task that failed on every try says so in its error; one that made it says what it took.
                    note = retry_note(lost_workers, self.retries - retries_left) if isinstance(result, Delivery) else ""
                    if note:
                        outcome = replace(outcome, warnings=(*outcome.warnings, note))
                    yield outcome
                    if stop(outcome):
                        return
                send(self._window() - len(running))
        finally:
            # Stopped early or interrupted: the cluster must not go on with work nobody will collect.
            if running:
                self.client.cancel(list(running))

    def _window(self) -> int:
        return max(_AHEAD * self.jobs, 4)

    def _outcome(self, future: Any, result: object, task: Task) -> JobOutcome:
        if isinstance(result, Delivery):
            return deliver(result, task)
        if future.status == "error" and isinstance(result, tuple) and len(result) == 3:
            exc = result[1]
            return lost(task, f"dask task failed: {type(exc).__name__}: {exc}")
        return lost(task, f"dask task {future.status}: {result!r}")  # cancelled: the scheduler went away


__all__ = ["DaskExecutor", "retry_note"]
