"""Run a build: serve what the cache has, make the rest on an executor, then check.

The executor is warm worker processes on this machine, or a Dask cluster
(``convert.batch.executors``: ``local_pool``, ``dask_executor``); planning, the cache, the reports and the
display are the same for both. Jobs go out longest first (by their words of
text) and come back as they finish, so one huge article runs alongside the small ones instead of
holding up the end.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from convert.batch.cache import BuildCache, Fingerprints, built_entries
from convert.batch.check import CheckResult, check_files
from convert.batch.executor import Executor
from convert.batch.executors import open_executor
from convert.batch.manifest import Manifest
from convert.batch.outcomes import FormatOutcome, JobOutcome, Task, Written
from convert.batch.plan import CollectionJob, Job, Plan, Shard, effort, plan, relative_name, target

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
    files: tuple[Written, ...] = ()  # every file it is: ``output``, or a book's volumes; citation files

    @property
    def checkable(self) -> list[tuple[Path, str]]:
        """The files of the output itself (each volume of a book), with their hashes: what a check reads."""
        folder = self.output.parent
        return [(folder / f.name, f.sha256) for f in self.files if f.name.endswith(self.output.suffix)]


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
    executor: str | None = None  # "local" or "dask"; None: as the manifest says
    scheduler: str | None = None  # the Dask scheduler's address; None: as the manifest says

    def executor_for(self, manifest: Manifest) -> tuple[str, str | None]:
        """The executor and scheduler to use: these options over the manifest's ``[build]``."""
        if self.executor is None and self.scheduler is None:
            return manifest.executor, manifest.scheduler
        if self.executor == "local":
            return "local", None
        return "dask", self.scheduler or manifest.scheduler


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
        files=outcome.files,
    )


def _skipped(task: Task, fmt: str) -> Item:
    return Item(task.job.label, task.job.kind, fmt, target(task.job, fmt, task.out_dir), Status.SKIPPED)


def _split(build_plan: Plan, cache: BuildCache, force: bool) -> tuple[list[Task], list[Item]]:
    """Tasks for what must be made, and items for what the cache serves."""
    fingerprints = Fingerprints()
    tasks, cached = [], []
    for job in build_plan.jobs:
        todo = []
        for fmt in job.settings.formats:
            path = target(job, fmt, build_plan.out_dir)
            # A book of feeds or of what is new since the last (its state file) changes without its inputs.
            fresh = force or (isinstance(job, CollectionJob) and job.config.changes_by_itself)
            files = None if fresh else cache.lookup(fingerprints.key(job, fmt, path.name), path)
            if files is None:
                todo.append(fmt)
            else:
                first = build_plan.out_dir / files[0].name
                served = Item(job.label, job.kind, fmt, first, Status.CACHED, sha256=files[0].sha256)
                cached.append(replace(served, files=tuple(files)))
        if todo:
            tasks.append(Task(job, tuple(todo), build_plan.out_dir))
    return tasks, cached


def _record(cache: BuildCache, outcome: JobOutcome) -> None:
    """Built outputs into the cache, keyed by the sources as the worker read them."""
    for key, entry in built_entries(outcome).items():
        cache.record_entry(key, entry)


def _check(items: list[Item], cache: BuildCache, jobs: int, events: Events) -> list[CheckResult]:
    """Check every output there is; a file already checked as it is now keeps its results."""
    present = {
        path: (item.fmt, sha256)
        for item in items
        if item.status in (Status.BUILT, Status.CACHED)
        for path, sha256 in item.checkable
    }
    results: dict[Path, CheckResult] = {}
    for path, (fmt, sha256) in present.items():
        recorded = cache.checked(path, sha256)
        if recorded is not None:
            results[path] = CheckResult.from_dict(path, fmt, recorded)
    todo = [path for path in present if path not in results]
    events.checking(len(todo))
    for result in check_files(todo, jobs, events.checked):
        results[result.path] = result
        cache.record_check(result.path, present[result.path][1], result.to_dict())
    return [results[path] for path in present]


def run_build(
    manifest: Manifest, options: BuildOptions, events: Events | None = None, executor: Executor | None = None
) -> BuildReport:
    """Build everything ``manifest`` asks for (one shard of it); never raises for a failing input.

    Tasks run on ``executor``, else on the one the options and manifest name, opened for this build
    (which raises ``ExecutorUnavailable`` before any work when it cannot be used).
    """
    with ExitStack() as stack:
        if executor is None:
            name, scheduler = options.executor_for(manifest)
            executor = stack.enter_context(open_executor(name, scheduler, options.jobs))
        return _run(manifest, options, events or Silent(), executor)


def _run(manifest: Manifest, options: BuildOptions, events: Events, executor: Executor) -> BuildReport:
    start = time.perf_counter()
    build_plan = plan(manifest, options.shard)
    for pattern in build_plan.unmatched:
        log.warning("%s: build.inputs: %r matches no file", manifest.path, pattern)
    for name, reason in build_plan.refused:
        log.warning("%s: refused (%s); not read", name, reason)
    cache = BuildCache(build_plan.out_dir)
    tasks, cached = _split(build_plan, cache, options.force)
    if executor.jobs > 1 and len(tasks) > executor.jobs:
        # The longest first, so that none starts late and holds up the end: by their text, not their bytes.
        tasks.sort(key=lambda task: effort(task.job), reverse=True)
    report = BuildReport(manifest.path, manifest.root, build_plan.out_dir, executor.jobs, options.shard, cached)
    events.planned(sum(len(t.formats) for t in tasks), cached)
    done: set[Task] = set()

    def stop(outcome: JobOutcome) -> bool:
        return options.fail_fast and any(o.error for o in outcome.formats)

    try:
        for outcome in executor.run(tasks, stop):
            done.add(outcome.task)
            items = [_item(outcome.task.job, o, outcome.warnings) for o in outcome.formats]
            _record(cache, outcome)
            report.items += items
            events.built(items)
        # Only after every job came back: the files this build made or kept are all known.
        cache.remove_stale(f.name for item in report.items for f in item.files)
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
