"""A printed URL breaks only after ``/ . ? & = -``, never inside its scheme, with nothing added to
what a reader copies — in every output: PDF (WeasyPrint), EPUB (laid out by Chromium, as
Readium-based reading systems do) and DOCX (a zero-width space where Word may break)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from convert import load, sandbox_for, write
from convert.options import LinkPolicy, WriteOptions
from convert.transforms.links import url_parts

# long runs of letters between separators: a line breaking anywhere would cut one of them
SEGMENT = "harbourrecordsvolumetwelvethelongwinteroftheferrycrossing"
LONG_URL = f"https://archive.example.org/{SEGMENT}/{SEGMENT}-{SEGMENT}/index.html?section=appendix&format=print&lang=en"
SOURCE_URL = LONG_URL.replace("index.html", "cover.html")


def article(tmp_path: Path) -> Path:
    path = tmp_path / "url.md"
    path.write_text(f"---\ntitle: URL\nsource_url: {SOURCE_URL}\n---\n\nSee [the records]({LONG_URL}).\n", "utf-8")
    return path


def convert_to(path: Path, fmt: str, **options: object) -> bytes:
    return write(load(path), fmt, sandbox_for(path, WriteOptions(**options)))  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def printed(text: str, start: str, length: int) -> list[str]:
    """Each printed occurrence of a ``length``-character string beginning ``start``, line breaks kept."""
    pieces = []
    for match in re.finditer(re.escape(start), text):
        end, seen = match.start(), 0
        while seen < length and end < len(text):
            seen += text[end] != "\n"
            end += 1
        pieces.append(text[match.start() : end])
    return pieces


def assert_broken_only_after_separators(text: str, at_least: int) -> None:
    pieces = printed(text, "https://archive", len(LONG_URL))
    assert len(pieces) >= at_least
    for piece in pieces:
        lines = piece.split("\n")
        assert "".join(lines) in (LONG_URL, SOURCE_URL)  # no hyphen or other character inserted
        assert len(lines) > 1  # it had to break
        assert all(line[-1] in "/.?&=-" for line in lines[:-1]), lines
        assert lines[0].startswith("https://archive")


def test_url_parts_end_after_a_separator_and_keep_the_scheme_whole() -> None:
    parts = url_parts("https://example.org/a-b/c.html?x=1&y=2")
    assert "".join(parts) == "https://example.org/a-b/c.html?x=1&y=2"
    assert parts[0] == "https://example."
    assert all(part[-1] in "/.?&=-" for part in parts[:-1])


@pytest.mark.parametrize("policy", [LinkPolicy.FOOTNOTE, LinkPolicy.ENDNOTE])
def test_a_long_url_breaks_only_after_a_separator_with_nothing_added(tmp_path: Path, policy: LinkPolicy) -> None:
    text = pdf_text(convert_to(article(tmp_path), "pdf", links=policy))
    # in the note or the link list, in the header's source link, in the footer's attribution
    assert_broken_only_after_separators(text, at_least=3)


def chromium() -> str:
    found = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (make ace installs it)")
        pytest.skip("Chromium is not installed")
    return found


@pytest.mark.parametrize("policy", [LinkPolicy.INLINE, LinkPolicy.ENDNOTE])
def test_an_epub_url_breaks_only_after_a_separator_in_a_reading_system(tmp_path: Path, policy: LinkPolicy) -> None:
    browser = chromium()
    book = tmp_path / "book"
    zipfile.ZipFile(io.BytesIO(convert_to(article(tmp_path), "epub", links=policy))).extractall(book)
    chapter = book / "EPUB" / "article.xhtml"
    # narrower than the URL, wider than its longest part; only the page size is the test's
    narrow = "<style>@page { size: 170mm 400mm; margin: 4mm; }</style></head>"
    chapter.write_text(chapter.read_text("utf-8").replace("</head>", narrow, 1), "utf-8")
    out = tmp_path / "chapter.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", chapter.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    # the header's source link, the link in the text or list, the footer's attribution
    assert_broken_only_after_separators(pdf_text(out.read_bytes()), at_least=3)


def test_a_docx_url_may_break_only_after_a_separator_and_links_to_the_url(tmp_path: Path) -> None:
    document = docx.Document(io.BytesIO(convert_to(article(tmp_path), "docx", links=LinkPolicy.ENDNOTE)))
    shown = [
        (link.address, link.text)
        for paragraph in document.paragraphs
        for link in paragraph.hyperlinks
        if link.address.startswith("https://archive") and link.text != "the records"
    ]
    assert {address for address, _ in shown} == {LONG_URL, SOURCE_URL}
    assert len(shown) >= 3  # under the title, in the list of links, in the attribution
    for address, text in shown:
        parts = text.split("\u200b")  # a zero-width space: where Word and LibreOffice may break a line
        assert "".join(parts) == address and len(parts) > 1
        assert all(part[-1] in "/.?&=-" for part in parts[:-1]) and parts[0].startswith("https://archive.")
