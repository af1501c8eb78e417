"""The author's bio: recorded in the metadata and kept once in the body."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from convert.model import Block, Document, Heading, Meta, Paragraph, Plain, Removal
from convert.normalize.context import Context
from convert.normalize.util import block_text

RULE = "duplicate-bio"
_ABOUT = re.compile(
    r"^(?:about the (?:authors?|writers?|contributors?)|(?:author|contributor)(?:'s)? (?:bio|biography|note)|"
    r"the authors?)\s*:?$",
    re.IGNORECASE,
)
_MIN_WORDS = 3


def author_bio(doc: Document, ctx: Context) -> Document:
    """Find the bio (an "About the author" section, or a paragraph opening with the author's name).

    The longest one becomes ``Author.bio``; earlier paragraphs that only
    repeat part of it are dropped, so a reader sees the bio once.
    """
    if not doc.meta.authors:
        return doc
    candidates = _about_sections(doc.blocks) + _bio_paragraphs(doc)
    if not candidates:
        return doc
    start, end = max(candidates, key=lambda span: len(_words(_text(doc.blocks[span[0] : span[1]]))))
    bio_blocks = doc.blocks[start:end]
    bio = _text(b for b in bio_blocks if not isinstance(b, Heading))
    meta = _with_bio(doc, bio)
    if ctx.keeps(RULE):
        return replace(doc, meta=meta)
    words = f" {_words(bio)} "
    article_start = len(doc.blocks) // 3
    kept: list[Block] = []
    removed: list[Removal] = []
    for index, block in enumerate(doc.blocks):
        repeated = (
            not start <= index < end
            and index >= article_start
            and isinstance(block, (Paragraph, Plain))
            and len(_words(block_text(block)).split()) >= _MIN_WORDS
            and f" {_words(block_text(block))} " in words
        )
        if repeated:
            removed.append(Removal(RULE, block_text(block)))
        else:
            kept.append(block)
    return replace(doc, meta=meta, blocks=tuple(kept), removed=(*doc.removed, *removed))


def _about_sections(blocks: tuple[Block, ...]) -> list[tuple[int, int]]:
    spans = []
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and _ABOUT.match(block_text(block)):
            end = next(
                (k for k in range(index + 1, len(blocks)) if _closes(blocks[k], block.level)),
                len(blocks),
            )
            if end > index + 1:
                spans.append((index, end))
    return spans


def _closes(block: Block, level: int) -> bool:
    return isinstance(block, Heading) and block.level <= level


def _bio_paragraphs(doc: Document) -> list[tuple[int, int]]:
    """Paragraphs in the last two thirds that open with an author's name and a verb: "Jane Doe lives in …"."""
    names = [a.name for a in doc.meta.authors]
    spans = []
    for index in range(len(doc.blocks) // 3, len(doc.blocks)):
        text = block_text(doc.blocks[index])
        for name in names:
            rest = text[len(name) :].lstrip() if text.startswith(name) else ""
            if rest[:1].islower() and isinstance(doc.blocks[index], (Paragraph, Plain)):
                spans.append((index, index + 1))
    return spans


def _with_bio(doc: Document, bio: str) -> Meta:
    authors = list(doc.meta.authors)
    target = next((k for k, a in enumerate(authors) if a.name.casefold() in bio.casefold()), 0)
    if not authors[target].bio:
        authors[target] = replace(authors[target], bio=bio)
    return replace(doc.meta, authors=tuple(authors))


def _text(blocks: Iterable[Block]) -> str:
    return " ".join(block_text(b) for b in blocks)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))
