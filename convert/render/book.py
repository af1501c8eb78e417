"""What PDF and EPUB collections share as XHTML: the cover and the contents page."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

from convert.dates import build_time
from convert.model.book import Book, BookArticle
from convert.render.page import templates
from convert.transforms.footer import human_date, join_names


def book_date() -> str:
    """The day the book is bound (the day of SOURCE_DATE_EPOCH when set)."""
    return human_date(build_time().date().isoformat())


def cover_html(book: Book) -> str:
    return (
        templates()
        .get_template("cover.html")
        .render(title=book.spec.title, author=book.spec.author, date=book_date(), count=len(book.articles))
    )


def contents_html(book: Book, href: Callable[[BookArticle], str]) -> str:
    return (
        templates()
        .get_template("contents.html")
        .render(
            sections=book.sections(),
            href=href,
            byline=lambda a: join_names([x.name for x in a.doc.meta.authors]),
            date=lambda a: human_date(a.doc.meta.published) if a.doc.meta.published else "",
        )
    )


def cover_svg(book: Book) -> bytes:
    """A cover image: the title, the author, the date and how many articles."""
    lines = textwrap.wrap(book.spec.title, 18)[:5] or ["Collection"]
    title = "".join(
        f'<text x="110" y="{520 + 130 * k}" font-size="110" font-weight="bold">{escape(line)}</text>'
        for k, line in enumerate(lines)
    )
    y = 560 + 130 * len(lines)
    author = f'<text x="110" y="{y + 60}" font-size="60">{escape(book.spec.author)}</text>' if book.spec.author else ""
    count = len(book.articles)
    svg = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1800" viewBox="0 0 1200 1800">'
        '<rect width="1200" height="1800" fill="#1f3a5f"/>'
        '<rect x="80" y="300" width="12" height="1200" fill="#f2b134"/>'
        f'<g font-family="Noto Serif, DejaVu Serif, serif" fill="#ffffff">{title}{author}'
        f'<text x="110" y="1560" font-size="48">{escape(book_date())} · {count} article{"s" * (count != 1)}</text>'
        "</g></svg>"
    )
    return svg.encode("utf-8")
