"""How every command speaks: one-line warnings and errors naming the input, and the exit codes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple, TypeVar

import click

from convert.errors import TearsheetError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("tearsheet")
# The article a warning is about, where it is not the command's input (an article inside a book).
ARTICLE: ContextVar[str] = ContextVar("tearsheet_article", default="")
# A warning logged with ``extra={UNFETCHED: url}`` is an image the network flag would fetch: counted, said once.
UNFETCHED = "unfetched_image"
# ``extra={SITE_RELATIVE: url}``: an image addressed from the site's root ("/images/a.png") on a page that
# states no address of its own, so nothing resolves it: counted, said once per input too.
SITE_RELATIVE = "site_relative_image"
# The ``extra`` keys of the warnings said once per article with their count, in the order their lines come.
COUNTED = (UNFETCHED, SITE_RELATIVE)
T = TypeVar("T")


def counted(record: logging.LogRecord) -> tuple[str, str] | None:
    """``(kind, url)`` of a warning that is counted (``COUNTED``), not said on its own; None for any other."""
    for kind in COUNTED:
        if (url := getattr(record, kind, None)) is not None:
            return kind, str(url)
    return None


def counted_line(kind: str, count: int, flag: str) -> str:
    """What one article says about its ``count`` warnings of ``kind``; ``flag`` fetches unfetched images."""
    return unfetched_line(count, flag) if kind == UNFETCHED else site_relative_line(count)


class Kept(NamedTuple):
    """Warnings kept instead of said: messages, and the counted ones as ``(kind, url)``, each once."""

    messages: tuple[str, ...] = ()
    counted: tuple[tuple[str, str], ...] = ()

    def count(self, kind: str) -> int:
        return sum(1 for found, _ in self.counted if found == kind)


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.counted: dict[tuple[str, str], None] = {}  # counted and said once by whoever speaks to the user

    def emit(self, record: logging.LogRecord) -> None:
        if (found := counted(record)) is not None:
            self.counted[found] = None
        else:
            self.messages.append(record.getMessage())

    def kept(self) -> Kept:
        return Kept(tuple(self.messages), tuple(self.counted))


@contextmanager
def keeping_warnings() -> Iterator[Callable[[], Kept]]:
    """Within: Tearsheet's warnings are kept, not said. Yields what gives the warnings kept so far."""
    handler = _Keep()
    handlers, propagate, level = log.handlers, log.propagate, log.level
    log.handlers, log.propagate = [handler], False
    log.setLevel(logging.WARNING)
    try:
        yield handler.kept
    finally:
        log.handlers, log.propagate = handlers, propagate
        log.setLevel(level)


def warnings_kept(run: Callable[[], T]) -> tuple[T, Kept]:
    """``run()``, and the warnings it logged, kept instead of said.

    A worker process laying out or rendering one article of a book sends them back; the process
    that speaks to the user says them under the article's name (``say_kept``).
    """
    with keeping_warnings() as kept:
        result = run()
    return result, kept()


def say_kept(article: str, kept: Kept) -> None:
    """Warnings ``warnings_kept`` kept (in a worker), said now about ``article`` (its input)."""
    token = ARTICLE.set(article)
    try:
        for message in kept.messages:
            log.warning("%s", message)
        for kind, url in kept.counted:
            log.warning("%s", url, extra={kind: url})
    finally:
        ARTICLE.reset(token)


def to_stderr(line: str) -> None:
    click.echo(line, err=True)


class Reporter(logging.Handler):
    """Prints warnings as ``tearsheet: warning: <input>: <message>``, each once per input.

    Every format of an input loads its images again; a missing image is still one warning.
    Images left out because the network is off are one line per article (``summarize``).
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._source = ""
        self._said: set[str] = set()
        self._counted: dict[str, dict[str, set[str]]] = {kind: {} for kind in COUNTED}  # kind → article → URLs
        self.write: Callable[[str], None] = to_stderr  # a progress bar prints lines above itself

    @property
    def source(self) -> str:
        return self._source

    @source.setter
    def source(self, value: str) -> None:
        self._source, self._said = value, set()

    def emit(self, record: logging.LogRecord) -> None:
        about = ARTICLE.get() or self.source
        if (found := counted(record)) is not None:
            kind, url = found
            self._counted[kind].setdefault(about, set()).add(url)
            return
        where = f"{about}: " if about else ""
        message = record.getMessage()
        # A reader names its input itself, for whoever logs it without this handler: said once here.
        message = message.removeprefix(where) if where else message
        level = "warning" if record.levelno < logging.ERROR else "error"
        line = f"tearsheet: {level}: {where}{message}"
        if line not in self._said:
            self._said.add(line)
            self.write(line)

    def reset(self) -> None:
        """Forget what an earlier run in this process (a library call, a test) left unsaid."""
        self._source, self._said = "", set()
        for articles in self._counted.values():
            articles.clear()

    def summarize(self) -> None:
        """One line per article for the images it left out because the network is off, and one for
        those it could not resolve."""
        for kind, articles in self._counted.items():
            for about, urls in articles.items():
                where = f"{about}: " if about else ""
                self.write(f"tearsheet: warning: {where}{counted_line(kind, len(urls), '--allow-network')}")
            articles.clear()


def unfetched_line(count: int, flag: str) -> str:
    """What one article says about the images the network flag would have fetched."""
    return f"{plural(count, 'image')} not fetched (network access is off; {flag} fetches them)"


def site_relative_line(count: int) -> str:
    """What one article says about its images addressed from a site's root it has no address for."""
    return f'{plural(count, "image")} left out: addressed from the site\'s root ("/…") on a page that states no address'


reporter = Reporter()


def setup_logging(debug: bool) -> None:
    """Each command starts here: warnings go through ``reporter``, fresh for this run."""
    reporter.reset()
    if reporter not in log.handlers:
        log.addHandler(reporter)
    log.propagate = False
    log.setLevel(logging.DEBUG if debug else logging.WARNING)
    # WeasyPrint and fontTools talk a lot; their warnings matter only when debugging.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING if debug else logging.ERROR)


def plural(count: int, noun: str) -> str:
    """``1 article``, ``2 articles``: every count Tearsheet prints."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def describe(exc: BaseException, source: object) -> str:
    """One line: the reason, without the source when the caller names it anyway."""
    if isinstance(exc, TearsheetError):
        return exc.reason if exc.source == str(source) else str(exc)
    return f"{type(exc).__name__}: {exc}".splitlines()[0]
