"""What every executor is: it runs a build's tasks and yields their outcomes as they finish.

An executor takes the tasks the cache could not serve and hands back their
outcomes as they finish; the runner does everything else (plan, cache,
reports, display) the same way whichever executor ran the tasks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from convert.batch.outcomes import JobOutcome, Task

# Says whether the build stops after this outcome (--fail-fast after a failure).
Stop = Callable[[JobOutcome], bool]


class Executor(Protocol):
    """Runs tasks and yields their outcomes as they finish; never raises for a failing task."""

    @property
    def jobs(self) -> int:
        """How many tasks run at once: the report's ``jobs``."""
        ...

    def describe(self) -> str:
        """One line for the user about where tasks run; "" when there is nothing to say."""
        ...

    def run(self, tasks: Sequence[Task], stop: Stop) -> Iterator[JobOutcome]: ...


class ExecutorUnavailable(Exception):
    """The executor asked for cannot be used: a one-line reason for the user."""


class ExtraMissing(ExecutorUnavailable):
    """The executor needs an optional extra that is not installed."""

    def __init__(self, extra: str) -> None:
        super().__init__(f"{extra} needs the {extra} extra: pip install 'tearsheet[{extra}]'")
        self.extra = extra
