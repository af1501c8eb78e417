"""What a run reads — a file, a URL or a feed's entry — loaded one way, a failure an outcome.

``convert``, ``collect``, feeds and ``build`` each read inputs and report the ones that fail
while the others go on; ``Source.load`` is that step for all of them. A failure comes back as
plain text (``Failure``), so it crosses from a worker process unchanged.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from convert.errors import TearsheetError
from convert.feeds import FeedEntry, entry_document
from convert.fetch import Fetcher
from convert.limits import time_limit
from convert.model import Document
from convert.normalize import Context
from convert.pipeline import is_url, load, load_url
from convert.reporting import ARTICLE, describe
from convert.settings import ReadOptions

# What a collection is bound from: a label for messages, the document, and the folder its images are in.
Loaded = tuple[str, Document, Path | None]


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a source could not be loaded."""

    label: str
    reason: str  # the problem alone, as a book's list of left-out articles gives it
    line: str  # one line naming the problem, as ``convert`` prints it after the source
    trace: str = ""  # the traceback, for --debug

    @staticmethod
    def of(label: str, exc: Exception) -> Failure:
        reason = exc.reason if isinstance(exc, TearsheetError) else f"{type(exc).__name__}: {exc}"
        return Failure(label, reason, describe(exc, label), traceback.format_exc().rstrip("\n"))


@dataclass(frozen=True, slots=True)
class Source:
    """One input of a run: a file (``path``), a feed's entry (``entry``), else the URL ``label``."""

    label: str  # what messages name: the path as given, the URL, the entry's link
    path: Path | None = None
    entry: FeedEntry | None = None

    @staticmethod
    def of(item: str | Path | FeedEntry) -> Source:
        if isinstance(item, FeedEntry):
            return Source(item.link, entry=item)
        if isinstance(item, Path):
            return Source(str(item), path=item)
        return Source(item) if is_url(item) else Source(item, path=Path(item))

    @property
    def folder(self) -> Path | None:
        """Where its local images are: a file's folder; None for a page from the web."""
        return None if self.path is None else self.path.resolve().parent

    def read(self, reading: ReadOptions, fetcher: Fetcher | None = None, data: bytes | None = None) -> Document:
        """The normalized document; raises what reading raises. ``data``: a file's bytes, already read."""
        if self.path is not None:
            context, extract = reading.context, reading.extract
            return load(self.path, context=context, input_format=reading.input_format, extract=extract, data=data)
        if fetcher is None:
            raise TearsheetError(self.label, "no HTTP client given for a URL")
        if self.entry is not None:
            return entry_document(self.entry, fetcher, reading.context)
        return load_url(self.label, fetcher, context=reading.context)

    def load(
        self, reading: ReadOptions, fetcher: Fetcher | None = None, data: bytes | None = None
    ) -> Document | Failure:
        """The document, or why not, within the reading time limit; its warnings name it.
        ``data``: a file's bytes, already read (a build converts the very bytes it hashed)."""
        token = ARTICLE.set(self.label)
        try:  # on the main thread of this process or of a pool worker, where the alarm can interrupt it
            with time_limit(reading.timeout, source=self.label):
                return self.read(reading, fetcher, data)
        except Exception as exc:  # one bad input must not sink the run
            return Failure.of(self.label, exc)
        finally:
            ARTICLE.reset(token)


def gather(
    sources: Sequence[Source],
    outcomes: Iterable[Document | Failure],
    *,
    labels: Sequence[str] | None = None,
    detailed: bool = False,
    on_each: Callable[[], None] = lambda: None,
) -> tuple[list[Loaded], list[tuple[str, str]]]:
    """The outcomes of ``sources`` (in their order) sorted into what a book is bound from and what it
    leaves out, and why: the one place every command turns loads into those two lists.

    ``labels`` name the sources instead of their own labels (a build's paths relative to the manifest);
    ``detailed`` gives a failure's line, which names the file the problem is in where that is not the
    source, instead of the reason alone. ``on_each`` is called as each outcome comes (a progress bar).
    """
    loaded: list[Loaded] = []
    failed: list[tuple[str, str]] = []
    names = labels if labels is not None else [source.label for source in sources]
    for source, name, outcome in zip(sources, names, outcomes, strict=True):
        if isinstance(outcome, Failure):
            failed.append((name, outcome.line if detailed else outcome.reason))
        else:
            loaded.append((name, outcome, source.folder))
        on_each()
    return loaded, failed


def load_web(
    items: Sequence[str | FeedEntry], fetcher: Fetcher, context: Context | None = None, jobs: int = 4
) -> tuple[list[Loaded], list[tuple[str, str]]]:
    """Fetch and read URLs or feed entries concurrently (the fetcher limits each host); failures are reported."""
    reading = ReadOptions(context or Context())
    sources = [Source.of(item) for item in items]
    # Each pool thread has a context of its own: a page's warnings name the page, not the book.
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return gather(sources, pool.map(lambda source: source.load(reading, fetcher), sources))
