"""EPUB 3 through ebooklib, from the shared HTML renderer and ``styles/``: one article or a book of many."""

from __future__ import annotations

import io
import uuid
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from convert.covers import cover_image
from convert.dates import build_time
from convert.model import Document, Image, iter_nodes, plain_text
from convert.model.book import Book, BookArticle
from convert.options import LinkPolicy, WriteOptions
from convert.render.book import book_language, contents_html, cover_page_html
from convert.render.html import NoteStyle
from convert.render.page import RenderedArticle, render_article, report_images_without_alt
from convert.reporting import Kept, say_kept, warnings_kept
from convert.resources import Resource
from convert.stylesheets import read_style
from convert.transforms.book import chapter
from convert.transforms.labels import count_label, label
from convert.transforms.prepare import chosen_policy
from convert.writers import ImageEmbedding
from convert.writers.epub_accessibility import (
    BookImages,
    declare_accessibility,
    is_animated,
    package_language,
)
from convert.writers.epub_check import check_epub
from convert.writers.images import image_loader
from convert.writers.zipped import reproducible_zip

CHAPTER = "article.xhtml"
_NAMESPACE = uuid.UUID("6f0c1f8e-2b59-4f43-9d77-7d1f3c0a9e51")


def book_identifier(doc: Document) -> str:
    """Stable across builds: from the source URL, else from title and text."""
    key = doc.meta.source_url or (doc.meta.title + "\n" + plain_text(doc.blocks))
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


def epub_css(options: WriteOptions) -> str:
    """The shared typography, the EPUB additions, then the user's ``--style`` (as in PDF, it comes last)."""
    css = [read_style("article.css"), read_style("epub.css")]
    if options.stylesheet is not None:
        css.append(options.stylesheet.read_text(encoding="utf-8"))
    return "\n".join(css)


class _Package:
    """One EPUB being put together: shared stylesheet, images stored once, chapters."""

    def __init__(self, options: WriteOptions, policy: LinkPolicy, notes: NoteStyle) -> None:
        from ebooklib import epub  # import on use

        self.epub = epub
        self.options = options
        self.policy = chosen_policy(options.links, policy)
        self.notes = notes
        self.book = epub.EpubBook()
        self.images: dict[str, Any] = {}
        self.shown = BookImages()
        self.css = epub.EpubItem(
            uid="style",
            file_name="style/article.css",
            media_type="text/css",
            content=epub_css(options).encode("utf-8"),
        )
        self.book.add_item(self.css)

    def chapter(self, doc: Document, file_name: str, options: WriteOptions) -> tuple[Any, RenderedArticle]:
        return self.add_chapter(file_name, options, render_chapter(self.prepare(doc, options)))

    def prepare(self, doc: Document, options: WriteOptions) -> _Chapter:
        """``doc`` ready to render anywhere: its images loaded here and stored in the package."""
        load = image_loader(doc, options)
        paths: dict[str, str | None] = {}
        for image in iter_nodes(doc.blocks):
            if isinstance(image, Image) and image.src not in paths:
                resource = load(image)
                paths[image.src] = self.add_image(resource) if resource is not None else None
        # The sandbox stays here with what it read; what renders has its images.
        sandbox = replace(options.sandbox, root=None, allow_network=False, fetcher=None, reads=None)
        return _Chapter(doc, replace(options, sandbox=sandbox, attachments=()), self.policy, self.notes, paths)

    def add_image(self, resource: Resource) -> str:
        path = f"images/{resource.name}"  # named by content: identical images are stored once
        if path not in self.images:
            self.images[path] = self.epub.EpubImage(
                uid=f"img-{resource.name.split('.')[0]}",
                file_name=path,
                media_type=resource.media_type,
                content=resource.data,
            )
            self.book.add_item(self.images[path])
            self.shown.animated += is_animated(resource.data, resource.media_type)
        return path

    def add_chapter(
        self, file_name: str, options: WriteOptions, rendered: tuple[RenderedArticle, Kept]
    ) -> tuple[Any, RenderedArticle]:
        """The chapter ``render_chapter`` rendered (and the warnings it kept, said now), as a page of the book."""
        article, warnings = rendered
        say_kept(options.sandbox.article, warnings)
        self.shown.add(article.images, article.images_without_alt)
        report_images_without_alt(options.sandbox.article, article.images_without_alt)
        page = self.page(file_name, article.title, article.article, article.language, article.direction)
        return page, article

    def page(self, file_name: str, title: str, body: str, language: str, direction: str = "") -> Any:
        item = self.epub.EpubHtml(title=title, file_name=file_name, lang=language, direction=direction or None)
        item.content = f"<html><body>{body}</body></html>"
        if "<math " in body:  # EPUB 3 requires a page with MathML to say so in the manifest
            item.properties.append("mathml")
        item.add_item(self.css)
        self.book.add_item(item)
        return item

    def heading_links(self, file_name: str, rendered: RenderedArticle, depth: int) -> list[Any]:
        """TOC entries for an article's headings down to ``depth``, nested by level."""
        entries: list[Any] = []
        stack: list[tuple[int, list[Any]]] = [(1, entries)]
        for level, ident, text in rendered.headings:
            # A heading made only of an image has no text: EPUB forbids a contents link without text.
            if level > depth or not text.strip():
                continue
            while len(stack) > 1 and stack[-1][0] >= level:
                stack.pop()
            children: list[Any] = []
            stack[-1][1].append((self.epub.Section(text, f"{file_name}#{ident}"), children))
            stack.append((level, children))
        return [_flatten(entry, self.epub) for entry in entries]

    def finish(self, toc: list[Any], spine: list[Any], language: str) -> bytes:
        self.book.toc = toc
        self.book.add_item(self.epub.EpubNcx())
        self.book.add_item(self.epub.EpubNav())
        self.book.spine = spine
        declare_accessibility(self.book, self.shown, language)
        out = io.BytesIO()
        self.epub.write_epub(out, self.book, {"mtime": build_time(), "epub3_pages": False, "package_direction": True})
        return check_epub(reproducible_zip(out.getvalue(), package_language(language)))


def _flatten(entry: tuple[Any, list[Any]], epub: Any) -> Any:
    """A TOC entry with no children is a plain link."""
    section, children = entry
    if not children:
        # navPoint ids must be unique across the book, so they name the file too
        return epub.Link(section.href, section.title, _ncx_id(section.href))
    return (section, [_flatten(child, epub) for child in children])


def _ncx_id(href: str) -> str:
    """``href`` as a navPoint id: EPUBCheck reads toc.ncx with XML's older name rules, where only letters and
    decimal digits count (the heading "H₂O" gave ``h₂o``, and EPUBCheck failed the book: RSC-005)."""
    return "".join(c if c.isalpha() or c.isdecimal() or c in "_-" else "-" for c in href)


class EpubWriter:
    name: ClassVar[str] = "epub"
    suffix: ClassVar[str] = ".epub"
    default_links: ClassVar[LinkPolicy] = LinkPolicy.ENDNOTE
    notes: ClassVar[NoteStyle] = NoteStyle.ASIDE
    images: ClassVar[ImageEmbedding] = ImageEmbedding.PACKAGED
    binds_books: ClassVar[bool] = True

    def write(self, doc: Document, options: WriteOptions) -> bytes:
        package = _Package(options, self.default_links, self.notes)
        chapter, rendered = package.chapter(doc, CHAPTER, options)
        _describe(package.book, doc, rendered)
        package.book.set_identifier(book_identifier(doc))
        toc = [package.epub.Link(CHAPTER, rendered.title, "article"), *package.heading_links(CHAPTER, rendered, 2)]
        return package.finish(toc, [chapter, "nav"], rendered.language)

    def write_book(self, book: Book, options: WriteOptions, pool: Executor | None = None) -> bytes:
        """Each article its own chapter with its own header and citation footer; a cover; a contents page.

        The chapters are rendered in ``pool`` when given (their images loaded and stored here first),
        the book is put together here."""
        package = _Package(options, self.default_links, self.notes)
        epub, spec = package.epub, book.spec
        language = book_language(book)
        package.book.set_identifier(book.identifier)
        package.book.set_title(spec.title)
        package.book.set_language(language)
        if spec.author:
            package.book.add_author(spec.author, uid="creator1")
        package.book.add_metadata("DC", "date", build_time().date().isoformat())
        package.book.add_metadata("DC", "description", count_label(len(book.articles), language))
        cover_name, _, cover_data = cover_image(book, language)
        package.book.set_cover(cover_name, cover_data, create_page=False)
        # Our own cover page: ebooklib's says lang="en" whatever the book's language, and alt="Cover".
        cover = package.page(
            "cover.xhtml", label("cover", language), cover_page_html(book, cover_name, language), language
        )
        package.shown.add(1, 0)

        def file_of(article: BookArticle) -> str:
            return f"{article.slug}.xhtml"

        contents_title = label("contents", language)
        contents = package.page("contents.xhtml", contents_title, contents_html(book, file_of, language), language)
        chapters, entries = [], []
        in_book = [chapter(article, book, options, lambda slug: f"{slug}.xhtml") for article in book.articles]
        parts = [package.prepare(doc, article_options) for doc, article_options in in_book]
        renders = pool.map(render_chapter, parts, chunksize=8) if pool is not None else map(render_chapter, parts)
        for article, (_, article_options), render in zip(book.articles, in_book, renders, strict=True):
            item, rendered = package.add_chapter(file_of(article), article_options, render)
            chapters.append(item)
            headings = package.heading_links(file_of(article), rendered, spec.toc_depth) if spec.toc_depth > 1 else []
            link = epub.Section(rendered.title, file_of(article)) if headings else None
            entries.append(
                (
                    article.section,
                    (link, headings) if link else epub.Link(file_of(article), rendered.title, article.slug),
                )
            )
        toc: list[Any] = [epub.Link("contents.xhtml", contents_title, "contents")]
        for section, items in _group(entries):
            if section:
                toc.append((epub.Section(section, _first_href(items)), items))
            else:
                toc.extend(items)
        return package.finish(toc, [cover, contents, *chapters, "nav"], language)


@dataclass(frozen=True, slots=True)
class _Chapter:
    """An article ready to render as a chapter, in this process or a worker."""

    doc: Document
    options: WriteOptions
    policy: LinkPolicy
    notes: NoteStyle
    images: dict[str, str | None]  # each image's path in the package; None: it could not be loaded


def render_chapter(part: _Chapter) -> tuple[RenderedArticle, Kept]:
    """The chapter's XHTML and what it warned (a module function: a worker process can run it)."""
    return warnings_kept(
        lambda: render_article(
            part.doc,
            part.options,
            policy=part.policy,
            notes=part.notes,
            image_src=lambda i: part.images.get(i.src),
            mathml=True,
        )
    )


def _describe(book: Any, doc: Document, rendered: RenderedArticle) -> None:
    """Package metadata of a one-article EPUB."""
    meta = doc.meta
    book.set_title(rendered.title)
    book.set_language(rendered.language)
    if rendered.direction:
        book.set_direction(rendered.direction)
    for k, author in enumerate(meta.authors, start=1):
        book.add_author(author.name, uid=f"creator{k}")
    for name, value in (
        ("date", meta.published),
        ("source", meta.source_url),
        ("publisher", meta.publisher),
        ("rights", meta.rights),
        ("description", meta.description or meta.subtitle),
    ):
        if value:
            book.add_metadata("DC", name, value)
    for tag in meta.tags:
        book.add_metadata("DC", "subject", tag)


def _group(entries: list[tuple[str, Any]]) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for section, entry in entries:
        groups.setdefault(section, []).append(entry)
    return list(groups.items())


def _first_href(items: list[Any]) -> str:
    first = items[0]
    return str(first[0].href if isinstance(first, tuple) else first.href)
