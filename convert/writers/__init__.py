"""Writers: plugins found under the entry-point group ``tearsheet.writers``.

A writer is a class with ``name``, ``suffix`` and ``write(doc, options) ->
bytes``; it imports its heavy dependency only when it writes.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points
from typing import ClassVar, Protocol, runtime_checkable

from convert.errors import TearsheetError
from convert.model import Document
from convert.model.book import Book
from convert.options import WriteOptions

GROUP = "tearsheet.writers"


class Writer(Protocol):
    name: ClassVar[str]
    suffix: ClassVar[str]

    def write(self, doc: Document, options: WriteOptions) -> bytes: ...


@runtime_checkable
class BookWriter(Protocol):
    """A writer that also binds many articles into one book (EPUB, PDF)."""

    name: ClassVar[str]
    suffix: ClassVar[str]

    def write_book(self, book: Book, options: WriteOptions) -> bytes: ...


class WriterError(TearsheetError):
    """A writer is missing, duplicated or failed."""


@lru_cache(maxsize=1)
def available() -> dict[str, type[Writer]]:
    """Writers by name; two plugins with one name are an error."""
    found: dict[str, type[Writer]] = {}
    for ep in entry_points(group=GROUP):
        cls = ep.load()
        if cls.name in found and found[cls.name] is not cls:
            raise WriterError(ep.value, f"a second writer named {cls.name!r}")
        found[cls.name] = cls
    return found


def get_writer(name: str) -> Writer:
    writers = available()
    if name not in writers:
        raise WriterError(name, f"no writer for this format (have: {', '.join(sorted(writers))})")
    return writers[name]()
