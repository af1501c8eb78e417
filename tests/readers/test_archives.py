"""Saved pages keep their images offline: "Web page, complete", MHTML, SingleFile and WARC.

Each test makes its saved page itself (no network, nothing from outside the test), converts it
with the network off, and counts the images in the real PDF, EPUB and DOCX.
"""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as DocxDocument
from pypdf import PdfReader

from convert.cli import cli
from tests.conftest import epubcheck

PAGE_URL = "https://news.example.org/2024/the-story"
COLOURS = ((200, 30, 30), (30, 160, 30), (30, 30, 200))


def png(colour: tuple[int, int, int], size: int = 16) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(colour) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


IMAGES = {f"https://cdn.example.org/photos/picture-{k}.png": png(c) for k, c in enumerate(COLOURS)}


def page_html(sources: list[str]) -> str:
    text = "".join(
        f"<p>Paragraph {k} of the story tells what happened on a long day in the valley, with enough words "
        "to be the article rather than page furniture.</p>"
        for k in range(6)
    )
    figures = "".join(
        f'<figure><img src="{src}" alt="Picture {k}"><figcaption>Picture {k} of the valley</figcaption></figure>'
        f"<p>After picture {k} the story goes on, describing the scene at length for the reader.</p>"
        for k, src in enumerate(sources)
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The Story - Example News</title>'
        f'<link rel="canonical" href="{PAGE_URL}"></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>The Story</h1>{text}{figures}</article><footer>Example News</footer></body></html>"
    )


def complete(folder: Path) -> Path:
    """A browser's "Web page, complete": Story.html and Story_files/ beside it."""
    (folder / "Story_files").mkdir()
    sources = []
    for url, data in IMAGES.items():
        name = url.rsplit("/", 1)[1]
        (folder / "Story_files" / name).write_bytes(data)
        sources.append(f"./Story_files/{name}")
    page = folder / "Story.html"
    page.write_text(page_html(sources), encoding="utf-8")
    return page


# A lazy-loading stand-in as real pages have them (1×1 GIF): not a picture of the article.
PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def singlefile(folder: Path) -> Path:
    """SingleFile's one HTML file: every image a data: URL (and a placeholder, which is no picture)."""
    sources = [f"data:image/png;base64,{base64.b64encode(data).decode()}" for data in IMAGES.values()]
    page = folder / "Story.html"
    html = page_html(sources).replace(
        "<h1>The Story</h1>", f'<h1>The Story</h1><p><img src="{PLACEHOLDER}" alt="x"></p>'
    )
    page.write_text(html, encoding="utf-8")
    return page


def mhtml(folder: Path, leave_out: int = 0) -> Path:
    """MHTML as Chrome saves it: multipart/related, the page first, each image by its URL."""
    message = MIMEMultipart("related", type="text/html")
    message["Snapshot-Content-Location"] = PAGE_URL
    message["Date"] = "Tue, 05 Mar 2024 10:00:00 +0000"
    html = MIMEText(page_html(list(IMAGES)), "html", "utf-8")
    html["Content-Location"] = PAGE_URL
    message.attach(html)
    for url, data in list(IMAGES.items())[leave_out:]:
        part = MIMEImage(data, "png")
        part["Content-Location"] = url
        message.attach(part)
    page = folder / "Story.mhtml"
    page.write_bytes(message.as_bytes())
    return page


def warc(folder: Path, leave_out: int = 0, suffix: str = ".warc.gz") -> Path:
    """A web archive of the page and its images, as crawlers write it (response records)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = folder / f"Story{suffix}"
    with page.open("wb") as stream:
        writer = WARCWriter(stream, gzip=suffix.endswith(".gz"))
        bodies = [(PAGE_URL, "text/html; charset=utf-8", page_html(list(IMAGES)).encode())]
        bodies += [(url, "image/png", data) for url, data in list(IMAGES.items())[leave_out:]]
        for url, content_type, body in bodies:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )
    return page


SAVES: dict[str, Callable[[Path], Path]] = {
    "complete": complete,
    "singlefile": singlefile,
    "mhtml": mhtml,
    "warc.gz": warc,
    "warc": lambda folder: warc(folder, suffix=".warc"),
}


def convert(page: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["convert", str(page), "--to", "pdf,epub,docx", "-o", str(out)])
    return result.exit_code, result.stderr


@pytest.mark.parametrize("kind", SAVES)
def test_a_saved_page_converts_offline_with_all_its_images(kind: str, tmp_path: Path) -> None:
    page = SAVES[kind](tmp_path)
    code, err = convert(page, tmp_path / "out")
    assert (code, err) == (0, "")
    pdf = PdfReader(tmp_path / "out" / "Story.pdf")
    assert sum(len(p.images) for p in pdf.pages) == 3
    epub = (tmp_path / "out" / "Story.epub").read_bytes()
    assert epubcheck(epub, tmp_path).errors == []
    pictures = [n for n in zipfile.ZipFile(io.BytesIO(epub)).namelist() if n.endswith(".png")]
    assert len(pictures) == 3
    assert len(DocxDocument(str(tmp_path / "out" / "Story.docx")).inline_shapes) == 3


@pytest.mark.parametrize("kind", ["mhtml", "warc.gz"])
def test_archive_metadata_gives_the_page_url(kind: str, tmp_path: Path) -> None:
    page = SAVES[kind](tmp_path)
    result = CliRunner().invoke(cli, ["inspect", str(page)])
    assert result.exit_code == 0
    assert f'"source_url": "{PAGE_URL}"' in result.stdout


@pytest.mark.parametrize("make", [mhtml, warc], ids=["mhtml", "warc"])
def test_images_the_archive_lacks_are_one_line_naming_the_article(make: Callable[..., Path], tmp_path: Path) -> None:
    page = make(tmp_path, leave_out=2)
    code, err = convert(page, tmp_path / "out")
    assert code == 0
    assert err.splitlines() == [
        f"tearsheet: warning: {page}: 2 images not fetched (network access is off; --allow-network fetches them)"
    ]
    assert sum(len(p.images) for p in PdfReader(tmp_path / "out" / "Story.pdf").pages) == 1


def test_a_file_that_is_not_an_archive_is_one_clear_line(tmp_path: Path) -> None:
    for name in ("bad.mhtml", "bad.warc"):
        (tmp_path / name).write_text("just text\n", encoding="utf-8")
        code, err = convert(tmp_path / name, tmp_path / "out")
        assert code == 2
        assert err.startswith(f"tearsheet: error: {tmp_path / name}: not a") and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def _epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml"))


def test_an_archived_page_in_a_charset_browsers_do_not_know_is_read_by_detection(tmp_path: Path) -> None:
    page = mhtml(tmp_path)
    page.write_bytes(page.read_bytes().replace(b'charset="utf-8"', b'charset="punycode"', 1))
    assert b'charset="punycode"' in page.read_bytes()
    code, err = convert(page, tmp_path / "out")
    assert (code, "Traceback" in err) == (0, False), err
    assert "tells what happened on a long day" in _epub_text(tmp_path / "out" / "Story.epub")


def test_an_mhtml_pages_date_header_is_when_it_was_retrieved(tmp_path: Path) -> None:
    code, err = convert(mhtml(tmp_path), tmp_path / "out")  # saved "Tue, 05 Mar 2024 10:00:00 +0000"
    assert code == 0, err
    assert "Accessed March 5, 2024" in _epub_text(tmp_path / "out" / "Story.epub")


# Lazy-loading stand-ins as real pages write them: an empty SVG the size of the picture (the page's
# text escapes its quotes), a 1×1 GIF whose base64 padding is percent-encoded, a srcset of one GIF.
EMPTY_SVG = (
    "data:image/svg+xml,%3Csvg%20xmlns=&#039;http://www.w3.org/2000/svg&#039;"
    "%20viewBox=&#039;0%200%20600%20315&#039;%3E%3C/svg%3E"
)
EMPTY_SVG_BASE64 = "data:image/svg+xml;base64," + base64.b64encode(
    b"<svg width='792' height='392' xmlns='http://www.w3.org/2000/svg'></svg>"
).decode("ascii")
ENCODED_GIF = "data:image/gif;base64,R0lGODlhAQABAIABAAAAAP///yH5BAEAAAEALAAAAAABAAEAQAICTAEAOw%3D%3D"
GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def saved_page_with(images: list[str]) -> str:
    return page_html(["x"] * len(images)).replace('<img src="x"', "<img {}").format(*images)


@pytest.mark.parametrize(
    "image",
    [
        f'src="{EMPTY_SVG}" data-src="https://cdn.example.org/real.jpg"',
        f"src='{EMPTY_SVG_BASE64}' data-lazy-src='https://cdn.example.org/real.jpg'",
        f'src="{ENCODED_GIF}" data-src="https://cdn.example.org/real.jpg"',
        f'src="https://cdn.example.org/small.jpg" srcset="{GIF}" data-srcset="https://cdn.example.org/real.jpg 1500w"',
        f'srcset="{GIF} 1w, https://cdn.example.org/real.jpg 800w"',
    ],
    ids=["empty-svg-escaped-quotes", "empty-svg-base64", "gif-percent-encoded-padding", "srcset-stand-in", "srcset-1w"],
)
def test_a_lazy_loading_stand_in_gives_way_to_the_real_picture(image: str, tmp_path: Path) -> None:
    from convert.model import Image, iter_nodes
    from convert.readers import read

    path = tmp_path / "Story.html"
    path.write_text(saved_page_with([image]), encoding="utf-8")
    doc = read(path)
    assert [n.src for n in iter_nodes(doc.blocks) if isinstance(n, Image)] == ["https://cdn.example.org/real.jpg"]


def test_an_svg_picture_in_a_data_url_is_kept_whole(tmp_path: Path) -> None:
    """Its value holds the other quote mark, and the page's text escapes it: the picture is the value."""
    from convert.model import Image, iter_nodes
    from convert.readers import read

    drawn = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='40' height='40'%3E%3Ccircle"
    drawn += " cx='20' cy='20' r='{}' fill='%23c33'/%3E%3C/svg%3E"
    pictures = [drawn.format(10), drawn.format(12).replace("'", "&#039;")]
    path = tmp_path / "Story.html"
    path.write_text(saved_page_with([f'src="{pictures[0]}"', f'src="{pictures[1]}"']), encoding="utf-8")
    doc = read(path)
    assert [n.src for n in iter_nodes(doc.blocks) if isinstance(n, Image)] == [drawn.format(10), drawn.format(12)]
