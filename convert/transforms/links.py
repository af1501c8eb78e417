"""The link policy: cited links gain a note, a marker or a visible URL."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from convert.link_schemes import WRITTEN_ADDRESS
from convert.model import (
    MARKER_CLASS,
    Attr,
    Document,
    Heading,
    Link,
    Note,
    Plain,
    Span,
    Text,
    inline_text,
    iter_nodes,
    plain_text,
    rewrite,
)
from convert.model.nodes import Block, Inline
from convert.options import LinkPolicy


@dataclass
class CitedBody:
    """The body with the policy applied, and where each citation number is cited."""

    blocks: tuple[Block, ...]
    refs: dict[int, list[str]] = field(default_factory=dict)


_JOINER = re.compile(r"[\s,;/&+–—-]*")


def note_id(n: int) -> str:
    return f"cite-{n}"


def marker(n: int) -> str:
    """How citation ``n`` is marked in the text; brackets tell it from the author's own notes."""
    return f"[{n}]"


# A URL footnoted fewer than this many words back is cited again on the same page, or the one before:
# it gets its number again, not a second note holding the same URL (a page of a Wikipedia article
# footnoted "Firefox" twice, two words apart: "Main article: Firefox" / "Firefox is a web browser").
FOOTNOTE_REPEAT_WORDS = 150


def apply_link_policy(doc: Document, policy: LinkPolicy) -> CitedBody:
    numbers = {c.url: c.n for c in doc.citations}
    refs: dict[int, list[str]] = defaultdict(list)
    unmarked = _links_without_marker(doc.blocks)
    words = 0  # of the body so far: ``rewrite`` passes each text run through ``mark`` in reading order
    footnoted: dict[str, int] = {}  # URL → where its last note was called, in words

    def mark(node: Any) -> Any:
        nonlocal words
        if isinstance(node, Text):
            words += len(node.text.split())
            return node
        if isinstance(node, Note) and policy is LinkPolicy.FOOTNOTE:
            return replace(node, blocks=rewrite(node.blocks, _note_as_brackets))
        if not isinstance(node, Link) or node.url not in numbers or _shows_url(node) or id(node) in unmarked:
            return node
        n = numbers[node.url]
        match policy:
            case LinkPolicy.NONE:
                return node
            case LinkPolicy.INLINE:
                return (node, Text(" ["), Link((Text(node.url),), node.url), Text("]"))
            case LinkPolicy.FOOTNOTE:
                if words - footnoted.get(node.url, -FOOTNOTE_REPEAT_WORDS) < FOOTNOTE_REPEAT_WORDS:
                    # Its number again, linked to its entry in the list of links.
                    again = Link((Text(marker(n)),), "#" + note_id(n))
                    return (node, Span((again,), Attr("", (MARKER_CLASS,))))
                footnoted[node.url] = words
                return (node, Note((Plain((Link((Text(node.url),), node.url),)),), label=marker(n)))
            case LinkPolicy.ENDNOTE:
                ref = f"ref-{n}-{len(refs[n]) + 1}"
                refs[n].append(ref)
                attr = Attr(ref, ("noteref",), (("epub:type", "noteref"), ("role", "doc-noteref")))
                # bracketed on the line, unlike the author's own notes (superscript numbers)
                link = Link((Text(marker(n)),), "#" + note_id(n), attr=attr)
                return (node, Span((link,), Attr("", (MARKER_CLASS,))))
        raise AssertionError(policy)

    return CitedBody(rewrite(doc.blocks, mark), dict(refs))


# Footnotes fit beside their markers up to this many link markers per 1,000 words of text; a denser
# article gets endnotes without being laid out with footnotes first (measured: docs/pdf.md, "Notes
# beside their markers"; benchmarks/link_density.py).
FOOTNOTE_DENSITY_LIMIT = 25.0
# Nor may the markers crowd together: more than this many within any stretch of this many words (about
# half a page) leave notes that cannot all sit on their markers' page, and the article would be laid out
# a second time with endnotes (lwn's 44 markers, 11 per 1,000 words, hold a run of 17 in 250 words: laid
# out twice it cost 4.1 × its --links none time, once with endnotes 1.1 ×; benchmarks/dense.py).
FOOTNOTE_CLUSTER_WORDS = 250
FOOTNOTE_CLUSTER_LIMIT = 10


def marker_positions(doc: Document) -> tuple[list[int], int]:
    """Where each link marker falls, in words from the start of the body; and how many words it has."""
    cited = apply_link_policy(doc, LinkPolicy.ENDNOTE)
    positions: list[int] = []
    words = 0
    for node in iter_nodes(cited.blocks):
        if isinstance(node, Span) and MARKER_CLASS in node.attr.classes:
            positions.append(words)
        elif isinstance(node, Text):
            words += len(node.text.split())
    return positions, words


def marker_count(doc: Document) -> int:
    """How many link markers the text carries (a URL cited twice is marked twice)."""
    return sum(len(places) for places in apply_link_policy(doc, LinkPolicy.ENDNOTE).refs.values())


def marker_density(doc: Document) -> float:
    """Link markers per 1,000 words of the body."""
    words = len(plain_text(doc.blocks).split())
    return 1000 * marker_count(doc) / max(words, 1)


def densest_run(positions: list[int], words: int = FOOTNOTE_CLUSTER_WORDS) -> int:
    """The most markers within any ``words`` consecutive words."""
    best = start = 0
    for end, at in enumerate(positions):
        while at - positions[start] >= words:
            start += 1
        best = max(best, end - start + 1)
    return best


def footnotes_fit(doc: Document) -> bool:
    """Whether an article is sparse enough for link footnotes (the ``auto`` policy's choice, before layout):
    few markers overall, and no crowd of them anywhere."""
    positions, _ = marker_positions(doc)
    return marker_density(doc) <= FOOTNOTE_DENSITY_LIMIT and densest_run(positions) <= FOOTNOTE_CLUSTER_LIMIT


def _links_without_marker(blocks: tuple[Block, ...]) -> set[int]:
    """Links (by identity) that get no marker: those in headings, whose text also names a
    section in the contents, and all but the last of a run of links to the same URL with only
    spaces or punctuation between them, which read as one citation.
    """
    skip: set[int] = set()
    for node in iter_nodes(blocks):
        if isinstance(node, Heading):
            skip.update(id(link) for link in iter_nodes(node.content) if isinstance(link, Link))
        content = getattr(node, "content", None)
        if not isinstance(content, tuple):
            continue
        previous: Link | None = None
        for child in content:
            if isinstance(child, Link):
                if previous is not None and previous.url == child.url:
                    skip.add(id(previous))
                previous = child
            elif not (isinstance(child, Text) and _JOINER.fullmatch(child.text)):
                previous = None
    return skip


def _note_as_brackets(node: Any) -> Any:
    """A note inside a note cannot float: show the cited URL in brackets instead."""
    if isinstance(node, Note):
        inner = tuple(i for b in node.blocks if isinstance(b, Plain) for i in b.content)
        return (Text(" ["), *inner, Text("]"))
    return node


def _shows_url(link: Link) -> bool:
    """A link whose text already is its URL needs no marker."""
    text = inline_text(link.content).rstrip("/")
    url = link.url.rstrip("/")
    return text == url or text == url.split("://", 1)[-1]


_URL_BREAK_AFTER = re.compile(r"(?<=[/.?&=-])")
# A break opportunity that prints nothing: PDF (WeasyPrint lays out no glyph for it, so a copied
# URL comes back whole) and DOCX (OOXML has no other optional break) put it between a URL's parts.
ZERO_WIDTH_SPACE = "\u200b"


def url_parts(url: str) -> list[str]:
    """A printed URL cut where a line may break: after ``/ . ? & = -``, never inside ``https://``.

    Writers put a break opportunity between the parts: ``<wbr/>`` in EPUB, a zero-width space in
    PDF (no hyphen added, nothing a reader copies) and in DOCX (Word and LibreOffice break there).
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    parts = [part for part in _URL_BREAK_AFTER.split(rest) if part]
    if scheme and parts:
        parts[0] = scheme + sep + parts[0]
    return parts or [url]


def shows_its_url(content: tuple[Inline, ...], url: str) -> bool:
    """Whether a link's text is its URL, printed as it is."""
    return len(content) == 1 and isinstance(content[0], Text) and content[0].text == url


def shown_address(content: tuple[Inline, ...], url: str) -> str | None:
    """The web address a link prints as its text: its URL (``shows_its_url``), or an address written
    another way ("www.example.com/report", "example.com/a/b.html" for https://…); None for words.
    Printed, it breaks as a URL does (``url_parts``): as one long word, it left a justified line of
    the word before it alone, stretched across the page ("In            example.com/research/")."""
    if shows_its_url(content, url):
        return url
    text = content[0].text if len(content) == 1 and isinstance(content[0], Text) else ""
    return text if WRITTEN_ADDRESS.fullmatch(text) else None
