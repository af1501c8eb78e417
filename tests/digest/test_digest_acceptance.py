"""Issue #19's acceptance: a weekly digest of two feeds, run twice, validated and catalogued."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import feedparser
import pytest

from tests.conftest import epubcheck
from tests.digest.feeds import article_page, atom_feed
from tests.digest.site import Site, serve
from tests.digest.test_digest_feeds import NOW, chapter_titles, run

ACQUISITION = "http://opds-spec.org/acquisition"


def publish(site: Site, now: dt.datetime, extra: int = 0) -> dict[str, dt.datetime]:
    """Two feeds, 30 entries over the two weeks before ``now`` (+ ``extra`` newer ones in the first):
    one feed links its entries with root-relative URLs, the other with paths under a relative xml:base.
    Returns each entry's title and date."""
    dates: dict[str, dt.datetime] = {}
    feeds: dict[str, list[tuple[str, str, dt.datetime, str]]] = {"harbour": [], "grid": []}
    for k in range(30 + extra):
        name = "harbour" if k % 2 == 0 or k >= 30 else "grid"
        when = (
            NOW - dt.timedelta(days=14) + dt.timedelta(hours=11 * k)
            if k < 30
            else NOW + dt.timedelta(hours=6 * (k - 29))
        )
        title = f"{name.title()} story {k:02d}"
        path = f"/{name}/posts/{k:02d}.html"
        site.put(path, article_page(title, f"{name}-{k}"))
        link = path if name == "harbour" else f"posts/{k:02d}.html"  # the grid feed's xml:base is /grid/
        feeds[name].insert(0, (title, link, when, ""))  # newest first, as feeds list them
        dates[title] = when
    site.put("/harbour/feed.xml", atom_feed("Harbour notes", feeds["harbour"]), "application/atom+xml")
    site.put("/grid/feed.xml", atom_feed("Grid weekly", feeds["grid"], xml_base="/grid/"), "application/atom+xml")
    return dates


def test_weekly_digest_of_two_feeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "dist"
    state = tmp_path / "digest-state.json"
    with serve() as site:
        feeds = ["--feed", f"{site.base}/harbour/feed.xml", "--feed", f"{site.base}/grid/feed.xml"]

        def weekly(now: dt.datetime, book: str, cache: str) -> tuple[int, str, str]:
            monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(now.timestamp())))
            return run(
                "collect", *feeds, "--since", "7d", "--new-only", str(state), "-o", str(dist / book),
                "--title", "Weekly digest", *site.network_args(tmp_path / cache),
            )  # fmt: skip

        dates = publish(site, NOW)
        code, out, err = weekly(NOW, "week-1.epub", "cache-1")
        assert code == 0, err
        week = {t for t, when in dates.items() if when >= NOW - dt.timedelta(days=7)}
        assert 10 < len(week) < 20  # the window cuts the two weeks
        first = chapter_titles(dist / "week-1.epub")
        assert sorted(first) == sorted(week)
        assert f"({len(week)} articles)" in out
        nav = zipfile.ZipFile(dist / "week-1.epub").read("EPUB/nav.xhtml").decode()
        assert re.findall(r"<li>\s*<a href=\"[^\"]+\">([^<]+)</a>\s*<ol>", nav) == ["Harbour notes", "Grid weekly"]

        later = NOW + dt.timedelta(days=1)
        dates = publish(site, later, extra=3)
        code, out, err = weekly(later, "week-2.epub", "cache-2")
        assert code == 0, err
        new = {t for t, when in dates.items() if when > NOW}
        assert len(new) == 3
        assert sorted(chapter_titles(dist / "week-2.epub")) == sorted(new)
        held = [t for t in week if dates[t] >= later - dt.timedelta(days=7)]  # the rest aged out of the window
        assert f"left out {len(held)} articles already in an earlier book" in out

    for book in ("week-1.epub", "week-2.epub"):
        data = (dist / book).read_bytes()
        opf = zipfile.ZipFile(dist / book).read("EPUB/content.opf").decode()
        assert re.search(r'<item[^>]*href="cover.png"[^>]*properties="cover-image"', opf)
        report = epubcheck(data, tmp_path)
        assert report.errors == [] and report.warnings == [], report

    code, out, err = run("catalog", str(dist))
    assert code == 0, err
    catalog = feedparser.parse((dist / "catalog.xml").read_bytes())
    listed = sorted(link.href for e in catalog.entries for link in e.links if link.rel == ACQUISITION)
    assert listed == ["week-1.epub", "week-2.epub"]
    assert all(any(link.rel == "http://opds-spec.org/image" for link in e.links) for e in catalog.entries)
