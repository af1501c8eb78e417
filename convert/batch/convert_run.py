"""``tearsheet convert``'s inputs, each read and written on its own: in this process, or on a warm pool.

With ``--jobs`` above 1, inputs are read and written in the warm worker processes a build uses
(``local_pool.warm_pool``). Each input is two steps: reading (a worker), naming (here, in input
order, so names are what a run one input at a time gives them) and writing (a worker). What a
step says — warnings, the error line of a failure, ``wrote …`` — is kept with it and printed
here in input order, so the messages are the same whatever the number of jobs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import click

from convert.batch.local_pool import stopping_workers, warm_pool
from convert.limits import TimeLimitExceeded, time_limit
from convert.model import Document
from convert.naming import RunNames
from convert.pipeline import attach_source, is_url, sandbox_for, write_citation_files, write_file
from convert.reporting import reporter
from convert.settings import ReadOptions, WebOptions, WriteOptions
from convert.sources import Failure, Source

# What a step said, in order: a warning or an error line (stderr), or a "wrote …" line (stdout).
Event = tuple[Literal["warning", "error", "wrote"], str]


@dataclass(frozen=True, slots=True)
class ConvertRun:
    """What every input of one ``convert`` run is written as, and where (sent to the workers)."""

    formats: tuple[str, ...]
    folder: Path
    options: WriteOptions
    web: WebOptions
    reading: ReadOptions
    cite_export: bool


@dataclass(frozen=True, slots=True)
class Step:
    """What reading or writing one input did."""

    events: tuple[Event, ...]
    doc: Document | None = None  # reading: the document; None when it failed
    written: tuple[Path, ...] = ()
    failed: bool = False
    seconds: float = 0.0  # reading: how long it took, out of the input's time limit
    # writing: what --device did to the images (ImageTally's before, after, converted)
    tally: tuple[dict[str, int], dict[str, int], frozenset[str]] | None = None


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@contextmanager
def _captured(source: str) -> Iterator[list[Event]]:
    """The warnings said about ``source`` meanwhile, kept instead of printed."""
    events: list[Event] = []
    saved = reporter.write
    reporter.write = lambda line: events.append(("warning", line))
    reporter.source = source
    try:
        yield events
    finally:
        reporter.write = saved
        reporter.source = ""


def _failure_lines(source: str, failure: Failure, debug: bool) -> list[Event]:
    """One line for a failed input (after its traceback, with --debug)."""
    trace: list[Event] = [("error", failure.trace)] if debug else []
    return [*trace, ("error", f"tearsheet: error: {source}: {failure.line}")]


def _failure(source: str, exc: Exception, debug: bool) -> list[Event]:
    return _failure_lines(source, Failure.of(source, exc), debug)


def read_input(source: str, run: ConvertRun) -> Step:
    """Read ``source`` (a file or a URL): the document, or the line saying why not."""
    start = time.monotonic()
    with _captured(source) as events:
        outcome = Source.of(source).load(run.reading, run.web.fetcher)
        if isinstance(outcome, Failure):
            events += _failure_lines(source, outcome, run.reading.debug)
            reporter.summarize()
            return Step(tuple(events), failed=True)
    return Step(tuple(events), doc=outcome, seconds=time.monotonic() - start)


def write_input(source: str, doc: Document, stem: str, run: ConvertRun, spent: float) -> Step:
    """Write ``doc`` in every format of the run as ``stem``; the input's time limit less ``spent`` reading it."""
    written: list[Path] = []
    failed = False
    options = run.options
    limit = None if run.reading.timeout is None else max(run.reading.timeout - spent, 0.001)
    with _captured(source) as events:
        try:
            with time_limit(limit, source=source):
                for target in _write(source, doc, stem, run):
                    written.append(target)
                    events.append(("wrote", f"wrote {target}"))
        except TimeLimitExceeded:  # said with the input's whole limit, not what reading left of it
            events += _failure(source, TimeLimitExceeded(source, run.reading.timeout or limit or 0), run.reading.debug)
            failed = True
        except Exception as exc:
            events += _failure(source, exc, run.reading.debug)
            failed = True
        reporter.summarize()
    device = options.sandbox.device
    tally = None if device is None else (device.tally.before, device.tally.after, frozenset(device.tally.converted))
    return Step(tuple(events), written=tuple(written), failed=failed, tally=tally)


def _write(source: str, doc: Document, stem: str, run: ConvertRun) -> Iterator[Path]:
    web = run.web
    if is_url(source):  # naming a URL allows fetching its images (unless --no-images)
        sandbox = replace(run.options.sandbox, allow_network=web.images, fetcher=web.fetcher)
        article_options = replace(run.options, sandbox=sandbox)
    else:
        sandbox = replace(run.options.sandbox, fetcher=web.fetcher)
        article_options = attach_source(Path(source), sandbox_for(Path(source), replace(run.options, sandbox=sandbox)))
    for fmt in run.formats:
        yield write_file(doc, fmt, run.folder, stem, article_options)
    if run.cite_export:
        yield from write_citation_files(doc, run.folder, stem, run.options)


Submit = Callable[..., "Future[Step]"]


def convert_inputs(
    inputs: Sequence[str],
    run: ConvertRun,
    names: RunNames,
    jobs: int,
    *,
    file_stem: str | None = None,
    echo: Callable[[str], None],
    advance: Callable[[], None],
) -> Outcome:
    """Read and write every input, ``jobs`` at a time; a failure is one line and the run goes on.

    ``file_stem`` is the output's own stem (``-o FILE``); else ``names`` names each input.
    """
    outcome = Outcome()
    if jobs <= 1 or len(inputs) <= 1:
        for index, source in enumerate(inputs):
            read = read_input(source, run)
            write = None if read.doc is None else _written(index, source, read, run, names, file_stem, _now)
            _report(source, read, _result(write), run, outcome, echo)
            advance()
        return outcome
    with stopping_workers(warm_pool(min(jobs, len(inputs)))) as pool:
        reads = [pool.submit(read_input, source, run) for source in inputs]
        writes: list[Future[Step] | Step | None] = []
        for index, (source, future) in enumerate(zip(inputs, reads, strict=True)):
            read = future.result()
            writes.append(
                None if read.doc is None else _written(index, source, read, run, names, file_stem, pool.submit)
            )
        for source, future, write in zip(inputs, reads, writes, strict=True):
            _report(source, future.result(), _result(write), run, outcome, echo)
            advance()
    return outcome


def _now(func: Callable[..., Step], *args: Any) -> Step:
    return func(*args)


def _result(write: Future[Step] | Step | None) -> Step | None:
    return write.result() if isinstance(write, Future) else write


def _written(
    index: int,
    source: str,
    read: Step,
    run: ConvertRun,
    names: RunNames,
    file_stem: str | None,
    submit: Callable[..., Future[Step] | Step],
) -> Future[Step] | Step:
    """Name the input here, in input order; write it through ``submit``."""
    assert read.doc is not None
    try:
        stem = file_stem if file_stem is not None else names.name_for(index, read.doc)
    except Exception as exc:  # a name no output may take: this input fails, the run goes on
        return Step(tuple(_failure(source, exc, run.reading.debug)), failed=True)
    return submit(write_input, source, read.doc, stem, run, read.seconds)


def _report(
    source: str, read: Step, write: Step | None, run: ConvertRun, outcome: Outcome, echo: Callable[[str], None]
) -> None:
    """Print what reading and writing ``source`` said, as one input at a time says it; tally the outcome."""
    said: set[str] = set()
    for step in (read, write):
        if step is None:
            continue
        for kind, line in step.events:
            if kind == "wrote":
                echo(line)
            elif kind == "error":
                click.echo(line, err=True)
            elif line not in said:  # a warning is said once per input, as the reporter says it
                said.add(line)
                reporter.write(line)
        outcome.written += step.written
        if step.failed:
            outcome.failed.append(source)
        device = run.options.sandbox.device
        if step.tally is not None and device is not None:
            before, after, converted = step.tally
            device.tally.before.update(before)
            device.tally.after.update(after)
            device.tally.converted.update(converted)
