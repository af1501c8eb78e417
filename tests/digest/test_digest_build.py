"""Feeds and URL lists as the inputs of a manifest's collection (``tearsheet build``)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from tests.digest.feeds import article_page, atom_feed, rss_feed
from tests.digest.site import Site, serve
from tests.digest.test_digest_feeds import chapter_titles, run


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def publish(site: Site, name: str, ages_in_days: list[int]) -> list[tuple[str, str, dt.datetime, str]]:
    """Feed entries of articles of the given ages (the real now: the build's workers run in processes of their own)."""
    now = dt.datetime.now(dt.UTC)
    entries = []
    for k, age in enumerate(ages_in_days):
        title = f"{name} {k}"
        url = site.put(f"/{name}/{k}.html", article_page(title, f"{name}-{k}"))
        entries.append((title, url, now - dt.timedelta(days=age), ""))
    return entries


def manifest(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "tearsheet.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_collection_of_feeds_and_a_url_list(site: Site, tmp_path: Path) -> None:
    first = publish(site, "alpha", [1, 2, 90])
    second = publish(site, "beta", [3])
    feeds = [site.put("/alpha.xml", atom_feed("Alpha", first), "application/atom+xml"),
             site.put("/beta.rss", rss_feed("Beta", second), "application/rss+xml")]  # fmt: skip
    listed = site.put("/listed.html", article_page("Listed page", "listed"))
    (tmp_path / "reading.txt").write_text(f"# also\n{listed}\n", encoding="utf-8")
    path = manifest(
        tmp_path,
        '[build]\noutput = "dist"\ncatalog = true\n\n[[collection]]\nname = "weekly"\ntitle = "Weekly"\n'
        f'feeds = ["{feeds[0]}", "{feeds[1]}"]\nurls = "reading.txt"\nsince = "30d"\n'
        f'allow_hosts = ["{site.host}"]\n',
    )
    code, out, err = run("build", str(path), "-j", "1")
    assert code == 0, out + err
    book = tmp_path / "dist" / "weekly.epub"
    assert chapter_titles(book) == ["alpha 1", "alpha 0", "beta 0", "Listed page"]  # the 90-day-old one is out
    nav = zipfile.ZipFile(book).read("EPUB/nav.xhtml").decode()
    assert re.findall(r"<li>\s*<a href=\"[^\"]+\">([^<]+)</a>\s*<ol>", nav) == ["Alpha", "Beta", "Other"]
    assert [e.title for e in feedparser.parse((tmp_path / "dist" / "catalog.xml").read_bytes()).entries] == ["Weekly"]

    # the next build fetches again (a feed changes without any file changing): nothing is served from the cache
    first = publish(site, "alpha", [0, 1, 2, 90])
    site.put("/alpha.xml", atom_feed("Alpha", first), "application/atom+xml")
    (tmp_path / "dist" / ".tearsheet-cache" / "http").rename(tmp_path / "old-http-cache")  # as a week later
    code, out, err = run("build", str(path), "-j", "1")
    assert code == 0, out + err
    assert "alpha 3" not in chapter_titles(book) and len(chapter_titles(book)) == 5


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('feeds = ["ftp://x.example/feed"]', "collection[1].feeds: not an http(s) URL: ftp://x.example/feed"),
        ('feeds = ["https://x.example/feed"]\nsince = "last week"', "collection[1].since: 'last week' is neither"),
        ('inputs = ["*.md"]\nsince = "7d"', "collection[1].since: applies to feed entries; give feeds"),
        ('feeds = ["https://x.example/feed"]\nmax_per_feed = 0', "collection[1].max_per_feed: must be 1 or more"),
    ],
)
def test_manifest_mistakes_in_web_sources(tmp_path: Path, table: str, message: str) -> None:
    path = manifest(tmp_path, f'[[collection]]\nname = "w"\ntitle = "W"\n{table}\n')
    code, _, err = run("build", str(path))
    assert code == 2 and message in err, err


def test_a_manifest_sets_the_device(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (2000, 1500), "#3a6ea5").save(tmp_path / "photo.webp", "WEBP")
    (tmp_path / "article.md").write_text("---\ntitle: Photo\n---\n\nA photograph.\n\n![Photo](photo.webp)\n")
    path = manifest(tmp_path, '[build]\ninputs = ["*.md"]\nformats = ["epub"]\ndevice = "kindle"\n')
    code, out, err = run("build", str(path), "-j", "1")
    assert code == 0, out + err
    archive = zipfile.ZipFile(tmp_path / "dist" / "article.epub")
    images = [n for n in archive.namelist() if "/images/" in n]
    assert len(images) == 1 and images[0].endswith(".jpg")
    with Image.open(archive.open(images[0])) as image:
        assert image.size == (1236, 927)


def test_an_unknown_device_is_a_manifest_error(tmp_path: Path) -> None:
    path = manifest(tmp_path, '[build]\ninputs = ["*.md"]\ndevice = "nook"\n')
    code, _, err = run("build", str(path))
    assert code == 2 and ":3: build.device: 'nook' is not one of eink, kindle, kobo, print, tablet" in err, err


def test_a_manifest_sets_the_cover_of_a_collection(tmp_path: Path) -> None:
    from PIL import Image

    from tests.digest.test_digest_covers import cover_bytes

    jpeg = tmp_path / "mine.jpg"
    Image.new("RGB", (600, 900), "#884422").save(jpeg, "JPEG")
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\n\nText.\n", encoding="utf-8")
    body = '[[collection]]\nname = "own"\ntitle = "Own"\ninputs = ["a.md"]\ncover = "mine.jpg"\n'
    code, out, err = run("build", str(manifest(tmp_path, body)), "-j", "1")
    assert code == 0, out + err
    assert cover_bytes(tmp_path / "dist" / "own.epub") == ("cover.jpg", jpeg.read_bytes())
    # the cover is part of the cache key by its content: another image, another book
    Image.new("RGB", (600, 900), "#224488").save(jpeg, "JPEG")
    code, out, err = run("build", str(manifest(tmp_path, body)), "-j", "1")
    assert code == 0, out + err
    assert cover_bytes(tmp_path / "dist" / "own.epub") == ("cover.jpg", jpeg.read_bytes())


def test_the_network_settings_of_a_manifest_reach_the_fetches_of_a_collection(site: Site, tmp_path: Path) -> None:
    url = site.put("/page.html", article_page("Listed page", "listed").replace("</p>", "<img src='/pic.png'></p>"))
    site.put("/pic.png", _png(), "image/png")
    (tmp_path / "reading.txt").write_text(f"{url}\n", encoding="utf-8")
    web = f'[[collection]]\nname = "web"\ntitle = "Web"\nurls = "reading.txt"\nallow_hosts = ["{site.host}"]\n'

    # images = false: the page, not its images (as collect --no-images)
    code, out, err = run("build", str(manifest(tmp_path, web + "images = false\n")), "-j", "1")
    assert code == 0, out + err
    names = zipfile.ZipFile(tmp_path / "dist" / "web.epub").namelist()
    assert chapter_titles(tmp_path / "dist" / "web.epub") == ["Listed page"]
    assert not [n for n in names if "/images/" in n]
    code, out, err = run("build", str(manifest(tmp_path, web)), "-j", "1")
    assert code == 0, out + err
    assert [n for n in zipfile.ZipFile(tmp_path / "dist" / "web.epub").namelist() if "/images/" in n]

    # offline = true with an empty cache folder of its own: nothing can be fetched (as collect --offline)
    offline = web + 'offline = true\ncache_dir = "empty-cache"\n'
    code, out, err = run("build", str(manifest(tmp_path, offline)), "-j", "1")
    assert code == 1 and "web: no article could be read" in err, out + err
    assert (tmp_path / "empty-cache").is_dir()

    # without allow_hosts the local test server is a private address, refused
    code, out, err = run("build", str(manifest(tmp_path, web.replace(f'allow_hosts = ["{site.host}"]\n', ""))))
    assert code == 1 and "web: no article could be read" in err, out + err


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#3a6ea5").save(buffer, "PNG")
    return buffer.getvalue()
