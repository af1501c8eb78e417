"""Small helpers the passes share: block text, line splitting, removal records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from convert.model import (
    Block,
    Document,
    Heading,
    Inline,
    LineBreak,
    Paragraph,
    Plain,
    Removal,
    inline_text,
    plain_text,
)

# How far into the body metadata lines (byline, dateline, taxonomy) may sit.
HEAD_BLOCKS = 10


def block_text(block: Block) -> str:
    """A block's text on one line, spaces collapsed."""
    return " ".join(plain_text((block,)).split())


def removals(rule: str, blocks: Iterable[Block]) -> tuple[Removal, ...]:
    return tuple(Removal(rule, text) for text in map(block_text, blocks) if text)


def partition(blocks: Iterable[Block], drop: Callable[[Block], bool]) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    kept: list[Block] = []
    dropped: list[Block] = []
    for block in blocks:
        (dropped if drop(block) else kept).append(block)
    return tuple(kept), tuple(dropped)


def lines(block: Block) -> list[tuple[Inline, ...]]:
    """A paragraph's lines, split at hard line breaks; other blocks have none."""
    if not isinstance(block, (Paragraph, Plain)):
        return []
    out: list[list[Inline]] = [[]]
    for node in block.content:
        if isinstance(node, LineBreak):
            out.append([])
        else:
            out[-1].append(node)
    return [tuple(line) for line in out if inline_text(tuple(line))]


def with_lines(block: Paragraph | Plain, kept: list[tuple[Inline, ...]]) -> Block | None:
    """The same kind of block holding only ``kept`` lines, or None when none is left."""
    if not kept:
        return None
    content: list[Inline] = []
    for k, line in enumerate(kept):
        if k:
            content.append(LineBreak())
        content.extend(line)
    return type(block)(tuple(content))


def head_region(blocks: tuple[Block, ...]) -> list[int]:
    """Indexes of the short paragraphs before the article text starts.

    Bylines, datelines and taxonomy lines sit there; the region ends at the
    first heading or long paragraph, and never reaches past ``HEAD_BLOCKS``.
    """
    region = []
    for index, block in enumerate(blocks[:HEAD_BLOCKS]):
        if isinstance(block, Heading):
            break
        if isinstance(block, (Paragraph, Plain)):
            if len(block_text(block)) > 250:
                break
            region.append(index)
    return region


def drop_lines(doc: Document, indexes: Iterable[int], visit: Callable[[tuple[Inline, ...]], str | None]) -> Document:
    """Drop each line of the paragraphs at ``indexes`` for which ``visit`` names a rule.

    ``visit`` sees the lines in document order and may gather what they tell
    (a date, a tag); each dropped line is recorded in ``removed`` under the
    rule it returned. A paragraph left with no line is dropped.
    """
    blocks: list[Block | None] = list(doc.blocks)
    removed: list[Removal] = []
    for index in indexes:
        block = doc.blocks[index]
        if not isinstance(block, (Paragraph, Plain)):
            continue
        original = lines(block)
        kept = []
        for line in original:
            rule = visit(line)
            if rule is None:
                kept.append(line)
            else:
                removed.append(Removal(rule, inline_text(line)))
        if len(kept) != len(original):
            blocks[index] = with_lines(block, kept)
    if not removed:
        return doc
    return replace(doc, blocks=tuple(b for b in blocks if b is not None), removed=(*doc.removed, *removed))
