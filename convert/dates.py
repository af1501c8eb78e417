"""Dates as ISO 8601 strings, whatever form the source wrote them in."""

from __future__ import annotations

import datetime as dt
import os
import re

from dateutil import parser as dateutil_parser

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Words that label a date in the languages of the label table: the article's own date ("Veröffentlicht
# am 06.12.2022", "Publié le 4 mai 2015") or the date it last changed ("Zuletzt aktualisiert: …").
PUBLISHED_LABELS = r"veröffentlicht|erstellt|publié|publicado|pubblicato|gepubliceerd|opublikowano"
UPDATED_LABELS = (
    r"(?:zuletzt\s+)?aktualisiert|geändert|mis à jour|actualizado|atualizado|aggiornato|bijgewerkt|zaktualizowano"
)


def iso_date(value: object) -> str:
    """Return ``value`` as ISO 8601 (date, or date and time to the second), or "" if it is no date.

    Seconds are the finest an article's date needs, and HTML's ``datetime`` (EPUB) takes at
    most three decimals.
    """
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.strip()
    if _ISO_DATE.match(text):
        return text
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        pass
    try:
        parsed = dateutil_parser.parse(text, fuzzy=False, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError):
        return ""
    if parsed.year == 1:
        return ""
    has_time = (parsed.hour, parsed.minute, parsed.second) != (0, 0, 0) or parsed.tzinfo
    return parsed.isoformat(timespec="seconds") if has_time else parsed.date().isoformat()


def written_date(text: str, language: str = "") -> str:
    """A short text that is only a date as a language writes it ("08.04.2015 12:46", "4 mai 2015", "21. April
    2020"), read by dateparser with day, month and year required, as ISO 8601; "" for anything else."""
    if len(text) > _DATE_CHARS or len(text.split()) > _DATE_WORDS or not _YEAR_AND_DAY.search(text):
        return ""
    import dateparser

    try:
        found = dateparser.parse(
            text, languages=[language.split("-")[0].lower()] if language else None, settings=_STRICT
        )
    except ValueError:  # a language dateparser does not know
        return ""
    if found is None:
        return ""
    return iso_date(found.date() if found.time() == found.min.time() else found)  # no time written: a date


_DATE_CHARS, _DATE_WORDS = 40, 6
_YEAR_AND_DAY = re.compile(r"\b\d{1,2}\b.*\b(?:1[89]|2\d)\d\d\b|\b(?:1[89]|2\d)\d\d\b.*\b\d{1,2}\b")
_STRICT = {"STRICT_PARSING": True, "PARSERS": ["absolute-time"]}  # day, month and year, no "today"


def today() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def build_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` as a UTC time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
