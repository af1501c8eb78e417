"""Writers declare what they are and need as class attributes; the registry holds them to it."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint
from typing import ClassVar

import pytest

import convert.writers
from convert.model import Document
from convert.options import LinkPolicy, WriteOptions
from convert.render.html import NoteStyle
from convert.writers import ImageEmbedding, WriterError, available, book_writers


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[EntryPoint]]:
    """The entry points ``available`` finds: ours plus whatever a test appends."""
    found = list(convert.writers.entry_points(group=convert.writers.GROUP))
    monkeypatch.setattr(convert.writers, "entry_points", lambda group: found if group == convert.writers.GROUP else [])
    available.cache_clear()
    yield found
    available.cache_clear()


class HalfDeclared:
    """A plugin that says what it is but not what it needs."""

    name: ClassVar[str] = "half"
    suffix: ClassVar[str] = ".half"

    def write(self, doc: Document, options: WriteOptions) -> bytes:
        return b""


class BookWithoutBinding:
    name: ClassVar[str] = "nobind"
    suffix: ClassVar[str] = ".nobind"
    default_links: ClassVar[LinkPolicy] = LinkPolicy.INLINE
    notes: ClassVar[NoteStyle] = NoteStyle.ASIDE
    images: ClassVar[ImageEmbedding] = ImageEmbedding.DATA_URL
    binds_books: ClassVar[bool] = True  # but it has no write_book

    def write(self, doc: Document, options: WriteOptions) -> bytes:
        return b""


def test_the_bundled_writers_declare_their_needs() -> None:
    writers = available()
    needs = {name: (cls.default_links, cls.notes, cls.images, cls.binds_books) for name, cls in writers.items()}
    assert needs == {
        "pdf": (LinkPolicy.AUTO, NoteStyle.FLOAT, ImageEmbedding.DATA_URL, True),
        "epub": (LinkPolicy.ENDNOTE, NoteStyle.ASIDE, ImageEmbedding.PACKAGED, True),
        "docx": (LinkPolicy.FOOTNOTE, NoteStyle.NATIVE, ImageEmbedding.DATA_URL, False),
    }
    assert sorted(book_writers()) == ["epub", "pdf"]
    assert all(callable(getattr(cls, "write_book", None)) for cls in book_writers().values())


@pytest.mark.parametrize(
    ("plugin", "reason"),
    [
        (HalfDeclared, "does not declare default_links, notes, images, binds_books"),
        (BookWithoutBinding, "binds books has no write_book"),
    ],
)
def test_a_plugin_that_does_not_declare_its_needs_is_an_error_naming_it(
    registry: list[EntryPoint], plugin: type, reason: str
) -> None:
    registry.append(EntryPoint(plugin.name, f"{__name__}:{plugin.__qualname__}", convert.writers.GROUP))  # type: ignore[attr-defined]
    with pytest.raises(WriterError, match=rf"{__name__}:{plugin.__qualname__}: .*{reason}"):
        available()
