"""PDF through WeasyPrint, from the shared HTML renderer and ``styles/``: one article or an anthology."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup

from convert.audit import CITATIONS_KEY, encode_citations
from convert.dates import build_time
from convert.model import Document, Image, iter_nodes
from convert.model.book import Book, BookArticle
from convert.options import LinkPolicy, WriteOptions
from convert.render.book import book_language, contents_html, cover_html
from convert.render.html import ImageSource, NoteStyle
from convert.render.page import (
    RenderedArticle,
    page_html,
    render_article,
    render_page,
    report_images_without_alt,
)
from convert.reporting import Kept, say_kept, warnings_kept
from convert.stylesheets import read_style
from convert.transforms.book import chapter
from convert.transforms.labels import label
from convert.transforms.links import ZERO_WIDTH_SPACE, footnotes_fit
from convert.writers import ImageEmbedding
from convert.writers.images import data_urls
from convert.writers.pdf_book import BOOK_LINK, BoundArticle
from convert.writers.pdf_book import bind as bind_book
from convert.writers.pdf_notes import StrayNote, descendants, note_placement
from convert.writers.pdf_tags import VARIANTS, repair_pdf

log = logging.getLogger("tearsheet")

if TYPE_CHECKING:
    from concurrent.futures import Executor

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


def stylesheet_texts(options: WriteOptions, extra_css: tuple[str, ...] = ()) -> list[str]:
    """The print stylesheets a page is laid out with, in order (``benchmarks/batch.py`` lays out the same)."""
    css = [read_style("article.css"), read_style("print.css"), *extra_css, f"@page {{ size: {options.page_size}; }}"]
    if options.stylesheet is not None:
        css.append(options.stylesheet.read_text(encoding="utf-8"))
    return css


def _stylesheets(options: WriteOptions, extra_css: tuple[str, ...]) -> tuple[list[CSS], FontConfiguration]:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    css = stylesheet_texts(options, extra_css)
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
    repaired = variant.tagged or variant.archival
    pdf = document.write_pdf(
        pdf_identifier=identifier,
        custom_metadata=True,
        pdf_variant=variant.weasyprint,
        pdf_tags=variant.tagged,
        attachments=attachments if variant.archival else None,
        # A PDF the repair opens is compressed once, by qpdf as the repair saves it, not by pydyf before.
        uncompressed_pdf=repaired,
    )
    assert isinstance(pdf, bytes)
    return repair_pdf(pdf) if repaired else pdf


@dataclass(frozen=True, slots=True)
class _Part:
    """One article of a PDF: its document, its options (with the link policy asked for), its id in the page."""

    doc: Document
    options: WriteOptions
    article_id: str = ""
    images: dict[str, str | None] | None = None  # loaded beforehand (see _loaded_images); None: load them here


def _loaded_images(doc: Document, options: WriteOptions) -> dict[str, str | None]:
    """Every image of ``doc`` loaded through its sandbox here (a ``data:`` URL, None where it cannot be had).

    An article laid out in another process gets these: its sandbox (the input's folder, the
    network client, the record of what was read) stays with the process that owns it.
    """
    load = data_urls(doc, options)
    return {node.src: load(node) for node in iter_nodes(doc.blocks) if isinstance(node, Image)}


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

    def write_book(self, book: Book, options: WriteOptions, pool: Executor | None = None) -> bytes:
        """One PDF: cover, contents with page numbers, then each article from a new page.

        Each article is laid out on its own (in ``pool`` when given) and the PDFs are bound
        (``pdf_book``): the layout's memory is that of the largest article, not of the book.
        With a pool, the front matter is first laid out there beside the articles (its length,
        to place them) and the page numbers are laid out there while this process lays out the
        contents with their numbers.
        """
        # What crosses to a worker: no sandbox to read through (images are loaded) and no attachments
        # (the book carries them once, in its front matter's catalog).
        front_matter = _FrontMatter(_front_matter_page(book), _for_a_worker(options))
        unnumbered = pool.submit(front_matter, None) if pool is not None else None  # first: beside the articles
        parts = []
        for article in book.articles:
            doc, article_options = chapter(article, book, options, lambda slug: f"{BOOK_LINK}{slug}")
            images = _loaded_images(doc, article_options)
            parts.append(_Part(doc, replace(_for_a_worker(article_options), attachments=()), article.slug, images))
        rendered = pool.map(book_article, parts) if pool is not None else map(book_article, parts)
        bound = []
        for article, (pdf, warnings) in zip(book.articles, rendered, strict=True):
            say_kept(article.label, warnings)
            bound.append(BoundArticle(article.slug, article.section, article.doc.meta.title, pdf))
        contents_title = label("contents", book_language(book))
        numbers = functools.partial(_page_numbers, replace(_for_a_worker(options), attachments=()))
        return bind_book(
            front_matter,
            bound,
            numbers,
            contents_title,
            pool=pool,
            unnumbered=unnumbered.result() if unnumbered is not None else None,
        )

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
            image_src=_image_source(part),
            article_id=part.article_id,
            url_break=ZERO_WIDTH_SPACE,
        )
        report_images_without_alt(part.options.sandbox.article, rendered.images_without_alt)
        return rendered


def _image_source(part: _Part) -> ImageSource:
    images = part.images
    return data_urls(part.doc, part.options) if images is None else lambda image: images.get(image.src)


def _for_a_worker(options: WriteOptions) -> WriteOptions:
    """``options`` without a sandbox to read through: what a worker lays out has its images loaded."""
    return replace(options, sandbox=replace(options.sandbox, root=None, allow_network=False, fetcher=None, reads=None))


# Where the contents page prints an article's page number: a comment no text can make (text is escaped).
_PAGE_SLOT = re.compile(r"<!--page (\w+)-->")


def _front_matter_page(book: Book) -> str:
    """The cover and contents as one HTML page, each page number a ``_PAGE_SLOT`` for its article."""
    cited = dict.fromkeys(c.url for article in book.articles for c in article.doc.citations)
    metas = [("author", book.spec.author), (CITATIONS_KEY, encode_citations(list(cited)))]
    language = book_language(book)

    def slot(article: BookArticle) -> Markup:
        return Markup(f"<!--page {article.slug}-->")

    contents = contents_html(book, lambda article: f"{BOOK_LINK}{article.slug}", language, slot)
    return page_html(book.spec.title, language, "", metas, cover_html(book) + contents)


@dataclass(frozen=True, slots=True)
class _FrontMatter:
    """The front matter's PDF given where each article starts (``pdf_book.FrontMatter``); a worker can run it."""

    page: str  # with a _PAGE_SLOT for each page number
    options: WriteOptions

    def __call__(self, starts: dict[str, int] | None) -> bytes:
        def number(slot: re.Match[str]) -> str:
            return str(starts[slot[1]]) if starts is not None else "0000"  # None: as wide as a number gets

        page = _PAGE_SLOT.sub(number, self.page)
        document = _layout(page, self.options, (read_style("anthology.css"), _NO_PAGE_NUMBERS))
        _empty_leaders(document)
        return _pdf_bytes(document, page, self.options)


def book_article(part: _Part) -> tuple[bytes, Kept]:
    """One article of a book as its own tagged PDF (no page numbers: the binding adds them), and what it warned.

    A module function, so a worker process can run it.
    """

    def page(articles: list[RenderedArticle]) -> str:
        rendered = articles[0]
        return page_html(rendered.title, rendered.language, rendered.direction, [], rendered.article)

    return warnings_kept(lambda: PdfWriter()._write([part], page, (read_style("anthology.css"), _NO_PAGE_NUMBERS)))


# The binding prints each page's number over it (pdf_book); a part laid out alone has none.
_NO_PAGE_NUMBERS = "@page { @bottom-center { content: none; } }"
# One page per number, the number in the page box where print.css puts it.
_NUMBER_PAGES = """
@page { @top-center { content: none; } @bottom-center { content: string(page-number); } }
@page :first { @bottom-center { content: string(page-number); } }
html, body { margin: 0; }
.page-number { string-set: page-number content(); visibility: hidden; height: 0; break-after: page; }
"""


def _empty_leaders(document: WeasyDocument) -> None:
    """Each ``leader()`` of a laid-out document without its text, which the stylesheet draws as its background.

    WeasyPrint fills a leader with copies of its string, each drawn, and tagged, as a text box of
    its own (a ``Span`` element each): a contents of 1,000 entries made ~100,000 of them. The box
    keeps the width the leader gave it, so its background (the contents page's dots) still spans
    the gap between the title and the page number.
    """
    for page in document.pages:
        for box in descendants(page._page_box):
            if getattr(box, "is_leader", False):
                box.children = ()


def _page_numbers(options: WriteOptions, first: int, last: int, total: int) -> bytes:
    """Pages ``first``…``last`` of ``total`` holding only their number ("N / total"), to lay over the book's.

    Untagged: the binding marks what they print as a pagination artifact.
    """
    body = "".join(f'<p class="page-number">{k} / {total}</p>' for k in range(first, last + 1))
    page = page_html("", "en", "", [], body)
    pdf = _layout(page, options, (_NUMBER_PAGES,)).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
