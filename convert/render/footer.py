"""The citation footer every output ends with, built once as model blocks."""

from __future__ import annotations

import datetime as dt

from convert.dates import today
from convert.model import (
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
    Text,
)
from convert.model.nodes import Block
from convert.render.links import note_id

FOOTER_ID = "citation-footer"


def citation_footer(doc: Document, refs: dict[int, list[str]], retrieved: str = "") -> Div:
    """Source attribution, then the numbered list of every cited URL."""
    blocks: list[Block] = [
        Heading(2, (Text("Source"),), Attr("source", ("unnumbered",))),
        Paragraph(attribution(doc, retrieved)),
    ]
    if doc.citations:
        blocks.append(Heading(2, (Text("References"),), Attr("references", ("unnumbered",))))
        items = []
        for cite in doc.citations:
            entry: list[Inline] = []
            if cite.text and cite.text.rstrip("/") != cite.url.rstrip("/"):
                entry += [Text(cite.text), Text(". ")]
            entry.append(Link((Text(cite.url),), cite.url))
            for k, ref in enumerate(refs.get(cite.n, ()), start=1):
                label = "↩" if k == 1 else f"↩{k}"
                entry += [
                    Text(" "),
                    Link((Text(label),), "#" + ref, attr=Attr("", ("backlink",), (("role", "doc-backlink"),))),
                ]
            note_attr = Attr(note_id(cite.n), ("reference",), (("epub:type", "endnote"),))
            items.append((Div((Plain(tuple(entry)),), note_attr),))
        blocks.append(OrderedList(tuple(items)))
    return Div(tuple(blocks), Attr(FOOTER_ID, ("citation-footer",), (("role", "doc-endnotes"),)))


def attribution(doc: Document, retrieved: str = "") -> tuple[Inline, ...]:
    """Who wrote it, what, where, when, and where it came from."""
    meta = doc.meta
    out: list[Inline] = []
    names = [a.name for a in meta.authors]
    if names:
        out.append(Text(join_names(names) + ". "))
    if meta.title:
        out.append(Text(f"“{meta.title}{': ' + meta.subtitle if meta.subtitle else ''}.” "))
    if meta.publisher:
        out += [Emph((Text(meta.publisher),)), Text(", " if meta.published else ". ")]
    if meta.published:
        out.append(Text(human_date(meta.published) + ". "))
    if meta.source_url:
        out += [Link((Text(meta.source_url),), meta.source_url), Text(". ")]
    out.append(Text(f"Retrieved {human_date(retrieved or today().isoformat())}."))
    if meta.rights:
        out.append(Text(f" {meta.rights.rstrip('.')}."))
    return tuple(out)


def human_date(iso: str) -> str:
    """``2023-11-02`` as ``November 2, 2023``; other text unchanged."""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day:%B} {day.day}, {day.year}"


def join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]
