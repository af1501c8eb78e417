"""Feeds and article pages for the digest tests, written as sites publish them."""

from __future__ import annotations

import datetime as dt
from html import escape

WORDS = ["tide", "harbour", "archive", "turbine", "cable", "river", "grid", "record", "ledger", "signal"]


def article_text(key: str, words: int = 200) -> str:
    """A body of ``words`` words that no other key gives (so each article has its own fingerprint)."""
    seed = sum(map(ord, key))
    return f"{key} begins. " + " ".join(WORDS[(seed * 7 + i * (seed % 5 + 1)) % len(WORDS)] for i in range(words))


def article_page(title: str, key: str) -> str:
    return (
        f"<html lang='en'><head><title>{escape(title)}</title></head><body><article><h1>{escape(title)}</h1>"
        f"<p>{article_text(key)}.</p></article></body></html>"
    )


def atom_feed(title: str, entries: list[tuple[str, str, dt.datetime, str]], *, xml_base: str = "") -> str:
    """An Atom feed; each entry is (title, link as written in the feed, updated, content HTML or "")."""
    base = f" xml:base='{escape(xml_base)}'" if xml_base else ""
    items = "".join(
        f"<entry><title>{escape(t)}</title><link href='{escape(link)}'/><id>tag:test,2024:{escape(link)}</id>"
        f"<updated>{when.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>"
        + (f"<content type='html'>{escape(content)}</content>" if content else "<summary>Teaser.</summary>")
        + "</entry>"
        for t, link, when, content in entries
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'{base}>"
        f"<title>{escape(title)}</title><id>tag:test,2024:{escape(title)}</id>"
        f"<updated>2024-03-31T00:00:00Z</updated>{items}</feed>"
    )


def rss_feed(title: str, entries: list[tuple[str, str, dt.datetime, str]]) -> str:
    """An RSS 2.0 feed; content goes in ``content:encoded``."""
    items = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate><description>Teaser.</description>"
        + (f"<content:encoded>{escape(content)}</content:encoded>" if content else "")
        + "</item>"
        for t, link, when, content in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
        "xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        f"<channel><title>{escape(title)}</title><link>http://example.invalid/</link>{items}</channel></rss>"
    )
