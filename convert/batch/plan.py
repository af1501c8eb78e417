"""From a manifest to the jobs of one build: inputs found, overrides applied, targets named, sharded.

A job is one input (or one collection) and all its formats, so each input
is read — and pandoc started — once, however many formats it goes to.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn

from wcmatch import glob

from convert.batch.manifest import CollectionConfig, Manifest, Settings
from convert.naming import RunNames
from convert.resources import Refused, confine, named_outside

log = logging.getLogger("tearsheet")

CITATION_SUFFIXES = [".csl.json", ".bib"]  # what cite_export writes beside an output (write_citation_files)
# ``**`` as in the shell, but it never descends into a symlinked folder: links to ``.`` cannot loop.
_GLOB_FLAGS = glob.GLOBSTAR | glob.NODIR


@dataclass(frozen=True, slots=True)
class Shard:
    """``K/N``: the K-th of N stable parts of the work (1-based)."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise ValueError(f"{text!r} is not K/N with 1 <= K <= N")
        return cls(int(match[1]), int(match[2]))

    def includes(self, key: str) -> bool:
        """Decided by a hash of ``key`` (a path relative to the manifest), so adding inputs moves no others."""
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def suffix_of(fmt: str) -> str:
    from convert.writers import available

    return available()[fmt].suffix


@dataclass(frozen=True, slots=True)
class ArticleJob:
    name: str  # the input relative to the manifest's folder: reports and shards use it
    source: Path
    settings: Settings
    size: int
    output_name: str = ""  # from convert.naming: the stem, or parent-stem where stems clash

    @property
    def label(self) -> str:
        return self.name

    @property
    def kind(self) -> str:
        return "article"

    @property
    def stem(self) -> str:
        return self.output_name or self.source.stem

    @property
    def sources(self) -> tuple[Path, ...]:
        return (self.source,)


@dataclass(frozen=True, slots=True)
class CollectionJob:
    config: CollectionConfig
    sources: tuple[Path, ...]
    names: tuple[str, ...]  # the sources relative to the manifest, for messages
    size: int

    @property
    def label(self) -> str:
        return f"collection {self.config.name}"

    @property
    def kind(self) -> str:
        return "collection"

    @property
    def stem(self) -> str:
        return self.config.name

    @property
    def settings(self) -> Settings:
        return self.config.settings


Job = ArticleJob | CollectionJob


def target(job: Job, fmt: str, out_dir: Path) -> Path:
    """``<output>/<input stem or collection name>.<suffix>``."""
    return out_dir / f"{job.stem}{suffix_of(fmt)}"


@dataclass(frozen=True, slots=True)
class Plan:
    jobs: tuple[Job, ...]
    out_dir: Path
    unmatched: tuple[str, ...] = ()  # input globs that found no file
    refused: tuple[tuple[str, str], ...] = ()  # (input, why): matched, but never read


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form (the same on every machine), else as it is."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def expand(patterns: tuple[str, ...], root: Path) -> dict[str, list[Path]]:
    """Files each glob matches (``**`` included), relative globs taken from ``root``."""
    found: dict[str, list[Path]] = {}
    for pattern in patterns:
        if os.path.isabs(pattern):
            matches = [Path(m) for m in glob.glob(pattern, flags=_GLOB_FLAGS)]
        else:
            matches = [root / m for m in glob.glob(pattern, flags=_GLOB_FLAGS, root_dir=root)]
        found[pattern] = sorted(Path(os.path.normpath(m)) for m in matches)
    return found


def _matched(patterns: tuple[str, ...], root: Path) -> set[Path]:
    """Every file any of the globs matches."""
    return {p for paths in expand(patterns, root).values() for p in paths}


def _inputs(patterns: tuple[str, ...], manifest: Manifest) -> tuple[list[Path], list[str], list[tuple[str, str]]]:
    """Files in glob order, each once, without excluded ones and without the build's own outputs.

    A match is confined to the project unless its glob names a place outside it: one that is
    (or leads, through a symlink) elsewhere, or is no regular file, is refused and never read.
    """
    excluded = _matched(manifest.exclude, manifest.root)
    output = Path(os.path.normpath(manifest.output))
    files: dict[Path, None] = {}
    refused: list[tuple[str, str]] = []
    unmatched = []
    for pattern, paths in expand(patterns, manifest.root).items():
        if not paths:
            unmatched.append(pattern)
        for path in paths:
            if path in excluded or path.is_relative_to(output) or path in files:
                continue
            try:
                confine(path, None if named_outside(pattern) else manifest.root)
            except Refused as exc:
                refused.append((relative_name(path, manifest.root), str(exc)))
                continue
            files[path] = None
    return list(files), unmatched, refused


def _check_outputs_leave_inputs(jobs: list[Job], manifest: Manifest) -> None:
    """No output may land on an input, through a symlinked output folder or otherwise.

    Names already step aside from inputs (convert.naming); an output folder that is a symlink into the inputs'
    folders is refused all the same, since the next build would read its outputs as inputs.
    """
    inputs = {source.resolve(): source for job in jobs for source in job.sources}
    out = manifest.output.resolve()
    if out != manifest.output.absolute():
        for real, original in inputs.items():
            if real.parent == out:
                name, shown = relative_name(manifest.output, manifest.root), relative_name(original, manifest.root)
                raise manifest.source.error(
                    f"{name} is a symlink to the folder of the input {shown}", "build", "output"
                )
    for job in jobs:
        for fmt in job.settings.formats:
            path = target(job, fmt, manifest.output)
            source = inputs.get(path.resolve())
            if source is not None:
                name, shown = relative_name(path, manifest.root), relative_name(source, manifest.root)
                raise manifest.source.error(f"{name} would replace the input {shown}", "build", "output")


def _check_output_confined(manifest: Manifest) -> None:
    """The output folder (the build writes and replaces files there) stays in the project unless named outside it."""
    written = os.path.relpath(manifest.output, manifest.root)
    if named_outside(written):
        return
    try:
        resolved = manifest.output.resolve()
    except RuntimeError:  # Python 3.11: a symlink loop
        raise manifest.source.error(f"{written} is a symlink loop", "build", "output") from None
    if not resolved.is_relative_to(manifest.root.resolve()):
        raise manifest.source.error(f"{written} is a symlink leading outside the project", "build", "output")


def _settings_for(path: Path, manifest: Manifest, matched: list[set[Path]]) -> Settings:
    settings = manifest.settings
    for override, paths in zip(manifest.overrides, matched, strict=True):
        if path in paths:
            settings = override.apply(settings)
    return settings


def _named(jobs: list[Job], manifest: Manifest) -> list[Job]:
    """Articles named as ``convert`` names them (convert.naming); collection names are the manifest's own."""
    collections = [job.config.name for job in jobs if isinstance(job, CollectionJob)]
    suffixes = sorted({suffix_of(fmt) for job in jobs for fmt in job.settings.formats})
    if any(job.settings.cite_export for job in jobs):  # every name then has its citation files too
        suffixes += CITATION_SUFFIXES
    articles = [job.source.as_posix() for job in jobs if isinstance(job, ArticleJob)]
    names = RunNames(articles, suffixes, manifest.output, reserved=collections)
    index = iter(range(len(articles)))
    # A name that would need the title (unknown before the build reads it) is left for _check_targets to refuse.
    return [
        replace(job, output_name=names.decided(next(index)) or "") if isinstance(job, ArticleJob) else job
        for job in jobs
    ]


def _check_targets(jobs: list[Job], manifest: Manifest) -> None:
    """Two jobs writing one file would overwrite each other: refuse the manifest.

    (No output can replace an input: inputs inside the output folder are left out.)
    """
    owners: dict[Path, Job] = {}
    for job in jobs:
        for path in _files_named(job, manifest.output):
            other = owners.setdefault(path, job)
            if other is not job:
                _refuse_both(other, job, relative_name(path, manifest.root), manifest)
    # A book over its max_size is written as volumes <name>-1, <name>-2…, as many as its size asks for.
    for book in (job for job in jobs if isinstance(job, CollectionJob)):
        volume = re.compile(re.escape(book.stem) + r"-[0-9]+")
        book_suffixes = {suffix_of(fmt) for fmt in book.settings.formats}
        for path, job in owners.items():
            if job is not book and path.suffix in book_suffixes and volume.fullmatch(path.name[: -len(path.suffix)]):
                _refuse_both(job, book, f"{relative_name(path, manifest.root)} (a volume of {book.stem})", manifest)


def _files_named(job: Job, out_dir: Path) -> list[Path]:
    """The files a job writes whose names are known before it runs: its outputs, a state file, citation files."""
    files = [target(job, fmt, out_dir) for fmt in job.settings.formats]
    if job.settings.cite_export:
        files += [out_dir / f"{job.stem}{suffix}" for suffix in CITATION_SUFFIXES]
    if isinstance(job, CollectionJob) and job.config.new_only is not None:
        files.append(Path(os.path.normpath(job.config.new_only)))
    return files


def _refuse_both(first: Job, second: Job, shown: str, manifest: Manifest) -> NoReturn:
    reason = f"{first.label} and {second.label} would both write {shown}"
    if isinstance(second, CollectionJob):
        index = manifest.collections.index(second.config)
        raise manifest.source.error(reason + "; rename the collection", "collection", "name", index)
    raise manifest.source.error(reason + "; rename one or add it to build.exclude", "build", "inputs")


def plan(manifest: Manifest, shard: Shard | None = None) -> Plan:
    """The jobs of ``manifest`` (of one shard of it), biggest first (by bytes; ``longest_first`` orders
    the ones a build runs by their text)."""
    _check_output_confined(manifest)
    files, unmatched, refused = _inputs(manifest.inputs, manifest)
    matched = [_matched(o.inputs, manifest.root) for o in manifest.overrides]
    jobs: list[Job] = [
        ArticleJob(relative_name(p, manifest.root), p, _settings_for(p, manifest, matched), p.stat().st_size)
        for p in files
    ]
    for index, config in enumerate(manifest.collections):
        sources, _, refused_here = _inputs(config.inputs, manifest)
        refused += [item for item in refused_here if item not in refused]
        if not sources and not config.from_web:
            raise manifest.source.error("its inputs match no file", "collection", "inputs", index)
        names = tuple(relative_name(p, manifest.root) for p in sources)
        jobs.append(CollectionJob(config, tuple(sources), names, sum(p.stat().st_size for p in sources)))
    jobs = _named(jobs, manifest)
    _check_targets(jobs, manifest)
    _check_outputs_leave_inputs(jobs, manifest)
    if shard is not None:
        jobs = [job for job in jobs if shard.includes(job.label)]
    jobs.sort(key=lambda job: job.size, reverse=True)
    return Plan(tuple(jobs), manifest.output, tuple(unmatched), tuple(refused))


# Rough bytes per word where words are not counted (ZIP containers, archives, books).
_BYTES_PER_WORD = 6
# HTML elements whose text is never printed.
_UNPRINTED = "//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"


def effort(job: Job) -> int:
    """How much work ``job`` is, in words of text: what a job's time grows with (the pages laid out).

    Bytes are a poor guide across kinds: a saved web page is mostly markup, scripts and styles
    (300 KB for 2,300 words), a Markdown post mostly text (60 KB for 5,400 words and 22 pages).
    """
    if isinstance(job, CollectionJob):  # a book is long whatever its sources: not worth reading them all here
        return job.size // _BYTES_PER_WORD
    return _words(job.source, job.settings.input_format)


def _words(path: Path, input_format: str | None) -> int:
    from convert.errors import TearsheetError
    from convert.readers.archives import ARCHIVE_SUFFIXES
    from convert.readers.files import BINARY_FORMATS, detect_format

    try:
        fmt = detect_format(path, input_format)
        if fmt in BINARY_FORMATS or fmt in ARCHIVE_SUFFIXES.values():
            return path.stat().st_size // _BYTES_PER_WORD
        data = path.read_bytes()
    except (OSError, TearsheetError):  # the job itself will say what is wrong with the input
        return 0
    if fmt != "html":
        return len(data.split())
    import lxml.html
    from lxml import etree

    try:
        page = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError):  # empty or not HTML at all: the reader will say so
        return len(data.split())
    return sum(len(str(text).split()) for text in page.xpath(_UNPRINTED))
