"""DOCX through pandoc, from the model's pandoc JSON and ``styles/reference.docx``."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from typing import Any, ClassVar

from convert.audit import CITATIONS_KEY, encode_citations
from convert.dates import build_time
from convert.model import (
    ABSTRACT_CLASS,
    Attr,
    BlockQuote,
    Code,
    CodeBlock,
    Div,
    Document,
    Image,
    LineBreak,
    Link,
    Paragraph,
    RawBlock,
    RawInline,
    Span,
    Text,
    rewrite,
)
from convert.options import LinkPolicy, WriteOptions
from convert.pandoc.writing import QUOTED_CODE_STYLE, meta_to_pandoc, to_pandoc
from convert.pandoc_process import PandocFailed, convert_text
from convert.render.html import NoteStyle, figure_captions, missing_image_text
from convert.transforms.labels import direction_of, label, language_of, local_date
from convert.transforms.links import ZERO_WIDTH_SPACE, shown_address, url_parts
from convert.transforms.prepare import prepare
from convert.writers import ImageEmbedding, WriterError
from convert.writers.images import data_urls
from convert.writers.zipped import reproducible_zip

log = logging.getLogger("tearsheet")


class DocxWriter:
    name: ClassVar[str] = "docx"
    suffix: ClassVar[str] = ".docx"
    default_links: ClassVar[LinkPolicy] = LinkPolicy.FOOTNOTE
    notes: ClassVar[NoteStyle] = NoteStyle.NATIVE
    images: ClassVar[ImageEmbedding] = ImageEmbedding.DATA_URL
    binds_books: ClassVar[bool] = False

    def write(self, doc: Document, options: WriteOptions) -> bytes:
        try:
            docx, messages = convert_text(
                json.dumps(self.pandoc_document(doc, options)).encode("utf-8"), "json", "docx"
            )
        except PandocFailed as exc:
            raise WriterError("docx", exc.reason) from None
        for line in messages:
            log.warning("pandoc: %s", line)
        return reproducible_zip(docx, _stamp_core_properties)

    def pandoc_document(self, doc: Document, options: WriteOptions) -> dict[str, Any]:
        """The pandoc JSON document pandoc's DOCX writer is given (benchmarks time that writer on it alone)."""
        # The title is Word's "Title" paragraph, not a heading: the body's headings start at Heading 1.
        prepared = prepare(doc, options, self.default_links, top_heading=1)
        data_url = data_urls(doc, options)
        captions = figure_captions(prepared.blocks)
        image_label = label("image", language_of(doc))

        def embed(node: Any) -> Any:
            # Raw markup for other formats (openxml fields, TeX) could make Word fetch or include files.
            if isinstance(node, (RawBlock, RawInline)) and node.format.lower() != "html":
                return ()
            # Images reach pandoc only as data: URLs loaded through the sandbox,
            # so pandoc never opens a file or URL itself (it refuses any other image).
            if isinstance(node, Image):
                src = data_url(node)
                if src is None:
                    missing = missing_image_text(node, captions.get(node, ""), image_label)
                    return Span((Text(missing),), Attr("", ("missing-image",)))
                return replace(node, src=src)
            return node

        blocks = rewrite(prepared.blocks, embed) + (prepared.footer,)
        source_line = _source_line(doc)
        if source_line is not None:
            blocks = (source_line, *blocks)
        blocks = rewrite(rewrite(blocks, _breakable_url), _quoted_code)
        language = language_of(doc)
        shown_date = local_date(doc.meta.published, language) if doc.meta.published else ""  # as PDF and EPUB show it
        meta = meta_to_pandoc(doc.meta, language, direction_of(doc), shown_date)
        meta[CITATIONS_KEY] = {"t": "MetaString", "c": encode_citations([c.url for c in doc.citations])}
        document = to_pandoc(blocks, meta)
        # The abstract goes back into pandoc's metadata: its writer sets it in Word's Abstract style, titled.
        body = document["blocks"]
        at = next((k for k, b in enumerate(body) if b["t"] == "Div" and ABSTRACT_CLASS in b["c"][0][1]), None)
        if at is not None:
            meta["abstract"] = {"t": "MetaBlocks", "c": body.pop(at)["c"][1]}
        return document


def _breakable_url(node: Any) -> Any:
    """A link that shows a web address (``shown_address``) may break after ``/ . ? & = -`` (a zero-width
    space there), not anywhere, and never inside the scheme; its target stays the URL."""
    if isinstance(node, Link) and (address := shown_address(node.content, node.url)) is not None:
        return replace(node, content=(Text(ZERO_WIDTH_SPACE.join(url_parts(address))),))
    return node


def _quoted_code(node: Any) -> Any:
    """The code blocks of a block quote as paragraphs in the "Quoted Code" style: pandoc sets every code
    block in "Source Code", which has no indent, so quoted code stood at the margin under the quote."""
    if isinstance(node, BlockQuote):
        return replace(node, blocks=rewrite(node.blocks, _code_lines))
    return node


def _code_lines(node: Any) -> Any:
    if not isinstance(node, CodeBlock):
        return node
    lines: list[Any] = []
    for number, line in enumerate(node.text.split("\n")):
        lines += [LineBreak()] * bool(number) + [Code(line)] * bool(line)
    return Div((Paragraph(tuple(lines)),), Attr("", (), (("custom-style", QUOTED_CODE_STYLE),)))


def _stamp_core_properties(name: str, content: bytes) -> bytes:
    """Set the created/modified dates pandoc left at 1970 (it may not read the clock under --sandbox)."""
    if name != "docProps/core.xml":
        return content
    stamp = build_time().strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", content)


def _source_line(doc: Document) -> Paragraph | None:
    """Publisher and original URL under the title, as the PDF and EPUB header show them."""
    parts: list[Any] = []
    if doc.meta.publisher:
        parts.append(Text(doc.meta.publisher))
    if doc.meta.source_url:
        if parts:
            parts.append(Text(" · "))
        parts.append(Link((Text(doc.meta.source_url),), doc.meta.source_url))
    return Paragraph(tuple(parts)) if parts else None
