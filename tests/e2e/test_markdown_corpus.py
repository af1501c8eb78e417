"""Real-looking Markdown posts with raw HTML, each written to PDF, EPUB and DOCX and checked.

The posts in ``fixtures/markdown/`` use front matter (TOML and YAML), footnotes,
reference links and the raw HTML bloggers write: ``<details>``, ``<kbd>``,
``<sup>``/``<sub>``, ``<mark>``, ``<br>``, ``<img width>``, ``<figure>``,
``<video>``, HTML tables, ``<a name>`` in a list item, ``<div align>``,
comments, and opening tags whose closing tag is in a later raw block.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from convert import write
from tests.conftest import FIXTURES, epub_xhtml, epubcheck, load_sample, options_for

POSTS = sorted(p.name for p in (FIXTURES / "markdown").glob("*.md"))

# Text each post must show in every format (word fidelity), and text it must not.
SHOWN: dict[str, tuple[str, ...]] = {
    "vim-registers.md": (
        "Why does dd overwrite my paste?",
        "Deleting a line puts it in the unnamed register",
        "Show my .vimrc mappings",
        'nnoremap <leader>p "0p',
        "Press Ctrl+R then a register name",
        "remember above all",
    ),
    "release-checklist.md": (
        "Freeze the branch and announce it in chat.",
        "Keys rotate every year.",
        "Security on call",
        "Never tag from a dirty tree.",
        "Last reviewed by the platform team.",
    ),
    "sourdough-notes.md": (
        "Full schedule",
        "And if it is cold?",
        "Put the bowl in the oven with only the light on.",
        "Hit Ctrl+P to print it.",
        "Happy baking!",
        "Warmer water speeds it up",
    ),
}
HIDDEN: tuple[str, ...] = ("TODO: add a screencast", "trackVisit", "<details", "<summary", "<kbd")


def words(text: str) -> str:
    """Text with runs of white space as one space (line breaks differ by format)."""
    return re.sub(r"\s+", " ", text).strip()


def test_every_post_has_expectations() -> None:
    assert sorted(SHOWN) == POSTS


def assert_keeps_the_text(post: str, text: str) -> None:
    """Every shown passage of ``post`` is in ``text``; nothing raw HTML should hide reaches it."""
    for shown in SHOWN[post]:
        assert words(shown) in text
    for hidden in HIDDEN:
        assert hidden not in text


@pytest.mark.parametrize("post", POSTS)
def test_epub_passes_epubcheck_and_keeps_the_text(post: str, tmp_path: Path) -> None:
    data = write(load_sample(f"markdown/{post}"), "epub", options_for(f"markdown/{post}"))
    report = epubcheck(data, tmp_path)
    assert report.errors == []
    from lxml import html

    text = words(html.fromstring(epub_xhtml(data).encode("utf-8")).text_content())
    assert_keeps_the_text(post, text)


@pytest.mark.parametrize("post", POSTS)
def test_docx_opens_and_keeps_the_text(post: str) -> None:
    data = write(load_sample(f"markdown/{post}"), "docx", options_for(f"markdown/{post}"))
    document = docx.Document(io.BytesIO(data))
    cells = [p.text for table in document.tables for row in table.rows for c in row.cells for p in c.paragraphs]
    text = words(" ".join([p.text for p in document.paragraphs] + cells))
    assert_keeps_the_text(post, text)


@pytest.mark.parametrize("post", POSTS)
def test_pdf_opens_and_keeps_the_text(post: str) -> None:
    data = write(load_sample(f"markdown/{post}"), "pdf", options_for(f"markdown/{post}"))
    text = words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    assert_keeps_the_text(post, text)


def docx_runs(post: str) -> list[docx.text.run.Run]:
    data = write(load_sample(f"markdown/{post}"), "docx", options_for(f"markdown/{post}"))
    return [run for p in docx.Document(io.BytesIO(data)).paragraphs for run in p.runs]


def test_inline_html_keeps_its_meaning_in_epub() -> None:
    xhtml = epub_xhtml(
        write(load_sample("markdown/vim-registers.md"), "epub", options_for("markdown/vim-registers.md"))
    )
    assert '<code class="kbd">Ctrl</code>' in xhtml
    assert "H<sub>2</sub>O" in xhtml
    assert "x<sup>2</sup>" in xhtml
    assert '<span class="mark">remember above all</span>' in xhtml
    assert '<div class="details">\n<p><strong>Why does <code>dd</code> overwrite my paste?</strong></p>' in xhtml


def test_inline_html_keeps_its_meaning_in_docx() -> None:
    runs = docx_runs("vim-registers.md")
    by_text = {run.text: run for run in runs}
    assert by_text["Ctrl"].style.name == "Verbatim Char"
    assert [r.font.subscript for r in runs if r.text == "2"] == [True, False]
    assert [r.font.superscript for r in runs if r.text == "2"] == [False, True]
    assert by_text["remember above all"].font.highlight_color is not None
    assert all(r.bold for r in runs[runs.index(by_text["dd"]) - 1 : runs.index(by_text["dd"]) + 2])
    assert by_text["dd"].style.name == "Verbatim Char"


def test_legacy_anchor_is_a_link_target_in_epub() -> None:
    post = "markdown/release-checklist.md"
    xhtml = epub_xhtml(write(load_sample(post), "epub", options_for(post)))
    assert re.search(r'<span id="tool"\s*(/>|></span>)', xhtml)
    assert 'href="#tool"' in xhtml


def test_html_alignment_holds_in_every_format(tmp_path: Path) -> None:
    """``<p align="right">`` in release-checklist.md: right-aligned in the PDF, DOCX and EPUB."""
    post = "markdown/release-checklist.md"
    doc, options = load_sample(post), options_for(post)
    signed, body = "Last reviewed by the platform team.", "Never tag from a dirty tree."

    starts: dict[str, float] = {}
    ends: dict[str, float] = {}

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        for wanted in (signed, body):
            if text.strip() and wanted.startswith(text.strip()[:12]):
                starts.setdefault(wanted, tm[4])

    for page in PdfReader(io.BytesIO(write(doc, "pdf", options))).pages:
        page.extract_text(visitor_text=visit)
        ends.setdefault("width", float(page.mediabox.width))
    assert set(starts) == {signed, body}
    assert starts[signed] > ends["width"] / 2 > starts[body]  # the signature starts right of the middle

    paragraphs = docx.Document(io.BytesIO(write(doc, "docx", options))).paragraphs
    by_text = {words(p.text): p for p in paragraphs}
    assert by_text[signed].style.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT

    epub = write(doc, "epub", options)
    xhtml = epub_xhtml(epub)
    assert re.search(r'<div class="align-right">\s*<p><sub>Last reviewed', xhtml)
    css = zipfile.ZipFile(io.BytesIO(epub)).read("EPUB/style/article.css").decode()
    assert ".align-right, .align-right p { text-align: right; }" in css
    assert epubcheck(epub, tmp_path).errors == []
