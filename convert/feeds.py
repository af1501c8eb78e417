"""Feeds (RSS 2.0, Atom, JSON Feed) and URL lists as sources of articles for a collection."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from convert.dates import iso_date
from convert.errors import InputError
from convert.fetch import Fetcher
from convert.link_schemes import is_source_url
from convert.model import Author, Document, Extraction, Meta
from convert.normalize import Context, normalize
from convert.readers.text import read_text
from convert.readers.webpage import read_fetched

log = logging.getLogger("tearsheet")

COMPLETE_WORDS = 150  # a feed entry with this much text is the article, not a teaser
FEED_KEY = "feed"  # Meta.extra key naming the feed an article came from: its section in a book
_DURATION = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str = ""
    published: str = ""
    authors: tuple[str, ...] = ()
    content: str = ""  # HTML of the full entry, when the feed carries it
    summary: str = ""
    feed: str = ""  # the title of the feed it came from


def read_feed(url: str, fetcher: Fetcher) -> list[FeedEntry]:
    """The entries of the feed at ``url``, newest first; relative links resolved (``xml:base``, then the feed's URL)."""
    fetched = fetcher.get(url)
    if fetched.content_type in ("application/feed+json", "application/json") or fetched.body.lstrip()[:1] == b"{":
        entries = _json_feed(fetched.body, fetched.url)
    else:
        entries = _xml_feed(fetched.body, fetched.url)
    return sorted(entries, key=lambda e: _moment(e.published), reverse=True)


def parse_since(value: str, now: dt.datetime) -> dt.datetime:
    """``7d``, ``2w``, ``36h`` before ``now``, or a date (``2024-03-01``, midnight UTC) or date and time."""
    duration = _DURATION.match(value)
    if duration:
        return now - int(duration[1]) * _UNITS[duration[2].lower()]
    moment = iso_date(value) if re.match(r"^\s*\d{4}-\d{2}-\d{2}", value) else ""
    if not moment:
        raise ValueError(f"{value!r} is neither a duration (7d, 2w, 36h) nor a date (YYYY-MM-DD)")
    return _moment(moment)


def select(entries: Sequence[FeedEntry], since: dt.datetime | None = None, limit: int | None = None) -> list[FeedEntry]:
    """Entries published at or after ``since`` (undated ones then left out), the newest ``limit``, oldest first."""
    chosen = [e for e in entries if since is None or (e.published and _moment(e.published) >= since)]
    chosen = sorted(chosen, key=lambda e: _moment(e.published), reverse=True)[:limit]
    return sorted(chosen, key=lambda e: _moment(e.published))


def read_feeds(
    urls: Sequence[str], fetcher: Fetcher, since: dt.datetime | None = None, per_feed: int | None = None
) -> list[FeedEntry]:
    """The chosen entries of each feed in turn; an entry two feeds share is taken from the first."""
    chosen: list[FeedEntry] = []
    seen: set[str] = set()
    for url in urls:
        for entry in select(read_feed(url, fetcher), since, per_feed):
            if entry.link not in seen:
                seen.add(entry.link)
                chosen.append(entry)
    return chosen


def item_link(item: str | FeedEntry) -> str:
    """The page a ``web_items`` item is: a listed URL, or a feed entry's link."""
    return item.link if isinstance(item, FeedEntry) else item


def web_items(
    feed_urls: Sequence[str],
    urls_file: Path | None,
    fetcher: Fetcher,
    since: dt.datetime | None = None,
    per_feed: int | None = None,
) -> list[str | FeedEntry]:
    """What a collection fetches: the chosen entries of its feeds, then the URLs its list names."""
    items: list[str | FeedEntry] = []
    items += read_feeds(feed_urls, fetcher, since, per_feed) if feed_urls else []
    items += read_url_list(urls_file) if urls_file else []
    return items


def _utc(parsed: tuple[int, ...]) -> str:
    """feedparser's UTC ``time.struct_time`` as ISO 8601."""
    year, month, day, hour, minute, second = parsed[:6]
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC).isoformat()


def _moment(published: str) -> dt.datetime:
    """An ISO date or date and time as an aware UTC moment (a date is its midnight; none sorts first)."""
    if not published:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    moment = dt.datetime.fromisoformat(published)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def read_url_list(path: Path) -> list[str]:
    """One URL a line; blank lines and ``#`` comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(path, f"cannot read URL list: {exc.strerror}") from None
    urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise InputError(path, f"not an http(s) URL: {url[:80]}")
    return urls


def entry_document(entry: FeedEntry, fetcher: Fetcher, context: Context | None = None) -> Document:
    """The entry's article: from the feed when it carries the whole text, else fetched from its link.

    When the page cannot be had, the feed's own text (``content:encoded``, Atom ``content``, else the
    summary) is the article, read and sanitized like any HTML input, with a warning and
    ``meta.extraction`` saying so.
    """
    if len(plain_text_of(entry.content).split()) >= COMPLETE_WORDS:
        return normalize(_from_feed(entry, entry.content, None), context)
    try:
        doc = read_fetched(fetcher.get(entry.link))
    except InputError as exc:
        fallback = entry.content if plain_text_of(entry.content).strip() else entry.summary
        if not plain_text_of(fallback).strip():
            raise
        note = f"page not fetched ({exc.reason}); the feed's own content is used instead"
        log.warning("%s", note)
        return normalize(_from_feed(entry, fallback, Extraction("feed", 1.0, note)), context)
    meta = _fill(doc.meta, _entry_meta(entry, Meta()))
    return normalize(replace(doc, meta=replace(meta, extra=_feed_extra(entry, meta))), context)


def _from_feed(entry: FeedEntry, html: str, extraction: Extraction | None) -> Document:
    doc = read_text(html, "html", entry.link)
    meta = _entry_meta(entry, doc.meta)
    return replace(doc, meta=replace(meta, extra=_feed_extra(entry, meta), extraction=extraction))


def _feed_extra(entry: FeedEntry, meta: Meta) -> tuple[tuple[str, str], ...]:
    return (*meta.extra, (FEED_KEY, entry.feed)) if entry.feed else meta.extra


def plain_text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html) if html else ""


def _entry_meta(entry: FeedEntry, meta: Meta) -> Meta:
    return replace(
        meta,
        title=entry.title or meta.title,
        authors=tuple(Author(a) for a in entry.authors) or meta.authors,
        published=entry.published or meta.published,
        source_url=entry.link or meta.source_url,
    )


def _fill(page: Meta, feed: Meta) -> Meta:
    """The fetched page's metadata, with what the feed says filling the gaps."""
    return replace(page, **{f: getattr(feed, f) for f in ("title", "authors", "published") if not getattr(page, f)})


def _linked(entries: list[FeedEntry], feed_url: str) -> list[FeedEntry]:
    """Entries whose link is an http(s) URL: it becomes the chapter's source (``javascript:`` never does)."""
    kept = [e for e in entries if is_source_url(e.link)]
    for entry in entries:
        if entry.link and not is_source_url(entry.link):
            log.warning("%s: entry %r skipped: its link %s is not http(s)", feed_url, entry.title, entry.link[:80])
    return kept


def _xml_feed(body: bytes, url: str) -> list[FeedEntry]:
    import feedparser

    # feedparser resolves relative links (in entries and in their HTML) against xml:base, and that
    # against the URL given as the document's Content-Location: the feed's own URL after redirects.
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if parsed.bozo and not parsed.entries:
        raise InputError(url, f"not a feed: {parsed.get('bozo_exception', 'unreadable')}")
    title = parsed.feed.get("title", "") or urllib.parse.urlsplit(url).netloc
    entries = []
    for item in parsed.entries:
        content = max((c.get("value", "") for c in item.get("content", [])), key=len, default="")
        published = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(
            FeedEntry(
                link=item.get("link", ""),
                title=item.get("title", ""),
                published=_utc(published) if published else "",
                authors=tuple(a.get("name", "") for a in item.get("authors", []) if a.get("name")),
                content=content,
                summary=item.get("summary", ""),
                feed=title,
            )
        )
    return _linked(entries, url)


def _json_feed(body: bytes, url: str) -> list[FeedEntry]:
    try:
        data = json.loads(body)
    except ValueError:
        raise InputError(url, "not a feed: invalid JSON") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/"):
        raise InputError(url, "not a JSON Feed")
    title = str(data.get("title", "")) or urllib.parse.urlsplit(url).netloc
    entries = []
    for item in data.get("items", []):
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        link = item.get("url") or item.get("external_url") or ""
        entries.append(
            FeedEntry(
                link=urllib.parse.urljoin(url, link) if isinstance(link, str) and link else "",
                title=item.get("title", ""),
                published=iso_date(item.get("date_published", "")),
                authors=tuple(a.get("name", "") for a in authors if isinstance(a, dict) and a.get("name")),
                content=item.get("content_html", ""),
                summary=item.get("summary", "") or item.get("content_text", ""),
                feed=title,
            )
        )
    return _linked(entries, url)
