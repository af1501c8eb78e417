"""DOCX through pandoc, from the model's pandoc JSON and ``styles/reference.docx``."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from typing import Any, ClassVar

from convert.audit import CITATIONS_KEY, encode_citations
from convert.dates import build_time
from convert.model import Attr, Document, Image, Link, Paragraph, RawBlock, RawInline, Span, Text, inline_text, rewrite
from convert.options import LinkPolicy, WriteOptions
from convert.pandoc.writing import meta_to_pandoc, to_pandoc
from convert.pandoc_process import PandocFailed, convert_text
from convert.render.body import render_body
from convert.render.page import language_of
from convert.writers import WriterError
from convert.writers.zipped import reproducible_zip

log = logging.getLogger("tearsheet")


class DocxWriter:
    name: ClassVar[str] = "docx"
    suffix: ClassVar[str] = ".docx"
    default_links: ClassVar[LinkPolicy] = LinkPolicy.FOOTNOTE

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
        prepared = render_body(doc, options, self.default_links)

        def embed(node: Any) -> Any:
            # Raw markup for other formats (openxml fields, TeX) could make Word fetch or include files.
            if isinstance(node, (RawBlock, RawInline)) and node.format.lower() != "html":
                return ()
            # Images reach pandoc only as data: URLs loaded through the sandbox,
            # so pandoc never opens a file or URL itself (it refuses any other image).
            if isinstance(node, Image):
                resource = options.sandbox.load_image(node.src, doc.meta.source_url)
                if resource is None:
                    return Span((Text(f"[{inline_text(node.content) or 'image'}]"),), Attr("", ("missing-image",)))
                return replace(node, src=resource.data_url())
            return node

        blocks = rewrite(prepared.blocks, embed) + (prepared.footer,)
        source_line = _source_line(doc)
        if source_line is not None:
            blocks = (source_line, *blocks)
        meta = meta_to_pandoc(doc.meta, language_of(doc))
        meta[CITATIONS_KEY] = {"t": "MetaString", "c": encode_citations([c.url for c in doc.citations])}
        return to_pandoc(blocks, meta)


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
