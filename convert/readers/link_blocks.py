"""Blocks inside an article that trafilatura drops by design, put back: link-only ones and bylines.

trafilatura deletes every paragraph and list whose text is mostly links (``delete_by_link_density``):
right for a menu, wrong inside an article, where such a block is a "See also" list, a contact
line (a ``mailto:`` link) or a link to a follow-up story between two paragraphs. Firefox's
Reader View keeps them, and so do we, where the page has one *between two blocks the body kept*
(never at its ends, where menus and teasers sit), in a box that holds some of the article too
(not a sidebar's box of its own), outside navigation and outside boxes whose class or id names
page furniture (the words Reader View's Readability uses to pass over them, and a few more).
What the normalizer then judges furniture ("Related" lists and the like) it drops by name.
Bylines come back on the same terms: on a page of several articles (a weekly edition) each one's
byline is part of it; the first article's, before its prose, is the page's and stays out.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import re
from collections.abc import Callable, Iterator

import lxml.html
from lxml.html import HtmlElement

from convert.readers.html_text import element_text, squashed, words

# Blocks that line the body up with the page, by their text.
_ALIGNED = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "li", "dt", "dd", "td", "th", "figcaption", "caption")
_RESTORED = frozenset({"p", "ul", "ol"})  # a box of loose text, a byline's, is a "p" by now
_LISTS = frozenset({"ul", "ol"})
# Containers of page furniture: an element, a role, and class/id words (Readability's "unlikely candidates").
_FURNITURE_TAGS = frozenset({"nav", "aside", "header", "footer", "form", "menu"})
_FURNITURE_ROLES = frozenset({"navigation", "complementary", "banner", "contentinfo", "menu", "menubar", "search"})
_FURNITURE_NAMES = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|"
    r"menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|"
    r"pagination|pager|popup|yom-remote|share|promo|teaser|newsletter",
    re.IGNORECASE,
)
# A paragraph of this many words is article text.
_PROSE_WORDS = 12
# A block is link-only when at least this share of its text is link text.
_LINK_SHARE = 0.5
# A gap between two kept blocks holding more than this many blocks is a region the extraction
# left out on purpose (a sidebar between the article's parts), not a block it dropped.
_MOST_GAP_BLOCKS = 12


def restore_link_blocks(article: HtmlElement, page: HtmlElement, clean: Callable[[HtmlElement], None]) -> int:
    """Put back into ``article`` the link-only paragraphs and lists of ``page`` that sit between two
    of its blocks; ``clean`` sanitizes them as the rest of the body was. Returns how many."""
    body = page.find("body")
    if body is None:
        return 0
    page_blocks = [(b, squashed(b)) for b in body.iter(*_ALIGNED)]
    pairs = list(_aligned(article, page_blocks))
    # Only within the article's prose: from its first paragraph of some length to its last. Before
    # and after them a body may still hold a masthead or a sidebar's labels.
    prose = [k for k, (block, _) in enumerate(pairs) if len(words(element_text(block))) >= _PROSE_WORDS]
    pairs = pairs[prose[0] : prose[-1] + 1] if prose else []
    # Boxes that hold some of the article: a restored block sits in one, beside the article's own.
    article_boxes = {box for _, at in pairs for box in page_blocks[at][0].iterancestors()}
    restored = 0
    whole = squashed(article)
    for (kept_before, at_before), (_, at_after) in itertools.pairwise(pairs):
        gap = page_blocks[at_before + 1 : at_after]
        if not gap or len(gap) > _MOST_GAP_BLOCKS:
            continue
        before, after = page_blocks[at_before][0], page_blocks[at_after][0]
        found = [
            c
            for c in _candidates(gap, before, after)
            if c.getparent() in article_boxes and (text := squashed(c)) and text not in whole
        ]
        if not found:
            continue
        holder = lxml.html.Element("div")
        for candidate in found:
            block = copy.deepcopy(candidate)
            block.tail = None
            holder.append(block)
        clean(holder)
        anchor = _block_of(kept_before, article)
        for block in list(holder):
            anchor.addnext(block)
            anchor = block
            restored += 1
    return restored


def _aligned(article: HtmlElement, page_blocks: list[tuple[HtmlElement, str]]) -> Iterator[tuple[HtmlElement, int]]:
    """Each body block with the index of the page block it comes from, in order (unmatched ones left out)."""
    where: dict[tuple[str, str], list[int]] = {}  # (tag, text) → the page blocks' indexes, in order
    for index, (element, text) in enumerate(page_blocks):
        where.setdefault((element.tag, text), []).append(index)
    start = 0
    for block in article.iter(*_ALIGNED):
        text = squashed(block)
        places = where.get((block.tag, text), []) if text else []
        if (at := bisect.bisect_left(places, start)) < len(places):
            yield block, places[at]
            start = places[at] + 1


def _candidates(gap: list[tuple[HtmlElement, str]], before: HtmlElement, after: HtmlElement) -> list[HtmlElement]:
    """The outermost paragraphs and lists in the gap that are link-only and not page furniture."""
    container = _common_ancestor(before, after)
    found: list[HtmlElement] = []
    for block, _ in gap:
        candidate = _outermost(block, before, after)
        if candidate is None or candidate in found or any(candidate in f.iterancestors() for f in found):
            continue
        if (_link_only(candidate) or _byline(candidate)) and not _in_furniture(candidate, container):
            found.append(candidate)
    return found


def _outermost(block: HtmlElement, before: HtmlElement, after: HtmlElement) -> HtmlElement | None:
    """The paragraph or outermost list holding ``block`` that holds neither kept neighbour."""
    best = block if block.tag in _RESTORED else None
    for ancestor in block.iterancestors():
        if ancestor.tag not in _LISTS and ancestor.tag != "li":
            continue
        if ancestor in before.iterancestors() or ancestor in after.iterancestors():
            break
        if ancestor.tag in _LISTS:
            best = ancestor
    return best


def _link_only(block: HtmlElement) -> bool:
    links = [a for a in block.iter("a") if _real_href(a.get("href"))]
    text = len(squashed(block))
    return bool(links) and text > 0 and sum(len(squashed(a)) for a in links) >= text * _LINK_SHARE


def _byline(block: HtmlElement) -> bool:
    """A byline ("By Jane Doe, March 25, 2015"), marked as one: trafilatura drops those on purpose, which
    is right for the article's own (the page's metadata has it) but not for the next article's on a
    page of several: each keeps its own. Short: a long "byline" box holds more than a byline."""
    marked = "byline" in (block.get("class") or "").casefold() or block.get("itemprop") == "author"
    return marked and 0 < len(element_text(block)) <= _BYLINE_CHARS


_BYLINE_CHARS = 120


def _real_href(href: str | None) -> bool:
    href = (href or "").strip()
    return bool(href) and not href.startswith("#") and not href.lower().startswith(("javascript:", "data:"))


def _in_furniture(element: HtmlElement, container: HtmlElement | None) -> bool:
    """True when ``element`` or a box around it, inside ``container``, is navigation or names itself furniture."""
    for box in [element, *element.iterancestors()]:
        if box is container:
            return False
        if box.tag in _FURNITURE_TAGS or (box.get("role") or "").strip().lower() in _FURNITURE_ROLES:
            return True
        if box.get("hidden") is not None or box.get("aria-hidden") == "true":
            return True
        if _FURNITURE_NAMES.search(f"{box.get('class') or ''} {box.get('id') or ''}"):
            return True
    return False


def _common_ancestor(first: HtmlElement, second: HtmlElement) -> HtmlElement | None:
    around_second = set(second.iterancestors())
    return next((a for a in first.iterancestors() if a in around_second), None)


def _block_of(element: HtmlElement, article: HtmlElement) -> HtmlElement:
    """The block of the body that ``element`` is part of, at the level a restored block goes beside:
    a list item's list, a table cell's table; a paragraph in a box, the paragraph."""
    block = element
    while (parent := block.getparent()) is not None and parent is not article and parent.tag not in _BOXES:
        block = parent
    return block


_BOXES = frozenset({"div", "section", "article", "main"})
