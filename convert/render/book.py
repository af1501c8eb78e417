"""What PDF and EPUB collections share as XHTML: the cover and the contents page."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from convert.covers import date_range
from convert.dates import build_time
from convert.model.book import Book, BookArticle
from convert.render.page import main_language, templates
from convert.transforms.labels import count_label, join_names, label, language_of, local_date


def book_language(book: Book) -> str:
    """The language most of the articles are in: the book's own (each article keeps its own inside)."""
    return main_language(article.doc for article in book.articles)


def book_date(language: str) -> str:
    """The day the book is bound (the day of SOURCE_DATE_EPOCH when set)."""
    return local_date(build_time().date().isoformat(), language)


def cover_html(book: Book) -> str:
    language = book_language(book)
    return (
        templates()
        .get_template("cover.html")
        .render(
            title=book.spec.title,
            author=book.spec.author,
            date=book_date(language),
            count=count_label(len(book.articles), language),
        )
    )


def contents_html(
    book: Book, href: Callable[[BookArticle], str], language: str, page: Callable[[BookArticle], str] | None = None
) -> str:
    """The contents page in the book's language; each entry marked with, and dated in, its article's.

    ``page`` gives the page each article starts on, where there are pages.
    """

    def date(article: BookArticle) -> str:
        published = article.doc.meta.published
        return local_date(published, language_of(article.doc)) if published else ""

    return (
        templates()
        .get_template("contents.html")
        .render(
            heading=label("contents", language),
            sections=book.sections(),
            href=href,
            page=page,
            lang=lambda a: language_of(a.doc),
            title=lambda a: a.doc.meta.title or label("untitled", language_of(a.doc)),
            byline=lambda a: join_names([x.name for x in a.doc.meta.authors], language_of(a.doc)),
            date=date,
        )
    )


def cover_description(book: Book, language: str) -> str:
    """The cover image in words: everything the drawn one shows (the title, for one of the user's own)."""
    if book.spec.cover is not None:
        return f"{label('cover', language)}: {book.spec.title}"
    parts = [book.spec.title, book.spec.author, date_range(book, language), count_label(len(book.articles), language)]
    return f"{label('cover', language)}: " + ", ".join(part for part in parts if part)


def cover_page_html(book: Book, image: str, language: str) -> str:
    """The EPUB cover page: the cover image with its text alternative."""
    alt = escape(cover_description(book, language), quote=True)
    return f'<section class="cover-image" epub:type="cover"><img src="{image}" alt="{alt}"/></section>'
