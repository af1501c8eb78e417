"""Progress of ``convert`` and ``collect``: a bar at a terminal (rich, as ``build`` shows), plain lines elsewhere.

In CI and in logs (stderr not a terminal, or ``CI`` set) nothing but the usual
lines is printed. At a terminal the bar sits on stderr; warnings and, when
stdout is the same terminal, the ``wrote …`` lines print above it.
"""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Any

import click

from convert.reporting import reporter, to_stderr


def at_terminal() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class Progress:
    """A bar with one task at a time; without a terminal every method but ``echo`` does nothing."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = at_terminal() if enabled is None else enabled
        self._bar: Any = None
        self._task: Any = None
        self._stdout_at_terminal = False

    def __enter__(self) -> Progress:
        if not self.enabled:
            return self
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True, highlight=False, force_terminal=True),
            transient=True,
            redirect_stdout=False,  # a piped stdout keeps its lines
            redirect_stderr=False,
        )
        self._stdout_at_terminal = sys.stdout.isatty()
        self._bar.start()
        reporter.write = self._above
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
            reporter.write = to_stderr

    def start(self, description: str, total: int | None) -> None:
        """A new task (the previous one is hidden); ``total`` None: a task without steps, such as binding."""
        if self._bar is None:
            return
        if self._task is not None:
            self._bar.update(self._task, visible=False)
        self._task = self._bar.add_task(description, total=total)

    def advance(self, description: str | None = None) -> None:
        if self._bar is not None and self._task is not None:
            fields = {"description": description} if description else {}
            self._bar.update(self._task, advance=1, **fields)

    def echo(self, line: str) -> None:
        """A line of the command's output: on stdout; above the bar when stdout is the same terminal."""
        if self._bar is not None and self._stdout_at_terminal:
            self._above(line)
        else:
            click.echo(line)

    def _above(self, line: str) -> None:
        self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
