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
T = TypeVar("T")


class Kept(NamedTuple):
    """Warnings kept instead of said: messages, the images the network flag would fetch, and the images
    addressed from a site's root on a page without an address (each URL once)."""

    messages: tuple[str, ...] = ()
    unfetched: tuple[str, ...] = ()
    site_relative: tuple[str, ...] = ()


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.unfetched: dict[str, None] = {}  # in the order first logged
        self.site_relative: dict[str, None] = {}

    def emit(self, record: logging.LogRecord) -> None:
        # Counted and said once by whoever speaks to the user.
        if (url := getattr(record, UNFETCHED, None)) is not None:
            self.unfetched[str(url)] = None
        elif (url := getattr(record, SITE_RELATIVE, None)) is not None:
            self.site_relative[str(url)] = None
        else:
            self.messages.append(record.getMessage())

    def kept(self) -> Kept:
        return Kept(tuple(self.messages), tuple(self.unfetched), tuple(self.site_relative))


@contextmanager
def keeping_warnings() -> Iterator[Callable[[], Kept]]:
    """Within: Tearsheet's warnings are kept, not said. Yields what gives the warnings kept so far."""
    handler = _Keep()
    saved = log.handlers, log.propagate, log.level
    log.handlers, log.propagate = [handler], False
    log.setLevel(logging.WARNING)
    try:
        yield handler.kept
    finally:
        log.handlers, log.propagate, _ = saved
        log.setLevel(saved[2])


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
        for url in kept.unfetched:
            log.warning("%s not fetched", url, extra={UNFETCHED: url})
        for url in kept.site_relative:
            log.warning("%s: site-relative image", url, extra={SITE_RELATIVE: url})
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
        self._unfetched: dict[str, set[str]] = {}
        self._site_relative: dict[str, set[str]] = {}
        self.write: Callable[[str], None] = to_stderr  # a progress bar prints lines above itself

    @property
    def source(self) -> str:
        return self._source

    @source.setter
    def source(self, value: str) -> None:
        self._source, self._said = value, set()

    def emit(self, record: logging.LogRecord) -> None:
        about = ARTICLE.get() or self.source
        unfetched = getattr(record, UNFETCHED, None)
        if unfetched is not None:
            self._unfetched.setdefault(about, set()).add(str(unfetched))
            return
        if (site_relative := getattr(record, SITE_RELATIVE, None)) is not None:
            self._site_relative.setdefault(about, set()).add(str(site_relative))
            return
        where = f"{about}: " if about else ""
        level = "warning" if record.levelno < logging.ERROR else "error"
        line = f"tearsheet: {level}: {where}{record.getMessage()}"
        if line not in self._said:
            self._said.add(line)
            self.write(line)

    def reset(self) -> None:
        """Forget what an earlier run in this process (a library call, a test) left unsaid."""
        self._source, self._said = "", set()
        self._unfetched.clear()
        self._site_relative.clear()

    def summarize(self) -> None:
        """One line per article for the images it left out because the network is off, and one for
        those it could not resolve."""
        for about, urls in self._unfetched.items():
            where = f"{about}: " if about else ""
            self.write(f"tearsheet: warning: {where}{unfetched_line(len(urls), '--allow-network')}")
        for about, urls in self._site_relative.items():
            where = f"{about}: " if about else ""
            self.write(f"tearsheet: warning: {where}{site_relative_line(len(urls))}")
        self._unfetched.clear()
        self._site_relative.clear()


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
