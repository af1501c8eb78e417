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

from convert.batch.cache import built_entries, record_finished, styles_digest, tool_versions
from convert.batch.manifest import CACHE_DIR, Settings
from convert.batch.outcomes import FormatOutcome, JobOutcome, Task, Written, failed_format
from convert.batch.plan import ArticleJob, CollectionJob, target
from convert.batch.signals import Build, stop_worker_on_signals, task_running
from convert.collection import Loaded, bind_volumes
from convert.dates import build_time
from convert.digest_state import DigestState
from convert.errors import TearsheetError
from convert.feeds import item_link, parse_since, web_items
from convert.fetch import Fetcher
from convert.limits import MAX_FILE_BYTES, TimeLimitExceeded, time_limit
from convert.model import Document
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from convert.pipeline import attach_source, sandbox_for, write, write_citation_files, write_file
from convert.readers import read_text
from convert.reporting import COUNTED, counted_line, describe, keeping_warnings, setup_logging
from convert.resources import read_bounded
from convert.sources import Failure, Source, gather, load_web

log = logging.getLogger("tearsheet")


def warm_up(epoch: str | None, build: Build | None = None) -> None:
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
    if build is not None:  # a local pool's worker (not a Dask worker's task thread)
        stop_worker_on_signals(build)
    # Stopped while warming up, the worker unwinds like a task: the pandoc it holds is released, then closed.
    with task_running():
        doc = read_text("# Warm\n\nup *fonts* [link](https://example.org)\n", "markdown")
        for fmt in ("pdf", "docx"):
            write(doc, fmt)
        # What a finished job's cache key needs, ready: the job is recorded the moment it is written.
        tool_versions()
        styles_digest()


@contextmanager
def _captured_warnings() -> Iterator[list[str]]:
    """The job's own warnings, instead of wherever the logger would print them."""
    messages: list[str] = []
    with keeping_warnings() as kept:
        try:
            yield messages
        finally:
            found = kept()
            messages.extend(found.messages)
            # Said once for the input, with their count.
            messages.extend(counted_line(k, n, "allow_network = true") for k in COUNTED if (n := found.count(k)))


def _options(settings: Settings, source: Path | None, reads: dict[str, str]) -> WriteOptions:
    """The settings' write options, every local image read recorded; served from ``source``'s folder if given."""
    options = settings.write_options()
    options = replace(options, sandbox=replace(options.sandbox, reads=reads))
    return options if source is None else sandbox_for(source, options)


def _read(source: Path, settings: Settings, inputs: dict[str, str]) -> tuple[Document, bytes | None]:
    """``source`` read and normalized, and the bytes read; ``inputs`` gets their SHA-256.

    The input is read once, hashed, and those bytes converted (pandoc gets them too, not the
    file) and attached to an archival PDF: what is hashed is what is converted and kept, whatever
    happens to the file meanwhile. An input too big to read has the hash "" (no cache entry is
    made from it).
    """
    data = _bytes(source)
    doc = Source.of(source).read(settings.read_options(), data=data)
    inputs[str(source)] = _digest(data)
    return doc, data


def _bytes(source: Path) -> bytes | None:
    """The input's bytes; None when too big or unreadable (the reader then says what is wrong)."""
    try:
        return read_bounded(source, MAX_FILE_BYTES)
    except OSError:
        return None


def _digest(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else ""


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
    return FormatOutcome.made(fmt, [Written.of(path)], task.out_dir, shared_seconds + time.perf_counter() - start)


def _with_citations(
    outcomes: list[FormatOutcome], docs: Document | list[Document], stem: str, task: Task, options: WriteOptions
) -> list[FormatOutcome]:
    """``cite_export``: ``<stem>.csl.json`` and ``<stem>.bib`` written once for the job, and counted among
    the files of each format written (the cache serves a format only with them)."""
    if not any(o.files for o in outcomes):
        return outcomes
    try:
        cited = [Written.of(path) for path in write_citation_files(docs, task.out_dir, stem, options)]
    except Exception as exc:  # the outputs are there, but not all the job was asked for
        return [replace(o, error=o.error or f"citation export failed: {describe(exc, stem)}") for o in outcomes]
    return [replace(o, files=o.files + tuple(cited)) if o.files else o for o in outcomes]


def _article(task: Task, job: ArticleJob, images: dict[str, str], inputs: dict[str, str]) -> list[FormatOutcome]:
    start = time.perf_counter()
    done: list[FormatOutcome] = []
    options = _options(job.settings, job.source, images)
    try:
        # Jobs run on a worker's main thread, where the alarm can interrupt them.
        with time_limit(job.settings.timeout, job.source):
            doc, data = _read(job.source, job.settings, inputs)
            options = attach_source(job.source, options, data)
            # The read is shared by the formats; each carries its part in the timings.
            shared = (time.perf_counter() - start) / len(task.formats)
            for fmt in task.formats:
                done.append(_write(job, doc, task, fmt, shared, options))
            if job.settings.cite_export:
                done = _with_citations(done, doc, job.stem, task, options)
    except Exception as exc:  # the read failed or the time ran out: every format not written fails with it
        done += [failed_format(f, target(job, f, task.out_dir), exc, job.source) for f in task.formats[len(done) :]]
    return done


def _load_all(job: CollectionJob, inputs: dict[str, str]) -> tuple[list[Loaded], list[tuple[str, str]]]:
    """Every source of a collection read once, whichever formats it is bound in; the book goes on without
    those that fail, and the build says why."""
    reading = job.settings.read_options()

    def load(path: Path, source: Source) -> Document | Failure:
        data = _bytes(path)
        outcome = source.load(reading, data=data)
        if isinstance(outcome, Document):  # a source that failed has no hash: the book is not cached
            inputs[str(path)] = _digest(data)
        return outcome

    sources = [Source.of(path) for path in job.sources]
    return gather(sources, map(load, job.sources, sources), labels=job.names, detailed=True)


def _load_web(
    job: CollectionJob, out_dir: Path, state: DigestState | None
) -> tuple[list[Loaded], list[tuple[str, str]], Fetcher]:
    """A collection's feed entries and listed pages, fetched through an HTTP cache beside the build's;
    with a digest state, an entry an earlier book held is not fetched again."""
    config = job.config
    fetcher = config.settings.fetcher(cache_dir=out_dir / CACHE_DIR / "http") or Fetcher()
    since = parse_since(config.since, build_time()) if config.since else None
    try:
        items = web_items(config.feeds, config.urls, fetcher, since, config.max_per_feed)
    except TearsheetError as exc:  # a feed or list that cannot be read: the book goes on without it
        return [], [(exc.source, exc.reason)], fetcher
    if state is not None:
        items = [item for item in items if not state.knows_link(item_link(item))]
    loaded, failed = load_web(items, fetcher, config.settings.context())
    return loaded, failed, fetcher


def _collection(task: Task, job: CollectionJob, images: dict[str, str], inputs: dict[str, str]) -> list[FormatOutcome]:
    config = job.config
    spec = CollectionSpec(
        config.title, config.author, config.order, config.sections_from, config.toc_depth, config.cover
    )
    options = _options(config.settings, None, images)
    start = time.perf_counter()
    try:
        state = DigestState.load(config.new_only) if config.new_only is not None else None
    except TearsheetError as exc:  # changed since the manifest was read
        return [failed_format(f, target(job, f, task.out_dir), exc, config.new_only or "") for f in task.formats]
    loaded, failed = _load_all(job, inputs)
    if config.from_web:  # naming a feed allows fetching its pages' images, through the same checked client
        fetched, fetch_failed, fetcher = _load_web(job, task.out_dir, state)
        loaded, failed = loaded + fetched, failed + fetch_failed
        network = config.settings.allow_network or config.settings.images  # as collect --no-images
        options = replace(options, sandbox=replace(options.sandbox, allow_network=network, fetcher=fetcher))
    if state is not None:
        loaded, _ = state.new_only(loaded)
        if not loaded and not failed:  # as collect --new-only: the earlier book stays as it is
            log.warning("nothing new since the books %s remembers: no book written", config.new_only)
            return [FormatOutcome(f, target(job, f, task.out_dir)) for f in task.formats]
    shared = (time.perf_counter() - start) / len(task.formats)
    outcomes = []
    documents: list[Document] = []
    for fmt in task.formats:
        start = time.perf_counter()
        path = target(job, fmt, task.out_dir)
        try:
            # A book over max_size is split into volumes <name>-1, <name>-2…: each a file of this format.
            results = bind_volumes(loaded, failed, path, spec, options, config.max_size)
        except Exception as exc:  # one collection failing must not stop the batch
            outcomes.append(failed_format(fmt, path, exc, path, shared + time.perf_counter() - start))
            continue
        documents = [doc for result in results for doc in result.documents]
        # Bound without some articles: the book is there, but the build must say it is incomplete.
        missing = "; ".join(f"{source}: {reason}" for source, reason in results[0].failed)
        left_out = len(results[0].failed)
        error = f"{left_out} of {len(loaded) + len(failed)} articles left out: {missing}" if missing else ""
        seconds = shared + time.perf_counter() - start
        written = [Written.of(result.path) for result in results]
        outcomes.append(FormatOutcome.made(fmt, written, task.out_dir, seconds, error))
    if config.settings.cite_export:  # one bibliography of every article in the book, beside it
        outcomes = _with_citations(outcomes, documents, job.stem, task, options)
    if state is not None and all(o.files for o in outcomes):  # every book is written: now the memory may say so
        try:
            state.remember(documents, task.out_dir / outcomes[0].files[0].name).save()
        except OSError as exc:  # the books are there, but the next build would bind their articles again
            why = f"digest state not saved: {describe(exc, state.path)}"
            outcomes = [replace(o, error=o.error or why) for o in outcomes]
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


def run_durably(task: Task) -> JobOutcome:
    """``run``, and what it built recorded for the cache at once: durable even if the build is then killed."""
    outcome = run(task)
    record_finished(task.out_dir, built_entries(outcome))
    return outcome
