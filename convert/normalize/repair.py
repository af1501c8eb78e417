"""Repair what scraping broke: placeholder links, escaped separators, blank code, split paragraphs, split links."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

from convert.model import (
    Block,
    CodeBlock,
    DefinitionList,
    Div,
    Document,
    Emph,
    Heading,
    HorizontalRule,
    Image,
    Inline,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Plain,
    Strong,
    Text,
    inline_text,
    rewrite,
)
from convert.normalize.context import Context
from convert.normalize.util import block_text, removals

_PLACEHOLDER = re.compile(r"^(?:#|javascript:.*|about:blank|void\(0\);?)?$", re.IGNORECASE | re.DOTALL)
_SEPARATOR = re.compile(r"^(?:[*∗•·~=_\-—–#]\s*)+$")  # any length: "=====…" drawn across a page too
# Text that ends a paragraph: sentence punctuation, closing quotes/brackets, or a colon.
_ENDS_SENTENCE = re.compile(r"[.!?:;…)\]»”’\"'](?:\s*\[\d+\])?\s*$")
_OPENERS = "“‘\"'«(["
_DROP_CAP = re.compile(r"[“‘\"'«]?[^\W\d_]")


def unwrap_placeholder_links(doc: Document, ctx: Context) -> Document:
    """``[text](#)`` and ``javascript:`` links become their text; they lead nowhere."""

    def unwrap(node: Any) -> Any:
        if isinstance(node, Link) and _PLACEHOLDER.match(node.url.strip()):
            return node.content
        return node

    return replace(doc, blocks=rewrite(doc.blocks, unwrap))


def separators(doc: Document, ctx: Context) -> Document:
    """``***``, ``\\*`` and the like become one thematic break; none at the ends or doubled."""
    blocks: list[Block] = []
    for block in (part for whole in doc.blocks for part in _separator_line_apart(whole)):
        if isinstance(block, (Paragraph, Plain)) and _SEPARATOR.match(block_text(block)):
            block = HorizontalRule()
        if isinstance(block, HorizontalRule) and (not blocks or isinstance(blocks[-1], HorizontalRule)):
            continue
        blocks.append(block)
    while blocks and isinstance(blocks[-1], HorizontalRule):
        blocks.pop()
    if tuple(blocks) == doc.blocks:
        return doc
    return replace(doc, blocks=tuple(blocks))


def _separator_line_apart(block: Block) -> tuple[Block, ...]:
    """``<p>=====<br>Dear people…</p>``: a separator drawn as the first line of a paragraph is a break
    before it, not a line of signs printed over the text."""
    if not isinstance(block, (Paragraph, Plain)):
        return (block,)
    cut = next((n for n, item in enumerate(block.content) if isinstance(item, LineBreak)), None)
    if cut is None or not _SEPARATOR.match(inline_text(block.content[:cut])):
        return (block,)
    rest: list[Inline] = []
    for item in block.content[cut + 1 :]:
        # Breaks before the text would open the paragraph with blank lines; an anchor there stays.
        if inline_text(tuple(rest)) or not isinstance(item, LineBreak):
            rest.append(item)
    return (HorizontalRule(), replace(block, content=tuple(rest)))


def blank_code(doc: Document, ctx: Context) -> Document:
    """A code block of whitespace only goes (pages keep an empty ``<pre>`` for layout: it printed as an empty
    box); the blank lines at a code block's ends go too. No text is dropped, so nothing is recorded."""

    def trimmed(node: Any) -> Any:
        if not isinstance(node, CodeBlock):
            return node
        if not node.text.strip():
            return ()
        lines = node.text.splitlines()
        while not lines[0].strip():
            lines.pop(0)
        while not lines[-1].strip():
            lines.pop()
        text = "\n".join(lines)
        return node if text == node.text else replace(node, text=text)

    blocks = rewrite(doc.blocks, trimmed)
    return doc if blocks == doc.blocks else replace(doc, blocks=blocks)


# A heading is a line, not a paragraph: what follows an empty heading is its text only when this short.
_HEADING_WORDS = 20


def fill_empty_headings(doc: Document, ctx: Context) -> Document:
    """``<h2><div>Title</div></h2>``: pandoc reads a heading holding a block as an empty heading and the
    block after it, so the title printed as a plain line under a gap. The line goes back into the heading.
    Nothing is dropped, so nothing is recorded."""

    def filled(node: Any) -> Any:
        if isinstance(node, Div):
            blocks = _headings_filled(node.blocks)
            return node if blocks == node.blocks else replace(node, blocks=blocks)
        return node

    blocks = _headings_filled(rewrite(doc.blocks, filled))
    return doc if blocks == doc.blocks else replace(doc, blocks=blocks)


def _headings_filled(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if isinstance(previous, Heading) and not previous.content and (line := _heading_line(block)):
            out[-1] = replace(previous, content=line)
        else:
            out.append(block)
    return tuple(out)


def _heading_line(block: Block) -> tuple[Inline, ...]:
    while isinstance(block, Div) and len(block.blocks) == 1:
        block = block.blocks[0]
    if isinstance(block, (Plain, Paragraph)) and 0 < len(inline_text(block.content).split()) <= _HEADING_WORDS:
        return block.content
    return ()


# A term that is only a step number: "1", "1.", "2)", "(3)", "4:".
_STEP_NUMBER = re.compile(r"^\(?(\d{1,3})[.):]?$")


def numbered_definitions(doc: Document, ctx: Context) -> Document:
    """A definition list whose terms are the numbers n, n+1, … (a recipe's steps as ``<dt>1.</dt><dd>…``)
    is an ordered list: the number printed alone on a line above its step is the list's own numbering.
    The terms are only numbers the list keeps, so no text is dropped or recorded."""

    def numbered(node: Any) -> Any:
        if not isinstance(node, DefinitionList) or len(node.items) < 2:
            return node
        terms = [_STEP_NUMBER.match(inline_text(item.term)) for item in node.items]
        numbers = [int(term.group(1)) for term in terms if term]
        start = numbers[0] if numbers else 0
        if numbers != list(range(start, start + len(node.items))):
            return node
        steps = tuple(tuple(block for definition in item.definitions for block in definition) for item in node.items)
        return OrderedList(steps, start=start)

    blocks = rewrite(doc.blocks, numbered)
    return doc if blocks == doc.blocks else replace(doc, blocks=blocks)


REPEAT_RULE = "repeated-paragraph"
# A repeat this long is the page's doing (a standfirst shown twice, a summary box over its own
# paragraph); a short line may be said twice on purpose (a refrain).
_REPEAT_WORDS = 8


def drop_repeated_paragraphs(doc: Document, ctx: Context) -> Document:
    """A paragraph printed again right after itself is printed once; the repeat is recorded."""
    if ctx.keeps(REPEAT_RULE):
        return doc
    kept: list[Block] = []
    repeats: list[Block] = []
    for block in doc.blocks:
        previous = kept[-1] if kept else None
        if (
            isinstance(block, (Paragraph, Plain))
            and isinstance(previous, (Paragraph, Plain))
            and len((text := block_text(block)).split()) >= _REPEAT_WORDS
            and text == block_text(previous)
        ):
            repeats.append(block)
        else:
            kept.append(block)
    if not repeats:
        return doc
    return replace(doc, blocks=tuple(kept), removed=(*doc.removed, *removals(REPEAT_RULE, repeats)))


def join_split_paragraphs(doc: Document, ctx: Context) -> Document:
    """Join a paragraph cut mid-sentence (no closing punctuation, next one starts lower-case)."""
    blocks: list[Block] = []
    for block in doc.blocks:
        previous = blocks[-1] if blocks else None
        if isinstance(block, Paragraph) and isinstance(previous, Paragraph) and _continues(previous, block):
            # A drop cap ("D" over "ata shows…") is the first letter of the word that follows
            # ("A" and "I" are words of their own as often).
            head = block_text(previous)
            joint = "" if _DROP_CAP.fullmatch(head) and head.strip(_OPENERS) not in ("A", "I") else " "
            blocks[-1] = rewrite(Paragraph((*previous.content, Text(joint), *block.content)), lambda node: node)
        else:
            blocks.append(block)
    return doc if len(blocks) == len(doc.blocks) else replace(doc, blocks=tuple(blocks))


def _continues(first: Paragraph, second: Paragraph) -> bool:
    head, tail = block_text(first), block_text(second)
    if not head or not tail or _ENDS_SENTENCE.search(head):
        return False
    start = tail.lstrip(_OPENERS)
    return bool(start) and start[0].islower() and _last_text(first.content) is not None


def _last_text(content: tuple[Inline, ...]) -> str | None:
    """The last text run of a paragraph, looking inside emphasis (a split italic quote)."""
    for node in reversed(content):
        if isinstance(node, Text) and node.text.strip():
            return node.text
        if isinstance(node, (Emph, Strong)):
            return _last_text(node.content)
        if not isinstance(node, Text):
            return None
    return None


def edge_line_breaks(doc: Document, ctx: Context) -> Document:
    """A line break opening or closing a paragraph or heading (``<h3>Aktuelles<br></h3>``) breaks nothing:
    browsers show none, but in DOCX it is an empty line under each heading. It goes; no text is dropped."""

    def trimmed(node: Any) -> Any:
        if not isinstance(node, (Paragraph, Plain, Heading)):
            return node
        content = node.content
        while content and isinstance(content[-1], LineBreak):
            content = content[:-1]
        while content and isinstance(content[0], LineBreak):
            content = content[1:]
        return node if content == node.content or not content else replace(node, content=content)

    blocks = rewrite(doc.blocks, trimmed)
    return doc if blocks == doc.blocks else replace(doc, blocks=blocks)


def space_after_images(doc: Document, ctx: Context) -> Document:
    """A word glued to the image before it gets a space: on the page the picture floated beside the text
    (``<a><img></a>Bundesminister …``); in print, and wherever the image is left out, they ran together."""

    blocks = rewrite(doc.blocks, _in_sequences(_spaced))
    return doc if blocks == doc.blocks else replace(doc, blocks=blocks)


def _in_sequences(change: Callable[[tuple[Any, ...]], tuple[Any, ...]]) -> Callable[[Any], Any]:
    """A rewrite that gives each sequence a node holds (its inlines, its blocks, its items) to ``change``."""

    def changed(node: Any) -> Any:
        changes = {
            field.name: new
            for field in fields(node)
            if isinstance(value := getattr(node, field.name), tuple) and (new := change(value)) != value
        }
        return replace(node, **changes) if changes else node

    return changed


def _is_image(item: Any) -> bool:
    """An image, or a link holding only images (a picture linked to its large version)."""
    if isinstance(item, Link):
        shown = [part for part in item.content if not (isinstance(part, Text) and part.text.isspace())]
        return bool(shown) and all(isinstance(part, Image) for part in shown)
    return isinstance(item, Image)


def _spaced(items: tuple[Any, ...]) -> tuple[Any, ...]:
    out = list(items)
    for k in range(1, len(out)):
        if isinstance(out[k], Text) and out[k].text[:1].isalnum() and _is_image(out[k - 1]):
            out[k] = Text(" " + out[k].text)
    return tuple(out)


def join_split_links(doc: Document, ctx: Context) -> Document:
    """Neighbouring links to one URL, apart by a space at most, become one link.

    Pages link a word letter by letter or word by word ("D", "ata", "M", "odel" for "Data Model",
    a styled initial); each piece would be a link of its own, and the list of links would cite the
    URL as its first piece, "D"."""

    def join(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return _joined_links(items) if sum(isinstance(item, Link) for item in items) > 1 else items

    return replace(doc, blocks=rewrite(doc.blocks, _in_sequences(join)))


def _joined_links(inlines: tuple[Any, ...]) -> tuple[Any, ...]:
    out: list[Any] = []
    for item in inlines:
        space = len(out) > 1 and isinstance(out[-1], Text) and out[-1].text.isspace()
        before = out[-2] if space else out[-1] if out else None
        if isinstance(item, Link) and isinstance(before, Link) and (before.url, before.title) == (item.url, item.title):
            between = (Text(" "),) if space else ()
            del out[-2 if space else -1 :]
            item = replace(before, content=_merged_text((*before.content, *between, *item.content)))
        out.append(item)
    return tuple(out)


def _merged_text(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Neighbouring text runs as one Text, the model's invariant."""
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + item.text)
        else:
            out.append(item)
    return tuple(out)
