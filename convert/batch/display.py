"""What a build prints while it runs: a progress bar at a terminal, one line per output in CI.

Errors and warnings are lines in the usual form, ``tearsheet: error:
<input>: <reason>``, on stderr in both; ``-q`` keeps only errors, ``-v``
adds cached outputs, tracebacks, and per-output lines under the bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from types import TracebackType
from typing import Any

import click

from convert.batch.check import CheckResult
from convert.batch.runner import Item, Status

Shown = Callable[[Any], str]


class Verbosity(IntEnum):
    QUIET = 0
    NORMAL = 1
    VERBOSE = 2


def error_lines(items: Sequence[Item]) -> list[str]:
    """One line per distinct failure of a job (a broken input fails all its formats the same way)."""
    failures = dict.fromkeys((i.job, i.error) for i in items if i.status is Status.FAILED)
    return [f"tearsheet: error: {job}: {error}" for job, error in failures]


def warning_lines(items: Sequence[Item]) -> list[str]:
    if not items:
        return []
    return [f"tearsheet: warning: {items[0].job}: {w}" for w in items[0].warnings]


def problem_lines(result: CheckResult, shown: Shown) -> list[str]:
    return [f"tearsheet: error: {shown(result.path)}: {problem}" for problem in result.problems]


class LineDisplay:
    """Plain lines, for logs: one per output built, and every error and warning."""

    def __init__(self, shown: Shown, verbosity: Verbosity = Verbosity.NORMAL) -> None:
        self.shown = shown
        self.verbosity = verbosity

    def __enter__(self) -> LineDisplay:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        pass

    def out(self, line: str) -> None:
        click.echo(line)

    def err(self, line: str) -> None:
        click.echo(line, err=True)

    def progress_line(self, line: str) -> None:
        """A line about progress: in logs unless quiet."""
        if self.verbosity >= Verbosity.NORMAL:
            self.out(line)

    def planned(self, to_build: int, cached: Sequence[Item]) -> None:
        if self.verbosity >= Verbosity.VERBOSE:
            for item in cached:
                self.out(f"cached {item.job} → {self.shown(item.output)}")
        if cached or to_build:
            self.progress_line(f"{len(cached)} outputs cached, {to_build} to build")

    def built(self, items: Sequence[Item]) -> None:
        for item in items:
            if item.status is Status.BUILT:
                self.progress_line(f"built  {item.job} → {self.shown(item.output)} ({item.seconds:.1f} s)")
        if self.verbosity >= Verbosity.NORMAL:
            for line in warning_lines(items):
                self.err(line)
        for line in error_lines(items):
            self.err(line)
        if self.verbosity >= Verbosity.VERBOSE:
            for trace in dict.fromkeys(i.trace for i in items if i.trace):
                self.err(trace.rstrip())

    def checking(self, total: int) -> None:
        if total:
            self.progress_line(f"checking {total} outputs")

    def checked(self, result: CheckResult) -> None:
        if result.ok and self.verbosity >= Verbosity.VERBOSE:
            self.out(f"ok     {self.shown(result.path)}")
        for line in problem_lines(result, self.shown):
            self.err(line)


class BarDisplay(LineDisplay):
    """A progress bar with counts and time left; errors and warnings print above it."""

    def __init__(self, shown: Shown, verbosity: Verbosity = Verbosity.NORMAL) -> None:
        super().__init__(shown, verbosity)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            # On stderr, with the errors it prints above itself; stdout keeps the summary.
            console=Console(stderr=True, highlight=False),
            transient=True,
        )
        self.task: Any = None
        self.failed = 0

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.progress.stop()

    def out(self, line: str) -> None:
        # Through the bar's console, so the line lands above the bar, not inside it.
        self.progress.console.print(line, markup=False, soft_wrap=True)

    err = out

    def progress_line(self, line: str) -> None:
        # The bar says it already; the lines are there for -v.
        if self.verbosity >= Verbosity.VERBOSE:
            self.out(line)

    def planned(self, to_build: int, cached: Sequence[Item]) -> None:
        self.progress.start()  # not before: warnings while planning print as plain lines
        super().planned(to_build, cached)
        self.task = self.progress.add_task("building", total=to_build, failed=0)

    def built(self, items: Sequence[Item]) -> None:
        super().built(items)
        self.failed += sum(1 for i in items if i.status is Status.FAILED)
        self.progress.update(self.task, advance=len(items), failed=self.failed)

    def checking(self, total: int) -> None:
        super().checking(total)
        self.progress.update(self.task, visible=False)
        self.failed = 0
        self.task = self.progress.add_task("checking", total=total, failed=0)

    def checked(self, result: CheckResult) -> None:
        super().checked(result)
        self.failed += 0 if result.ok else 1
        self.progress.update(self.task, advance=1, failed=self.failed)
