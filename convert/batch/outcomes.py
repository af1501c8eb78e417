"""What a build hands to an executor (``Task``) and what comes back (``JobOutcome``, one ``FormatOutcome`` a format)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

from convert.batch.plan import Job, target
from convert.reporting import describe


@dataclass(frozen=True, slots=True)
class Task:
    """A job and the formats of it the cache could not serve."""

    job: Job
    formats: tuple[str, ...]
    out_dir: Path


@dataclass(frozen=True, slots=True)
class FormatOutcome:
    fmt: str
    path: Path
    sha256: str = ""  # of the written file; "" when nothing was written
    seconds: float = 0.0
    error: str = ""
    trace: str = ""  # the traceback, shown with -v


def failed_format(fmt: str, path: Path, exc: BaseException, source: Path | str, seconds: float = 0.0) -> FormatOutcome:
    """The outcome of a format that raised; call it in the ``except`` block (it keeps the traceback)."""
    return FormatOutcome(fmt, path, seconds=seconds, error=describe(exc, source), trace=traceback.format_exc())


@dataclass(frozen=True, slots=True)
class JobOutcome:
    task: Task
    formats: tuple[FormatOutcome, ...]
    warnings: tuple[str, ...] = ()
    deps: tuple[tuple[str, str], ...] = ()  # (local image path, sha256 of the bytes read, "" if not there)
    # (input path, sha256) of each source as it was read; "" where it changed while being read
    inputs: tuple[tuple[str, str], ...] = ()


def lost(task: Task, reason: str) -> JobOutcome:
    """Every format of ``task`` failed for one reason outside the conversion (a worker died, a task was lost)."""
    reason = reason.splitlines()[0] if reason else "unknown failure"
    return JobOutcome(
        task, tuple(FormatOutcome(f, target(task.job, f, task.out_dir), error=reason) for f in task.formats)
    )


def crash_reason(exc: BaseException) -> str:
    return f"worker process failed: {type(exc).__name__}: {exc}"
