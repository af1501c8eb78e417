"""EPUB 3 through ebooklib, from the shared HTML renderer and ``styles/``."""

from __future__ import annotations

import io
import uuid
from typing import Any, ClassVar

from convert.dates import build_time
from convert.model import Document, Image, plain_text
from convert.options import LinkPolicy, WriteOptions
from convert.render.html import NoteStyle
from convert.render.page import render_article
from convert.styles import read_style
from convert.writers.zipped import reproducible_zip

CHAPTER = "article.xhtml"
_NAMESPACE = uuid.UUID("6f0c1f8e-2b59-4f43-9d77-7d1f3c0a9e51")


def book_identifier(doc: Document) -> str:
    """Stable across builds: from the source URL, else from title and text."""
    key = doc.meta.source_url or (doc.meta.title + "\n" + plain_text(doc.blocks))
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


class EpubWriter:
    name: ClassVar[str] = "epub"
    suffix: ClassVar[str] = ".epub"
    default_links: ClassVar[LinkPolicy] = LinkPolicy.ENDNOTE

    def write(self, doc: Document, options: WriteOptions) -> bytes:
        from ebooklib import epub  # import on use

        book = epub.EpubBook()
        meta = doc.meta
        images: dict[str, Any] = {}

        def image_src(image: Image) -> str | None:
            resource = options.sandbox.load_image(image.src, doc.meta.source_url)
            if resource is None:
                return None
            path = f"images/{resource.name}"
            if path not in images:
                images[path] = epub.EpubImage(
                    uid=f"img-{resource.name.split('.')[0]}",
                    file_name=path,
                    media_type=resource.media_type,
                    content=resource.data,
                )
            return path

        rendered = render_article(
            doc, options, policy=options.links or self.default_links, notes=NoteStyle.ASIDE, image_src=image_src
        )
        book.set_identifier(book_identifier(doc))
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

        css = epub.EpubItem(
            uid="style",
            file_name="style/article.css",
            media_type="text/css",
            content=(read_style("article.css") + read_style("epub.css")).encode("utf-8"),
        )
        chapter = epub.EpubHtml(
            title=rendered.title,
            file_name=CHAPTER,
            lang=rendered.language,
            direction=rendered.direction or None,
        )
        chapter.content = f"<html><body>{rendered.article}</body></html>"
        chapter.add_item(css)
        book.add_item(css)
        book.add_item(chapter)
        for item in images.values():
            book.add_item(item)
        book.toc = [
            epub.Link(CHAPTER, rendered.title, "article"),
            *(epub.Link(f"{CHAPTER}#{ident}", text, ident) for level, ident, text in rendered.headings if level <= 2),
        ]
        book.add_item(epub.EpubNcx())
        book.add_item(epub.EpubNav())
        book.spine = [chapter, "nav"]

        out = io.BytesIO()
        epub.write_epub(out, book, {"mtime": build_time(), "epub3_pages": False})
        return reproducible_zip(out.getvalue())
