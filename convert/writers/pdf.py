"""PDF through WeasyPrint, from the shared HTML renderer and ``styles/``: one article or an anthology."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from convert.audit import CITATIONS_KEY, encode_citations
from convert.dates import build_time
from convert.model import Document
from convert.model.book import Book
from convert.options import LinkPolicy, WriteOptions
from convert.render.book import book_language, contents_html, cover_html
from convert.render.html import NoteStyle
from convert.render.page import (
    RenderedArticle,
    page_html,
    render_article,
    render_page,
    report_images_without_alt,
)
from convert.stylesheets import read_style
from convert.transforms.book import chapter
from convert.transforms.links import footnotes_fit
from convert.writers import ImageEmbedding
from convert.writers.images import data_urls
from convert.writers.pdf_notes import StrayNote, note_placement
from convert.writers.pdf_tags import VARIANTS, repair_pdf

log = logging.getLogger("tearsheet")

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint import Document as WeasyDocument
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcherResponse


@functools.cache
def _data_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses all else.

    Every image was already loaded through the sandbox and inlined, so any
    other URL reaching WeasyPrint came from somewhere it must not be read.
    """
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if not url.startswith("data:"):
                log.warning("%s: refused (only images loaded through the sandbox)", url[:80])
                raise ValueError(f"refused by the Tearsheet sandbox: {url[:80]}")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols=("data",), allow_redirects=False)


@functools.cache
def _fonts() -> FontConfiguration:
    """One font configuration per process: fonts are found and loaded once, not per document.

    Only for stylesheets without ``@font-face``: it never holds a font a stylesheet added.
    """
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.lru_cache(maxsize=32)
def _stylesheet(text: str) -> CSS:
    """A stylesheet parsed once per process (the same few serve every document)."""
    from weasyprint import CSS

    return CSS(string=text, url_fetcher=_data_only_fetcher(), font_config=_fonts())


def _stylesheets(options: WriteOptions, extra_css: tuple[str, ...]) -> tuple[list[CSS], FontConfiguration]:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    css = [read_style("article.css"), read_style("print.css"), *extra_css, f"@page {{ size: {options.page_size}; }}"]
    if options.stylesheet is not None:
        css.append(options.stylesheet.read_text(encoding="utf-8"))
    if any("@font-face" in text.lower() for text in css):
        # Fonts a stylesheet adds stay in its font configuration: this document gets its own,
        # so no later document (nor the cache of built outputs) depends on it.
        fonts = FontConfiguration()
        return [CSS(string=text, url_fetcher=_data_only_fetcher(), font_config=fonts) for text in css], fonts
    return [_stylesheet(text) for text in css], _fonts()


def _layout(page: str, options: WriteOptions, extra_css: tuple[str, ...]) -> WeasyDocument:
    """The page laid out once; written as it is, or inspected and laid out again."""
    from weasyprint import HTML  # native dependency: import on use

    stylesheets, fonts = _stylesheets(options, extra_css)
    return HTML(string=page, url_fetcher=_data_only_fetcher()).render(stylesheets=stylesheets, font_config=fonts)


@functools.cache
def _quiet_missing_alt() -> None:
    """WeasyPrint logs an error, with the whole data: URL, for each image without alt text when tagging.

    Tearsheet reports those images itself (one line per article) and tags them as decorative.
    """
    logging.getLogger("weasyprint").addFilter(
        lambda record: not str(record.msg).endswith("has no required alt description")
    )


def _pdf_bytes(document: WeasyDocument, page: str, options: WriteOptions) -> bytes:
    from weasyprint import Attachment

    variant = VARIANTS[options.pdf_variant]
    # The identifier comes from the content, so the same input gives the same bytes.
    identifier = hashlib.sha256(page.encode("utf-8")).hexdigest()[:32].encode("ascii")
    stamp = build_time()  # not the clock: the same input gives the same bytes
    attachments = [
        Attachment(
            string=data,
            name=name,
            relationship="Source",
            description="The original input",
            created=stamp,
            modified=stamp,
        )
        for name, data in options.attachments
    ]
    _quiet_missing_alt()
    pdf = document.write_pdf(
        pdf_identifier=identifier,
        custom_metadata=True,
        pdf_variant=variant.weasyprint,
        pdf_tags=variant.tagged,
        attachments=attachments if variant.archival else None,
    )
    assert isinstance(pdf, bytes)
    return repair_pdf(pdf) if variant.tagged or variant.archival else pdf


@dataclass(frozen=True, slots=True)
class _Part:
    """One article of a PDF: its document, its options (with the link policy asked for), its id in the page."""

    doc: Document
    options: WriteOptions
    article_id: str = ""


def _first_policy(doc: Document, asked: LinkPolicy | None) -> LinkPolicy:
    """``auto`` (the default) guesses from the article's link density; other policies are kept."""
    if asked is None or asked is LinkPolicy.AUTO:
        return LinkPolicy.FOOTNOTE if footnotes_fit(doc) else LinkPolicy.ENDNOTE
    return asked


def _why(stray: list[StrayNote]) -> str:
    first = min(stray, key=lambda note: note.marker_page)
    note = f"note {first.label}" if first.label else "a note"
    more = f" (and {len(stray) - 1} more)" if len(stray) > 1 else ""
    return f"{note} would print on page {first.note_page}, its marker is on page {first.marker_page}{more}"


class PdfWriter:
    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"
    default_links: ClassVar[LinkPolicy] = LinkPolicy.AUTO
    notes: ClassVar[NoteStyle] = NoteStyle.FLOAT
    images: ClassVar[ImageEmbedding] = ImageEmbedding.DATA_URL
    binds_books: ClassVar[bool] = True

    def write(self, doc: Document, options: WriteOptions) -> bytes:
        def page(articles: list[RenderedArticle]) -> str:
            return render_page(articles[0], doc)

        return self._write([_Part(doc, options)], page, ())

    def write_book(self, book: Book, options: WriteOptions) -> bytes:
        """One PDF: cover, contents with page numbers, then each article from a new page."""
        parts = [
            _Part(*chapter(article, book, options, lambda slug: f"#{slug}"), article.slug) for article in book.articles
        ]
        language = book_language(book)
        front = [cover_html(book), contents_html(book, lambda article: f"#{article.slug}", language)]
        cited: list[str] = []
        for part in parts:
            cited.extend(c.url for c in part.doc.citations if c.url not in cited)
        metas = [("author", book.spec.author), (CITATIONS_KEY, encode_citations(cited))]

        def page(articles: list[RenderedArticle]) -> str:
            body = "\n".join([*front, *(rendered.article for rendered in articles)])
            return page_html(book.spec.title, language, "", metas, body)

        return self._write(parts, page, (read_style("anthology.css"),))

    def _write(
        self, parts: list[_Part], page_of: Callable[[list[RenderedArticle]], str], extra_css: tuple[str, ...]
    ) -> bytes:
        """Lay the articles out once; an article whose footnotes left their markers' pages gets endnotes.

        Only then is the page laid out a second time, with those articles' links listed at their end.
        """
        policies = [_first_policy(part.doc, part.options.links or self.default_links) for part in parts]
        rendered_as: dict[tuple[int, LinkPolicy], RenderedArticle] = {}  # only switched articles render again
        while True:
            rendered = []
            for k, (part, policy) in enumerate(zip(parts, policies, strict=True)):
                if (k, policy) not in rendered_as:
                    rendered_as[k, policy] = self._article(part, policy)
                rendered.append(rendered_as[k, policy])
            page = page_of(rendered)
            document = _layout(page, parts[0].options, extra_css)
            stray_by_article: dict[str, list[StrayNote]] = {}
            for note in note_placement(document).stray:
                stray_by_article.setdefault(note.article, []).append(note)
            moved = False
            for k, part in enumerate(parts):
                stray = stray_by_article.get(part.article_id)
                if not stray or policies[k] is not LinkPolicy.FOOTNOTE:
                    continue
                policies[k], moved = LinkPolicy.ENDNOTE, True
                if part.options.links is LinkPolicy.FOOTNOTE:
                    title = f"{part.doc.meta.title or 'Untitled'!r}: " if part.article_id else ""
                    log.warning("%sfootnotes switched to endnotes: %s", title, _why(stray))
            if not moved:
                return _pdf_bytes(document, page, parts[0].options)

    def _article(self, part: _Part, policy: LinkPolicy) -> RenderedArticle:
        rendered = render_article(
            part.doc,
            replace(part.options, links=policy),
            policy=policy,
            notes=self.notes,
            image_src=data_urls(part.doc, part.options),
            article_id=part.article_id,
        )
        report_images_without_alt(part.options.sandbox.article, rendered.images_without_alt)
        return rendered
