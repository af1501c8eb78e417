"""A collection's cover: a PNG e-reader libraries show (title, dates, count), or the user's own."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from convert.covers import date_range
from convert.model import Document, Meta
from convert.model.book import Book, BookArticle, CollectionSpec
from tests.conftest import epubcheck
from tests.digest.test_digest_feeds import run


def opf(book: Path) -> str:
    return zipfile.ZipFile(book).read("EPUB/content.opf").decode()


def cover_bytes(book: Path) -> tuple[str, bytes]:
    """The file the package marks as its cover image, and its bytes."""
    href = re.search(r'<item[^>]*href="([^"]+)"[^>]*properties="cover-image"', opf(book))
    assert href is not None, "no item has properties=cover-image"
    return href[1], zipfile.ZipFile(book).read(f"EPUB/{href[1]}")


def dated(*days: str) -> Book:
    articles = tuple(BookArticle(Document(Meta(title=d, published=d)), f"a{k}", "", None) for k, d in enumerate(days))
    return Book(CollectionSpec("T"), articles, "urn:uuid:x")


@pytest.fixture
def articles(fixtures: Path) -> list[str]:
    return [str(fixtures / n) for n in ("front-matter-article.md", "scraped-article.md")]


def test_a_collection_has_a_png_cover_that_passes_epubcheck(articles: list[str], tmp_path: Path) -> None:
    book = tmp_path / "digest.epub"
    code, _, err = run("collect", *articles, "-o", str(book), "--title", "A rather long weekly digest title")
    assert code == 0, err
    name, data = cover_bytes(book)
    assert name == "cover.png"
    assert re.search(r'<meta name="cover" content="[^"]+"', opf(book))  # EPUB 2 readers (older Kindles) look here
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 1800))
        # text was drawn: the title's area is not the plain background
        title_area = image.convert("L").crop((100, 400, 1100, 700))
        assert len(title_area.getcolors(256 * 256) or []) > 10
    report = epubcheck(book.read_bytes(), tmp_path)
    assert report.errors == [] and report.warnings == []


def test_the_cover_says_the_dates_the_articles_span() -> None:
    assert (
        date_range(dated("2024-03-18", "2024-03-04T10:00:00+00:00", "2024-03-11")) == "March 4, 2024 – March 18, 2024"
    )
    assert date_range(dated("2024-03-04", "2024-03-04")) == "March 4, 2024"


def test_cover_file_overrides_the_drawn_one(articles: list[str], tmp_path: Path) -> None:
    jpeg = tmp_path / "mine.jpg"
    Image.new("RGB", (600, 900), "#884422").save(jpeg, "JPEG")
    book = tmp_path / "own.epub"
    code, _, err = run("collect", *articles, "-o", str(book), "--title", "Own", "--cover", str(jpeg))
    assert code == 0, err
    assert cover_bytes(book) == ("cover.jpg", jpeg.read_bytes())
    assert re.search(r'<item[^>]*href="cover.jpg"[^>]*media-type="image/jpeg"', opf(book)) or re.search(
        r'<item[^>]*media-type="image/jpeg"[^>]*href="cover.jpg"', opf(book)
    )


def test_a_webp_cover_becomes_png(articles: list[str], tmp_path: Path) -> None:
    webp = tmp_path / "mine.webp"
    Image.new("RGB", (60, 90), "#224488").save(webp, "WEBP")
    book = tmp_path / "own.epub"
    assert run("collect", *articles, "-o", str(book), "--title", "Own", "--cover", str(webp))[0] == 0
    name, data = cover_bytes(book)
    with Image.open(io.BytesIO(data)) as image:
        assert (name, image.format, image.size) == ("cover.png", "PNG", (60, 90))


def test_a_cover_that_is_no_image_is_a_one_line_error(articles: list[str], tmp_path: Path) -> None:
    fake = tmp_path / "cover.png"
    fake.write_text("not a picture")
    book = tmp_path / "b.epub"
    code, _, err = run("collect", *articles, "-o", str(book), "--title", "T", "--cover", str(fake))
    assert code == 2
    assert err.splitlines() == [f"tearsheet: error: {fake}: not an image Pillow can read (use a PNG or JPEG cover)"]
    assert not book.exists()
