"""Main-content extraction for web pages: the article body as a clean HTML fragment for pandoc.

trafilatura decides what is article and what is page furniture (navigation, share bars,
related boxes, comments), but it rebuilds what it keeps in a small vocabulary that loses
figures and their captions, table captions, headings made of a link, SVG and data: images,
links around images, formulas and the ids footnote links point to. So:

1. before trafilatura, each such element is swapped for a placeholder carrying a unique token:
   a paragraph with the element's text (and links) for blocks, so that trafilatura weighs the
   page as it was; a dummy image for images; a word for inline elements;
2. trafilatura's XML is converted to HTML here (its own HTML output turns every ``<ol>`` into
   ``<ul>`` and inline code into ``<pre>``);
3. each placeholder that survived is swapped back for its original element, sanitized. A
   placeholder trafilatura dropped was judged page furniture, and so is its element.

Links and image sources are resolved here against the full page URL: trafilatura resolves
against the site root only, which breaks path-relative and ``#fragment`` links.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import lxml.etree as etree
import lxml.html
from lxml.html import HtmlElement

from convert.dates import written_date
from convert.link_schemes import site_of
from convert.model import CREDIT_CLASS
from convert.readers.blank_lines import split_at_blank_lines
from convert.readers.embeds import EMBEDDING, STAND_IN, links_for_stand_ins, stand_in_image
from convert.readers.html_text import SCREEN_READER_CLASSES, squash, words
from convert.readers.html_text import element_text as _text
from convert.readers.html_text import squashed as _squashed
from convert.readers.link_blocks import restore_link_blocks

# trafilatura's own parser settings: we hand it our tree, not the text.
_PARSER_OPTIONS = {
    "collect_ids": False,
    "default_doctype": False,
    "encoding": "utf-8",
    "remove_comments": True,
    "remove_pis": True,
}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TABLE_PARTS = frozenset({"caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr"})
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt",
                     "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "li", "main",
                     "nav", "noscript", "ol", "p", "pre", "script", "section", "style", "table", "ul",
                     *_HEADINGS})  # fmt: skip
# Restored originals are raw page markup: active content, embeds and forms never get through.
_DROPPED = ("script", "style", "template", "iframe", "frame", "object", "embed", "applet", "noscript", "form",
            "input", "button", "select", "textarea", "svg", "canvas", "audio", "video", "source", "link", "meta",
            "base", "dialog")  # fmt: skip
_KEPT_ATTRIBUTES = frozenset(
    {"href", "src", "alt", "title", "id", "lang", "dir", "colspan", "rowspan", "scope", "start", "display", "encoding"}
    | {STAND_IN}
)
# Left behind when empty (an embed's wrappers, a share link whose icon was an SVG).
_PRUNED_WHEN_EMPTY = frozenset(
    {"div", "span", "p", "section", "a", "em", "strong", "b", "i", "u", "sup", "sub", *_HEADINGS}
)
# Where lazy-loading pages keep the real image address.
_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original")
_SRCSETS = ("srcset", "data-srcset", "data-lazy-srcset")

# trafilatura XML → HTML.
_HI_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup"}
_RENAMED = {"quote": "blockquote", "lb": "br", "row": "tr", "del": "del", "ref": "a", "graphic": "img"}
_INLINE_PARENTS = frozenset({"p", "hi", "ref", "head", "cell", "item", "del", "quote"})


@dataclass(frozen=True, slots=True)
class Body:
    """The article body chosen from a page, and how it was chosen (see ``model.Extraction``)."""

    html: str
    method: str
    confidence: float
    note: str = ""
    # Captions the body lost with their image (a video player's): page furniture, recorded as such.
    orphan_captions: tuple[str, ...] = ()
    # Short lines at the body's ends that no second extractor keeps (``END_FURNITURE_RULE``).
    end_furniture: tuple[str, ...] = ()
    # Blocks the main extraction kept that the second opinions judged furniture (``UNCONFIRMED_RULE``).
    unconfirmed: tuple[str, ...] = ()
    # Short lines anywhere in the body that no second extractor keeps (``LONE_LINE_RULE``).
    lone_lines: tuple[str, ...] = ()
    # Lines whose place on the page is a box of furniture the article is not in (``FURNITURE_BOX_RULE``).
    furniture_boxes: tuple[str, ...] = ()


def extract_article(html: str, url: str | None) -> str:
    """The article's HTML without the page around it; "" when none is found."""
    return extract_body(html, url).html


def extract_body(html: str, url: str | None) -> Body:
    """The article body, checked against a second extraction so it is never lost silently.

    The main extraction is trafilatura with placeholders (below), on a prepared page; plain
    trafilatura on the page as it is is the second opinion, and the page's own ``articleBody``
    (JSON-LD) or ``<article>`` says how long the body is. Text blocks that trafilatura's
    precision mode on the prepared page judged furniture are dropped from the main body (or,
    where that mode keeps much less than plain trafilatura, blocks that neither run has).
    Extractors of other designs are heard too: a paragraph jusText and readability both keep
    stays, short lines no second extractor keeps go (``LONE_LINE_RULE``), and so do the short
    lines after the last paragraph that precision mode drops; jusText's paragraphs just before
    the body's first are its lede.
    When the main body is much shorter than, or mostly other than, the second, the second is
    taken; when both are much shorter than the page's own article, readability's best block
    is. ``note`` says why whenever the main body was not kept whole.
    """
    root, deep = _parse(html)
    if root is None or root.find("body") is None:
        return Body("", "none", 0.0, "the page has no body")
    notes = ["nested too deep for libxml2, read with an HTML5 parser"] if deep else []
    marks = _hold_format_marks(root)  # put back in what is chosen
    _keep_spaces(root)  # for every reading of the page: the second opinion's words too
    _drop_hidden_labels(root)
    page = copy.deepcopy(root)  # _prepare and the best block rewrite their trees
    plain = _plain_trafilatura(root, url)  # trafilatura reads a copy of the tree it is given
    _prepare(root)
    main = _main_extraction(copy.deepcopy(root), url)
    # Extractors of other designs, each run once and only when asked: jusText (stop-word density)
    # and readability (the best-scored block), on the page as it is.
    justext = functools.cache(lambda: _justext(page))
    justext_text = functools.cache(lambda: _squashed_text(justext()))
    continued = _add_continuations(main, page, justext_text, url) if main is not None else None
    if continued is not None:
        notes.append(f"the article went on in {_boxes(len(continued))} of the page, added to the body")
    main_words, plain_words, own_words = _word_count(main), _word_count(plain), _own_body_words(page)
    agreement = _agreement(main, plain)

    def plain_body() -> HtmlElement | None:
        # The second opinion read text only (images change what trafilatura keeps, its issue
        # #194); as the body it is read again with its images.
        with_images = _plain_trafilatura(page, url, images=True)
        return with_images if with_images is not None else plain

    def chosen(article: HtmlElement | None, method: str, confidence: float) -> Body:
        if article is not None:
            restore_link_blocks(article, root, lambda blocks: _clean(blocks, url))
            links_for_stand_ins(article)
        return Body(
            marks.restore(_serialize(article)),
            method,
            confidence,
            "; ".join(notes),
            *(
                tuple(map(marks.restore, texts))
                for texts in (
                    _noted(article, _ORPHANS),
                    _gone(article, _END_FURNITURE),
                    _gone(article, _UNCONFIRMED),
                    _gone(article, _LONE_LINES),
                    _gone(article, _FURNITURE_BOXED),
                )
            ),
        )

    if main_words and main_words * _MUCH_SHORTER >= max(plain_words, own_words) and agreement >= _DISAGREEMENT:
        if main is not None:
            # The prepared page read with images confirms captions that stand outside a figure;
            # it is read only when plain trafilatura leaves a block unconfirmed.
            # The continuations added are confirmed already.
            either = Confirmations(
                Confirmation.of(plain, continued),
                lambda: Confirmation.of(plain, continued, _plain_trafilatura(root, url, images=True)),
            )
            # Precision mode's verdict counts where it kept about as much as plain trafilatura.
            precise = _plain_trafilatura(root, url, images=True, precision=True)
            ends = Confirmation.of(precise, continued) if _trusted(precise, plain_words) else None
            readability_text = functools.cache(lambda: _squashed_text(_best_block(copy.deepcopy(page), url)))
            precise_text = functools.cache(lambda: _squashed_text(_plain_trafilatura(page, url, precision=True)))
            _confirm_body(main, either, ends, (justext_text, readability_text))
            if plain is not None:
                _add_missed_paragraphs(main, plain, ends)
            # Asked only about a candidate: precision mode on the page as it is (text only), then jusText.
            site = site_of(url or "")
            _drop_end_furniture(main, site, (precise_text, justext_text))
            _drop_tail_lines(main, site, precise_text)
            plain_text = _squashed_text(plain)
            captions = functools.cache(lambda: _captions(page))  # the lone-line trim's and the lede's
            _drop_lone_lines(main, site, lambda: plain_text, (precise_text, justext_text), captions)
            _drop_furniture_boxed(main, page)
            # Last: a lede put first would end the trim of short lines at the start before it began.
            _add_lede(main, justext(), page, captions)
        return chosen(main, "trafilatura", agreement)
    if plain_words > main_words * _MUCH_SHORTER and plain_words * _MUCH_SHORTER >= own_words:
        notes.append(f"the main extraction kept {main_words} words where plain trafilatura finds {plain_words}")
        return chosen(plain_body(), "trafilatura-plain", _agreement(plain, main))
    if main_words and plain_words and agreement < _DISAGREEMENT and plain_words * _MUCH_SHORTER >= own_words:
        # They took different parts of the page (an article, a table of results beside it): plain
        # trafilatura's choice, the more precise of the two on the evaluation corpus.
        notes.append(f"the main extraction holds {agreement:.0%} of what plain trafilatura finds")
        return chosen(plain_body(), "trafilatura-plain", _agreement(plain, main))
    found = max(main_words, plain_words)
    if main_words and found * _MUCH_SHORTER >= own_words:  # the two disagree on a page they both read
        return chosen(main, "trafilatura", agreement)
    # The page's own article is much longer than either: its best text block, if longer still.
    if own_words:
        notes.append(f"trafilatura kept {found} words where the page's own article has {own_words}")
    else:
        notes.append("trafilatura found no article text")
    best = _best_block(copy.deepcopy(page), url)
    best_words = _word_count(best)
    if best_words > found:
        notes.append(f"its best text block has {best_words}")
        return chosen(best, "best-block", round(min(1.0, best_words / max(own_words, best_words)), 2))
    if main_words >= plain_words:
        return chosen(main, "trafilatura", round(found / max(own_words, 1), 2))
    return chosen(plain_body(), "trafilatura-plain", round(found / max(own_words, 1), 2))


# The main body is "much shorter" than a second opinion below this share of its words.
_MUCH_SHORTER = 2
# Below this share of plain trafilatura's words, the main extraction took another part of the page.
_DISAGREEMENT = 0.6
_TRAFILATURA_OPTIONS: dict[str, Any] = {
    "url": None,  # not the page URL: trafilatura would resolve links against the site root
    "output_format": "xml",
    "include_links": True,
    "include_images": True,
    "include_tables": True,
    "include_formatting": True,
    "include_comments": False,
    "with_metadata": False,
}


def _main_extraction(root: HtmlElement, url: str | None) -> HtmlElement | None:
    """trafilatura (on a prepared page) with the elements it mangles swapped for placeholders, put back after."""
    import trafilatura

    token = f"tsph{secrets.token_hex(5)}x"
    saved = _protect(root, token)
    xml = trafilatura.extract(root, favor_recall=True, **_TRAFILATURA_OPTIONS)
    article = _xml_to_html(xml) if xml else None
    if article is None:
        return None
    _restore(article, token, saved)
    _clean(article, url)
    return article


def _plain_trafilatura(
    root: HtmlElement, url: str | None, *, images: bool = False, precision: bool = False
) -> HtmlElement | None:
    """trafilatura's own choice on the (prepared) page, without placeholders: a second opinion.
    ``precision`` runs it in its precision mode (``favor_precision``)."""
    import trafilatura

    options = _TRAFILATURA_OPTIONS | {"include_images": images, "favor_precision": precision}
    xml = trafilatura.extract(root, **options)
    article = _xml_to_html(xml) if xml else None
    if article is not None:
        _clean(article, url)
    return article


def _own_body_words(root: HtmlElement) -> int:
    """How long the page itself says its article is: JSON-LD ``articleBody`` or its one ``<article>``."""
    lengths = [0]
    for script in root.xpath("//script[@type='application/ld+json']"):
        lengths += [len(words(body)) for body in _ld_article_bodies(script.text or "")]
    articles = root.xpath("//article[not(ancestor::article)]")
    if len(articles) == 1:  # several are teasers or comments, not the article
        # Its paragraphs only: an <article> also holds its byline, share bar, tags and comments.
        lengths.append(sum(len(words(_text(p))) for p in articles[0].xpath(".//p[not(ancestor::p)]")))
    return max(lengths)


def _ld_article_bodies(text: str) -> list[str]:
    from convert.readers.metadata import json_ld

    data = json_ld(text)
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if isinstance(item.get("articleBody"), str):
                found.append(item["articleBody"])
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return found


def _best_block(root: HtmlElement, url: str | None) -> HtmlElement | None:
    """readability's best candidate block (trafilatura's port of it), never the whole page."""
    from trafilatura.readability_lxml import Document as Readability

    # summary()'s steps, but where it finds no candidate it returns the whole body, navigation
    # and all: that is no block.
    readability = Readability(root)
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    readability.remove_unlikely_candidates()
    readability.transform_misused_divs_into_paragraphs()
    candidates = readability.score_paragraphs()
    best = readability.select_best_candidate(candidates)
    if best is None:
        return None
    summary = readability.sanitize(readability.get_article(candidates, best), candidates)
    block = lxml.html.fragment_fromstring(summary, create_parent="div")
    _clean(block, url)
    return block


# Precision mode is trusted at the body's ends while it keeps more than this share of plain
# trafilatura's words; shorter, it dropped article text too.
_PRECISE_SHARE = 1 / 1.5
# The ends trimmed hold at most this share (1/n) of the body's words.
_MOST_TRIMMED = 4


def _confirm_body(
    main: HtmlElement,
    either: Confirmation | Confirmations,
    ends: Confirmation | None,
    others: tuple[Callable[[], str], ...] = (),
) -> None:
    """Drop the main body's text blocks that no second opinion has (``either``), but a paragraph's
    worth of text that every extractor of another design (``others``: their squashed text) keeps;
    then, where trafilatura's
    precision mode keeps about as much as plain trafilatura (``ends``, its text; None where it does not),
    the paragraphs at the body's start and end that only precision mode rejects (a lone link after
    the article, a teaser, a prompt), unless they are a large part of the body.
    Within the article such a paragraph stays (a link-only "Read the full transcript").
    What goes is noted on ``main`` for the reader to record under ``UNCONFIRMED_RULE``."""
    dropped: list[str] = []
    _drop_unconfirmed(main, _OutvotedOrConfirmed(either, others), dropped)
    if ends is None:
        _note(main, _UNCONFIRMED, dropped)
        return
    blocks = list(_leaf_blocks(main))
    doomed: list[HtmlElement] = []
    for run in (blocks, blocks[::-1]):  # from the start, then from the end
        for block in run:
            if block.tag in _HEADINGS:
                continue  # a heading over furniture goes with it later, as a heading over nothing
            if block.tag != "p" or block.find(".//img") is not None or block in doomed:
                break
            if ends.confirms(_squashed(block)):
                break
            doomed.append(block)
    # Furniture at the ends is short: where precision mode rejects much of the body, it took
    # another part of the page (a results table in a <pre>, say), and nothing is trimmed.
    if sum(map(_word_count, doomed)) * _MOST_TRIMMED <= _word_count(main):
        for block in doomed:
            dropped.append(_text(block))
            block.drop_tree()
    _note(main, _UNCONFIRMED, dropped)


# Rule name of the lines at the body's ends that neither precision mode nor jusText keeps.
END_FURNITURE_RULE = "end-furniture"
# Rule name of the blocks the main extraction kept and the second opinions did not (``_confirm_body``).
UNCONFIRMED_RULE = "unconfirmed"
# A line this short (in words), or one not closed as a sentence, may be furniture.
_FURNITURE_WORDS = 12
_LINKED_WORDS = 20
_ANY_LINE_WORDS = 3
_SENTENCE_END = re.compile(r"[.!?…:;\"”»)]$")
_LIST_BLOCKS = frozenset({"ul", "ol"})


def _drop_end_furniture(main: HtmlElement, site: str, opinions: tuple[Callable[[], str], ...]) -> None:
    """Drop the short lines at the body's start and end (a date, a label, another article's
    headline, "Tipp drucken") that no second opinion keeps: trafilatura's precision mode on the
    page as it is and jusText, an extractor of another design (stop-word density, not the
    DOM), each giving its squashed text. Noted on ``main`` for the reader to record under
    ``END_FURNITURE_RULE``. Images alone are looked past and stay, and so are headings at the
    end (one left over nothing goes as an empty heading); a heading at the start is where the
    article begins. A sentence, a link to another site (a reference closing the article's
    sources), a figure or a table ends the run. An opinion is asked only when a candidate needs
    it. ``site`` is the page's host, "" when unknown."""
    blocks = [b for b in _leaf_blocks(main) if _text(b)]
    doomed: list[HtmlElement] = []
    for run, closing in ((blocks, False), (blocks[::-1], True)):
        for block in run:
            if block.tag in _HEADINGS and closing:
                continue
            if block in doomed or not _furniture_like(block, site):
                break
            squashed = _squashed(block)
            if any(squashed in opinion() for opinion in opinions):
                break
            doomed.append(block)
    if not doomed or len(doomed) * 2 > len(blocks):  # most of the body: not furniture at its ends
        return
    found = []
    for block in sorted(doomed, key=blocks.index):  # recorded in reading order
        found.append(_text(block))
        block.drop_tree()
    _note(main, _END_FURNITURE, found)


# A paragraph this long is the article's; the short lines after the last one are its tail.
_TAIL_PROSE_WORDS = 20


def _drop_tail_lines(main: HtmlElement, site: str, precise: Callable[[], str]) -> None:
    """Drop the short lines (under ``_TAIL_PROSE_WORDS`` words) after the body's last paragraph of
    prose that trafilatura's precision mode on the page as it is (``precise``, its squashed text)
    does not keep, sentences too: a prompt to share or comment, an appeal, another article's
    headline. Only where precision mode keeps that last paragraph, so that it saw where the
    article ends. Headings, lines in tables, figures and quotations, lines with images and links
    to another site (sources) stay. Noted on ``main`` for the reader to record under ``END_FURNITURE_RULE``."""
    lines = _text_lines(main)
    last = max((k for k, line in enumerate(lines) if len(words(_text(line))) >= _TAIL_PROSE_WORDS), default=None)
    if last is None or _squashed(lines[last]) not in precise():
        return
    doomed = []
    for line in lines[last + 1 :]:
        if line.tag in _HEADINGS:  # one left over nothing goes as an empty heading, in the normalizer
            continue
        if line.find(".//img") is not None or (line.find(".//a") is not None and _elsewhere(line, site)):
            continue
        if (squashed := _squashed(line)) and squashed not in precise():
            doomed.append(line)
    if len(doomed) * 2 > len(lines):
        return
    _drop_lines(main, doomed, _END_FURNITURE)


def _furniture_like(block: HtmlElement, site: str) -> bool:
    """A line as short as page furniture and not a sentence, or a list of only such lines."""
    if block.tag in _LIST_BLOCKS:
        items = block.findall("li")
        return bool(items) and len(items) == len(block) and all(_furniture_line(li, site) for li in items)
    return block.tag == "p" and block.find(".//img") is None and _furniture_line(block, site)


def _furniture_line(line: HtmlElement, site: str) -> bool:
    """Short and not a sentence; a headline that links to another page of the site may be longer.
    A line of links to other sites is a source or a reference, not the site's furniture."""
    text = _text(line)
    count = len(words(text))
    linked = _all_linked(line, text)
    if linked and _elsewhere(line, site):
        return False
    limit = _LINKED_WORDS if linked else _FURNITURE_WORDS
    return 0 < count <= limit and (count <= _ANY_LINE_WORDS or not _SENTENCE_END.search(text))


def _elsewhere(line: HtmlElement, site: str) -> bool:
    """True when every link of ``line`` leads to another site than ``site`` (as ``site_of`` writes it)."""
    hosts = [site_of(link.get("href") or "") for link in line.iter("a")]
    return bool(hosts) and all(host and host != site for host in hosts)


def _all_linked(line: HtmlElement, text: str) -> bool:
    return bool(text) and " ".join(_text(link) for link in line.iter("a")).split() == text.split()


def _justext(page: HtmlElement) -> HtmlElement:
    """The paragraphs jusText keeps of the page (trafilatura's own call of it: all its stop lists)."""
    from trafilatura.external import try_justext

    # trafilatura calls jusText on the tree as it is, without jusText's own cleaning: the text of
    # scripts and styles would be paragraphs to it (a page's whole tracking code, as a "lede").
    tree = copy.deepcopy(page)
    for element in list(tree.iter("script", "style", "template")):
        element.drop_tree()
    return try_justext(tree, None, None)


def _squashed_text(extraction: HtmlElement | None) -> str:
    return "" if extraction is None else _squashed(extraction)


def _trusted(precise: HtmlElement | None, plain_words: int) -> bool:
    """Precision mode's verdict counts at the body's ends: it kept about as much as plain trafilatura."""
    return precise is not None and _word_count(precise) >= plain_words * _PRECISE_SHARE


def _leaf_blocks(box: HtmlElement) -> Iterator[HtmlElement]:
    """The blocks of a body in reading order, boxes looked into."""
    for child in box:
        if not isinstance(child.tag, str):
            continue
        if child.tag in _BOXES and child.find(".//img") is None:
            yield from _leaf_blocks(child)
        elif _text(child) or child.find(".//img") is not None:
            yield child


# Blocks the main extraction keeps only if plain trafilatura has their text too; boxes are
# looked into. Figures, images and data tables are what the placeholders are there to keep.
# Lists stay whole: trafilatura drops link-dense lists that articles keep (a table of contents).
_CONFIRMED_BLOCKS = frozenset({"p", "pre", *_HEADINGS})
_BOXES = frozenset({"div", "section", "article", "main", "blockquote"})


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What the second opinions hold: all their text, and each of their blocks' text (squashed)."""

    text: str
    blocks: frozenset[str]

    @classmethod
    def of(cls, *extractions: HtmlElement | None) -> Confirmation:
        found = [e for e in extractions if e is not None]
        blocks = {_squashed(b) for e in found for b in e.iter(*_BLOCKS, "td", "th", "caption")}
        return cls(" ".join(_squashed(e) for e in found), frozenset(blocks))

    def confirms(self, squashed: str) -> bool:
        # A short block (a heading, a label) must be one of theirs: inside their text, a word or
        # two like "Related topics" or "Community" would be found in almost any article.
        if len(squashed) < _SHORT_BLOCK:
            return squashed in self.blocks
        return squashed in self.text


@dataclass(slots=True)
class Confirmations:
    """A first second opinion, then, only for a block it does not confirm, more of them (asked once:
    each is a trafilatura run). Whatever fewer opinions confirm, more confirm too, so the answers
    are those of asking all of them at once."""

    first: Confirmation
    ask_more: Callable[[], Confirmation]
    more: Confirmation | None = None

    def confirms(self, squashed: str) -> bool:
        if self.first.confirms(squashed):
            return True
        if self.more is None:
            self.more = self.ask_more()
        return self.more.confirms(squashed)


# Squashed length (letters and digits) below which a block is short: some five words.
_SHORT_BLOCK = 32


@dataclass(frozen=True, slots=True)
class _OutvotedOrConfirmed:
    """trafilatura's confirmation (``either``), overruled for a block of paragraph length (a lede,
    an article's paragraph in a box trafilatura passes over) that every extractor of another
    design keeps: on the evaluation corpus such blocks, kept by jusText and readability but not
    by plain trafilatura, were article text (8 segments), never furniture."""

    either: Confirmation | Confirmations
    others: tuple[Callable[[], str], ...]

    def confirms(self, squashed: str, text: str) -> bool:
        if self.either.confirms(squashed):
            return True
        if not self.others or len(words(text)) < _MISSED_WORDS:
            return False
        return all(squashed in other() for other in self.others)


def _drop_unconfirmed(article: HtmlElement, confirmation: _OutvotedOrConfirmed, dropped: list[str]) -> None:
    """Drop the text blocks of the main extraction that the second opinions judged page furniture
    (their text goes to ``dropped``)."""
    for child in list(article):
        if not isinstance(child.tag, str) or child.find(".//img") is not None:
            continue
        if child.tag in _BOXES:
            _drop_unconfirmed(child, confirmation, dropped)
            if not _text(child) and child.find(".//img") is None:
                child.drop_tree()
        elif (
            child.tag in _CONFIRMED_BLOCKS
            and (squashed := _squashed(child))
            and not confirmation.confirms(squashed, text := _text(child))
        ):
            dropped.append(text)
            child.drop_tree()


# A paragraph of plain trafilatura's this long that the main body lacks is article text it missed.
_MISSED_WORDS = 12
_EDGE = 40  # squashed characters at either end of a paragraph that show it is there already


def _add_missed_paragraphs(article: HtmlElement, other: HtmlElement, ends: Confirmation | None) -> None:
    """Put in the main body the paragraphs of plain trafilatura's that it missed (a lede in a box
    of its own, say), each after the block it follows there. One that would close the body must
    be confirmed by ``ends`` (precision mode, where it is trusted): the end trim took such
    paragraphs out (an appeal for donations after the article), and they do not come back."""
    kept = [(child, _squashed(child)) for child in article if isinstance(child.tag, str)]
    whole = "".join(text for _, text in kept)
    anchor: HtmlElement | None = None  # the main body's block the next missed paragraph follows
    for block in other:
        if not isinstance(block.tag, str) or not (squashed := _squashed(block)):
            continue
        if (found := next((c for c, text in kept if squashed[:_EDGE] in text), None)) is not None:
            anchor = found
            continue
        if block.tag != "p" or len(words(_text(block))) < _MISSED_WORDS:
            continue
        if squashed[:_EDGE] in whole or squashed[-_EDGE:] in whole:  # there, split or cut
            continue
        closing = anchor is not None and anchor.getnext() is None  # an opening one is a lede, say
        if closing and ends is not None and not ends.confirms(squashed):
            continue
        missed = copy.deepcopy(block)
        missed.tail = None
        if anchor is None:
            article.insert(0, missed)
        else:
            anchor.addnext(missed)
        anchor = missed


# A continuation box holds at least this many of the article's paragraphs, or this many words.
_CONTINUATION_PARAGRAPHS = 2
_CONTINUATION_WORDS = 100
# How far above the box of the body's paragraphs its continuations and it meet.
_CONTINUATION_LEVELS = 3


def _add_continuations(
    main: HtmlElement, page: HtmlElement, justext: Callable[[], str], url: str | None
) -> HtmlElement | None:
    """Add the article's continuations: a page that cuts its article into boxes of the same kind
    (``<div class="body__container">`` after each advertisement, in "article__chunks") gives
    trafilatura the first; Readability's rule, boxes beside the best one that share its class, adds
    the others. Narrower here: a box of the same tag and class as the one holding most of the
    body's paragraphs, meeting it at most ``_CONTINUATION_LEVELS`` above inside the page's one
    ``<article>``, with no box of furniture between (``_marked_furniture``); its paragraphs the
    body lacks and jusText keeps (prose, not a form's consent line), and headings among them, are
    put after the body's block that comes before them on the page, when they are more than a stray
    line (``_CONTINUATION_PARAGRAPHS``, ``_CONTINUATION_WORDS``). Returns what was added, a box of
    each continuation's copies, or None."""
    articles = page.xpath("//article[not(ancestor::article)]")
    if len(articles) != 1:
        return None
    on_page: dict[str, HtmlElement] = {}
    for paragraph in articles[0].iter("p"):
        if len(words(text := _text(paragraph))) >= _MISSED_WORDS:
            on_page.setdefault(squash(text), paragraph)
    located: dict[HtmlElement, HtmlElement] = {}  # the page's paragraph → the body's block
    for block in main.iter("p"):
        if (found := on_page.get(_squashed(block))) is not None:
            located[found] = block
    if len(located) < 2:
        return None
    box = Counter(paragraph.getparent() for paragraph in located).most_common(1)[0][0]
    if not box.get("class"):
        return None
    above = list(box.iterancestors())[:_CONTINUATION_LEVELS]
    body = _squashed(main)
    order = {element: k for k, element in enumerate(page.iter())}
    added = lxml.html.Element("div")
    for other in articles[0].iter(box.tag):
        if other is box or other.get("class") != box.get("class") or _nested(other, box):
            continue
        meeting = next((a for a in other.iterancestors() if a in above), None)
        if meeting is None or not (meeting is articles[0] or articles[0] in meeting.iterancestors()):
            continue
        between = [other, *other.iterancestors()]
        if any(_marked_furniture(element) for element in between[: between.index(meeting)]):
            continue
        blocks = _continuation_blocks(other, body, justext)
        paragraphs = [b for b in blocks if b.tag == "p"]
        if len(paragraphs) < _CONTINUATION_PARAGRAPHS and sum(map(_word_count, paragraphs)) < _CONTINUATION_WORDS:
            continue
        before = [p for p in located if order[p] < order[other]]
        anchor = located[max(before, key=order.__getitem__)] if before else None
        copies = lxml.html.Element("div")
        copies.extend(copy.deepcopy(b) for b in blocks)
        for element in copies:
            element.tail = None
        _clean(copies, url)
        added.append(copy.deepcopy(copies))
        for element in list(copies):
            if anchor is None:
                main.insert(0, element)
            else:
                anchor.addnext(element)
            anchor = element
        if anchor is not None:
            located[other] = anchor  # its last copy: a later continuation goes after it
    return added if len(added) else None


def _boxes(count: int) -> str:
    return "1 more box" if count == 1 else f"{count} more boxes"


def _nested(one: HtmlElement, other: HtmlElement) -> bool:
    return one in other.iterancestors() or other in one.iterancestors()


def _continuation_blocks(box: HtmlElement, body: str, justext: Callable[[], str]) -> list[HtmlElement]:
    """The paragraphs of ``box`` (a continuation) the body (``body``, squashed) lacks and jusText
    keeps, and the headings before them, in their order."""
    found: list[HtmlElement] = []
    headings: list[HtmlElement] = []
    for block in box.iter("p", *_HEADINGS):
        squashed = _squashed(block)
        if not squashed or squashed in body:
            continue
        if block.tag in _HEADINGS:
            headings.append(block)
        elif len(words(_text(block))) >= _MISSED_WORDS and squashed in justext():
            found += [*headings, block]
            headings = []
    return found


# jusText's paragraphs of this many words just before the body's first are its lede (at most two).
_LEDE_PARAGRAPHS = 2
_LEDE_PASSED = 2  # short lines looked past on the way back


def _add_lede(
    article: HtmlElement, justext: HtmlElement, page: HtmlElement, captions: Callable[[], set[str]] | None = None
) -> None:
    """Put at the body's start the paragraphs jusText keeps just before the body's first one, of
    paragraph length (a lede or standfirst in a box of its own, which trafilatura passes over and
    jusText, judging text by its stop words and not the page's tree, keeps). A heading of the
    page is never one (a long headline), nor is an image's caption: with its image gone, it would
    stand alone as text."""
    whole = _squashed(article)
    paragraphs = [(p, squashed) for p in justext if (squashed := _squashed(p))]
    found = next((k for k, (_, squashed) in enumerate(paragraphs) if _holds(whole, squashed)), None)
    if not found:  # none, or the body starts at jusText's first paragraph
        return
    # Never a lede: the page's headings and captions (``captions``, if the caller has them already).
    headings = {_squashed(h) for h in page.iter(*_HEADINGS)} | (captions() if captions else _captions(page))
    lede: list[HtmlElement] = []
    passed = 0  # short lines looked past (a date, a byline between the lede and the body)
    for paragraph, squashed in reversed(paragraphs[:found]):
        if len(lede) == _LEDE_PARAGRAPHS or _is_caption(squashed, headings):
            break
        if len(words(_text(paragraph))) < _MISSED_WORDS:
            if (passed := passed + 1) > _LEDE_PASSED:
                break
        elif _in_page_furniture(page, _text(paragraph)):
            break
        else:
            lede.insert(0, paragraph)
    if not lede:
        return
    start = paragraphs[found][1][:_EDGE]
    anchor = next((b for b in _leaf_blocks(article) if start in _squashed(b)), None)
    for paragraph in lede:
        added = lxml.html.Element("p")
        added.text = _text(paragraph)
        if anchor is None:
            article.insert(0, added)
        else:
            anchor.addprevious(added)


# Where a line of the page's header sits: a byline's or dateline's box (Readability's byline
# words, and "meta" boxes of date and author), or a box of furniture.
_HEADER_LINE_NAMES = re.compile(r"byline|author|dateline|writtenby|signature|meta", re.IGNORECASE)
_FURNITURE_BOXES = frozenset({"nav", "aside", "footer", "form", "menu", "dialog"})


def _in_page_furniture(page: HtmlElement, text: str) -> bool:
    """True when the page's text ``text`` (a jusText paragraph) starts in a byline or dateline box
    (a line holding a ``<time>``, or a box named so) or in navigation, a sidebar, a footer or a
    form. Where it starts is the page's longest text that starts it (several, if the same)."""
    line = " ".join(text.split())
    starts: dict[int, list[HtmlElement]] = {}
    for node in page.xpath("//body//text()"):
        start = " ".join(str(node).split())
        if len(start) >= min(_LOCATING_CHARS, len(line)) and line.startswith(start):
            starts.setdefault(len(start), []).append(node.getparent())
    return bool(starts) and any(_furniture_box(element) for element in starts[max(starts)])


def _furniture_box(element: HtmlElement) -> bool:
    if element.tag == "time" or element.find("time") is not None:  # the line a date is in
        return True
    for box in (element, *element.iterancestors()):
        if box.tag in ("body", "html"):
            break
        name = f"{box.get('class') or ''} {box.get('id') or ''}"
        if box.tag in _FURNITURE_BOXES or _HEADER_LINE_NAMES.search(name) or _marked_furniture(box):
            return True
    return False


_LOCATING_CHARS = 8  # a text of the page this long that starts a jusText paragraph is where it starts


def _captions(page: HtmlElement) -> set[str]:
    """The squashed text of the page's captions (by element or class) and image descriptions."""
    found = {_squashed(e) for e in page.iter("figcaption", "caption")}
    found |= {_squashed(e) for e in page.xpath(_CAPTION_CLASSES)}
    found |= {squash(str(alt)) for alt in page.xpath("//img/@alt")}
    return found


def _is_caption(squashed: str, captions: set[str]) -> bool:
    """True when one of ``captions`` holds ``squashed`` (a caption may hold a credit too, but one
    twice as long is a box holding more than the caption)."""
    return any(squashed in caption and len(caption) <= 2 * len(squashed) for caption in captions)


_CAPTION_CLASSES = "//*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')]"


def _holds(whole: str, squashed: str) -> bool:
    """True when the squashed text ``whole`` holds a block's (or its start or end: split, or cut)."""
    return squashed in whole or (len(squashed) >= _EDGE and (squashed[:_EDGE] in whole or squashed[-_EDGE:] in whole))


# Rule name of the short lines anywhere in the body that no second extractor keeps.
LONE_LINE_RULE = "lone-line"
_LONE_LINES_TAGS = ("p", "li", "dt", "dd", *_HEADINGS)
# What holds lines that are its own: a table's cells, a figure's caption (kept with its image),
# a quotation's attribution.
_HELD = ("table", "figure", "blockquote")


def _drop_lone_lines(
    article: HtmlElement,
    site: str,
    plain: Callable[[], str],
    others: tuple[Callable[[], str], ...],
    captions: Callable[[], set[str]],
) -> None:
    """Drop the short lines (a label, a credit, another article's headline in a list) that no
    second extractor keeps anywhere in its text: neither plain trafilatura (``plain``) nor those
    of ``others`` (its precision mode and jusText; each gives its squashed text), or, when the
    line is neither a heading nor closed as a sentence, none of ``others`` (plain trafilatura, of
    the same design as the main extraction, keeps labels too). Lines in tables, figures and quotations, a caption of
    the page's (``captions``: kept with their images, on purpose), a line that is only a date (the
    normalizer reads it as the page's date, and records it), a line with a link beside its
    text (a "Main article: …" pointer) or linking to another site than ``site`` (a source), and
    lines with images stay; so does everything when such
    lines are half the body's (a recipe, a list of facts: the body itself). Noted on ``article``
    for the reader to record under ``LONE_LINE_RULE``."""
    lines = _text_lines(article)
    doomed = []
    for line in lines:
        text = _text(line)
        if line.find(".//img") is not None or len(words(text)) > _FURNITURE_WORDS:
            continue
        if line.find(".//a") is not None and (not _all_linked(line, text) or _elsewhere(line, site)):
            continue  # a pointer ("Main article: …"), or a source (a reference to another site)
        squashed = _squashed(line)
        if not squashed or any(squashed in other() for other in others) or written_date(text):
            continue  # kept by another, or a date line: the normalizer's dateline pass reads it
        if (line.tag in _HEADINGS or _SENTENCE_END.search(text)) and squashed in plain():
            continue
        if not _is_caption(squashed, captions()):
            doomed.append(line)
    if not doomed or len(doomed) * 2 > len(lines):
        return
    _drop_lines(article, doomed, _LONE_LINES)


# Rule name of the body's lines that stand on the page in a box of furniture the article is not in.
FURNITURE_BOX_RULE = "furniture-box"
# What a page calls its furniture: elements, ARIA landmarks, and words in a box's class or id (a
# sidebar, a footer, breadcrumbs, a newsletter or donation box, a call to action, a disclaimer or
# notice, related links, comments, an author's box, an advertisement, a cookie or consent banner),
# in the words web designers use whatever the page's language.
_FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "menu"})
_FURNITURE_ROLES = frozenset({"navigation", "complementary", "contentinfo"})
_FURNITURE_NAMES = re.compile(
    r"sidebar|footer|bread-?crumb|newsletter|donat|promo|(?:^|[\W_])cta(?:$|[\W_])|disclaimer|disclosure|"
    r"related|comment|kommentar|subscri|paywall|notice|author-?(?:box|bio)|about-?(?:the-?)?author|advert|sponsor|"
    r"cookie|consent|gdpr",
    re.IGNORECASE,
)
# A layout's modifiers name furniture the box has or lacks, not the box ("site__main--no-sidebar").
_LAYOUT_MODIFIERS = re.compile(r"(?<![a-z])(?:no|has|with|without|hide|show)[-_]+[\w-]*", re.IGNORECASE)
# Text nodes of the page this long (squashed) say where a line of the body stands.
_LOCATING_SQUASHED = 8


def _drop_furniture_boxed(article: HtmlElement, page: HtmlElement) -> None:
    """Drop the body's lines that stand on the page only inside a box the page marks as furniture
    (``_FURNITURE_TAGS``, ``_FURNITURE_ROLES``, ``_FURNITURE_NAMES``) that holds less than half of
    the article's prose (its paragraphs of ``_TAIL_PROSE_WORDS`` words or more): the box is not the
    article's own, whatever trafilatura kept of it (a newsletter box inside the article's text, a
    sidebar widget, the footer's address). Lines of tables, figures and quotations, lines with
    images, and lines found nowhere on the page stay; nothing goes when such lines would be a
    third of the body's words. Noted on ``article`` for the reader to record under
    ``FURNITURE_BOX_RULE``."""
    counts = {line: len(words(_text(line))) for line in _text_lines(article)}
    prose = [line for line, count in counts.items() if count >= _TAIL_PROSE_WORDS]
    if not prose:
        return
    nodes = _text_nodes(page)
    places = {line: _places(nodes, _squashed(line)) for line in counts}  # each a scan of the page's texts
    held: Counter[HtmlElement] = Counter()  # each box of the page: the article's prose words it holds
    total = 0
    for line in prose:
        total += counts[line]
        for place in places[line]:
            for box in {place, *place.iterancestors()}:
                held[box] += counts[line]
    doomed = []
    for line in counts:
        if line.find(".//img") is not None:
            continue
        if places[line] and all(_in_furniture_box(place, held, total) for place in places[line]):
            doomed.append(line)
    if not doomed or sum(counts[line] for line in doomed) * 3 > _word_count(article):
        return
    _drop_lines(article, doomed, _FURNITURE_BOXED)


def _text_nodes(page: HtmlElement) -> list[tuple[str, HtmlElement]]:
    """The page's texts (squashed, long enough to locate a line) and the elements they are in."""
    found = []
    for node in page.xpath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"):
        squashed = squash(str(node))
        if squashed:
            parent = node.getparent()
            found.append((squashed, parent if node.is_text else parent.getparent()))
    return found


def _places(nodes: list[tuple[str, HtmlElement]], squashed: str) -> list[HtmlElement]:
    """Where on the page a line of the body (``squashed``) stands: the elements of the longest
    texts of the page it holds (each place it is at, if the page repeats it)."""
    if not squashed:
        return []
    least = min(_LOCATING_SQUASHED, len(squashed))
    found = [(len(text), element) for text, element in nodes if len(text) >= least and text in squashed]
    longest = max((length for length, _ in found), default=0)
    return [element for length, element in found if length == longest]


def _in_furniture_box(place: HtmlElement, held: Counter[HtmlElement], total: int) -> bool:
    """True when an element around ``place`` is furniture by its tag, role or name and holds less
    than half the article's prose (``held``: its words in each box; ``total``: all of them)."""
    for box in (place, *place.iterancestors()):
        if box.tag in ("body", "html"):
            return False
        if held[box] * 2 >= total:
            return False  # the article's box, and so every box around it
        if _marked_furniture(box):
            return True
    return False


def _marked_furniture(box: HtmlElement) -> bool:
    """True when the page marks ``box`` as furniture: by its tag, its ARIA role, or its class or id."""
    name = _LAYOUT_MODIFIERS.sub("", f"{box.get('class') or ''} {box.get('id') or ''}")
    return box.tag in _FURNITURE_TAGS or box.get("role") in _FURNITURE_ROLES or bool(_FURNITURE_NAMES.search(name))


_NESTED_LINE = " | ".join(f".//{tag}" for tag in _LONE_LINES_TAGS)


def _text_lines(article: HtmlElement) -> list[HtmlElement]:
    """The body's lines of text (paragraphs, list items, headings) in reading order, but those a
    table, a figure or a quotation holds."""
    return [
        line
        for line in article.iter(*_LONE_LINES_TAGS)
        if not line.xpath(_NESTED_LINE) and _text(line) and next(line.iterancestors(*_HELD), None) is None
    ]


def _drop_lines(article: HtmlElement, doomed: list[HtmlElement], note: str) -> None:
    """Drop ``doomed`` lines (and a list they leave empty), their text noted on ``article`` under ``note``."""
    found = []
    for line in doomed:
        found.append(_text(line))
        line.drop_tree()
    for box in list(article.iter("ul", "ol", "dl")):
        if not _text(box) and box.find(".//img") is None:
            box.drop_tree()
    _note(article, note, found)


def _word_count(article: HtmlElement | None) -> int:
    return len(words(_text(article))) if article is not None else 0


def _agreement(chosen: HtmlElement | None, other: HtmlElement | None) -> float:
    """The share of the other extraction's words that the chosen body holds too."""
    found = Counter(words(_text(other))) if other is not None else Counter()
    if not found:
        return 1.0
    kept = Counter(words(_text(chosen))) if chosen is not None else Counter()
    return round(sum((found & kept).values()) / sum(found.values()), 2)


def _serialize(article: HtmlElement | None) -> str:
    if article is None or (not _text(article) and article.find(".//img") is None):
        return ""
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in article).strip()


def without_server_errors(html: str) -> str:
    """The page without the errors PHP printed into it, as it writes them ("<b>Warning</b>: Use of
    undefined constant … in <b>/…/plugin.php</b> on line <b>928</b><br />"): the server's, never the
    article's. Read as text, a page's two warnings were longer than its article, and the second opinion
    took them for the body; on another, metadata readers took a comment form's heading for the title."""
    return _SERVER_ERROR.sub("", html)


_SERVER_ERROR = re.compile(
    r"(?:<br\s*/?>\s*)?<b>(?:warning|notice|deprecated|strict standards|(?:catchable |parse )?fatal error)</b>:"
    r"[^<]{0,600}(?:<b>[^<]{0,300}</b>[^<]{0,100})?\bon line\s*<b>\d+</b>(?:\s*<br\s*/?>)?",
    re.IGNORECASE,
)


def _parse(html: str) -> tuple[HtmlElement | None, bool]:
    """The page's tree, and whether it nests too deep for libxml2.

    Past 256 levels libxml2 stops and drops the rest of the page without an exception; such
    a page is read with the HTML5 parser, its tags past that depth dropped (their text kept).
    """
    text = _CONTROL_CHARS.sub("", html)
    parser = lxml.html.HTMLParser(**_PARSER_OPTIONS)  # one per call: its error log is this page's
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (ValueError, etree.ParserError):
        return None, False
    if not any("depth" in str(error.message).lower() for error in parser.error_log):
        return root, False
    from convert.readers.pandoc import well_formed_html

    try:
        flat = well_formed_html(text)
        return lxml.html.document_fromstring(
            flat.encode("utf-8"), parser=lxml.html.HTMLParser(**_PARSER_OPTIONS, huge_tree=True)
        ), True
    except (ValueError, etree.ParserError):
        return None, True


# --------------------------------------------------------------------------- before trafilatura


# Invisible characters of the text that trafilatura drops as not printable (its ``sanitize_tree``):
# soft hyphens (where a word may break), the zero-width space (where Thai or a long address may),
# the zero-width joiner and non-joiner (which spell Persian and Hindi words and emoji sequences),
# the word joiner, and the marks and isolates of bidirectional text.
_FORMAT_MARKS = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2066\u2067\u2068\u2069")
# Their stand-ins while the extractors run: letters of the Vai syllabary (printable, not
# whitespace, of a script written with spaces, so words count alike); a letter the page uses is not one.
_STAND_IN_LETTERS = range(0xA500, 0xA60C)


@dataclass(frozen=True, slots=True)
class _HeldMarks:
    """Which stand-in holds which invisible character (``_hold_format_marks``)."""

    held: tuple[tuple[str, str], ...] = ()

    def restore(self, text: str) -> str:
        for stand_in, mark in self.held:
            text = text.replace(stand_in, mark)
        return text


def _hold_format_marks(root: HtmlElement) -> _HeldMarks:
    """Swap the page's invisible characters of ``_FORMAT_MARKS`` for printable stand-ins, so that
    every extraction (and every comparison of the page's text with one) keeps them; ``restore``
    puts them back in what is chosen."""
    holders = [e for e in root.iter() if isinstance(e.tag, str)]
    page_text = "".join(f"{e.text or ''}{e.tail or ''}" for e in holders)
    found = sorted(_FORMAT_MARKS.intersection(page_text))
    if not found:
        return _HeldMarks()
    letters = (chr(code) for code in _STAND_IN_LETTERS if chr(code) not in page_text)
    held = tuple(zip(letters, found, strict=False))
    table = str.maketrans({mark: stand_in for stand_in, mark in held})
    for element in holders:
        if element.text and element.tag not in ("script", "style"):
            element.text = element.text.translate(table)
        if element.tail:
            element.tail = element.tail.translate(table)
    return _HeldMarks(held)


def _keep_spaces(root: HtmlElement) -> None:
    """Make the spaces between phrases survive trafilatura, which drops a text or tail that is only
    whitespace (its issue #661) and so runs words together: "Gecko</a> <a>layout" → "Geckolayout",
    "libertés<strong> </strong>(CNIL)" → "libertés(CNIL)".

    A phrase holding only a space gives it to the text around it; a space between two phrases goes
    inside the first, at its end, and is taken back out after trafilatura (``_space_out``)."""
    for phrase in [p for p in root.iter(*_PHRASES) if _in_prose(p)]:
        if not len(phrase) and phrase.text and not phrase.text.strip() and phrase.getparent() is not None:
            phrase.drop_tag()
    for phrase in root.iter(*_PHRASES):
        following, parent = phrase.getnext(), phrase.getparent()
        between_phrases = following is not None and following.tag in _PHRASES
        # "<a><em>Report</em> </a>in": the space closing a link is lost the same way ("Report[3]in").
        closing_a_phrase = following is None and parent is not None and parent.tag in _PHRASES
        if not (between_phrases or closing_a_phrase) or not phrase.tail or phrase.tail.strip():
            continue
        if not _in_prose(phrase):
            continue
        phrase.tail = None
        if len(phrase):
            phrase[-1].tail = (phrase[-1].tail or "") + " "
        else:
            phrase.text = (phrase.text or "") + " "


def _space_out(article: HtmlElement) -> None:
    """A space ending a phrase goes after it (``_keep_spaces`` put it there): a link's text ends
    at its last word. Inner phrases first, so a space moves out of every phrase it closes."""
    for phrase in reversed(list(article.iter(*_PHRASES))):
        last = phrase[-1].tail if len(phrase) else phrase.text
        if not last or last == last.rstrip() or not _in_prose(phrase):
            continue
        kept, space = last.rstrip(), last[len(last.rstrip()) :]
        if len(phrase):
            phrase[-1].tail = kept or None
        else:
            phrase.text = kept or None
        if not (phrase.tail or "")[:1].isspace():
            phrase.tail = space + (phrase.tail or "")


def _in_prose(phrase: HtmlElement) -> bool:
    """Not in preformatted text, where every space is the author's own."""
    return next(phrase.iterancestors("pre"), None) is None


def _prepare(root: HtmlElement) -> None:
    """Undo markup patterns that make trafilatura lose article content."""
    # Lazy loading: the real image often waits in a <noscript>, after a placeholder image (an icon
    # or a label may stand between them) or alone (a script puts it in place). A placeholder that says where
    # the script finds the picture (data-src, srcset…) is that picture, and the <noscript> a
    # duplicate; any other is a stand-in ("index-transparent_h-213_w-320.gif"), and gives way.
    for noscript in list(root.iter("noscript")):
        images = noscript.findall(".//img")
        if len(images) != 1 or _text(noscript):
            continue
        previous = _image_before(noscript, images[0])
        if previous is not None:
            if any(previous.get(name) for name in (*_SRCSETS, *_LAZY_SOURCES)) and _image_source(previous):
                continue
            previous.drop_tree()
        images[0].tail = noscript.tail
        noscript.getparent().replace(noscript, images[0])
    # <picture>: its <img> with the best source it offers. libxml2 does not know <source> is
    # empty and nests what follows inside it, so the image is taken out first.
    for picture in list(root.iter("picture")):
        img = picture.find(".//img")
        if img is None:
            continue
        if not _image_source(img):
            for source in picture.iter("source"):
                if candidate := _largest(source.get("srcset") or source.get("data-srcset") or ""):
                    img.set("src", candidate)
                    break
        img.tail = picture.tail
        picture.getparent().replace(picture, img)
    # A link with nothing to read or see (an "enlarge" icon a stylesheet draws): trafilatura finds
    # no link text in the box around it and deletes the box, a caption with it. A target stays.
    for link in root.xpath(_EMPTY_LINKS):
        link.drop_tree()  # keeps its tail
    # Tracking pixels, spacers and rules drawn as images: trafilatura keeps those inside a
    # paragraph (without their size, so they can no longer be told apart later).
    for img in [img for img in root.iter("img") if _decorative(img)]:
        img.drop_tree()  # keeps its tail
    # trafilatura deletes <time> and <footer> with their text; a date inside a sentence is
    # text, and a footer inside a quotation is its attribution.
    for node in list(root.iter("time")):
        node.drop_tag()
    for node in root.xpath("//blockquote//footer"):
        node.tag = "p"
    # A line break closing a phrase ("<strong>Heading<br/></strong>Text"): trafilatura drops it,
    # and with it the break between the words ("HeadingText"). It is moved out after the phrase.
    for br in list(root.iter("br")):
        while (phrase := br.getparent()) is not None and phrase.tag in _PHRASES and _ends(phrase, br):
            br.tail, phrase.tail = phrase.tail, None
            phrase.addnext(br)
    # A <pre> holding tables or headings lays out a page exported from another tool, not code:
    # read as code, its tables print as one long preformatted box.
    for pre in root.xpath("//pre[.//table or .//h1 or .//h2 or .//h3 or .//h4 or .//h5 or .//h6]"):
        pre.tag = "div"
    # Layout tables become plain boxes, as in Firefox's Reader View: trafilatura reads table
    # cells with rules of their own that lose quotations and boxed paragraphs. A lone row of
    # short cells (results exported one table per row) reads as one line, not a paragraph a cell.
    for table in list(root.iter("table")):
        # Browsers move what cannot sit in a table out before it (a stray <br>); libxml2 keeps it
        # there, and pandoc then reads the table as loose cells, one paragraph each.
        for stray in [child for child in table if child.tag not in _TABLE_PARTS]:
            stray.tail = None  # space between a table's parts
            table.addprevious(stray)
        if _data_table(table):
            continue
        if _row_of_short_cells(table):
            _as_line(table)
            continue
        for part in [table, *table.xpath("./* | ./*/tr | ./tr/* | ./*/tr/*")]:
            part.tag = "div"
    # Text loose in a box next to blocks: trafilatura keeps it only in part and without its
    # links, so it gets the paragraph it implies (so does an image standing between blocks).
    # A box of text and links alone is a paragraph: trafilatura would drop its text before the
    # first link and the spaces around the links, and split it at each link ("See also: A and
    # B" → "A" + "and", then "B"; its issues #585 and #661).
    for box in list(root.iter("div", "section", "article", "main", "blockquote")):
        if any(child.tag in _BLOCKS for child in box):
            _wrap_loose_text(box)
        elif box.tag == "div" and _loose_text(box) and _in_flow(box) and (len(box) or _long_text(box)):
            box.tag = "p"
    # Paragraphs written as lines with an empty line between them (text<br><br>text): trafilatura keeps one
    # break of the run, and the article read as one paragraph of lines.
    split_at_blank_lines(root)


def _image_before(noscript: HtmlElement, image: HtmlElement) -> HtmlElement | None:
    """The placeholder in ``noscript``'s box for its ``image``: the image just before it, past what
    shows nothing (an icon), or past labels on the picture ("1 min", "mit Video") if it has the
    same alternative text."""
    between = False
    for previous in noscript.itersiblings(preceding=True):
        if not isinstance(previous.tag, str):  # a comment
            between = between or bool((previous.tail or "").strip())
            continue
        if previous.tag == "img":
            alt = (previous.get("alt") or "").strip()
            return previous if not between or (alt and alt == (image.get("alt") or "").strip()) else None
        if previous.find(".//img") is not None:
            return None
        between = between or bool(_text(previous) or (previous.tail or "").strip())
    return None


def _drop_hidden_labels(root: HtmlElement) -> None:
    """What a page hides from its sighted readers and no reading of it should take for text.

    Structured data written as hidden text (schema.org microdata: an image's address, width and
    height, the publisher's logo) is for machines. Read as text, every teaser of a list of posts
    printed "https://…-scaled.jpg 1707 2560 Cornelius Karow 2022-10-28 07:10:00", and made plain
    trafilatura's body look three times longer than the article. A hidden heading names a part of
    the page for screen readers ("Hauptinhalt", "Beitrags-Navigation", "Footer"): on trafilatura-eval
    264 of them, none an annotated article segment.
    """
    hidden = [element for element in root.iter() if isinstance(element.tag, str) and _hidden(element)]
    for element in hidden:
        if element.tag in _HEADINGS or _microdata_only(element):
            element.drop_tree()  # keeps its tail


def _hidden(element: HtmlElement) -> bool:
    """Hidden from sighted readers by the element's own markup (not its stylesheet's): the hidden
    attribute, an inline display:none, a hiding class (Bootstrap, Bulma, WordPress themes; Bootstrap's
    text-hide, which shows a logo in its place)."""
    classes = set((element.get("class") or "").casefold().split())
    return (
        bool(classes & (SCREEN_READER_CLASSES | {"hidden", "d-none", "is-hidden", "text-hide"}))
        or element.get("hidden") is not None
        or bool(re.search(r"display\s*:\s*none", element.get("style") or "", re.IGNORECASE))
    )


_MICRODATA_VALUE_WORDS = 12  # a name, a date, an address; longer is text (an articleBody)


def _microdata_only(box: HtmlElement) -> bool:
    """True when all the text ``box`` holds is short microdata values (``itemprop``), and there is some."""
    values = [e for e in box.iter() if isinstance(e.tag, str) and e.get("itemprop") is not None]
    if not values or any(len(_text(value).split()) > _MICRODATA_VALUE_WORDS for value in values):
        return False
    outside = copy.deepcopy(box)
    for value in outside.xpath(".//*[@itemprop]"):
        value.drop_tree()
    return not (outside.text_content().strip() if outside.get("itemprop") is None else "")


_EMPTY_LINKS = (
    "//a[@href and not(@id) and not(@name) and not(normalize-space())"
    " and not(.//img or .//picture or .//svg or .//video or .//object or .//canvas)]"
)
# Elements that mark up a phrase inside a line of text.
_PHRASES = frozenset(
    {"a", "b", "strong", "i", "em", "u", "s", "span", "small", "mark", "font", "sup", "sub", "cite", "code", "abbr"}
    | {"kbd", "samp", "var", "dfn", "q", "ins", "del", "bdi", "bdo"}
)


def _ends(phrase: HtmlElement, br: HtmlElement) -> bool:
    """True when ``br`` is the last thing in ``phrase``: no element and no text after it."""
    return phrase[-1] is br and not (br.tail or "").strip()


def _data_table(table: HtmlElement) -> bool:
    """Tell data tables from layout tables, much as Firefox's Reader View does."""
    if table.get("role") in ("presentation", "none") or table.find(".//table") is not None:
        return False
    # A table that holds a page's sections (a title, an article, a menu) lays the page out.
    if table.xpath(".//h1 | .//h2 | .//article | .//main | .//nav"):
        return False
    if table.get("summary") or table.xpath("./caption | ./thead | ./tfoot | .//th"):
        return True
    rows = table.xpath("./tr | ./*/tr")
    return len(rows) >= 2 and max(len(row.xpath("./td | ./th")) for row in rows) >= 2


def _row_of_short_cells(table: HtmlElement) -> bool:
    """True for a table of one row whose cells hold a few words of phrase content each."""
    rows = table.xpath("./tr | ./*/tr")
    cells = table.xpath("./tr/* | ./*/tr/*")
    return (
        len(rows) == 1
        and len(cells) >= 2
        and not any(cell.tag not in ("td", "th") or _holds_blocks(cell) for cell in cells)
        and all(len(words(_text(cell))) < _MISSED_WORDS for cell in cells)
    )


def _holds_blocks(element: HtmlElement) -> bool:
    return any(isinstance(node.tag, str) and node.tag in _BLOCKS | {"img"} for node in element.iterdescendants())


def _as_line(table: HtmlElement) -> None:
    """Turn a one-row table into a paragraph of its non-empty cells, a space between each."""
    line = lxml.html.Element("p")
    for cell in table.xpath("./tr/* | ./*/tr/*"):
        if not _text(cell).strip():
            continue
        if len(line) or line.text:
            _append_text(line, len(line), " ")
        _append_text(line, len(line), cell.text or "")
        line.extend(cell)
    line.tail = table.tail
    table.getparent().replace(table, line)


def _loose_text(box: HtmlElement) -> bool:
    """True when ``box`` holds text of its own, beside or between its child elements."""
    return any((text or "").strip() for text in [box.text, *(child.tail for child in box)])


def _long_text(box: HtmlElement) -> bool:
    """True for a box of text alone as long as a paragraph: trafilatura, keeping formatting, drops
    such text (a paywalled article's preview); a short one is a label (a box's title), left as is."""
    return len(words(_text(box))) >= _MISSED_WORDS


def _in_flow(element: HtmlElement) -> bool:
    """True when ``element`` sits among blocks (its parent is a block or the body), not inside a phrase."""
    parent = element.getparent()
    return parent is not None and (parent.tag in _BLOCKS or parent.tag in ("body", "td", "th"))


def _wrap_loose_text(box: HtmlElement) -> None:
    text, run, anchor = box.text, [], None  # loose text, the inline elements after it, the block before
    for child in [*box, None]:
        if child is not None and isinstance(child.tag, str) and child.tag not in _BLOCKS:
            run.append(child)
            continue
        loose = "".join([text or "", *(_text(c) + (c.tail or "") for c in run)])
        if loose.strip() or any(c.xpath("self::img | .//img") for c in run):
            paragraph = lxml.html.Element("p")
            paragraph.text = text
            paragraph.extend(run)
            if anchor is None:
                box.text = None
                box.insert(0, paragraph)
            else:
                anchor.tail = None
                anchor.addnext(paragraph)
        if child is not None:
            text, run, anchor = child.tail, [], child


def _protect(root: HtmlElement, token: str) -> dict[str, HtmlElement]:
    """Swap the elements trafilatura mangles for placeholders; return the originals by token."""
    saved: dict[str, HtmlElement] = {}
    body = root.find("body")
    targets = {h[1:] for h in body.xpath(".//a/@href") if h.startswith("#") and len(h) > 1}

    def swap(element: HtmlElement, placeholder: HtmlElement) -> str:
        saved[key := f"{token}{len(saved)}k"] = element
        placeholder.tail, element.tail = element.tail, None
        element.getparent().replace(element, placeholder)
        return key

    for element in list(body.iter("figure", "table", *_HEADINGS)):
        # A figure holding headings or an article is a layout wrapper, not a figure.
        if _attached(element) and not (element.tag == "figure" and element.xpath(".//h1 | .//h2 | .//article")):
            placeholder = _block_copy(element)
            placeholder.text = f"{swap(element, placeholder)} {placeholder.text or ''}"
    images = body.xpath(".//a[(.//img or .//picture) and not(normalize-space())] | .//picture | .//img")
    for element in images:
        if _attached(element):
            placeholder = lxml.html.Element("img")
            placeholder.set("src", f"{swap(element, placeholder)}.png")
    # A player or frame (a YouTube video): a stand-in image goes back in its place, kept by the body's
    # checks as images are; the link to what it showed replaces it at the end (``links_for_stand_ins``).
    for element in list(body.iter(*EMBEDDING)):
        if _attached(element) and (stand_in := stand_in_image(element)) is not None:
            placeholder = lxml.html.Element("img")
            key = swap(element, placeholder)
            placeholder.set("src", f"{key}.png")
            saved[key] = stand_in
    # Footnote references (trafilatura loses the <sup> or the link of one ending a paragraph),
    # inline quotations (it makes them block quotations) and formulas (it deletes MathML).
    inline = body.xpath(".//sup[.//a] | .//sub[.//a] | .//a[(sup or sub) and not(normalize-space(text()))]")
    for element in inline + body.xpath(".//q | .//math"):
        if _attached(element):
            placeholder = lxml.html.Element("span")
            placeholder.text = swap(element, placeholder)  # no spaces: the element's own tail follows
    # A photo credit beside an image outside a figure ("<span class=credits>DCV / Oppitz</span>"
    # after a caption): trafilatura loses its class, so it comes back as a credit for the normalizer.
    for element in [e for e in body.xpath(_CREDIT_SPANS) if _attached(e) and _credit_beside_image(e)]:
        credit = lxml.html.Element("span", {"class": CREDIT_CLASS})
        credit.text = _text(element)
        placeholder = lxml.html.Element("span")
        placeholder.text = swap(element, placeholder)  # the tail stays with the placeholder
        saved[placeholder.text] = credit
    # In-page link targets (footnotes, sections): trafilatura drops ids, so an empty <span>
    # with the id goes where the target starts.
    for element in body.xpath(".//*[@id] | .//a[@name]"):
        name = element.get("id") or element.get("name")
        if name in targets and _attached(element) and element.tag not in ("br", "hr", "input", "img"):
            targets.discard(name)
            saved[key := f"{token}{len(saved)}k"] = lxml.html.Element("span", id=name)
            element.text = f"{key}{element.text or ''}"
    return saved


_CREDIT_SPANS = ".//span[@class] | .//em[@class] | .//small[@class] | .//i[@class] | .//cite[@class]"
_CREDIT_IMAGE_LEVELS = 3  # a credit's image is in the box this many levels up, at most


def _credit_beside_image(element: HtmlElement) -> bool:
    """An inline element outside a figure that its class names a photo credit, short, with no
    image of its own, and an image near it (in one of the boxes holding it)."""
    if not (_credit_text(element) and _named_credit(element)):
        return False
    if next(element.iterancestors("figure"), None) is not None:
        return False  # a figure's credits are marked when it is put back
    box = element
    for _ in range(_CREDIT_IMAGE_LEVELS):
        box = box.getparent()
        if box is None or box.tag == "body":
            return False
        if box.find(".//img") is not None:
            return True
    return False


def _attached(element: HtmlElement) -> bool:
    """False for elements inside an original already swapped out."""
    return next(element.iterancestors("body"), None) is not None


def _block_copy(element: HtmlElement) -> HtmlElement:
    """A paragraph with the text of ``element`` and copies of its links (but a heading's).

    As a placeholder, trafilatura judges it as it would have judged the element: by its amount
    of text and its share of link text (a heading made of a link is no sign of boilerplate).
    """
    paragraph = lxml.html.Element("p")
    links = element.tag not in _HEADINGS

    def append(text: str | None) -> None:
        if not text:
            return
        if len(paragraph):
            paragraph[-1].tail = (paragraph[-1].tail or "") + text
        else:
            paragraph.text = (paragraph.text or "") + text

    def walk(node: HtmlElement) -> None:
        append(node.text)
        for child in node:
            if links and child.tag == "a" and child.get("href"):
                copy = etree.SubElement(paragraph, "a", href=child.get("href"))
                copy.text = _text(child)
            elif isinstance(child.tag, str):
                walk(child)
            append(f" {child.tail or ''}")

    walk(element)
    return paragraph


def _decorative(element: HtmlElement) -> bool:
    """A tracking pixel, spacer or rule drawn as an image: a side declared at most 3 px.

    It carries nothing a reader needs, and offline its alt text ("line", "spacer") would print."""
    return element.tag == "img" and any(_pixels(element.get(side)) <= _DECORATIVE_PX for side in ("width", "height"))


_DECORATIVE_PX = 3


def _pixels(value: str | None) -> float:
    """A declared ``width``/``height`` in CSS pixels; infinite when absent or not a pixel length."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*", value or "")
    return float(match[1]) if match else float("inf")


# --------------------------------------------------------------------------- trafilatura XML → HTML


def _xml_to_html(xml: str) -> HtmlElement | None:
    try:
        doc = etree.fromstring(
            xml.encode("utf-8"),
            etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True, load_dtd=False),
        )
    except etree.XMLSyntaxError:
        return None
    main = doc.find("main") if doc is not None else None
    if main is None:
        return None
    _unindent(main)
    for el in main.iter():
        tag, rend, attrs = el.tag, el.get("rend") or "", dict(el.attrib)
        el.attrib.clear()
        if tag == "list":
            el.tag = {"ol": "ol", "dl": "dl"}.get(rend, "ul")
        elif tag == "item":
            el.tag = rend[:2] if rend[:2] in ("dt", "dd") else "li"
        elif tag == "head":
            el.tag = rend if rend in _HEADINGS else "h3"
        elif tag == "hi":
            el.tag = _HI_TAGS.get(rend, "em")
        elif tag == "cell":
            el.tag = "th" if attrs.get("role") == "head" else "td"
        elif tag == "code":
            _code(el)
        elif tag in _RENAMED:
            el.tag = _RENAMED[tag]
            for name in ("target", "src", "alt", "title"):
                if attrs.get(name):
                    el.set("href" if name == "target" else name, attrs[name])
            if el.tag == "img" and el.text:  # trafilatura sometimes moves the following text inside
                el.tail, el.text = el.text + (el.tail or ""), None
    main.tag = "div"
    return lxml.html.fragment_fromstring(
        etree.tostring(main, encoding="unicode", method="html"), parser=lxml.html.HTMLParser(**_PARSER_OPTIONS)
    )


def _unindent(main: etree._Element) -> None:
    """Take out the indentation trafilatura's pretty-printed XML puts between the phrases of a line
    that has no text of its own ("<strong>… nach</strong><em>NDR</em><strong>-Recherchen …" read
    "nach NDR -Recherchen"). Such whitespace is never the page's: trafilatura drops a space between
    two phrases (``_keep_spaces`` moved it inside the first); indentation holds a line break."""
    for line in main.iter(*_INLINE_PARENTS):
        if not len(line) or any(child.tag not in _PHRASE_TAGS for child in line):
            continue
        if _indentation(line.text):
            line.text = None
        for child in line:
            if _indentation(child.tail):
                child.tail = None


# trafilatura's elements inside a line of text.
_PHRASE_TAGS = frozenset({"hi", "ref", "lb", "del"})


def _indentation(text: str | None) -> bool:
    return text is not None and not text.strip() and "\n" in text


def _code(el: etree._Element) -> None:
    """trafilatura has one <code> for both inline code (within text) and code blocks."""
    parent = el.getparent()
    if parent is not None and parent.tag in _INLINE_PARENTS and "\n" not in (el.text or ""):
        return
    el.tag = "pre"
    inner = etree.SubElement(el, "code")
    inner.text, el.text = el.text, None
    inner.extend(child for child in list(el) if child is not inner)


# --------------------------------------------------------------------------- after trafilatura


def _restore(article: HtmlElement, token: str, saved: dict[str, HtmlElement]) -> None:
    """Put back the originals of the placeholders trafilatura kept; drop any other token.

    Until none is left: an original put back may hold a placeholder (it was set aside after an
    element inside it), or take over a token in the tail of the paragraph it replaces."""
    pattern = re.compile(rf"{re.escape(token)}\d+k")  # keys end in a letter: digits may follow
    while True:
        _restore_images(article, token, saved)
        holders = [
            (holder, attr)
            for holder in article.iter()
            for attr in ("text", "tail")
            if pattern.search(getattr(holder, attr) or "")
        ]
        if not holders:
            break
        for holder, attr in holders:
            # A paragraph placeholder replaced by its original already gave it its tail.
            if (holder is article or holder.getparent() is not None) and pattern.search(getattr(holder, attr) or ""):
                _splice(holder, attr, pattern, saved)
    # An anchor opening a list item or box goes into the paragraph that follows: pandoc would
    # give it a paragraph of its own.
    for anchor in article.xpath(".//span[@id and not(node())]"):
        container, following = anchor.getparent(), anchor.getnext()
        if (
            following is not None
            and following.tag in ("p", *_HEADINGS)
            and anchor.getprevious() is None
            and not (container.text or "").strip()
            and not (anchor.tail or "").strip()
        ):
            anchor.tail, following.text = following.text, None
            following.insert(0, anchor)


def _restore_images(article: HtmlElement, token: str, saved: dict[str, HtmlElement]) -> None:
    for img in [img for img in article.iter("img") if img.get("src", "").startswith(token)]:
        original = saved.pop(img.get("src", "").removesuffix(".png"), None)
        if original is None:  # a placeholder trafilatura repeated: its original is back already
            img.drop_tree()  # keeps its tail
        else:
            original.tail = img.tail
            img.getparent().replace(img, original)


def _splice(holder: HtmlElement, attr: str, pattern: re.Pattern[str], saved: dict[str, HtmlElement]) -> None:
    """Replace the tokens in ``holder``'s text (or tail) by their originals."""
    value: str = getattr(holder, attr)
    pieces = pattern.split(value)
    setattr(holder, attr, pieces[0] or None)
    parent = holder if attr == "text" else holder.getparent()
    position = 0 if attr == "text" else parent.index(holder) + 1
    for match, rest in zip(pattern.finditer(value), pieces[1:], strict=True):
        original = saved.pop(match.group(), None)
        if original is None:  # a placeholder trafilatura repeated: its original is back already
            _append_text(parent, position, rest)
            continue
        if original.tag in ("figure", "table", *_HEADINGS):
            # A block placeholder: replaced whole when trafilatura kept it as a paragraph;
            # otherwise the original goes in and the text copied after the token goes out.
            grandparent = parent.getparent()
            if parent.tag == "p" and position == 0 and not pieces[0].strip() and grandparent is not None:
                original.tail = parent.tail
                grandparent.replace(parent, original)
                return
            words, copied = rest.split(), _text(_block_copy(original)).split()
            if words[: len(copied)] == copied:
                rest = " ".join(["", *words[len(copied) :]])
        original.tail = rest or None
        parent.insert(position, original)
        position += 1


def _append_text(parent: HtmlElement, position: int, text: str) -> None:
    if position == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[position - 1].tail = (parent[position - 1].tail or "") + text


# A browser strips the spaces around an href (" https://…/report.pdf "); trafilatura quotes them into it.
_QUOTED_EDGE_SPACE = re.compile(r"^(?:%20)+|(?:%20)+$")


def _clean(article: HtmlElement, url: str | None) -> None:
    """Sanitize what is kept, resolve its links, and drop what that leaves empty."""
    for element in list(article.iter(*_DROPPED)):
        element.drop_tree()
    for img in list(article.iter("img")):
        if src := _image_source(img):
            img.set("src", src)
        else:
            img.drop_tree()
    _mark_credits(article)
    _space_out(article)
    targets = {str(h)[1:] for h in article.xpath(".//a/@href") if str(h).startswith("#")}
    for element in article.iter(etree.Element):
        for name in [n for n in element.attrib if n not in _KEPT_ATTRIBUTES]:
            if not (name == "class" and element.get(name) == CREDIT_CLASS):
                del element.attrib[name]
        if element.get("id") is not None and element.get("id") not in targets:
            del element.attrib["id"]  # page-internal ids no kept link points to
        for name in ("href", "src"):
            value = (element.get(name) or "").strip()
            if name == "href" and _QUOTED_EDGE_SPACE.search(value):
                value = _QUOTED_EDGE_SPACE.sub("", value)
                element.set(name, value)
            unsafe = ("javascript:", "vbscript:", "data:") if name == "href" else ("javascript:", "vbscript:")
            # Browsers ignore whitespace and control characters inside a URL scheme.
            if _CONTROL_CHARS.sub("", "".join(value.split())).lower().startswith(unsafe):
                del element.attrib[name]
            elif name == "href" and value and url and not value.startswith("#"):
                # Images stay relative: a saved page keeps them beside itself, and the
                # resource sandbox resolves them against the page URL only if it must.
                element.set(name, urljoin(url, value))
    for link in list(article.iter("a")):
        if not link.get("href"):
            link.drop_tag()
    # pandoc reads only the <main> of an HTML document: one left inside the body (a caption's
    # wrapper) would make it the whole article.
    for box in article.iter("main"):
        box.tag = "div"
    # A box of blocks says nothing once its classes are gone; without it the normalizer sees
    # its blocks (a prompt, a heading over nothing) as it sees the article's own.
    for box in list(article.iter("div", "section")):
        if box is not article and box.get("id") is None and _only_blocks(box):
            box.drop_tag()
    for element in reversed(list(article.iter(*_PRUNED_WHEN_EMPTY))):
        if (
            element is not article
            and not _text(element)
            and element.find(".//img") is None
            and element.get("id") is None
        ):
            element.drop_tree()
    # A figure left without its image or table (a video player, say) is a caption of nothing; what
    # it said is noted on the body's element, for the reader to record.
    orphans = []
    for figure in list(article.iter("figure")):
        content = [child for child in figure if child.tag != "figcaption"]
        if not any(_text(child) or child.xpath("self::img | .//img | self::table | .//table") for child in content):
            if caption := _text(figure):
                orphans.append(caption)
            figure.drop_tree()
    _note(article, _ORPHANS, orphans)


# The body element's notes of the captions _clean dropped with their figure and of the furniture
# _drop_end_furniture dropped (never serialized: only the body's children are).
_ORPHANS = "data-orphan-captions"
_END_FURNITURE = "data-end-furniture"
_UNCONFIRMED = "data-unconfirmed"
_LONE_LINES = "data-lone-lines"
_FURNITURE_BOXED = "data-furniture-boxed"


def _note(article: HtmlElement, note: str, texts: list[str]) -> None:
    """Add ``texts`` to the body element's ``note`` (``_noted`` reads them)."""
    if texts:
        article.set(note, json.dumps([*json.loads(article.get(note) or "[]"), *texts]))


def _gone(article: HtmlElement | None, note: str) -> tuple[str, ...]:
    """The blocks noted as dropped that are still out of the body (a link block may have come back)."""
    if article is None:
        return ()
    blocks = {_squashed(block) for block in article.iter(*_BLOCKS, "li")}
    return tuple(text for text in _noted(article, note) if squash(text) not in blocks)


def _noted(article: HtmlElement | None, note: str) -> tuple[str, ...]:
    return tuple(json.loads(article.get(note) or "[]")) if article is not None else ()


# Class words that name a photo credit in a figure ("figure__copyright", "copyright-note",
# "image-credit", "bildnachweis").
_CREDIT_WORDS = frozenset({"copyright", "credit", "credits", "photocredit", "photographer", "bildnachweis",
                           "fotonachweis", "bildquelle", "fotograf", "crédit", "credito"})  # fmt: skip
_CREDIT_CHARS = 150  # longer, the element is a caption that names its photographer too


def _mark_credits(article: HtmlElement) -> None:
    """Make each element of a figure that its class names a photo credit a span of ``CREDIT_CLASS``
    (its text only): the normalizer drops it by name, the caption stays."""
    for element in list(article.xpath(".//figure//*[@class]")):
        # Or the text its image gives as its credit ("<img data-credit='Judy Eddy/WENN.com'>").
        figure = next(element.iterancestors("figure"), None)
        if figure is None:
            continue  # inside a credit already marked
        text = _credit_text(element)
        credits = {squash(str(v)) for v in figure.xpath(".//img/@data-credit | .//img/@data-copyright")}
        if text and (_named_credit(element) or squash(text) in credits):
            credit = lxml.html.Element("span", {"class": CREDIT_CLASS})
            credit.text, credit.tail = text, element.tail
            element.getparent().replace(element, credit)


def _named_credit(element: HtmlElement) -> bool:
    """Whether ``element``'s class names a photo credit (``_CREDIT_WORDS``)."""
    return bool(set(re.split(r"[\W_]+", (element.get("class") or "").casefold())) & _CREDIT_WORDS)


def _credit_text(element: HtmlElement) -> str:
    """``element``'s text, if it is short enough for a credit and holds no image of its own; else ""."""
    text = _text(element)
    return text if len(text) <= _CREDIT_CHARS and element.find(".//img") is None else ""


def _only_blocks(box: HtmlElement) -> bool:
    """True when ``box`` holds block elements only, with no loose text to glue to its neighbours."""
    return not (box.text or "").strip() and all(
        isinstance(child.tag, str) and child.tag in _BLOCKS and not (child.tail or "").strip() for child in box
    )


def _image_source(img: HtmlElement) -> str:
    """The address of the real image, for print: a srcset's widest candidate (lazy loading may keep
    it in data-* attributes), else the source, else where lazy loading keeps it."""
    for name in _SRCSETS:
        if largest := _real_source(_largest(img.get(name) or "")):
            return largest
    if src := _real_source(img.get("src")):
        return src
    for name in _LAZY_SOURCES:
        if value := (img.get(name) or "").strip():
            return value
    return ""


def _real_source(src: str | None) -> str:
    src = (src or "").strip()
    # Lazy-loading placeholders are tiny inline GIFs; a real data: image is long.
    return "" if src.startswith("data:") and (len(src) < 200 or not src.startswith("data:image/")) else src


def _largest(srcset: str) -> str:
    """The widest (or densest) candidate of a srcset: the one for print."""
    best, best_size = "", -1.0
    for url, descriptor in _srcset_candidates(srcset):
        number = re.match(r"\d+(?:\.\d+)?", descriptor)
        size = float(number.group()) if number else 0.0
        if size >= best_size:
            best, best_size = url, size
    return best


def _srcset_candidates(srcset: str) -> list[tuple[str, str]]:
    """(URL, descriptor) pairs as the HTML standard splits a srcset: a URL runs to whitespace,
    losing trailing commas (so URLs may hold commas), and its descriptor runs to the next comma."""
    candidates: list[tuple[str, str]] = []
    position = 0
    while True:
        position = len(srcset) - len(srcset[position:].lstrip(" \t\n\r\f,"))
        if position >= len(srcset):
            return candidates
        url = re.match(r"\S+", srcset[position:])
        assert url is not None  # not at the end, and not at whitespace
        position += url.end()
        address = url.group().rstrip(",")
        descriptor = ""
        if address == url.group():
            descriptor, _, _ = srcset[position:].partition(",")
            position += len(descriptor) + 1
        candidates.append((address, descriptor.strip().split(" ")[0]))
