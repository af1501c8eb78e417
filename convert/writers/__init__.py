"""Writers: plugins found under the entry-point group ``tearsheet.writers``.

A writer is a class with ``write(doc, options) -> bytes`` that declares, as class
attributes, what it is and what it needs (``Writer`` below); it imports its heavy
dependency only when it writes. One that binds books also has ``write_book``.
"""

from __future__ import annotations

from concurrent.futures import Executor
from enum import StrEnum
from functools import lru_cache
from importlib.metadata import entry_points
from typing import ClassVar, Protocol

from convert.errors import TearsheetError
from convert.model import Document
from convert.model.book import Book
from convert.options import LinkPolicy, WriteOptions
from convert.render.html import NoteStyle

GROUP = "tearsheet.writers"


class ImageEmbedding(StrEnum):
    """How a writer puts the images it loaded through the sandbox into its output."""

    DATA_URL = "data-url"  # each image inline as a data: URL (PDF, DOCX)
    PACKAGED = "packaged"  # each image a file of the package, stored once however often it is shown (EPUB)


class Writer(Protocol):
    """What a writer is and needs, declared once on its class."""

    name: ClassVar[str]  # the format's name: --to NAME
    suffix: ClassVar[str]  # of the files it writes
    default_links: ClassVar[LinkPolicy]  # the link policy when none is asked for
    notes: ClassVar[NoteStyle]  # how notes (and link notes) are shown
    images: ClassVar[ImageEmbedding]
    binds_books: ClassVar[bool]  # True: it also has write_book and can bind a collection

    def write(self, doc: Document, options: WriteOptions) -> bytes: ...


class BookWriter(Writer, Protocol):
    """A writer that also binds many articles into one book (EPUB, PDF): ``binds_books`` is True.

    ``pool`` (warm worker processes) is where a writer may lay out articles in parallel; one that
    has no use for it (EPUB's chapters are cheap) ignores it.
    """

    def write_book(self, book: Book, options: WriteOptions, pool: Executor | None = None) -> bytes: ...


_DECLARED = ("name", "suffix", "default_links", "notes", "images", "binds_books")


class WriterError(TearsheetError):
    """A writer is missing, duplicated or failed."""


@lru_cache(maxsize=1)
def available() -> dict[str, type[Writer]]:
    """Writers by name; two plugins with one name are an error."""
    found: dict[str, type[Writer]] = {}
    for ep in entry_points(group=GROUP):
        cls = ep.load()
        if missing := [attribute for attribute in _DECLARED if not hasattr(cls, attribute)]:
            raise WriterError(ep.value, f"a writer that does not declare {', '.join(missing)}")
        if cls.binds_books and not hasattr(cls, "write_book"):
            raise WriterError(ep.value, "a writer that binds books has no write_book")
        if cls.name in found and found[cls.name] is not cls:
            raise WriterError(ep.value, f"a second writer named {cls.name!r}")
        found[cls.name] = cls
    return found


def get_writer(name: str) -> Writer:
    writers = available()
    if name not in writers:
        raise WriterError(name, f"no writer for this format (have: {', '.join(sorted(writers))})")
    return writers[name]()


def book_writers() -> dict[str, type[BookWriter]]:
    """The writers that bind books, by name."""
    return {name: cls for name, cls in available().items() if cls.binds_books}  # type: ignore[misc]
