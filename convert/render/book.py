"""What PDF and EPUB collections share: links between articles, the cover, the contents page."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import replace
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
