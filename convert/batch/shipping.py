"""Tasks that travel: a task with the bytes of every file it reads, run where none of those files are.

The client packs each task with its inputs, the local images they name and
the stylesheet and the rules file. The worker recreates those files under a temporary folder,
at their own absolute paths below it (``/tmp/tearsheet-x/home/me/project/
articles/a.md``), so folder names, relative image links and the resource
sandbox behave as they do at home. It runs the task as a local worker would
and sends back the bytes of each output; the client writes them atomically.
Nothing needs a shared filesystem.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from convert.batch.cache import built_entries, record_finished, styles_digest, tool_versions
from convert.batch.manifest import Settings
from convert.batch.outcomes import FormatOutcome, JobOutcome, Task
from convert.batch.plan import ArticleJob, CollectionJob, Job, target
from convert.batch.worker import run, warm_up
from convert.output import write_atomic
from convert.reporting import describe
from convert.resources import MAX_BYTES, Refused, confine
from convert.transforms.citation import csl_file


class EnvironmentMismatch(Exception):
    """A worker whose tools differ from the client's would write other bytes than the cache expects."""


@dataclass(frozen=True, slots=True)
class Parcel:
    """What a remote worker gets: the task with relative paths, and the files it reads."""

    task: Task  # every path relative to ``anchor``
    anchor: str  # where the client's paths start ("/")
    files: tuple[tuple[str, bytes], ...]  # (path relative to ``anchor``, content)
    epoch: str | None  # the client's SOURCE_DATE_EPOCH
    environment: tuple[tuple[str, str], ...]  # the client's tool versions and styles digest


@dataclass(frozen=True, slots=True)
class Delivery:
    """What it sends back: the outcome with the client's paths, and the bytes of each file written."""

    outcome: JobOutcome
    outputs: tuple[tuple[str, bytes], ...]  # (name in the output folder, content): outputs, volumes, citation files
    state: bytes | None = None  # a collection's new_only state file, when the task changed it


def environment() -> tuple[tuple[str, str], ...]:
    """What shapes the bytes of an output besides the task: the cache keys on the same."""
    return (*sorted(tool_versions().items()), ("styles", styles_digest()))


def _moved(task: Task, move: Callable[[Path], Path]) -> Task:
    """``task`` with every path it reads or writes passed through ``move``."""

    def settings(s: Settings) -> Settings:
        stylesheet = None if s.stylesheet is None else move(s.stylesheet)
        s = replace(s, stylesheet=stylesheet, rules=None if s.rules is None else move(s.rules))
        csl = csl_file(s.citation_style)
        return s if csl is None else replace(s, citation_style=str(move(csl)))

    job: Job
    match task.job:
        case ArticleJob() as article:
            job = replace(article, source=move(article.source), settings=settings(article.settings))
        case CollectionJob() as book:
            cover = None if book.config.cover is None else move(book.config.cover)
            state = None if book.config.new_only is None else move(book.config.new_only)
            config = replace(book.config, settings=settings(book.config.settings), cover=cover, new_only=state)
            job = replace(book, sources=tuple(move(p) for p in book.sources), config=config)
    return replace(task, job=job, out_dir=move(task.out_dir))


# Anything an image path may be written as: a bare token, or quoted, parenthesised, angled or braced.
_REFERENCE = re.compile(r"""[^\s"'()<>\[\]{}|*,;=]+|"[^"\n]+"|'[^'\n]+'|\([^()\n]+\)|<[^<>\n]+>|\{[^{}\n]+\}""")
_ESCAPE = re.compile(r"\\(.)")


def _candidates(text: str) -> Iterator[str]:
    for match in _REFERENCE.findall(text):
        inner = match.strip("\"'()<>{}")
        for candidate in dict.fromkeys((inner, *inner.split())):  # a Markdown title may follow the path
            plain = _ESCAPE.sub(r"\1", html.unescape(candidate))
            parsed = urllib.parse.urlsplit(plain)
            if not parsed.scheme and parsed.path:
                yield urllib.parse.unquote(parsed.path)


def referenced_files(source: Path) -> list[Path]:
    """Files under ``source``'s folder that its text names: the local images it may show.

    The images are only known once the input is parsed, and parsing on the client would cost
    a pandoc run per input; any file named in the text is sent instead (a few extra bytes at
    worst). The sandbox serves only files under the input's folder, so only those are looked for.
    Zipped inputs (DOCX, ODT, EPUB) carry their images inside.
    """
    try:
        data = source.read_bytes()
    except OSError:
        return []
    if data.startswith(b"PK\x03\x04"):
        return []
    folder, itself = source.parent.resolve(), source.resolve()
    found: dict[Path, None] = {}
    for name in dict.fromkeys(_candidates(data.decode("utf-8", errors="replace"))):
        if os.path.isabs(name):
            continue
        try:
            path = confine(source.parent / name, folder)
            if path != itself and path.stat().st_size <= MAX_BYTES:
                found[path] = None
        except (Refused, OSError, ValueError):  # a name too long, or with a NUL byte: not a file
            continue
    return list(found)


def _files_of(job: Job) -> list[Path]:
    files = [*job.sources, *(p for s in job.sources for p in referenced_files(s))]
    files += [p for p in (job.settings.stylesheet, job.settings.rules) if p is not None]
    if isinstance(job, CollectionJob):  # a state file not there yet is a first build's: none is sent
        files += [p for p in (job.config.cover, job.config.new_only) if p is not None and p.is_file()]
    csl = csl_file(job.settings.citation_style)
    if csl is not None:
        files.append(csl)
    return files


def pack(task: Task) -> Parcel:
    """``task`` with the bytes of the files it reads; a file that cannot be read is left out (the worker says so)."""
    anchor = Path(task.out_dir.resolve().anchor)

    def relative(path: Path) -> Path:
        return path.resolve().relative_to(anchor)  # a file not there yet (a state file) resolves all the same

    files: dict[str, bytes] = {}
    for path in _files_of(task.job):
        name = relative(path).as_posix()
        if name not in files:
            try:
                files[name] = path.read_bytes()
            except OSError:
                continue
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return Parcel(_moved(task, relative), str(anchor), tuple(files.items()), epoch, environment())


# worker.run captures warnings on the process's logger and the epoch is process-wide:
# tasks in threads of one worker process take turns.
_ONE_AT_A_TIME = threading.Lock()
_warmed: list[str | None] = []  # the epoch this process warmed up for, once it has


def _prepare(epoch: str | None) -> None:
    if _warmed != [epoch]:
        warm_up(epoch)
        _warmed[:] = [epoch]


def _check_environment(client: tuple[tuple[str, str], ...]) -> None:
    mine = dict(environment())
    differences = [
        f"{name} {mine.get(name) or 'missing'} (client: {value or 'missing'})"
        for name, value in client
        if mine.get(name) != value
    ]
    if differences:
        raise EnvironmentMismatch("this worker has " + ", ".join(differences) + "; install the same versions")


def run_parcel(parcel: Parcel) -> Delivery:
    """On the worker: recreate the files, run the task, send back the outputs and an outcome in the client's paths."""
    _check_environment(parcel.environment)
    with _ONE_AT_A_TIME, tempfile.TemporaryDirectory(prefix="tearsheet-") as tmp:
        base = Path(tmp).resolve()
        _prepare(parcel.epoch)
        for name, data in parcel.files:
            path = base / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        task = _moved(parcel.task, lambda p: base / p)
        outcome = run(task)
        written = {made.name: None for o in outcome.formats for made in o.files}
        outputs = tuple((name, (task.out_dir / name).read_bytes()) for name in written)
        state = _changed_state(task, parcel)

    def home(text: str) -> str:
        """Paths in messages as the client knows them."""
        return text.replace(f"{base}{os.sep}", parcel.anchor)

    formats = tuple(
        replace(o, path=Path(home(str(o.path))), error=home(o.error), trace=home(o.trace)) for o in outcome.formats
    )
    warnings = tuple(home(w) for w in outcome.warnings)
    deps = tuple((home(name), digest) for name, digest in outcome.deps)
    inputs = tuple((home(name), digest) for name, digest in outcome.inputs)
    return Delivery(JobOutcome(parcel.task, formats, warnings, deps, inputs), outputs, state)


def _changed_state(task: Task, parcel: Parcel) -> bytes | None:
    """The bytes of the digest state file if ``task`` (``parcel``'s, on this worker) wrote it: every book was."""
    here, sent = task.job, parcel.task.job  # the state file's path on this worker, and as sent (relative)
    if not (isinstance(here, CollectionJob) and isinstance(sent, CollectionJob)):
        return None
    if here.config.new_only is None or sent.config.new_only is None or not here.config.new_only.is_file():
        return None
    data = here.config.new_only.read_bytes()
    return None if data == dict(parcel.files).get(sent.config.new_only.as_posix()) else data


def deliver(delivery: Delivery, task: Task) -> JobOutcome:
    """On the client: write the files where a local build would, each atomically; the outcome of ``task``.

    The state file of a ``new_only`` collection is written last, once every book is: as ``collect`` does.
    """
    outputs = dict(delivery.outputs)
    unwritten: dict[str, str] = {}  # name -> why
    for name, data in outputs.items():
        try:
            write_atomic(task.out_dir / name, data)
        except OSError as exc:
            unwritten[name] = describe(exc, task.out_dir / name)
    formats: list[FormatOutcome] = []
    for outcome in delivery.outcome.formats:
        failed = [unwritten[made.name] for made in outcome.files if made.name in unwritten]
        if failed:
            outcome = replace(outcome, sha256="", files=(), error=failed[0])
        path = target(task.job, outcome.fmt, task.out_dir)
        formats.append(replace(outcome, path=task.out_dir / outcome.files[0].name if outcome.files else path))
    job = task.job
    if delivery.state is not None and isinstance(job, CollectionJob) and job.config.new_only and not unwritten:
        try:
            write_atomic(job.config.new_only, delivery.state)
        except OSError as exc:  # as a local worker says it
            why = f"digest state not saved: {describe(exc, job.config.new_only)}"
            formats = [replace(o, error=o.error or why) for o in formats]
    delivered = replace(delivery.outcome, task=task, formats=tuple(formats))
    record_finished(task.out_dir, built_entries(delivered))  # durable now, as a local worker's would be
    return delivered


__all__ = [
    "Delivery",
    "EnvironmentMismatch",
    "Parcel",
    "deliver",
    "environment",
    "pack",
    "referenced_files",
    "run_parcel",
]
