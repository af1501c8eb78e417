"""Taxonomy lines (``Region: …``, ``Theme: …``, ``Tags: …``) become tags."""

from __future__ import annotations

import re
from dataclasses import replace

from convert.model import Document, Inline, Link, Text, inline_text
from convert.normalize.context import Context
from convert.normalize.util import HEAD_BLOCKS, drop_lines, head_region

RULE = "taxonomy"
_LABEL = re.compile(
    r"^(?P<label>regions?|themes?|topics?|tags?|tagged(?: with)?|categor(?:y|ies)|filed (?:under|in)|keywords?|"
    r"subjects?|in-depth reports?|series|sections?)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def extract_taxonomy(doc: Document, ctx: Context) -> Document:
    """Lines of labelled link lists at the top or bottom of an article → ``meta.tags``."""
    if ctx.keeps(RULE):
        return doc
    tags: list[str] = list(doc.meta.tags)
    in_list = False  # the line before was a taxonomy line: a bare link list continues it

    def visit(line: tuple[Inline, ...]) -> str | None:
        nonlocal in_list
        continuing = in_list and _LABEL.match(inline_text(line)) is None
        items = _items(line, continuing=in_list)
        in_list = items is not None
        if items is None:
            return None
        for k, item in enumerate(items):
            # "[Military Militarization]\\ [and WMD]": a line break split one tag in two.
            if k == 0 and continuing and item[:1].islower() and tags:
                tags[-1] = f"{tags[-1]} {item}"
            else:
                tags.append(item)
        return RULE

    n = len(doc.blocks)
    region = sorted(set(head_region(doc.blocks)) | set(range(max(n - HEAD_BLOCKS, 0), n)))
    scanned = drop_lines(doc, region, visit)
    if scanned is doc:
        return doc
    return replace(scanned, meta=replace(doc.meta, tags=tuple(dict.fromkeys(t for t in tags if t))))


def _items(line: tuple[Inline, ...], *, continuing: bool) -> list[str] | None:
    """The tags a taxonomy line lists; a label-less line counts only right after one that had a label."""
    text = inline_text(line)
    match = _LABEL.match(text)
    if match:
        content = _after_label(line)
    elif continuing and _is_link_list(line):
        content = line
    else:
        return None
    links = [inline_text(node.content) for node in content if isinstance(node, Link)]
    if links:
        return [t for t in links if t]
    rest = match.group("rest") if match else text
    items = [t.strip() for t in re.split(r"[,;|]", rest) if t.strip()]
    # A label followed by prose ("Topic: why tides matter, and more") is a sentence, not a list.
    return items if items and all(len(t.split()) <= 6 for t in items) else None


def _after_label(line: tuple[Inline, ...]) -> tuple[Inline, ...]:
    for k, node in enumerate(line):
        if isinstance(node, Text) and ":" in node.text:
            return line[k + 1 :]
    return line


def _is_link_list(line: tuple[Inline, ...]) -> bool:
    """Only links, separated by commas or spaces."""
    has_link = False
    for node in line:
        if isinstance(node, Link):
            has_link = True
        elif not (isinstance(node, Text) and not node.text.strip(" ,;|")):
            return False
    return has_link
