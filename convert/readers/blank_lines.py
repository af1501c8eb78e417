"""Paragraphs a page writes as lines with an empty line between them (``text<br><br>text``, no ``<p>``).

A browser shows each as a paragraph; trafilatura keeps one line break of the run, and the article
printed as one paragraph of single lines. Before extraction, each run of two or more ``<br>`` (only
whitespace between them) ends a paragraph: the one it stands in is cut in two there, and lines loose
in a box are first given the paragraph they imply. A single ``<br>`` stays a line break.
"""

from __future__ import annotations

import lxml.html
from lxml.html import HtmlElement

# Elements that mark up a phrase in a line: a run inside them cuts them in two as well.
_PHRASES = frozenset(
    {"a", "b", "strong", "i", "em", "u", "s", "span", "small", "mark", "font", "sup", "sub", "cite", "abbr"}
    | {"kbd", "samp", "var", "dfn", "q", "ins", "del", "bdi", "bdo", "big", "tt", "strike"}
)
# Boxes whose lines become paragraphs; a run elsewhere (a heading, a list item, preformatted text) stays.
_BOXES = frozenset({"div", "section", "article", "main", "blockquote", "td", "th", "body", "center", "aside"})
# Elements that stand as blocks among a box's lines.
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset", "figcaption"}
    | {"figure", "footer", "form", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "ul"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "center", "iframe", "video", "audio", "noscript", "script", "style"}
)


def split_at_blank_lines(root: HtmlElement) -> None:
    """Cut the paragraphs (and boxes of loose lines) of ``root`` at each run of two or more ``<br>``."""
    for run in _runs(root):
        if run[0].getparent() is None or next(run[0].iterancestors("pre", "textarea", "code"), None) is not None:
            continue
        chain = list(run[0].iterancestors())
        block = next((a for a in chain if a.tag not in _PHRASES), None)
        phrases = chain[: chain.index(block)] if block is not None else []
        if block is None or any(_holds_block(p) for p in phrases):
            continue
        if block.tag in _BOXES:
            block = _paragraph_around(block, phrases[-1] if phrases else run[0])
        if block.tag == "p":
            _split(block, run)


def _runs(root: HtmlElement) -> list[list[HtmlElement]]:
    """Each run of two or more sibling ``<br>`` with only whitespace between them, in document order."""
    runs: list[list[HtmlElement]] = []
    for br in root.iter("br"):
        previous = br.getprevious()
        if runs and previous is runs[-1][-1] and not (previous.tail or "").strip():
            runs[-1].append(br)
        else:
            runs.append([br])
    return [run for run in runs if len(run) > 1]


def _holds_block(element: HtmlElement) -> bool:
    return any(isinstance(node.tag, str) and node.tag in _BLOCKS for node in element.iterdescendants())


def _paragraph_around(box: HtmlElement, node: HtmlElement) -> HtmlElement:
    """The loose lines of ``box`` around its child ``node`` (text and phrases between two blocks), put in a
    paragraph of their own; ``box`` itself when a block among them makes that no paragraph."""
    first = last = node
    while (before := first.getprevious()) is not None and not _is_block(before):
        first = before
    while (after := last.getnext()) is not None and not _is_block(after):
        last = after
    lines = [first, *first.itersiblings()]
    lines = lines[: lines.index(last) + 1]
    if any(_holds_block(line) for line in lines):
        return box
    paragraph = lxml.html.Element("p")
    previous = first.getprevious()
    if previous is None:
        paragraph.text, box.text = box.text, None
    else:
        paragraph.text, previous.tail = previous.tail, None
    first.addprevious(paragraph)
    paragraph.extend(lines)  # each with its tail: the text up to the next line or block
    return paragraph


def _is_block(element: HtmlElement) -> bool:
    return isinstance(element.tag, str) and element.tag in _BLOCKS


def _split(paragraph: HtmlElement, run: list[HtmlElement]) -> None:
    """Cut ``paragraph`` in two at ``run``: what follows it goes into a paragraph after this one, inside
    copies of the phrases it stood in. A part left with nothing to read or see is dropped with the run."""
    last = run[-1]
    rest = lxml.html.Element(paragraph.tag, {k: v for k, v in paragraph.attrib.items() if k != "id"})
    copies = {paragraph: rest}
    phrases = list(last.iterancestors())
    for phrase in reversed(phrases[: phrases.index(paragraph)]):
        copies[phrase] = copy = lxml.html.Element(phrase.tag, {k: v for k, v in phrase.attrib.items() if k != "id"})
        copies[phrase.getparent()].append(copy)
    node = last
    while node is not paragraph:
        parent = node.getparent()
        target = copies[parent]
        if node is last:
            target.text, last.tail = last.tail, None
        else:
            copies[node].tail, node.tail = node.tail, None
        target.extend(list(node.itersiblings()))
        node = parent
    for br in run:
        br.tail = None  # the whitespace between the breaks
        br.drop_tree()
    if _shows_something(rest):
        rest.tail, paragraph.tail = paragraph.tail, None
        paragraph.addnext(rest)
        if not _shows_something(paragraph):
            paragraph.drop_tree()


def _shows_something(element: HtmlElement) -> bool:
    """Text to read, or an element other than a phrase or a line break (an image)."""
    return bool(element.text_content().strip()) or any(
        isinstance(node.tag, str) and node.tag not in _PHRASES | {"br"} for node in element.iterdescendants()
    )
