"""The title: from the first level-1 heading when the metadata has none, without a " | Site" suffix."""

from __future__ import annotations

import re
from dataclasses import replace

from convert.model import Block, Div, Document, Figure, Heading, Removal, inline_text
from convert.normalize.context import Context

RULE = "title-heading"
_SUFFIX_SEPARATORS = r"\s+(?:[|–—·»:]|-{1,2})\s+"
# Headings that repeat the title sit at the body's very start, after at most a lead image.
_TITLE_BLOCKS = 3
# The headings repeating a title hold at least this share of its letters: "Open Journalism
# Project:" over "Better Student Journalism" repeats "The Open Journalism Project: Better …".
_TITLE_SHARE = 0.8
# How many wrappers deep the title's H1 is looked for.
_WRAPPERS = 3


def title_from_heading(doc: Document, ctx: Context) -> Document:
    """Move a leading H1 into ``meta.title``, or drop it when it repeats the title; then drop
    the headings of any level at the body's start that only repeat the title, split over a
    few headings ("Project:" / "Better Journalism") or not."""
    if ctx.keeps(RULE):
        return doc
    return _drop_repeated_title(_title_from_h1(doc))


def _title_from_h1(doc: Document) -> Document:
    found = _leading_h1(doc.blocks)
    if found is None:
        return doc
    heading, blocks = found
    text = inline_text(heading.content)
    if doc.meta.title and not _same(text, doc.meta.title):
        return doc  # a heading of its own, not the title again
    meta = doc.meta if doc.meta.title else replace(doc.meta, title=text)
    return replace(doc, meta=meta, blocks=blocks, removed=(*doc.removed, Removal(RULE, text)))


def _leading_h1(blocks: tuple[Block, ...], depth: int = 0) -> tuple[Heading, tuple[Block, ...]] | None:
    """The H1 among the first blocks, and the blocks without it. A first block that only wraps others
    (a notebook's cell, a section) is looked into: a notebook's title is its first cell's heading."""
    for index, block in enumerate(blocks[:3]):
        if isinstance(block, Heading) and block.level == 1:
            return block, blocks[:index] + blocks[index + 1 :]
        if index == 0 and isinstance(block, Div) and depth < _WRAPPERS:
            inside = _leading_h1(block.blocks, depth + 1)
            if inside is not None:
                heading, rest = inside
                return heading, ((replace(block, blocks=rest),) if rest else ()) + blocks[1:]
    return None


def _drop_repeated_title(doc: Document) -> Document:
    """Drop the run of headings at the body's start (a lead image may stand before it) whose
    text, together, is the title's: all of it, or all but a word at one end ("The")."""
    title = _letters(doc.meta.title)
    start = next((i for i, b in enumerate(doc.blocks[:_TITLE_BLOCKS]) if not isinstance(b, Figure)), None)
    if not title or start is None:
        return doc
    run = []
    for block in doc.blocks[start : start + _TITLE_BLOCKS]:
        if not isinstance(block, Heading):
            break
        run.append(block)
    joined = ""
    for count, heading in enumerate(run, start=1):
        joined += _letters(inline_text(heading.content))
        if joined == title or (
            len(joined) >= _TITLE_SHARE * len(title) and (title.endswith(joined) or title.startswith(joined))
        ):
            dropped = tuple(Removal(RULE, inline_text(h.content)) for h in run[:count])
            blocks = doc.blocks[:start] + doc.blocks[start + count :]
            return replace(doc, blocks=blocks, removed=(*doc.removed, *dropped))
    return doc


def _letters(text: str) -> str:
    """Letters and digits only, casefolded: a title compared across its spellings."""
    return re.sub(r"\W+", "", text).casefold()


def strip_site_suffix(doc: Document, ctx: Context) -> Document:
    """``Title | The Site`` → ``Title`` when the suffix (or prefix) names the publisher, or the site
    named by its host ("Mozilla - Wikipedia" on en.wikipedia.org). A site known only by its host
    is then named as the title writes it: the publisher "Wikipedia", not "en.wikipedia.org"."""
    title = doc.meta.title
    for site in _site_names(doc.meta.publisher):
        name = rf"(?P<site>{re.escape(site)})"
        match = re.search(rf"{_SUFFIX_SEPARATORS}{name}\s*$", title, re.IGNORECASE)
        if match is None:
            match = re.search(rf"^\s*{name}{_SUFFIX_SEPARATORS}", title, re.IGNORECASE)
            stripped = title[match.end() :] if match else title
        else:
            stripped = title[: match.start()]
        if match is not None and stripped.strip():
            publisher = doc.meta.publisher if site == doc.meta.publisher else match["site"]
            return replace(doc, meta=replace(doc.meta, title=stripped.strip(), publisher=publisher))
    return doc


def _site_names(publisher: str) -> list[str]:
    """The publisher, and for a site known only by its host its name there ("en.wikipedia.org" → "wikipedia")."""
    if not publisher:
        return []
    labels = publisher.removeprefix("www.").split(".")
    is_host = " " not in publisher and len(labels) >= 2
    return [publisher, labels[-2]] if is_host and len(labels[-2]) > 2 else [publisher]


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())
