"""An article Tearsheet wrote, read back (its EPUB as input): its earlier header, footer and link markers go,
as the writers make them again from the metadata; pandoc's empty chapter anchors and notes wrapped in
superscript are undone."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from convert.model import (
    FOOTER_CLASS,
    HEADER_CLASS,
    MARKER_CLASS,
    Div,
    Document,
    Image,
    Link,
    Math,
    Note,
    Paragraph,
    Plain,
    RawInline,
    Removal,
    Span,
    Superscript,
    iter_nodes,
    plain_text,
    rewrite,
)
from convert.normalize.context import Context

RULE = "earlier-output"


def earlier_output(doc: Document, ctx: Context) -> Document:
    """Drop the header, citation footer and link markers an earlier conversion added (``earlier-output``);
    a note pandoc wrapped in superscript (EPUB's ``<sup><a epub:type="noteref">``) is a note; a paragraph
    showing nothing (pandoc's anchor opening each EPUB chapter, ``<p><br/></p>``) goes."""
    if ctx.keeps(RULE):
        return doc
    removed: list[Removal] = []
    targets = {node.url[1:] for node in iter_nodes(doc.blocks) if isinstance(node, Link) and node.url.startswith("#")}

    def undone(node: Any) -> Any:
        if isinstance(node, (Div, Span)) and {HEADER_CLASS, FOOTER_CLASS, MARKER_CLASS} & set(node.attr.classes):
            text = plain_text((node,) if isinstance(node, Div) else (Plain((node,)),)).strip()
            if text:  # a marker read back is an empty note: nothing to record
                removed.append(Removal(RULE, text))
            return ()
        if isinstance(node, Superscript) and len(node.content) == 1 and isinstance(node.content[0], Note):
            return node.content[0]
        if isinstance(node, (Paragraph, Plain)) and _shows_nothing(node, targets):
            return ()
        return node

    blocks = rewrite(doc.blocks, undone)
    if blocks == doc.blocks:
        return doc
    return replace(doc, blocks=blocks, removed=(*doc.removed, *removed))


def _shows_nothing(block: Paragraph | Plain, targets: set[str]) -> bool:
    """No text, image, formula, note or raw markup, and no id a link points to."""
    for node in iter_nodes(block.content):
        if isinstance(node, (Image, Math, Note, RawInline)) or (isinstance(node, Span) and node.attr.id in targets):
            return False
    return not plain_text((block,)).strip()
