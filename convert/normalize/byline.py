"""Bylines and datelines at the top of an article become authors, date and publisher."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from convert.dates import PUBLISHED_LABELS, UPDATED_LABELS, iso_date, written_date
from convert.model import Author, Document, Inline, inline_text
from convert.normalize.context import Context
from convert.normalize.util import drop_lines, head_region
from convert.people import is_person, name_case

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE = (
    rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # August 18, 2018
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}"  # 18 August 2018
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)"  # 2018-08-18
)
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
_DATELINE = re.compile(
    rf"^(?:(?P<label>published|updated|last updated|posted|modified|date)(?:\s+on)?\s*:?\s*)?"
    rf"(?:(?P<site>[^,:|·]{{2,60}}?)\s*[,|·]\s*)?(?P<date>{DATE}){_TIME}\.?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|written by|words by|story by|text by|von|par|por|di|door"
    r"|(?:author|autor(?:in|a|ka)?|auteur|autore|auteurs?)\s*:)\s+(?P<rest>.+)$",  # "Autor: Die Redaktion"
    re.IGNORECASE,
)
# A label before a date in the languages of the label table ("Veröffentlicht am 06.12.2022",
# "Publié le 4 mai 2015"), the article's own or the date it was last changed; English ones are _DATELINE's.
_LOCAL_DATE_LABEL = re.compile(
    rf"^(?:(?P<published>{PUBLISHED_LABELS})|(?P<updated>{UPDATED_LABELS}))"
    r"(?:\s+(?:am|le|el|em|il|op|on|dnia))?\s*:?\s+(?P<date>.+)$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*|(?:de|da|del|der|den|di|du|la|le|van|von|bin|al|ibn|y|e)|[A-Z]\.)$")
_SEPARATORS = re.compile(r"\s*(?:[|·•—–]|\s-\s)\s*")
_NAME_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,|\band\b|&|\bund\b|\bet\b|\by\b)\s*")

BYLINE_RULE = "byline"
DATELINE_RULE = "dateline"


def extract_byline(doc: Document, ctx: Context) -> Document:
    """``By Name and Other · 7 March 2024`` → authors (and date) when the metadata lacks them."""
    return _scan_head(doc, ctx, BYLINE_RULE, _byline_line)


def extract_dateline(doc: Document, ctx: Context) -> Document:
    """``Site, Month D, YYYY`` or ``Published: …`` → published date (and publisher)."""
    return _scan_head(doc, ctx, DATELINE_RULE, _dateline_line)


def parse_byline(text: str) -> tuple[tuple[str, ...], str] | None:
    """Names and trailing date of a byline, or None when ``text`` is no byline."""
    match = _BYLINE.match(text.strip())
    if not match:
        return None
    parts = _SEPARATORS.split(match.group("rest"), maxsplit=1)
    names_part, rest = parts[0], parts[1] if len(parts) > 1 else ""
    names = tuple(n.strip(" .") for n in _NAME_SPLIT.split(names_part) if n.strip(" ."))
    if not names or not all(_looks_like_name(n) for n in names):
        return None
    date = parse_dateline(rest)
    if rest and date is None:
        return None
    # "By Staff", "Von Redaktion": a byline all the same, but a desk is no author.
    return tuple(name_case(n) for n in names if is_person(n)), date[2] if date else ""


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 5 and all(_NAME_WORD.match(w) for w in words) and name[0].isupper()


def parse_dateline(text: str) -> tuple[str, str, str] | None:
    """(label, site, ISO date) of a dateline ("Published: 24 July 2015", "Site, May 2, 2024"), or None."""
    match = _DATELINE.match(" ".join(text.split()))
    if not match:
        return None
    date = iso_date(match.group("date"))
    if not date:
        return None
    return (match.group("label") or "").lower(), (match.group("site") or "").strip(), date


def _local_dateline(text: str, language: str, published: str) -> tuple[str, str, str] | None:
    """A line that is only a date as the article's language writes it ("08.04.2015 12:46", "4 mai 2015",
    "8. April 2015"). When the page states its date, the line must be that date: a date in other words
    is the article's own text."""
    date = written_date(text, language)
    if not date or (published and date[:10] != published[:10]):
        return None
    return "", "", date


# Reads one line; returns the document with what the line told, or None if it is not such a line.
LineHandler = Callable[[Document, str], "Document | None"]


def _byline_line(doc: Document, text: str) -> Document | None:
    parsed = parse_byline(text)
    if parsed is None:
        return None
    names, date = parsed
    meta = doc.meta
    if not meta.authors and names:
        meta = replace(meta, authors=tuple(Author(n) for n in names))
    if date and not meta.published:
        meta = replace(meta, published=date)
    return replace(doc, meta=meta)


def _dateline_line(doc: Document, text: str) -> Document | None:
    parsed = parse_dateline(text) or _local_dateline(text, doc.meta.language, doc.meta.published)
    if parsed is None and (labelled := _LOCAL_DATE_LABEL.match(" ".join(text.split()))):
        updated = labelled.group("updated") is not None
        found = parse_dateline(labelled.group("date")) or _local_dateline(
            labelled.group("date"), doc.meta.language, "" if updated else doc.meta.published
        )
        parsed = ("updated" if updated else "published", "", found[2]) if found else None
    if parsed is None:
        return None
    label, site, date = parsed
    meta = doc.meta
    if label in ("updated", "last updated", "modified"):
        meta = meta if meta.modified else replace(meta, modified=date)
    elif not meta.published:
        meta = replace(meta, published=date)
    if site and not meta.publisher:
        meta = replace(meta, publisher=site)
    return replace(doc, meta=meta)


def _scan_head(doc: Document, ctx: Context, rule: str, handle: LineHandler) -> Document:
    """Apply ``handle`` to each line of the head region; drop the lines it recognises."""
    if ctx.keeps(rule):
        return doc
    current = doc

    def visit(line: tuple[Inline, ...]) -> str | None:
        nonlocal current
        updated = handle(current, inline_text(line))
        if updated is None:
            return None
        current = updated
        return rule

    scanned = drop_lines(doc, head_region(doc.blocks), visit)
    return replace(scanned, meta=current.meta)
