"""PDF through WeasyPrint, from the shared HTML renderer and ``styles/``: one article or an anthology."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from convert.audit import CITATIONS_KEY, encode_citations
from convert.model import Document, Image
from convert.model.book import Book
from convert.options import LinkPolicy, WriteOptions
from convert.render.book import contents_html, cover_html, link_articles
from convert.render.html import ImageSource, NoteStyle
from convert.render.page import RenderedArticle, page_html, render_article, render_page
from convert.stylesheets import read_style

log = logging.getLogger("tearsheet")

if TYPE_CHECKING:
    from weasyprint import CSS
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


def _inline_images(doc: Document, options: WriteOptions) -> ImageSource:
    def image_src(image: Image) -> str | None:
        resource = options.sandbox.load_image(image.src, doc.meta.source_url)
        return resource.data_url() if resource else None

    return image_src


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


def _render_pdf(page: str, options: WriteOptions, *extra_css: str) -> bytes:
    from weasyprint import CSS, HTML  # native dependency: import on use
    from weasyprint.text.fonts import FontConfiguration

    css = [read_style("article.css"), read_style("print.css"), *extra_css, f"@page {{ size: {options.page_size}; }}"]
    if options.stylesheet is not None:
        css.append(options.stylesheet.read_text(encoding="utf-8"))
    if any("@font-face" in text.lower() for text in css):
        # Fonts a stylesheet adds stay in its font configuration: this document gets its own,
        # so no later document (nor the cache of built outputs) depends on it.
        fonts = FontConfiguration()
        stylesheets = [CSS(string=text, url_fetcher=_data_only_fetcher(), font_config=fonts) for text in css]
    else:
        fonts = _fonts()
        stylesheets = [_stylesheet(text) for text in css]
    # The identifier comes from the content, so the same input gives the same bytes.
    identifier = hashlib.sha256(page.encode("utf-8")).hexdigest()[:32].encode("ascii")
    pdf = HTML(string=page, url_fetcher=_data_only_fetcher()).write_pdf(
        stylesheets=stylesheets, font_config=fonts, pdf_identifier=identifier, custom_metadata=True
    )
    assert isinstance(pdf, bytes)
    return pdf


class PdfWriter:
    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"
    default_links: ClassVar[LinkPolicy] = LinkPolicy.FOOTNOTE

    def write(self, doc: Document, options: WriteOptions) -> bytes:
        return _render_pdf(render_page(self._article(doc, options), doc), options)

    def _article(self, doc: Document, options: WriteOptions, article_id: str = "") -> RenderedArticle:
        return render_article(
            doc,
            options,
            policy=options.links or self.default_links,
            notes=NoteStyle.FLOAT,
            image_src=_inline_images(doc, options),
            article_id=article_id,
        )

    def write_book(self, book: Book, options: WriteOptions) -> bytes:
        """One PDF: cover, contents with page numbers, then each article from a new page."""
        parts = [cover_html(book), contents_html(book, lambda article: f"#{article.slug}")]
        languages: Counter[str] = Counter()
        cited: list[str] = []
        for article in book.articles:
            doc = link_articles(article.doc, book, lambda slug: f"#{slug}")
            article_options = replace(
                options, sandbox=replace(options.sandbox, root=article.folder, article=article.label)
            )
            rendered = self._article(doc, article_options, article.slug)
            parts.append(rendered.article)
            languages[rendered.language] += 1
            cited.extend(c.url for c in doc.citations if c.url not in cited)
        metas = [("author", book.spec.author), (CITATIONS_KEY, encode_citations(cited))]
        page = page_html(book.spec.title, languages.most_common(1)[0][0], "", metas, "\n".join(parts))
        return _render_pdf(page, options, read_style("anthology.css"))
