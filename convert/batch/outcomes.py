"""What a build hands to an executor (``Task``) and what comes back (``JobOutcome``, one ``FormatOutcome`` a format)."""

from __future__ import annotations

import hashlib
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


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass(frozen=True, slots=True)
class Written:
    """One file a job wrote into the output folder: a book, one of its volumes, a citation file."""

    name: str  # in the output folder
    sha256: str
    size: int

    @staticmethod
    def of(path: Path) -> Written:
        return Written(path.name, file_sha256(path), path.stat().st_size)


@dataclass(frozen=True, slots=True)
class FormatOutcome:
    fmt: str
    path: Path  # the output, or a book's first volume
    sha256: str = ""  # of ``path``; "" when nothing was written
    seconds: float = 0.0
    error: str = ""
    trace: str = ""  # the traceback, shown with -v
    # Every file this format's output is: the file, or a book's volumes; and the job's citation files.
    files: tuple[Written, ...] = ()

    @staticmethod
    def made(fmt: str, files: list[Written], out_dir: Path, seconds: float, error: str = "") -> FormatOutcome:
        """The outcome of a format written as ``files`` (the first is the output or its first volume)."""
        return FormatOutcome(fmt, out_dir / files[0].name, files[0].sha256, seconds, error, files=tuple(files))


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
