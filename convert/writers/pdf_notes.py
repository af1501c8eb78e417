"""Where WeasyPrint put each footnote: read from one layout, before any PDF is written.

A footnote that does not fit beside its marker is carried on to a later page
(or into the next article of an anthology). The PDF writer lays a document out
once, asks this module which notes left their marker's page, and gives those
articles endnotes instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class StrayNote:
    """A footnote printed on another page than its marker (pages count from 1)."""

    article: str  # the id of the <article> the marker is in ("" for a one-article PDF)
    label: str  # the note's marker as printed, "[12]" or "3"
    marker_page: int
    note_page: int


@dataclass(frozen=True, slots=True)
class NotePlacement:
    stray: tuple[StrayNote, ...]
    notes_only_pages: tuple[int, ...]  # pages with notes but no text of their own


def descendants(box: Any) -> Iterator[Any]:
    """``box`` and every box inside it, of a WeasyPrint layout."""
    yield box
    for child in getattr(box, "children", None) or ():
        yield from descendants(child)


def _article_of(root: Any) -> str:
    for box in descendants(root):
        element = box.element
        if element is not None and element.tag == "article":
            return str(element.get("id") or "")
    return ""


def _has_text(root: Any) -> bool:
    return any(getattr(box, "text", "").strip() for box in descendants(root))


def note_placement(document: Any) -> NotePlacement:
    """Notes off their marker's page, and pages left holding only notes, in a WeasyPrint ``Document``."""
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    marker_page: dict[int, tuple[int, str]] = {}  # note element → (page, article)
    note_page: dict[int, tuple[int, Any]] = {}  # note element → (first page it prints on, element)
    notes_only: list[int] = []
    for number, page in enumerate(document.pages, start=1):
        # WeasyPrint has no public API for where footnotes went; its page box holds the flow (html),
        # then the footnote area (weasyprint.layout.page.make_page, 65–70). Tests pin the result.
        root, *others = page._page_box.children
        areas = [box for box in others if isinstance(box, FootnoteAreaBox)]
        article = _article_of(root)
        for box in descendants(root):
            if box.footnote is not None:
                marker_page.setdefault(id(box.element), (number, article))
        notes = [box for area in areas for box in area.children if box.element is not None]
        for box in notes:
            note_page.setdefault(id(box.element), (number, box.element))
        if notes and not _has_text(root):
            notes_only.append(number)
    stray = []
    for key, (page_number, element) in note_page.items():
        where, article = marker_page.get(key, (0, ""))
        if where != page_number:
            label = element.get("data-label") or "?"
            stray.append(StrayNote(article, label, where, page_number))
    return NotePlacement(tuple(stray), tuple(notes_only))
