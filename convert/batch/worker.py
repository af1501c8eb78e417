"""What a worker process does: one job — one input read once, written in each of its formats.

Workers start warm (WeasyPrint imported and its fonts loaded by a tiny
render) and hand back plain, picklable outcomes; the warnings a job logs
travel back with it, so the main process prints them under the input's name.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from convert import load, sandbox_for, write, write_file
from convert.batch.cache import file_sha256
from convert.batch.manifest import Settings
from convert.batch.plan import ArticleJob, CollectionJob, Job, target
from convert.collection import Loaded, bind
from convert.limits import TimeLimitExceeded, time_limit
from convert.model import Document, Image, iter_nodes
from convert.model.book import CollectionSpec
from convert.readers import read_text
from convert.reporting import UNFETCHED, describe, setup_logging, unfetched_line

log = logging.getLogger("tearsheet")


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
    deps: tuple[tuple[str, str], ...] = ()  # (local image path, sha256) the input used


def warm_up(epoch: str | None) -> None:
    """Pool initializer: the build's ``SOURCE_DATE_EPOCH``, quiet libraries, the pipeline warm.

    A tiny article is read and written as PDF and DOCX, so what the jobs reuse is ready
    before job one: this process's pandoc, WeasyPrint's fonts and parsed stylesheets.
    """
    # A forkserver keeps the environment it started with: set the build's own.
    if epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    setup_logging(debug=False)
    doc = read_text("# Warm\n\nup *fonts* [link](https://example.org)\n", "markdown")
    for fmt in ("pdf", "docx"):
        write(doc, fmt)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.unfetched: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        url = getattr(record, UNFETCHED, None)
        if url is not None:  # said once for the input, with their count
            self.unfetched.add(str(url))
            return
        self.messages.append(record.getMessage())


@contextmanager
def _captured_warnings() -> Iterator[list[str]]:
    """The job's own warnings, instead of wherever the logger would print them."""
    handler = _Collect()
    saved, log.handlers = log.handlers, [handler]
    saved_level, saved_propagate = log.level, log.propagate
    log.setLevel(logging.WARNING)
    log.propagate = False
    try:
        yield handler.messages
    finally:
        if handler.unfetched:
            handler.messages.append(unfetched_line(len(handler.unfetched), "allow_network = true"))
        log.handlers, log.propagate = saved, saved_propagate
        log.setLevel(saved_level)


def local_images(doc: Document, source: Path) -> dict[str, str]:
    """Files beside the input that its images name: a change to one must rebuild the input."""
    found: dict[str, str] = {}
    for node in iter_nodes(doc):
        if not isinstance(node, Image):
            continue
        parsed = urllib.parse.urlsplit(node.src)
        if parsed.scheme not in ("", "file"):
            continue
        path = (source.parent / urllib.parse.unquote(parsed.path)).resolve()
        if path.is_file():
            found[str(path)] = file_sha256(path)
    return found


def _read(source: Path, settings: Settings) -> Document:
    return load(source, context=settings.context(), input_format=settings.input_format, extract=settings.extract)


def _write(job: ArticleJob, doc: Document, task: Task, fmt: str, shared_seconds: float) -> FormatOutcome:
    start = time.perf_counter()
    options = sandbox_for(job.source, job.settings.write_options())
    path = target(job, fmt, task.out_dir)
    try:
        path = write_file(doc, fmt, task.out_dir, job.stem, options)
    except TimeLimitExceeded:
        raise  # the input's time is up: no format after this one is started
    except Exception as exc:  # a writer failing on one input must not stop the batch
        return failed_format(fmt, path, exc, job.source, time.perf_counter() - start)
    return FormatOutcome(fmt, path, file_sha256(path), shared_seconds + time.perf_counter() - start)


def _article(task: Task, job: ArticleJob) -> tuple[list[FormatOutcome], dict[str, str]]:
    start = time.perf_counter()
    done: list[FormatOutcome] = []
    images: dict[str, str] = {}
    try:
        # Jobs run on a worker's main thread, where the alarm can interrupt them.
        with time_limit(job.settings.timeout, job.source):
            doc = _read(job.source, job.settings)
            # The read is shared by the formats; each carries its part in the timings.
            shared = (time.perf_counter() - start) / len(task.formats)
            for fmt in task.formats:
                done.append(_write(job, doc, task, fmt, shared))
            images = local_images(doc, job.source)
    except Exception as exc:  # the read failed or the time ran out: every format not written fails with it
        done += [failed_format(f, target(job, f, task.out_dir), exc, job.source) for f in task.formats[len(done) :]]
    return done, images


def _load_all(job: CollectionJob) -> tuple[list[Loaded], list[tuple[str, str]], dict[str, str]]:
    """Every source of a collection read once, whichever formats it is bound in."""
    settings = job.settings
    loaded: list[Loaded] = []
    failed: list[tuple[str, str]] = []
    deps: dict[str, str] = {}
    for source, name in zip(job.sources, job.names, strict=True):
        try:
            with time_limit(settings.timeout, source):
                doc = _read(source, settings)
        except Exception as exc:  # the book goes on without it, and the build says so
            failed.append((name, describe(exc, source)))
            continue
        loaded.append((name, doc, source.resolve().parent))
        deps.update(local_images(doc, source))
    return loaded, failed, deps


def _collection(task: Task, job: CollectionJob) -> tuple[list[FormatOutcome], dict[str, str]]:
    config = job.config
    spec = CollectionSpec(config.title, config.author, config.order, config.sections_from, config.toc_depth)
    start = time.perf_counter()
    loaded, failed, deps = _load_all(job)
    shared = (time.perf_counter() - start) / len(task.formats)
    outcomes = []
    for fmt in task.formats:
        start = time.perf_counter()
        path = target(job, fmt, task.out_dir)
        try:
            result = bind(loaded, failed, path, spec, config.settings.write_options())
        except Exception as exc:  # one collection failing must not stop the batch
            outcomes.append(failed_format(fmt, path, exc, path, shared + time.perf_counter() - start))
            continue
        # Bound without some articles: the book is there, but the build must say it is incomplete.
        missing = "; ".join(f"{source}: {reason}" for source, reason in result.failed)
        error = f"{len(result.failed)} of {len(job.sources)} articles left out: {missing}" if missing else ""
        seconds = shared + time.perf_counter() - start
        outcomes.append(FormatOutcome(fmt, result.path, file_sha256(result.path), seconds, error))
    return outcomes, deps


def run(task: Task) -> JobOutcome:
    """Do one task; never raises for a failing input (the outcome says what failed)."""
    deps: dict[str, str] = {}
    with _captured_warnings() as warnings:
        match task.job:
            case ArticleJob() as job:
                outcomes, deps = _article(task, job)
            case CollectionJob() as job:
                outcomes, deps = _collection(task, job)
    # Each format loads the input's images again: a warning about one is said once.
    return JobOutcome(task, tuple(outcomes), tuple(dict.fromkeys(warnings)), tuple(sorted(deps.items())))
