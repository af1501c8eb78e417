"""Issue acceptance on the sample articles: metadata found in the text, clutter gone, nothing lost unrecorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert import load
from convert.model import BlockQuote, Figure, Heading, Link, Note, Paragraph, Table, inline_text, iter_nodes, plain_text
from convert.normalize import Context

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="module")
def scraped() -> object:
    return load(FIXTURES / "scraped-article.md")


def test_scraped_article_metadata(scraped: object) -> None:
    meta = scraped.meta  # type: ignore[attr-defined]
    assert meta.title == "Trump Regime Continues Supporting ISIS"
    assert [a.name for a in meta.authors] == ["Stephen Lendman"]
    assert meta.published == "2018-08-18"
    assert meta.publisher == "Global Research"
    assert meta.tags == (
        "Middle East & North Africa",
        "Media Disinformation",
        "Military Militarization and WMD",
        "US NATO War Agenda",
        "SYRIA",
    )
    assert meta.rights == "Copyright © Stephen Lendman, Global Research, 2018"
    assert meta.authors[0].bio.startswith("Stephen Lendman lives in Chicago.")


def test_scraped_article_clutter_is_gone_and_recorded(scraped: object) -> None:
    text = plain_text(scraped.blocks)  # type: ignore[attr-defined]
    for clutter in ("share buttons", "Facebook page", "Become a Member", "Articles by", "fair use", "Disclaimer"):
        assert clutter not in text
    rules = {r.rule for r in scraped.removed}  # type: ignore[attr-defined]
    assert {"share-prompt", "social-prompt", "membership-prompt", "disclaimer", "fair-use-notice"} <= rules
    assert {"byline", "dateline", "taxonomy", "source-notice", "copyright-notice", "duplicate-bio"} <= rules


def test_scraped_article_quote_is_one_paragraph(scraped: object) -> None:
    paragraphs = [inline_text(b.content) for b in scraped.blocks if isinstance(b, Paragraph)]  # type: ignore[attr-defined]
    joined = [p for p in paragraphs if "pretends it is waging irreconcilable struggle" in p]
    assert len(joined) == 1


def test_scraped_article_bio_appears_once(scraped: object) -> None:
    text = plain_text(scraped.blocks)  # type: ignore[attr-defined]
    assert text.count("lives in Chicago") == 1


def test_scraped_article_placeholder_links_are_not_cited(scraped: object) -> None:
    links = [n.url for n in iter_nodes(scraped.blocks) if isinstance(n, Link)]  # type: ignore[attr-defined]
    assert "#" not in links
    assert all(c.url.startswith("http") for c in scraped.citations)  # type: ignore[attr-defined]


def test_keep_turns_a_rule_off() -> None:
    doc = load(FIXTURES / "scraped-article.md", context=Context(keep=frozenset({"share-prompt"})))
    assert "share buttons" in plain_text(doc.blocks)
    everything = load(FIXTURES / "scraped-article.md", context=Context(keep_boilerplate=True))
    assert "Become a Member" in plain_text(everything.blocks)


def test_web_page_metadata() -> None:
    meta = load(FIXTURES / "web-page.html").meta
    assert meta.title == "Why Tidal Energy Keeps Missing Its Moment"
    assert [a.name for a in meta.authors] == ["Maren Okafor", "Tomás Rivera"]
    assert meta.published.startswith("2024-03-07") and meta.modified.startswith("2024-03-09")
    assert meta.publisher == "The Harbour Review"
    assert meta.source_url == "https://harbour-review.example.org/energy/2024/03/tidal-energy-moment"
    assert meta.language == "en-GB"
    assert {"Energy", "Oceans", "tidal power"} <= set(meta.tags)


def test_web_page_keeps_the_article_and_drops_the_page() -> None:
    doc = load(FIXTURES / "web-page.html")
    kinds = {type(n) for n in iter_nodes(doc.blocks)}
    assert {Figure, Table, BlockQuote} <= kinds
    text = plain_text(doc.blocks)
    assert "Wind's cost fell by roughly two thirds" in text  # the footnote
    assert Note in kinds or "fn1" in str(doc.blocks)
    for clutter in (
        "We use cookies",
        "Share on Facebook",
        "Wave power, explained",
        "Sign up for our weekly",
        "Privacy",
    ):
        assert clutter not in text
    headings = [inline_text(b.content) for b in doc.blocks if isinstance(b, Heading)]
    assert headings == ["Grids built for somewhere else", "What survived"]
