"""The title: from the first level-1 heading when the metadata has none, without a " | Site" suffix."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from convert.link_schemes import bare_host
from convert.model import (
    Block,
    Div,
    Document,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Meta,
    Paragraph,
    Removal,
    Table,
    Text,
    inline_text,
)
from convert.normalize.context import Context
from convert.normalize.util import block_text
from convert.titles import TITLE_PARTS, TITLE_SEPARATORS

RULE = "title-heading"
# Over the headline, the page's masthead: a kicker (the section label or topic, "Energy", "Analysis"),
# menus (a line or a table of links only) and the site's logo.
KICKER_RULE = "kicker"
NAVIGATION_RULE = "navigation"
LOGO_RULE = "site-logo"
_KICKER_WORDS = 3
# The headline is looked for this far down when all that stands before it is masthead.
_MASTHEAD_BLOCKS = 8
# Headings that repeat the title sit at the body's very start, after at most a lead image.
_TITLE_BLOCKS = 3
# How many wrappers deep a notebook's title H1 is looked for.
_WRAPPERS = 3
# The headings repeating a title hold at least this share of its letters: "Open Journalism
# Project:" over "Better Student Journalism" repeats "The Open Journalism Project: Better …".
_TITLE_SHARE = 0.8


def title_from_heading(doc: Document, ctx: Context) -> Document:
    """Move a leading H1 into ``meta.title``, or drop it when it repeats the title; then drop
    the headings of any level at the body's start that only repeat the title, split over a
    few headings ("Project:" / "Better Journalism") or not."""
    if ctx.keeps(RULE):
        return doc
    return _drop_repeated_title(_title_from_h1(doc, ctx))


def _title_from_h1(doc: Document, ctx: Context) -> Document:
    """The title from the H1 among the first blocks, or the H1 dropped as a repeat; the masthead over it goes too."""
    window = doc.blocks[:_MASTHEAD_BLOCKS]
    h1s = [i for i, b in enumerate(window) if isinstance(b, Heading) and b.level == 1]
    # The H1 that is the title, when a section's H1 ("Pressemitteilungen") stands over it; else the first.
    index = next((i for i in h1s if _repeats(block_text(doc.blocks[i]), doc.meta.title)), h1s[0] if h1s else None)
    if index is None:
        return _title_from_wrapped_h1(doc)
    heading = doc.blocks[index]
    assert isinstance(heading, Heading)
    before = doc.blocks[:index]
    # Another H1 over the title's is the page's own (the site's welcome to screen readers), not the article's.
    rules = [_masthead_rule(b, doc.meta.tags) or _other_h1(b) for b in before]
    if index >= _TITLE_BLOCKS and not all(rules):
        return doc  # a heading further down, after text of the page's own
    dropped = [(b, r) for b, r in zip(before, rules, strict=True) if r is not None and not ctx.keeps(r)]
    removed = tuple(Removal(r, block_text(b)) for b, r in dropped)
    kept_before = tuple(b for b, r in zip(before, rules, strict=True) if r is None or ctx.keeps(r))
    return _titled(doc, heading, kept_before + doc.blocks[index + 1 :], removed)


def _other_h1(block: Block) -> str | None:
    return KICKER_RULE if isinstance(block, Heading) and block.level == 1 else None


def _title_from_wrapped_h1(doc: Document) -> Document:
    """The title from an H1 in a first block that only wraps others: a notebook's first cell."""
    found = _wrapped_h1(doc.blocks[0]) if doc.blocks and isinstance(doc.blocks[0], Div) else None
    if found is None:
        return doc
    heading, wrapper = found
    return _titled(doc, heading, ((wrapper,) if wrapper.blocks else ()) + doc.blocks[1:])


def _titled(doc: Document, heading: Heading, blocks: tuple[Block, ...], removed: tuple[Removal, ...] = ()) -> Document:
    """``doc`` titled by ``heading``, its body now ``blocks`` and ``removed`` recorded with the heading; or
    ``doc`` as it was when it has a title the heading is not."""
    text = inline_text(heading.content)
    if doc.meta.title and not _repeats(text, doc.meta.title):
        return doc  # a heading of its own, not the title again
    meta = doc.meta if doc.meta.title else replace(doc.meta, title=text)
    return replace(doc, meta=meta, blocks=blocks, removed=(*doc.removed, *removed, Removal(RULE, text)))


def _wrapped_h1(wrapper: Div, depth: int = 0) -> tuple[Heading, Div] | None:
    """The H1 among a wrapper's first blocks (wrappers in it looked into), and the wrapper without it."""
    for index, block in enumerate(wrapper.blocks[:_TITLE_BLOCKS]):
        if isinstance(block, Heading) and block.level == 1:
            return block, replace(wrapper, blocks=wrapper.blocks[:index] + wrapper.blocks[index + 1 :])
        if index == 0 and isinstance(block, Div) and depth < _WRAPPERS:
            inside = _wrapped_h1(block, depth + 1)
            if inside is not None:
                heading, rest = inside
                kept = ((rest,) if rest.blocks else ()) + wrapper.blocks[1:]
                return heading, replace(wrapper, blocks=kept)
    return None


def _masthead_rule(block: Block, tags: tuple[str, ...]) -> str | None:
    """The rule under which ``block``, standing over the headline, is masthead; None for anything else."""
    if _is_kicker(block, tags):
        return KICKER_RULE
    if _is_logo(block):
        return LOGO_RULE
    if _is_menu(block):
        return NAVIGATION_RULE
    return None


def _is_logo(block: Block) -> bool:
    """An image alone, linked to the site's home page ("/") or described as a logo."""
    if not isinstance(block, Paragraph) or len(block.content) != 1:
        return False
    only = block.content[0]
    image = only.content[0] if isinstance(only, Link) and len(only.content) == 1 else only
    if not isinstance(image, Image):
        return False
    home = isinstance(only, Link) and urlsplit(only.url).path in ("", "/") and not urlsplit(only.url).query
    return home or "logo" in inline_text(image.content).casefold().split()


def _is_menu(block: Block) -> bool:
    """A line of links only (two or more, nothing but separators between them), or a table whose cells are."""
    if isinstance(block, Table):
        cells = [cell.blocks for row in (*block.head, *block.body) for cell in row.cells]
        return bool(cells) and all(_only_links(tuple(i for b in c for i in getattr(b, "content", ()))) for c in cells)
    return (
        isinstance(block, Paragraph)
        and sum(isinstance(i, Link) for i in block.content) >= 2
        and _only_links(block.content)
    )


def _only_links(content: tuple[Inline, ...]) -> bool:
    return any(isinstance(i, Link) for i in content) and all(
        isinstance(i, (Link, LineBreak)) or (isinstance(i, Text) and not re.sub(r"[\s|·•/,;–—-]+", "", i.text))
        for i in content
    )


def _is_kicker(block: Block, tags: tuple[str, ...]) -> bool:
    """A line over the headline that is one of the page's tags, or a label of a few words: no
    digits (a date), no sentence (a deck), no "By" (a byline). A heading of a section's name over
    the headline ("Pressemitteilungen") is one too."""
    if not isinstance(block, (Paragraph, Heading)):
        return False
    text = " ".join(inline_text(block.content).split())
    if not text:
        return False
    if any(_same(text, tag) for tag in tags):
        return True
    words = text.split()
    return (
        len(words) <= _KICKER_WORDS
        and re.fullmatch(r"[^\W\d_]+(?:[ &'’/-]+[^\W\d_]+)*", text) is not None
        and words[0].casefold() not in _BYLINE_WORDS
    )


_BYLINE_WORDS = frozenset({"by", "par", "von", "por", "di", "door", "de"})


def _drop_repeated_title(doc: Document) -> Document:
    """Drop the run of headings at the body's start (a lead image may stand before it) whose
    text, together, is the title's (``_repeats``)."""
    start = next((i for i, b in enumerate(doc.blocks[:_TITLE_BLOCKS]) if not _lead_image(b)), None)
    if not _letters(doc.meta.title) or start is None:
        return doc
    run = []
    for block in doc.blocks[start : start + _TITLE_BLOCKS]:
        if not isinstance(block, Heading):
            break
        run.append(block)
    joined = ""
    for count, heading in enumerate(run, start=1):
        joined += f"{inline_text(heading.content)} "
        if _repeats(joined, doc.meta.title):
            if count == 1 and (rest := _more_than_the_title(inline_text(heading.content), doc.meta)):
                # The title and its subtitle ("Queer Royal – Über Dragqueens …" under "Kolumne: Queer
                # Royal"): the title's words go, the subtitle stays the heading.
                said, subtitle = rest
                kept = replace(heading, content=(Text(subtitle),))
                blocks = (*doc.blocks[:start], kept, *doc.blocks[start + 1 :])
                return replace(doc, blocks=blocks, removed=(*doc.removed, Removal(RULE, said)))
            dropped = tuple(Removal(RULE, inline_text(h.content)) for h in run[:count])
            blocks = doc.blocks[:start] + doc.blocks[start + count :]
            return replace(doc, blocks=blocks, removed=(*doc.removed, *dropped))
    return doc


def _more_than_the_title(heading: str, meta: Meta) -> tuple[str, str] | None:
    """(the title's part, the rest) when ``heading`` is the title and a subtitle after a title separator
    (not the site's name); else None."""
    for cut in TITLE_PARTS.finditer(heading):
        before, after = heading[: cut.start()].strip(), heading[cut.end() :].strip()
        for said, rest in ((before, after), (after, before)):
            if (
                len(rest.split()) >= _SUBTITLE_WORDS
                and _close(said, meta.title)
                and not _close(rest, meta.title)
                and _letters(rest) != _letters(meta.publisher)
            ):
                return said, rest
    return None


_SUBTITLE_WORDS = 4  # a subtitle says something; a tagline ("Online & schnell") goes with the title


def _lead_image(block: Block) -> bool:
    """A figure, or a paragraph of an image alone (linked or not): a picture over the headline."""
    if isinstance(block, Figure):
        return True
    content = (
        [i for i in block.content if not (isinstance(i, Text) and not i.text.strip())]
        if isinstance(block, Paragraph)
        else []
    )
    only = content[0] if len(content) == 1 else None
    if isinstance(only, Link) and len(only.content) == 1:
        only = only.content[0]
    return isinstance(only, Image)


def _repeats(heading: str, title: str) -> bool:
    """Whether a heading says the title again: all of it, or all but a word or a few letters at one end
    ("The"; "Rezept" after "Spaghetti Carbonara"). Parts at one end, cut off at title separators (a site's
    name, a section's), may be off one of them, the title or the heading ("Spaghetti Carbonara Rezept |
    lecker.de" over "Spaghetti Carbonara", "Penny" under "Penny - Stardew Valley Wiki"); not off both
    ("Korsetts – Weltweit" is a section of "Korsetts - Shops, Designer, online kaufen")."""
    return any(_close(heading, t) for t in _trimmed(title)) or any(_close(h, title) for h in _trimmed(heading))


def _trimmed(text: str) -> list[str]:
    """``text``, and each of its runs of parts from its first or to its last, cut at title separators."""
    cuts = list(TITLE_PARTS.finditer(text))
    return [text, *(text[cut.end() :] for cut in cuts), *(text[: cut.start()] for cut in cuts)]


def _close(one: str, other: str) -> bool:
    """Two spellings of one title, or one of them holds the other and a word (of two or more) or a
    fifth of its letters more at one end."""
    a, b = _letters(one), _letters(other)
    if not a or not b:
        return False
    if a == b:
        return True
    (short, short_text), (long, long_text) = sorted(((a, one), (b, other)), key=lambda pair: len(pair[0]))
    if len(short) >= _TITLE_SHARE * len(long) and (long.startswith(short) or long.endswith(short)):
        return True
    words = long_text.split()
    return len(short_text.split()) >= 2 and short in (_letters(" ".join(words[1:])), _letters(" ".join(words[:-1])))


def _letters(text: str) -> str:
    """Letters and digits only, casefolded: a title compared across its spellings."""
    return re.sub(r"\W+", "", text).casefold()


def strip_site_suffix(doc: Document, ctx: Context) -> Document:
    """``Title | The Site`` or ``Title [The Site]`` → ``Title`` when the suffix (or prefix) names the
    publisher, or the site named by its host ("Mozilla - Wikipedia" on en.wikipedia.org). A site known only by its host
    is then named as the title writes it: the publisher "Wikipedia", not "en.wikipedia.org"."""
    title = doc.meta.title
    for site in _site_names(doc.meta.publisher):
        name = rf"(?P<site>{re.escape(site)})"
        match = re.search(rf"(?:{TITLE_SEPARATORS}|\s+(?P<bracket>\[)){name}(?(bracket)\])\s*$", title, re.IGNORECASE)
        if match is None:
            match = re.search(rf"^\s*{name}{TITLE_SEPARATORS}", title, re.IGNORECASE)
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
    labels = bare_host(publisher).split(".")
    is_host = " " not in publisher and len(labels) >= 2
    return [publisher, labels[-2]] if is_host and len(labels[-2]) > 2 else [publisher]


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())
