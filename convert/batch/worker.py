"""What a worker process does: one job — one input read once, written in each of its formats.

Workers start warm (WeasyPrint imported and its fonts loaded by a tiny
render) and hand back plain, picklable outcomes; the warnings a job logs
travel back with it, so the main process prints them under the input's name.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from convert.batch.cache import file_sha256
from convert.batch.manifest import Settings
from convert.batch.outcomes import FormatOutcome, JobOutcome, Task, failed_format
from convert.batch.plan import ArticleJob, CollectionJob, target
from convert.batch.signals import stop_worker_on_signals, task_running
from convert.collection import Loaded, bind
from convert.limits import MAX_FILE_BYTES, TimeLimitExceeded, time_limit
from convert.model import Document
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from convert.pipeline import load, sandbox_for, write, write_file
from convert.readers import read_text
from convert.reporting import UNFETCHED, describe, setup_logging, unfetched_line
from convert.resources import read_bounded

log = logging.getLogger("tearsheet")


def warm_up(epoch: str | None, build_pid: int | None = None) -> None:
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
    if build_pid is not None:  # a local pool's worker (not a Dask worker's task thread)
        stop_worker_on_signals(build_pid)
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


def _options(settings: Settings, source: Path | None, reads: dict[str, str]) -> WriteOptions:
    """The settings' write options, every local image read recorded; served from ``source``'s folder if given."""
    options = settings.write_options()
    options = replace(options, sandbox=replace(options.sandbox, reads=reads))
    return options if source is None else sandbox_for(source, options)


def _read(source: Path, settings: Settings, inputs: dict[str, str]) -> Document:
    """``source`` read and normalized; ``inputs`` gets the SHA-256 of the very bytes read.

    A text input is read once, hashed, and those bytes parsed. A container (DOCX, ODT, EPUB)
    is parsed from the file, so it is hashed again afterwards: when the hashes differ, what
    was read is unknown and the hash is "" (no cache entry is made from it).
    """
    try:
        data = read_bounded(source, MAX_FILE_BYTES)  # None when too big: the reader says so
    except OSError:
        data = None  # the reader says what is wrong
    doc = load(
        source, context=settings.context(), input_format=settings.input_format, extract=settings.extract, data=data
    )
    digest = hashlib.sha256(data or b"").hexdigest()
    inputs[str(source)] = digest if data is not None and file_sha256(source) == digest else ""
    return doc


def _write(
    job: ArticleJob, doc: Document, task: Task, fmt: str, shared_seconds: float, options: WriteOptions
) -> FormatOutcome:
    start = time.perf_counter()
    path = target(job, fmt, task.out_dir)
    try:
        path = write_file(doc, fmt, task.out_dir, job.stem, options)
    except TimeLimitExceeded:
        raise  # the input's time is up: no format after this one is started
    except Exception as exc:  # a writer failing on one input must not stop the batch
        return failed_format(fmt, path, exc, job.source, time.perf_counter() - start)
    return FormatOutcome(fmt, path, file_sha256(path), shared_seconds + time.perf_counter() - start)


def _article(task: Task, job: ArticleJob, images: dict[str, str], inputs: dict[str, str]) -> list[FormatOutcome]:
    start = time.perf_counter()
    done: list[FormatOutcome] = []
    options = _options(job.settings, job.source, images)
    try:
        # Jobs run on a worker's main thread, where the alarm can interrupt them.
        with time_limit(job.settings.timeout, job.source):
            doc = _read(job.source, job.settings, inputs)
            # The read is shared by the formats; each carries its part in the timings.
            shared = (time.perf_counter() - start) / len(task.formats)
            for fmt in task.formats:
                done.append(_write(job, doc, task, fmt, shared, options))
    except Exception as exc:  # the read failed or the time ran out: every format not written fails with it
        done += [failed_format(f, target(job, f, task.out_dir), exc, job.source) for f in task.formats[len(done) :]]
    return done


def _load_all(job: CollectionJob, inputs: dict[str, str]) -> tuple[list[Loaded], list[tuple[str, str]]]:
    """Every source of a collection read once, whichever formats it is bound in."""
    settings = job.settings
    loaded: list[Loaded] = []
    failed: list[tuple[str, str]] = []
    for source, name in zip(job.sources, job.names, strict=True):
        try:
            with time_limit(settings.timeout, source):
                doc = _read(source, settings, inputs)
        except Exception as exc:  # the book goes on without it, and the build says so
            failed.append((name, describe(exc, source)))
            continue
        loaded.append((name, doc, source.resolve().parent))
    return loaded, failed


def _collection(task: Task, job: CollectionJob, images: dict[str, str], inputs: dict[str, str]) -> list[FormatOutcome]:
    config = job.config
    spec = CollectionSpec(config.title, config.author, config.order, config.sections_from, config.toc_depth)
    options = _options(config.settings, None, images)
    start = time.perf_counter()
    loaded, failed = _load_all(job, inputs)
    shared = (time.perf_counter() - start) / len(task.formats)
    outcomes = []
    for fmt in task.formats:
        start = time.perf_counter()
        path = target(job, fmt, task.out_dir)
        try:
            result = bind(loaded, failed, path, spec, options)
        except Exception as exc:  # one collection failing must not stop the batch
            outcomes.append(failed_format(fmt, path, exc, path, shared + time.perf_counter() - start))
            continue
        # Bound without some articles: the book is there, but the build must say it is incomplete.
        missing = "; ".join(f"{source}: {reason}" for source, reason in result.failed)
        error = f"{len(result.failed)} of {len(job.sources)} articles left out: {missing}" if missing else ""
        seconds = shared + time.perf_counter() - start
        outcomes.append(FormatOutcome(fmt, result.path, file_sha256(result.path), seconds, error))
    return outcomes


def run(task: Task) -> JobOutcome:
    """Do one task; never raises for a failing input (the outcome says what failed)."""
    images: dict[str, str] = {}  # every local image looked up, as the sandbox read it
    inputs: dict[str, str] = {}
    with _captured_warnings() as warnings:
        match task.job:
            case ArticleJob() as job:
                outcomes = _article(task, job, images, inputs)
            case CollectionJob() as job:
                outcomes = _collection(task, job, images, inputs)
    # Each format loads the input's images again: a warning about one is said once.
    return JobOutcome(
        task,
        tuple(outcomes),
        tuple(dict.fromkeys(warnings)),
        tuple(sorted(images.items())),
        tuple(sorted(inputs.items())),
    )


def run_in_worker(task: Task) -> JobOutcome:
    """``run`` in a pool worker, where a stop signal unwinds the task and ends the process."""
    with task_running():
        return run(task)
