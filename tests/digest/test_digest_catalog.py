"""``tearsheet catalog DIR``: an OPDS 1.2 acquisition feed that OPDS clients (and feedparser) read."""

from __future__ import annotations

import shutil
import urllib.parse
from pathlib import Path

import feedparser
from PIL import Image

from tests.digest.test_digest_feeds import run

ACQUISITION = "http://opds-spec.org/acquisition"
CATALOG_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"


def links(entry: feedparser.FeedParserDict, rel: str) -> list[feedparser.FeedParserDict]:
    return [link for link in entry.get("links", []) if link.get("rel") == rel]


def test_catalog_lists_every_book_with_its_metadata_cover_and_size(fixtures: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    articles = [str(fixtures / n) for n in ("front-matter-article.md", "scraped-article.md")]
    assert (
        run("collect", *articles, "-o", str(dist / "weekly.epub"), "--title", "Weekly", "--author", "Ed Itor")[0] == 0
    )
    assert run("collect", *articles, "-o", str(dist / "weekly.pdf"), "--title", "Weekly", "--author", "Ed Itor")[0] == 0
    assert run("convert", articles[0], "--to", "epub", "-o", str(dist / "single"))[0] == 0
    (dist / ".tearsheet-cache").mkdir()
    shutil.copy(dist / "weekly.epub", dist / ".tearsheet-cache" / "cached.epub")  # a build's cache is no book

    code, out, err = run("catalog", str(dist))
    assert (code, err) == (0, "")
    assert out == f"wrote {dist / 'catalog.xml'} (2 books)\n"
    parsed = feedparser.parse((dist / "catalog.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.id.startswith("urn:uuid:") and parsed.feed.title == "dist" and parsed.feed.updated
    assert {(link.rel, link.type) for link in parsed.feed.links} == {("self", CATALOG_TYPE), ("start", CATALOG_TYPE)}
    by_title = {e.title: e for e in parsed.entries}
    assert len(parsed.entries) == 2 and len({e.id for e in parsed.entries}) == 2

    weekly = by_title["Weekly"]
    assert weekly.id.startswith("urn:uuid:") and weekly.updated
    assert [a.name for a in weekly.authors] == ["Ed Itor"]
    assert weekly.summary == "2 articles"  # the book's dc:description, in its language
    acquired = {(link.href, link.type, int(link.length)) for link in links(weekly, ACQUISITION)}
    assert acquired == {
        ("weekly.epub", "application/epub+zip", (dist / "weekly.epub").stat().st_size),
        ("weekly.pdf", "application/pdf", (dist / "weekly.pdf").stat().st_size),
    }
    image = links(weekly, "http://opds-spec.org/image")[0]
    assert image.type == "image/png"
    with Image.open(dist / urllib.parse.unquote(image.href)) as cover:
        assert cover.size == (1200, 1800)
    thumbnail = links(weekly, "http://opds-spec.org/image/thumbnail")[0]
    with Image.open(dist / thumbnail.href) as small:
        assert (small.format, small.size[1]) == ("JPEG", 300)

    single = next(e for title, e in by_title.items() if title != "Weekly")
    assert [(link.href, link.type) for link in links(single, ACQUISITION)] == [
        ("single/front-matter-article.epub", "application/epub+zip")
    ]
    assert [a.name for a in single.authors] == ["Ines Halvorsen"]
    assert (single.dcterms_language, single.published) == ("en-US", "2023-11-02")  # dc:language, dc:issued


def test_a_broken_book_is_named_and_the_rest_is_listed(tmp_path: Path, fixtures: Path) -> None:
    assert run("convert", str(fixtures / "scraped-article.md"), "--to", "epub", "-o", str(tmp_path))[0] == 0
    (tmp_path / "broken.epub").write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run("catalog", str(tmp_path), "-o", str(tmp_path / "opds.xml"), "--title", "Mine")
    assert code == 1
    assert err.startswith(f"tearsheet: error: {tmp_path / 'broken.epub'}: not a readable EPUB")
    assert len(err.splitlines()) == 1
    parsed = feedparser.parse((tmp_path / "opds.xml").read_bytes())
    assert parsed.feed.title == "Mine" and len(parsed.entries) == 1


def test_catalog_of_what_is_not_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("catalog", str(tmp_path / "missing"))
    assert code == 2 and err == f"tearsheet: error: {tmp_path / 'missing'}: not a folder\n"


def test_build_writes_the_catalogue_when_the_manifest_asks(fixtures: Path, tmp_path: Path) -> None:
    for name in ("front-matter-article.md", "scraped-article.md"):
        shutil.copy(fixtures / name, tmp_path / name)
    manifest = tmp_path / "tearsheet.toml"
    manifest.write_text(
        '[build]\noutput = "dist"\ncatalog = true\n\n'
        '[[collection]]\nname = "weekly"\ntitle = "Weekly reading"\ninputs = ["*.md"]\n',
        encoding="utf-8",
    )
    code, out, err = run("build", str(manifest), "-j", "1")
    assert code == 0, err
    assert "catalog.xml (1 book)" in out
    parsed = feedparser.parse((tmp_path / "dist" / "catalog.xml").read_bytes())
    assert [e.title for e in parsed.entries] == ["Weekly reading"]
    assert [link.href for link in links(parsed.entries[0], ACQUISITION)] == ["weekly.epub"]
