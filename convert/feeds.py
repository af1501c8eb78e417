"""Feeds (RSS 2.0, Atom, JSON Feed) and URL lists as sources of articles for a collection."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from convert.dates import iso_date
from convert.errors import InputError
from convert.fetch import Fetcher
from convert.link_schemes import is_source_url
from convert.model import Author, Document, Meta
from convert.normalize import Context, normalize
from convert.pipeline import load_url
from convert.readers.text import read_text
from convert.readers.webpage import read_fetched
from convert.reporting import ARTICLE

log = logging.getLogger("tearsheet")

COMPLETE_WORDS = 150  # a feed entry with this much text is the article, not a teaser


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str = ""
    published: str = ""
    authors: tuple[str, ...] = ()
    content: str = ""  # HTML of the full entry, when the feed carries it
    summary: str = ""


def read_feed(url: str, fetcher: Fetcher) -> list[FeedEntry]:
    """The entries of the feed at ``url``, newest first."""
    fetched = fetcher.get(url)
    if fetched.content_type in ("application/feed+json", "application/json") or fetched.body.lstrip()[:1] == b"{":
        entries = _json_feed(fetched.body, url)
    else:
        entries = _xml_feed(fetched.body, url)
    return sorted(entries, key=lambda e: e.published, reverse=True)


def select(entries: Sequence[FeedEntry], since: str = "", limit: int | None = None) -> list[FeedEntry]:
    """Entries published on or after ``since``, the newest ``limit`` of them, oldest first."""
    chosen = [e for e in entries if not since or (e.published and e.published[:10] >= since[:10])]
    chosen = sorted(chosen, key=lambda e: e.published, reverse=True)[:limit]
    return sorted(chosen, key=lambda e: e.published)


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
    """The entry's article: from the feed when it carries the whole text, else fetched from its link."""
    if len(plain_text_of(entry.content).split()) >= COMPLETE_WORDS:
        doc = read_text(entry.content, "html", entry.link)
        doc = replace(doc, meta=_entry_meta(entry, doc.meta))
    else:
        doc = read_fetched(fetcher.get(entry.link))
        doc = replace(doc, meta=_fill(doc.meta, _entry_meta(entry, Meta())))
    return normalize(doc, context)


def load_web(
    items: Sequence[str | FeedEntry], fetcher: Fetcher, context: Context | None = None, jobs: int = 4
) -> tuple[list[tuple[str, Document, Path | None]], list[tuple[str, str]]]:
    """Fetch and read URLs or feed entries concurrently (the fetcher limits each host); failures are reported."""
    from concurrent.futures import ThreadPoolExecutor

    def one(item: str | FeedEntry) -> Document | str:
        # Its warnings name the page (each pool thread has a context of its own), not the book.
        token = ARTICLE.set(item.link if isinstance(item, FeedEntry) else item)
        try:
            if isinstance(item, FeedEntry):
                return entry_document(item, fetcher, context)
            return load_url(item, fetcher, context=context)
        except InputError as exc:
            return exc.reason
        except Exception as exc:  # one bad page must not sink the collection
            return f"{type(exc).__name__}: {exc}"
        finally:
            ARTICLE.reset(token)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes = list(pool.map(one, items))
    loaded: list[tuple[str, Document, Path | None]] = []
    failed: list[tuple[str, str]] = []
    for item, outcome in zip(items, outcomes, strict=True):
        label = item.link if isinstance(item, FeedEntry) else item
        if isinstance(outcome, Document):
            loaded.append((label, outcome, None))
        else:
            failed.append((label, outcome))
    return loaded, failed


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

    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise InputError(url, f"not a feed: {parsed.get('bozo_exception', 'unreadable')}")
    entries = []
    for item in parsed.entries:
        content = max((c.get("value", "") for c in item.get("content", [])), key=len, default="")
        published = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(
            FeedEntry(
                link=item.get("link", ""),
                title=item.get("title", ""),
                published=iso_date("{:04d}-{:02d}-{:02d}".format(*published[:3])) if published else "",
                authors=tuple(a.get("name", "") for a in item.get("authors", []) if a.get("name")),
                content=content,
                summary=item.get("summary", ""),
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
    entries = []
    for item in data.get("items", []):
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        entries.append(
            FeedEntry(
                link=item.get("url") or item.get("external_url") or "",
                title=item.get("title", ""),
                published=iso_date(item.get("date_published", "")),
                authors=tuple(a.get("name", "") for a in authors if isinstance(a, dict) and a.get("name")),
                content=item.get("content_html", ""),
                summary=item.get("summary", "") or item.get("content_text", ""),
            )
        )
    return _linked(entries, url)
