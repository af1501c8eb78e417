"""The citation footer every output ends with, built once as model blocks."""

from __future__ import annotations

import re
from typing import Any

from convert.model import (
    FOOTER_CLASS,
    Attr,
    Div,
    Document,
    Emph,
    Heading,
    Inline,
    Link,
    OrderedList,
    Paragraph,
    Plain,
    Span,
    Strong,
    Text,
)
from convert.model.nodes import Block
from convert.options import WriteOptions
from convert.transforms.citation import format_citation
from convert.transforms.labels import label, language_of
from convert.transforms.links import note_id

FOOTER_ID = "citation-footer"
# A link text that ends its own sentence ("… freigegeben.", "… this week?", "… here!”") takes no full stop.
_ENDS_SENTENCE = re.compile(r"[.!?…][\s\"'”’»)\]]*$")


def citation_footer(doc: Document, refs: dict[int, list[str]], options: WriteOptions) -> Div:
    """Source attribution, then the numbered list of every cited URL."""
    language = language_of(doc)
    blocks: list[Block] = [
        Heading(2, (Text(label("source", language)),), Attr("source", ("unnumbered",))),
        Paragraph(attribution(doc, options.citation_style, options.retrieved, options.citation_locale)),
    ]
    if doc.citations:
        blocks.append(Heading(2, (Text(label("links", language)),), Attr("links", ("unnumbered",))))
        items = []
        for cite in doc.citations:
            entry: list[Inline] = []
            if cite.text and cite.text.rstrip("/") != cite.url.rstrip("/"):
                entry += [Text(cite.text), Text(" " if _ENDS_SENTENCE.search(cite.text) else ". ")]
            entry.append(Link((Text(cite.url),), cite.url))
            for k, ref in enumerate(refs.get(cite.n, ()), start=1):
                back = "↩" if k == 1 else f"↩{k}"
                entry += [
                    Text("\u00a0"),  # no-break space: the arrow stays with the URL's end, never alone on a line
                    Link((Text(back),), "#" + ref, attr=Attr("", ("backlink",), (("role", "doc-backlink"),))),
                ]
            note_attr = Attr(note_id(cite.n), ("reference",), (("epub:type", "endnote"),))
            items.append((Div((Plain(tuple(entry)),), note_attr),))
        blocks.append(OrderedList(tuple(items)))
    return Div(tuple(blocks), Attr(FOOTER_ID, (FOOTER_CLASS,), (("role", "doc-endnotes"),)))


def attribution(doc: Document, style: str = "chicago", retrieved: str = "", locale: str = "") -> tuple[Inline, ...]:
    """Who wrote it, what, where and when, in a citation style; then when it was retrieved and its rights."""
    out = list(_html_inlines(format_citation(doc, style, retrieved, locale), doc.meta.source_url))
    if doc.meta.rights:
        out.append(Text(f" {doc.meta.rights.rstrip('.')}."))
    return tuple(out)


def _html_inlines(html: str, url: str) -> tuple[Inline, ...]:
    """citeproc's HTML (text, ``<i>``, ``<b>``) as inlines, with the source URL made a link."""
    import lxml.html

    root = lxml.html.fragment_fromstring(html or " ", create_parent="span")

    def convert(element: Any) -> list[Inline]:
        items: list[Inline] = _linked(element.text or "", url)
        for child in element:
            inner = tuple(convert(child))
            items.append(
                Strong(inner)
                if child.tag in ("b", "strong")
                else Emph(inner)
                if child.tag in ("i", "em")
                else Span(inner)
            )
            items += _linked(child.tail or "", url)
        return items

    return tuple(convert(root))


def _linked(text: str, url: str) -> list[Inline]:
    if not text:
        return []
    if not url or url not in text:
        return [Text(text)]
    before, _, after = text.partition(url)
    return [*([Text(before)] if before else []), Link((Text(url),), url), *_linked(after, url)]
