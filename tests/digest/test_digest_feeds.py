"""Feeds as a reader meets them: relative links, xml:base, --since, --max-per-feed, several feeds, dead pages."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert.cli import cli
from convert.feeds import parse_since, read_feed, select
from convert.sources import load_web
from tests.digest.feeds import article_page, atom_feed, rss_feed
from tests.digest.site import Site, serve

NOW = dt.datetime(2024, 3, 20, 12, 0, tzinfo=dt.UTC)
EPOCH = str(int(NOW.timestamp()))


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def chapters(book: Path) -> dict[str, str]:
    """Chapter file → its XHTML, in the book's reading order."""
    archive = zipfile.ZipFile(io.BytesIO(book.read_bytes()))
    return {n: archive.read(n).decode("utf-8") for n in sorted(archive.namelist()) if re.search(r"/a\d+\.xhtml$", n)}


def chapter_titles(book: Path) -> list[str]:
    return [re.search(r"<title>([^<]*)</title>", html)[1] for html in chapters(book).values()]  # type: ignore[index]


def publish(site: Site, folder: str, count: int, start: dt.datetime, step: dt.timedelta) -> list[tuple[str, str]]:
    """``count`` article pages under ``/folder/``; their (title, path), oldest first."""
    published = []
    for k in range(count):
        title = f"{folder.title()} {k:02d}"
        path = f"/{folder}/p{k:02d}.html"
        site.put(path, article_page(title, f"{folder}-{k}"))
        published.append((title, path))
    return published


def test_relative_entry_links_resolve_against_the_feed_url(site: Site, tmp_path: Path) -> None:
    posts = publish(site, "posts", 3, NOW, dt.timedelta(days=1))
    entries = [(title, path, NOW - dt.timedelta(days=k), "") for k, (title, path) in enumerate(posts)]
    feed = site.put("/feeds/atom.xml", atom_feed("Relative", entries), "application/atom+xml")
    book = tmp_path / "book.epub"
    code, out, err = run("collect", "--feed", feed, "-o", str(book), "--title", "R", *site.network_args(tmp_path))
    assert code == 0, err
    assert "(3 articles)" in out
    assert sorted(chapter_titles(book)) == ["Posts 00", "Posts 01", "Posts 02"]
    assert all(site.hits.get(path) == 1 for _, path in posts)


def test_entry_links_resolve_against_xml_base(site: Site, tmp_path: Path) -> None:
    # xml:base is itself relative: it resolves against the feed's URL, and the links against it
    posts = publish(site, "blog", 2, NOW, dt.timedelta(days=1))
    entries = [(t, path.removeprefix("/blog/"), NOW, "") for t, path in posts]
    feed_url = site.put("/feeds/based.xml", atom_feed("Based", entries, xml_base="/blog/"), "application/atom+xml")
    got = read_feed(feed_url, site.fetcher(tmp_path / "cache"))
    assert sorted(e.link for e in got) == [site.base + path for _, path in posts]
    assert {e.feed for e in got} == {"Based"}


def test_since_takes_a_duration_or_a_date() -> None:
    assert parse_since("7d", NOW) == NOW - dt.timedelta(days=7)
    assert parse_since("2w", NOW) == NOW - dt.timedelta(days=14)
    assert parse_since("36h", NOW) == NOW - dt.timedelta(hours=36)
    assert parse_since("2024-03-01", NOW) == dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="'last week' is neither"):
        parse_since("last week", NOW)


def test_since_and_max_per_feed_choose_entries(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # one entry a day for ten days, the newest first in the feed
    posts = publish(site, "daily", 10, NOW, dt.timedelta(days=1))
    entries = [(t, path, NOW - dt.timedelta(days=k, hours=1), "") for k, (t, path) in enumerate(posts)]
    feed = site.put("/daily.xml", atom_feed("Daily", entries), "application/atom+xml")
    chosen = select(read_feed(feed, site.fetcher(tmp_path / "cache")), parse_since("3d", NOW), None)
    assert [e.title for e in chosen] == ["Daily 02", "Daily 01", "Daily 00"]  # oldest first
    book = tmp_path / "daily.epub"
    args = ["--feed", feed, "--since", "7d", "--max-per-feed", "4", "-o", str(book), "--title", "D"]
    code, _, err = run("collect", *args, *site.network_args(tmp_path))
    assert code == 0, err
    assert chapter_titles(book) == ["Daily 03", "Daily 02", "Daily 01", "Daily 00"]
    assert not site.hits.get("/daily/p05.html")  # entries not chosen are never fetched


def test_several_feeds_make_one_book_with_a_section_per_feed(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = [
        (t, p, NOW - dt.timedelta(days=k), "")
        for k, (t, p) in enumerate(publish(site, "alpha", 2, NOW, dt.timedelta(1)))
    ]
    second = [
        (t, p, NOW - dt.timedelta(days=k), "")
        for k, (t, p) in enumerate(publish(site, "beta", 3, NOW, dt.timedelta(1)))
    ]
    feeds = [
        site.put("/alpha.xml", atom_feed("Alpha Weekly", first), "application/atom+xml"),
        site.put("/beta.rss", rss_feed("Beta News", second), "application/rss+xml"),
    ]
    book = tmp_path / "two.epub"
    args = ["--feed", feeds[0], "--feed", feeds[1], "-o", str(book), "--title", "Two feeds"]
    code, out, err = run("collect", *args, *site.network_args(tmp_path))
    assert code == 0, err
    assert "(5 articles)" in out
    nav = zipfile.ZipFile(book).read("EPUB/nav.xhtml").decode()
    sections = re.findall(r"<li>\s*<a href=\"[^\"]+\">([^<]+)</a>\s*<ol>", nav)
    assert sections == ["Alpha Weekly", "Beta News"]
    assert chapter_titles(book) == ["Alpha 01", "Alpha 00", "Beta 02", "Beta 01", "Beta 00"]


def test_an_entry_whose_page_is_gone_falls_back_to_the_feed_content(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    alive = publish(site, "alive", 1, NOW, dt.timedelta(1))[0]
    alive_url = site.base + alive[1]
    hostile = (
        "<p onclick='steal()'>The whole story, as the feed carries it, with a "
        "<a href='javascript:alert(1)'>trap</a> and a <a href='/more.html'>relative link</a>.</p>"
        "<script>alert('feed')</script><iframe src='https://tracker.example/'></iframe>"
    )
    entries = [
        (alive[0], alive[1], NOW, ""),
        ("Gone away", "/gone/p00.html", NOW - dt.timedelta(hours=2), hostile),
        ("Gone, teaser", "/gone/p01.html", NOW - dt.timedelta(hours=3), ""),  # its RSS description is all
    ]
    feed = site.put("/mixed.rss", rss_feed("Mixed", entries), "application/rss+xml")
    book = tmp_path / "mixed.epub"
    code, out, err = run("collect", "--feed", feed, "-o", str(book), "--title", "Mixed", *site.network_args(tmp_path))
    assert code == 0, err
    gone = f"{site.base}/gone/p00.html"
    said = "page not fetched (HTTP 404 Not Found); the feed's own content is used instead"
    assert sorted(err.splitlines()) == [f"tearsheet: warning: {site.base}/gone/p0{k}.html: {said}" for k in (0, 1)]
    assert "(3 articles)" in out
    html = chapters(book)["EPUB/a0002.xhtml"]
    assert "The whole story, as the feed carries it" in html
    assert "alert" not in html and "onclick" not in html and "iframe" not in html
    assert f'href="{site.base}/more.html"' in html  # the feed's relative link, resolved against the feed
    # the model records where the body came from
    loaded, failed = load_web(read_feed(feed, site.fetcher(tmp_path / "cache")), site.fetcher(tmp_path / "cache"))
    by_url = {doc.meta.source_url: doc for _, doc, _ in loaded}
    extraction = by_url[gone].meta.extraction
    assert extraction is not None and extraction.method == "feed"
    assert extraction.note == said
    assert failed == [] and by_url[alive_url].meta.extraction.method != "feed"  # type: ignore[union-attr]
    assert "Teaser." in chapters(book)["EPUB/a0001.xhtml"]
