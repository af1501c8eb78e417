"""Run a build: serve what the cache has, make the rest in warm worker processes, then check.

Jobs go to the pool biggest first and come back as they finish, so one huge
article runs alongside the small ones instead of holding up the end.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Protocol

from convert.batch.cache import BuildCache, Fingerprints
from convert.batch.check import CheckResult, check_files
from convert.batch.manifest import Manifest
from convert.batch.plan import Job, Plan, Shard, plan, relative_name, target
from convert.batch.worker import FormatOutcome, JobOutcome, Task, run, warm_up

log = logging.getLogger("tearsheet")


class Status(StrEnum):
    BUILT = "built"
    CACHED = "cached"
    FAILED = "failed"
    SKIPPED = "skipped"  # not tried: --fail-fast stopped the build first


@dataclass(frozen=True, slots=True)
class Item:
    """One output of one job: what the reports list."""

    job: str  # the input relative to the manifest, or "collection NAME"
    kind: str
    fmt: str
    output: Path
    status: Status
    seconds: float = 0.0
    error: str = ""
    warnings: tuple[str, ...] = ()
    sha256: str = ""
    trace: str = ""


@dataclass
class BuildReport:
    manifest: Path
    root: Path
    out_dir: Path
    jobs: int
    shard: Shard | None
    items: list[Item] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for item in self.items if item.status is status)

    @property
    def ok(self) -> bool:
        return all(i.status in (Status.BUILT, Status.CACHED) for i in self.items) and all(c.ok for c in self.checks)

    def shown(self, path: Path) -> str:
        """A path as reports show it: relative to the manifest's folder."""
        return relative_name(path, self.root)


class Events(Protocol):
    """What a display hears while a build runs."""

    def planned(self, to_build: int, cached: Sequence[Item]) -> None: ...
    def built(self, items: Sequence[Item]) -> None: ...
    def checking(self, total: int) -> None: ...
    def checked(self, result: CheckResult) -> None: ...


class Silent:
    def planned(self, to_build: int, cached: Sequence[Item]) -> None:
        pass

    def built(self, items: Sequence[Item]) -> None:
        pass

    def checking(self, total: int) -> None:
        pass

    def checked(self, result: CheckResult) -> None:
        pass


def default_jobs() -> int:
    """The CPUs this process may use (a container's limit, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class BuildOptions:
    jobs: int = field(default_factory=default_jobs)
    force: bool = False  # rebuild even what the cache has
    shard: Shard | None = None
    fail_fast: bool = False
    check: bool = False


def _item(job: Job, outcome: FormatOutcome, warnings: tuple[str, ...]) -> Item:
    return Item(
        job.label,
        job.kind,
        outcome.fmt,
        outcome.path,
        Status.FAILED if outcome.error else Status.BUILT,
        seconds=outcome.seconds,
        error=outcome.error,
        warnings=warnings,
        sha256=outcome.sha256,
        trace=outcome.trace,
    )


def _skipped(task: Task, fmt: str) -> Item:
    return Item(task.job.label, task.job.kind, fmt, target(task.job, fmt, task.out_dir), Status.SKIPPED)


def _mp_context() -> BaseContext:
    """A forkserver that imported WeasyPrint once, where there is one; else fresh processes."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["convert.batch.worker", "weasyprint"])
        return context
    return multiprocessing.get_context("spawn")


def _in_process(tasks: Sequence[Task], stop: Callable[[JobOutcome], bool]) -> Iterator[JobOutcome]:
    for task in tasks:
        outcome = run(task)
        yield outcome
        if stop(outcome):
            return


def _in_pool(tasks: Sequence[Task], jobs: int, stop: Callable[[JobOutcome], bool]) -> Iterator[JobOutcome]:
    workers = min(jobs, len(tasks))
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    with ProcessPoolExecutor(workers, mp_context=_mp_context(), initializer=warm_up, initargs=(epoch,)) as pool:
        futures: dict[Future[JobOutcome], Task] = {pool.submit(run, task): task for task in tasks}
        try:
            for future in as_completed(futures):
                if future.cancelled():
                    continue
                outcome = _result(future, futures[future])
                yield outcome
                if stop(outcome):
                    for pending in futures:
                        pending.cancel()
        finally:
            # Interrupted (Ctrl-C, or the caller stopped early): do not start what is still queued.
            for pending in futures:
                pending.cancel()


def _result(future: Future[JobOutcome], task: Task) -> JobOutcome:
    try:
        return future.result()
    except Exception as exc:  # a worker killed (out of memory, a crash in a native library)
        reason = f"worker process failed: {type(exc).__name__}: {exc}".splitlines()[0]
        formats = tuple(FormatOutcome(f, target(task.job, f, task.out_dir), error=reason) for f in task.formats)
        return JobOutcome(task, formats)


def execute(tasks: Sequence[Task], jobs: int, fail_fast: bool = False) -> Iterator[JobOutcome]:
    """Outcomes as tasks finish; ``jobs`` 1 works in this process (no pool to start)."""
    if not tasks:
        return iter(())

    def stop(outcome: JobOutcome) -> bool:
        return fail_fast and any(o.error for o in outcome.formats)

    return _in_process(tasks, stop) if jobs <= 1 else _in_pool(tasks, jobs, stop)


def _split(build_plan: Plan, cache: BuildCache, force: bool) -> tuple[list[Task], list[Item], dict[Path, str]]:
    """Tasks for what must be made, items for what the cache serves, and the key of every output."""
    fingerprints = Fingerprints()
    tasks, cached, keys = [], [], {}
    for job in build_plan.jobs:
        todo = []
        for fmt in job.settings.formats:
            path = target(job, fmt, build_plan.out_dir)
            keys[path] = fingerprints.key(job, fmt, path.name)
            entry = None if force else cache.lookup(keys[path], path)
            if entry is None:
                todo.append(fmt)
            else:
                cached.append(Item(job.label, job.kind, fmt, path, Status.CACHED, sha256=entry["sha256"]))
        if todo:
            tasks.append(Task(job, tuple(todo), build_plan.out_dir))
    return tasks, cached, keys


def _check(items: list[Item], cache: BuildCache, jobs: int, events: Events) -> list[CheckResult]:
    """Check every output there is; a file already checked as it is now keeps its results."""
    present = {item.output: item for item in items if item.status in (Status.BUILT, Status.CACHED)}
    results: dict[Path, CheckResult] = {}
    for path, item in present.items():
        recorded = cache.checked(path, item.sha256)
        if recorded is not None:
            results[path] = CheckResult.from_dict(path, item.fmt, recorded)
    todo = [path for path in present if path not in results]
    events.checking(len(todo))
    for result in check_files(todo, jobs, events.checked):
        results[result.path] = result
        cache.record_check(result.path, present[result.path].sha256, result.to_dict())
    return [results[path] for path in present]


def run_build(manifest: Manifest, options: BuildOptions, events: Events | None = None) -> BuildReport:
    """Build everything ``manifest`` asks for (one shard of it); never raises for a failing input."""
    events = events or Silent()
    start = time.perf_counter()
    build_plan = plan(manifest, options.shard)
    for pattern in build_plan.unmatched:
        log.warning("%s: build.inputs: %r matches no file", manifest.path, pattern)
    cache = BuildCache(build_plan.out_dir)
    tasks, cached, keys = _split(build_plan, cache, options.force)
    report = BuildReport(manifest.path, manifest.root, build_plan.out_dir, options.jobs, options.shard, cached)
    events.planned(sum(len(t.formats) for t in tasks), cached)
    done: set[Task] = set()
    try:
        for outcome in execute(tasks, options.jobs, options.fail_fast):
            done.add(outcome.task)
            items = [_item(outcome.task.job, o, outcome.warnings) for o in outcome.formats]
            for item in items:
                if item.status is Status.BUILT:
                    cache.record(keys[item.output], item.output, item.sha256, dict(outcome.deps))
            report.items += items
            events.built(items)
    finally:
        cache.save()  # even when interrupted: what was built stays built
    for task in tasks:
        if task not in done:
            report.items += [_skipped(task, fmt) for fmt in task.formats]
    if options.check and not (options.fail_fast and not report.ok):
        report.checks = _check(report.items, cache, options.jobs, events)
        cache.save()
    report.seconds = time.perf_counter() - start
    return report
