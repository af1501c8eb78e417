"""Dates as ISO 8601 strings, whatever form the source wrote them in."""

from __future__ import annotations

import datetime as dt
import os
import re

from dateutil import parser as dateutil_parser

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
