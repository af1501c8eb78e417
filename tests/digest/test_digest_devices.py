"""``--device``: images fitted to the reader's screen and formats, and the bytes it saved."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from convert.devices import PROFILES
from tests.conftest import epubcheck
from tests.digest.test_digest_feeds import chapter_titles, run

WORDS = "The harbour archive keeps the tide tables, the turbine logs and the river charts of a century. " * 12


def picture(size: tuple[int, int]) -> Image.Image:
    """A colourful image with detail (a plain one would compress to nothing)."""
    image = Image.new("RGB", size, "#3a6ea5")
    draw = ImageDraw.Draw(image)
    for k in range(0, size[0], 37):
        draw.line((k, 0, size[0] - k, size[1]), fill=(k % 255, 120, 255 - k % 255), width=5)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill="#f2b134")
    return image


@pytest.fixture
def page(tmp_path: Path) -> Path:
    """A saved web page with a large PNG, a WebP photograph and an AVIF one."""
    folder = tmp_path / "page"
    folder.mkdir()
    picture((3000, 2000)).save(folder / "chart.png")
    picture((800, 600)).save(folder / "photo.webp", "WEBP", quality=90)
    picture((640, 480)).save(folder / "photo.avif", "AVIF")
    figures = "".join(
        f"<figure><img src='{name}' alt='{name}'><figcaption>Figure {name}</figcaption></figure><p>{WORDS}</p>"
        for name in ("chart.png", "photo.webp", "photo.avif")
    )
    html = folder / "index.html"
    html.write_text(
        "<html lang='en'><head><title>Charts of the harbour</title></head><body><article><h1>Charts of the harbour"
        f"</h1><p>{WORDS}</p>{figures}</article></body></html>",
        encoding="utf-8",
    )
    return html


def images(book: Path) -> dict[str, Image.Image]:
    archive = zipfile.ZipFile(book)
    return {n: Image.open(io.BytesIO(archive.read(n))) for n in archive.namelist() if n.startswith("EPUB/images/")}


def test_without_a_device_the_images_are_as_they_came(page: Path, tmp_path: Path) -> None:
    code, _, err = run("convert", str(page), "--to", "epub", "-o", str(tmp_path / "plain.epub"))
    assert code == 0, err
    formats = sorted(image.format for image in images(tmp_path / "plain.epub").values())
    assert formats == ["PNG", "WEBP"]  # the AVIF is not an image an EPUB may hold: its description shows
    assert "photo.avif: not an image this tool can embed" in err


def test_kindle_gets_no_webp_and_no_image_over_its_screen(page: Path, tmp_path: Path) -> None:
    book = tmp_path / "kindle.epub"
    code, out, err = run("convert", str(page), "--to", "epub", "-o", str(book), "--device", "kindle")
    assert (code, err) == (0, "")
    width, height = PROFILES["kindle"].max_size
    got = images(book)
    assert len(got) == 3 and {image.format for image in got.values()} <= {"JPEG", "PNG"}  # no WebP, no AVIF
    assert all(image.width <= width and image.height <= height for image in got.values())
    sizes = sorted(image.size for image in got.values())
    assert sizes[-1] == (1236, 824)  # the chart, scaled to the screen's width, proportions kept
    before = sum(p.stat().st_size for p in page.parent.iterdir() if p.suffix != ".html")
    after = sum(len(zipfile.ZipFile(book).read(n)) for n in zipfile.ZipFile(book).namelist() if "/images/" in n)
    assert after < before
    said = re.fullmatch(
        r"--device kindle: 3 images \([23] converted\), 0\.4 MB → (\d+ kB|0\.\d MB): .* saved", out.splitlines()[-1]
    )
    assert said, out
    assert epubcheck(book.read_bytes(), tmp_path).errors == []


def test_eink_is_grayscale_and_dithers_line_art(page: Path, tmp_path: Path) -> None:
    book = tmp_path / "eink.epub"
    code, _, err = run("convert", str(page), "--to", "epub", "-o", str(book), "--device", "eink")
    assert (code, err) == (0, "")
    got = images(book)
    assert {image.mode for image in got.values()} == {"L"}
    chart = next(image for image in got.values() if image.format == "PNG")
    grays = chart.getcolors(256)  # None: more than 256
    assert grays is not None and 2 < len(grays) <= 16  # the panel's 16 grays, dithered (not thresholded)


def test_an_image_pillow_cannot_decode_is_named(page: Path, tmp_path: Path) -> None:
    # a HEIC file (its ftyp box says so); Pillow has no HEIF decoder unless pillow-heif is installed
    (page.parent / "photo.avif").write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    code, _, err = run("convert", str(page), "--to", "epub", "-o", str(tmp_path / "k.epub"), "--device", "kindle")
    assert code == 0
    assert err.splitlines() == [
        f"tearsheet: warning: {page}: photo.avif: a HEIC image, which Pillow cannot decode here "
        "(it needs the pillow-heif plugin) and kindle cannot show; showing its description instead"
    ]


def noisy_article(folder: Path, k: int) -> Path:
    """An article with a 48 kB image that does not compress (random pixels)."""
    Image.frombytes("L", (220, 220), random.Random(k).randbytes(220 * 220)).save(folder / f"noise{k}.png")
    path = folder / f"article{k}.md"
    path.write_text(f"---\ntitle: Article {k}\n---\n\n{WORDS}\n\n![Noise {k}](noise{k}.png)\n", encoding="utf-8")
    return path


def test_a_book_over_max_size_is_split_into_volumes(tmp_path: Path) -> None:
    articles = [str(noisy_article(tmp_path, k)) for k in range(5)]
    code, out, err = run(
        "collect", *articles, "-o", str(tmp_path / "big.epub"), "--title", "Big", "--max-size", "120kB"
    )
    assert code == 0, err
    volumes = sorted(tmp_path.glob("big-*.epub"))
    assert not (tmp_path / "big.epub").exists() and len(volumes) >= 2
    assert all(v.stat().st_size <= 120 * 1024 for v in volumes)
    titles: list[str] = []
    for k, volume in enumerate(volumes, start=1):
        opf = zipfile.ZipFile(volume).read("EPUB/content.opf").decode()
        assert f"<dc:title>Big ({k} of {len(volumes)})</dc:title>" in opf
        titles += chapter_titles(volume)
    assert titles == [f"Article {k}" for k in range(5)]  # every article once, in order
    assert [line.split(" (")[0] for line in out.splitlines()] == [f"wrote {v}" for v in volumes]
    assert epubcheck(volumes[0].read_bytes(), tmp_path).errors == []


def test_max_size_must_be_a_size(tmp_path: Path, fixtures: Path) -> None:
    code, _, err = run(
        "collect", str(fixtures / "scraped-article.md"), "-o", str(tmp_path / "b.epub"), "--title", "T",
        "--max-size", "huge",
    )  # fmt: skip
    assert code == 2 and "'huge' is not a size (e.g. 50MB, 800kB)" in err
