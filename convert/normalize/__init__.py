"""Normalizer: small pure passes ``(Document, Context) -> Document`` run in one order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeAlias

from convert.model import Document
from convert.normalize.alt_text import describe_images, drop_file_name_alt
from convert.normalize.bio import author_bio
from convert.normalize.boilerplate import RULES as BOILERPLATE_RULES
from convert.normalize.boilerplate import strip_boilerplate
from convert.normalize.byline import extract_byline, extract_dateline
from convert.normalize.citations import number_citations
from convert.normalize.context import Context, Rule, load_rules
from convert.normalize.language import identify_language
from convert.normalize.links import drop_link_furniture, resolve_links
from convert.normalize.notices import extract_notices
from convert.normalize.repair import (
    blank_code,
    drop_repeated_paragraphs,
    edge_line_breaks,
    fill_empty_headings,
    join_split_links,
    join_split_paragraphs,
    numbered_definitions,
    separators,
    space_after_images,
    unwrap_placeholder_links,
)
from convert.normalize.reread import earlier_output
from convert.normalize.schemes import drop_unsafe_links
from convert.normalize.taxonomy import extract_taxonomy
from convert.normalize.title import strip_site_suffix, title_from_heading
from convert.normalize.unicode import normalize_unicode

Pass: TypeAlias = Callable[[Document, Context], Document]

# The order matters: text clean-up, then metadata found in the text (while
# the head of the article is still intact), then boilerplate, then repairs
# over what is left, and citations last so they number only surviving links.
DEFAULT_PASSES: tuple[Pass, ...] = (
    normalize_unicode,
    earlier_output,  # before the title: pandoc's anchor opening an EPUB chapter hid the repeated title
    fill_empty_headings,  # before the title: <h1><div>Title</div></h1> is the title
    title_from_heading,
    strip_site_suffix,
    extract_byline,
    extract_dateline,
    extract_taxonomy,
    extract_notices,
    drop_unsafe_links,  # before placeholder links, so a javascript: link is recorded, not silently unwrapped
    unwrap_placeholder_links,
    strip_boilerplate,
    author_bio,
    separators,
    blank_code,
    numbered_definitions,
    join_split_paragraphs,
    drop_repeated_paragraphs,  # after joining: a paragraph split in two is compared whole
    space_after_images,
    edge_line_breaks,  # after the separators: a separator line leaves the break under it
    drop_file_name_alt,  # before describing images: a file name is no description
    describe_images,
    resolve_links,
    drop_link_furniture,  # before joining links: "Back to top" and "↑" are furniture one by one
    join_split_links,  # after resolve_links: pieces written relative and absolute are one URL
    identify_language,  # on the body as kept: a menu in another language is gone
    number_citations,
)


def normalize(doc: Document, ctx: Context | None = None, passes: Sequence[Pass] = DEFAULT_PASSES) -> Document:
    ctx = ctx or Context()
    for run in passes:
        doc = run(doc, ctx)
    return doc


class UnknownRule(ValueError):
    """``keep`` names a rule that neither the normalizer nor the rules file has."""


def reading_context(keep: Iterable[str] = (), keep_boilerplate: bool = False, rules: Path | None = None) -> Context:
    """The normalizer's context from the reading settings (``--keep``, ``--keep-boilerplate``, ``--rules``).

    Raises ``InputError`` for a rules file that cannot be read, ``UnknownRule`` for a rule ``keep`` names
    that does not exist.
    """
    extra = load_rules(rules) if rules is not None else ()
    known = set(rule_names()) | {rule.name for rule in extra}
    unknown = sorted(set(keep) - known)
    if unknown:
        raise UnknownRule(f"unknown rule {', '.join(unknown)}; rules: {', '.join(sorted(known))}")
    return Context(keep=frozenset(keep), extra_rules=extra, keep_boilerplate=keep_boilerplate)


def rule_names() -> list[str]:
    """Every rule name ``--keep`` accepts."""
    from convert.normalize import alt_text, bio, boilerplate, byline, links, notices, repair, reread, taxonomy, title

    names = [r.name for r in BOILERPLATE_RULES] + [boilerplate.EMPTY_HEADING_RULE, boilerplate.SEPARATOR_LIST_RULE]
    names += [byline.BYLINE_RULE, byline.DATELINE_RULE, taxonomy.RULE, notices.SOURCE_RULE, notices.COPYRIGHT_RULE]
    names += [bio.RULE, title.RULE, title.KICKER_RULE, title.NAVIGATION_RULE, title.LOGO_RULE]
    names += [
        links.FURNITURE_RULE,
        links.SELF_LINK_RULE,
        alt_text.FILE_NAME_RULE,
        alt_text.TITLE_RULE,
        reread.RULE,
        repair.REPEAT_RULE,
    ]
    return names


__all__ = [
    "DEFAULT_PASSES",
    "Context",
    "Pass",
    "Rule",
    "UnknownRule",
    "load_rules",
    "normalize",
    "reading_context",
    "rule_names",
]
