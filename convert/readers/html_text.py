"""The text of an HTML element as the web-page reader compares it: its words, whitespace-joined or squashed."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Scripts written without spaces between words: each character counts as a word, so that a
# Japanese or Chinese article is not one "word" a paragraph beside a menu of spaced labels.
_UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_UNSPACED}]|[^\\s{_UNSPACED}]+")


def words(text: str) -> list[str]:
    """The words of ``text``: runs between spaces, and each character of a script written without them."""
    return _WORD.findall(text)


def element_text(element: HtmlElement) -> str:
    """The element's text, its runs of whitespace one space."""
    return " ".join(" ".join(element.itertext()).split())


def squashed(element: HtmlElement) -> str:
    """Text without spaces or punctuation, casefolded: blocks compared across extractions."""
    return squash(element_text(element))


def squash(text: str) -> str:
    """``text`` as ``squashed`` gives an element's."""
    return re.sub(r"\W+", "", text).casefold()


# Classes of text shown to screen readers only (WordPress and its older themes, Bootstrap, Tailwind,
# Drupal and its version 7, Foundation, GOV.UK, common utility names).
SCREEN_READER_CLASSES = frozenset(
    {"screen-reader-text", "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-only", "assistive-text",
     "element-invisible", "show-for-sr", "govuk-visually-hidden", "u-visually-hidden", "a11y-hidden"}
)  # fmt: skip
