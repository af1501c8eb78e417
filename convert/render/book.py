"""What PDF and EPUB collections share: links between articles, the cover, the contents page."""

from __future__ import annotations

import textwrap
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from html import escape
from typing import Any

from convert.dates import build_time
from convert.model import Document, Link, rewrite
from convert.model.book import Book, BookArticle
from convert.render.footer import human_date, join_names
from convert.render.page import templates


def normalized_url(url: str) -> str:
    """A URL as articles link to it: scheme, ``www.``, trailing slash and fragment do not matter."""
    parts = urllib.parse.urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def link_articles(doc: Document, book: Book, href: Callable[[str], str]) -> Document:
    """Links to another bundled article's source URL point inside the book (``href(slug)``)."""
    targets = dict(book.links)
    if not targets:
        return doc

    def retarget(node: Any) -> Any:
        if isinstance(node, Link) and node.url.startswith(("http://", "https://")):
            slug = targets.get(normalized_url(node.url))
            if slug is not None:
                return replace(node, url=href(slug))
        return node

    return replace(doc, blocks=rewrite(doc.blocks, retarget))


def book_date() -> str:
    """The day the book is bound (the day of SOURCE_DATE_EPOCH when set)."""
    return human_date(build_time().date().isoformat())


def cover_html(book: Book) -> str:
    return (
        templates()
        .get_template("cover.html")
        .render(title=book.spec.title, author=book.spec.author, date=book_date(), count=len(book.articles))
    )


def contents_html(
    book: Book, href: Callable[[BookArticle], str], page: Callable[[BookArticle], str] | None = None
) -> str:
    """The contents page; ``page`` gives the page each article starts on, where there are pages."""
    return (
        templates()
        .get_template("contents.html")
        .render(
            sections=book.sections(),
            href=href,
            page=page,
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
