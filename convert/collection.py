"""Collections: read many articles and bind them into one EPUB or PDF."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from convert.link_schemes import site_of
from convert.model import Document, plain_text
from convert.model.book import Book, BookArticle, CollectionSpec
from convert.normalize import Context
from convert.options import WriteOptions
from convert.output import write_atomic
from convert.pipeline import attach_sources
from convert.settings import ReadOptions
from convert.sources import Failure, Loaded, Source, gather
from convert.transforms.book import normalized_url
from convert.writers import BookWriter, WriterError, book_writers

log = logging.getLogger("tearsheet")
_NAMESPACE = uuid.UUID("0b7f3e52-3a1c-4a8e-9d3e-5b1f4c7a2d10")
SERIAL_BELOW = 8  # a process pool costs more than it saves for a handful of articles


@dataclass
class CollectionResult:
    path: Path
    articles: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    duplicates: list[str] = field(default_factory=list)
    documents: tuple[Document, ...] = ()  # the articles bound, in book order


def build_collection(
    sources: Sequence[Path],
    target: Path,
    spec: CollectionSpec,
    options: WriteOptions,
    context: Context | None = None,
    jobs: int | None = None,
    *,
    input_format: str | None = None,
    extract: bool = True,
) -> CollectionResult:
    """Read every source, bind the ones that read into ``target`` (.epub or .pdf), atomically."""
    _book_writer(target)  # fail before reading anything
    loaded, failed = load_files(sources, context, jobs, input_format=input_format, extract=extract)
    return bind(loaded, failed, target, spec, options)


def load_files(
    sources: Sequence[Path],
    context: Context | None = None,
    jobs: int | None = None,
    *,
    input_format: str | None = None,
    extract: bool = True,
    timeout: float | None = None,
    on_read: Callable[[], None] = lambda: None,
    pool: Callable[[int], AbstractContextManager[Executor]] = ProcessPoolExecutor,
) -> tuple[list[Loaded], list[tuple[str, str]]]:
    """Read and normalize the files, in a process pool when there are many; failures come back as reasons.

    Each file may take ``timeout`` seconds (None: no limit); ``on_read`` is called as each one is done.
    ``pool`` makes the pool from a number of workers (``collect`` gives the warm one ``build`` uses).
    """
    read = partial(_load_one, context=context, input_format=input_format, extract=extract, timeout=timeout)
    return gather([Source.of(p) for p in sources], _load_all(sources, read, jobs, pool), on_each=on_read)


def bind(
    loaded: Sequence[Loaded],
    failed: list[tuple[str, str]],
    target: Path,
    spec: CollectionSpec,
    options: WriteOptions,
    pool: Executor | None = None,
) -> CollectionResult:
    """Bind documents already read into ``target``; ``failed`` is reported along."""
    return bind_volumes(loaded, failed, target, spec, options, max_bytes=sys.maxsize, pool=pool)[0]


def bind_volumes(
    loaded: Sequence[Loaded],
    failed: list[tuple[str, str]],
    target: Path,
    spec: CollectionSpec,
    options: WriteOptions,
    max_bytes: int,
    pool: Executor | None = None,
) -> list[CollectionResult]:
    """Bind into ``target``, or, when the book would be over ``max_bytes``, into volumes
    ``<stem>-1<suffix>``, ``<stem>-2<suffix>``… of consecutive articles, each under it.

    A PDF's articles are laid out in ``pool`` (warm worker processes) when one is given, else one by one here.

    A book is split into as many volumes as its size asks for, by article count, and a volume still
    over the limit is split again; an article over the limit alone is a volume of its own (warned).
    """
    writer = _book_writer(target)
    book, duplicates = assemble(loaded, spec)
    if not book.articles:
        raise WriterError(target, "no article could be read")

    def book_options(bound: Book) -> WriteOptions:
        # A PDF/A-3 book carries the input files it was bound from (articles from URLs have none).
        sources = [Path(a.label) for a in bound.articles if a.folder is not None and Path(a.label).is_file()]
        return attach_sources(sources, options)

    def write(bound: Book) -> bytes:
        return writer.write_book(bound, book_options(bound), pool)

    data = write(book)
    if len(data) <= max_bytes or len(book.articles) == 1:
        write_atomic(target, data)
        return [CollectionResult(target, len(book.articles), failed, duplicates, tuple(a.doc for a in book.articles))]
    in_order = [(a.label, a.doc, a.folder) for a in book.articles]

    # The titles say "1 of 3", which is known only once the split is: volumes are sized first, then written.
    def size_of(part: list[Loaded]) -> int:
        bound = assemble(part, spec)[0]
        return len(write(bound))

    groups = _split(in_order, len(data), size_of, max_bytes)
    results = []
    for k, group in enumerate(groups, start=1):
        volume = replace(spec, title=f"{spec.title} ({k} of {len(groups)})", order="input")
        part, _ = assemble(group, volume)
        data = write(part)
        if len(data) > max_bytes:
            log.warning("%s: over the size limit on its own (%d bytes); a volume of its own", group[0][0], len(data))
        path = target.with_name(f"{target.stem}-{k}{target.suffix}")
        write_atomic(path, data)
        docs = tuple(a.doc for a in part.articles)
        results.append(CollectionResult(path, len(docs), failed if k == 1 else [], duplicates if k == 1 else [], docs))
    return results


def _split(
    items: list[Loaded], size: int, measure: Callable[[list[Loaded]], int], max_bytes: int
) -> list[list[Loaded]]:
    """``items`` in consecutive groups that each bind to at most ``max_bytes`` (a single item may not)."""
    count = min(len(items), -(-size // max_bytes))  # as many parts as the size asks for
    step = -(-len(items) // count)
    groups: list[list[Loaded]] = []
    for start in range(0, len(items), step):
        group = items[start : start + step]
        group_size = measure(group) if len(group) > 1 else 0
        groups += _split(group, group_size, measure, max_bytes) if group_size > max_bytes else [group]
    return groups


def assemble(loaded: Sequence[Loaded], spec: CollectionSpec) -> tuple[Book, list[str]]:
    """Drop duplicates, order, group into sections, name the chapters and map links between them."""
    unique, duplicates = _deduplicate(loaded)
    ordered = _order(unique, spec.order)
    articles = tuple(
        BookArticle(doc, f"a{k:04d}", _section(folder, doc, spec.sections_from), folder, label)
        for k, (label, doc, folder) in enumerate(ordered, start=1)
    )
    if spec.sections_from != "none":  # keep each section's articles together, sections in first-seen order
        first = {a.section: i for i, a in reversed(list(enumerate(articles)))}
        articles = tuple(sorted(articles, key=lambda a: first[a.section]))
    links = tuple((normalized_url(a.doc.meta.source_url), a.slug) for a in articles if a.doc.meta.source_url)
    key = "\n".join([spec.title, *(_identity(a.doc) for a in articles)])
    return Book(spec, articles, f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}", links), duplicates


def _book_writer(target: Path) -> BookWriter:
    by_suffix = {cls.suffix: cls for cls in book_writers().values()}
    if target.suffix.lower() not in by_suffix:
        raise WriterError(target, "a collection is written as .epub or .pdf")
    return by_suffix[target.suffix.lower()]()


def _load_all(
    sources: Sequence[Path],
    read: Callable[[Path], Document | Failure],
    jobs: int | None,
    pool: Callable[[int], AbstractContextManager[Executor]],
) -> Iterator[Document | Failure]:
    """The outcomes in input order, each as soon as it and those before it are done."""
    if len(sources) < SERIAL_BELOW or jobs == 1:
        yield from map(read, sources)
        return
    with pool(jobs or os.cpu_count() or 1) as executor:
        yield from executor.map(read, sources, chunksize=4)


def _load_one(
    source: Path, *, context: Context | None, input_format: str | None, extract: bool, timeout: float | None
) -> Document | Failure:
    """The document, or why it could not be read (the collection goes on without it); run in a pool worker."""
    reading = ReadOptions(context or Context(), input_format, extract, timeout=timeout)
    return Source.of(source).load(reading)


def text_fingerprint(doc: Document) -> str:
    """What an article's text is, whatever its URL: a hash of its plain text."""
    return hashlib.sha256(plain_text(doc.blocks).encode("utf-8")).hexdigest()


def _identity(doc: Document) -> str:
    """What makes an article the same one: its source URL, else its text."""
    return normalized_url(doc.meta.source_url) if doc.meta.source_url else text_fingerprint(doc)


def _deduplicate(loaded: Iterable[Loaded]) -> tuple[list[Loaded], list[str]]:
    seen: dict[str, str] = {}
    unique: list[Loaded] = []
    duplicates: list[str] = []
    for source, doc, folder in loaded:
        text = text_fingerprint(doc)
        keys = {text, normalized_url(doc.meta.source_url)} if doc.meta.source_url else {text}
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            log.warning("%s: the same article as %s; included once", source, first)
            duplicates.append(source)
            continue
        seen.update(dict.fromkeys(keys, source))
        unique.append((source, doc, folder))
    return unique, duplicates


def _order(items: list[Loaded], order: str) -> list[Loaded]:
    if order == "date":  # undated articles last, in input order
        return sorted(items, key=lambda item: (not item[1].meta.published, item[1].meta.published))
    if order == "title":
        return sorted(items, key=lambda item: item[1].meta.title.casefold())
    return list(items)


def _section(folder: Path | None, doc: Document, sections_from: str) -> str:
    if sections_from == "folders":
        if folder is None:  # fetched from the web: its site is its folder
            return site_of(doc.meta.source_url) or "Web"
        return folder.name.replace("-", " ").replace("_", " ").strip().capitalize() or "Articles"
    if sections_from == "tags":
        return doc.meta.tags[0] if doc.meta.tags else "Other"
    if sections_from == "feeds":  # the feed's title (convert.feeds); articles from files and URL lists after
        return dict(doc.meta.extra).get("feed", "Other")
    return ""


__all__ = [
    "CollectionResult",
    "CollectionSpec",
    "Loaded",
    "assemble",
    "bind",
    "bind_volumes",
    "build_collection",
    "load_files",
    "text_fingerprint",
]
