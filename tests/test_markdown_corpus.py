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


@pytest.mark.parametrize("post", POSTS)
def test_epub_passes_epubcheck_and_keeps_the_text(post: str, tmp_path: Path) -> None:
    data = write(load_sample(f"markdown/{post}"), "epub", options_for(f"markdown/{post}"))
    report = epubcheck(data, tmp_path)
    assert report.errors == []
    from lxml import html

    text = words(html.fromstring(epub_xhtml(data).encode("utf-8")).text_content())
    for shown in SHOWN[post]:
        assert words(shown) in text
    for hidden in HIDDEN:
        assert hidden not in text


@pytest.mark.parametrize("post", POSTS)
def test_docx_opens_and_keeps_the_text(post: str) -> None:
    data = write(load_sample(f"markdown/{post}"), "docx", options_for(f"markdown/{post}"))
    document = docx.Document(io.BytesIO(data))
    cells = [p.text for table in document.tables for row in table.rows for c in row.cells for p in c.paragraphs]
    text = words(" ".join([p.text for p in document.paragraphs] + cells))
    for shown in SHOWN[post]:
        assert words(shown) in text
    for hidden in HIDDEN:
        assert hidden not in text


@pytest.mark.parametrize("post", POSTS)
def test_pdf_opens_and_keeps_the_text(post: str) -> None:
    data = write(load_sample(f"markdown/{post}"), "pdf", options_for(f"markdown/{post}"))
    text = words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    for shown in SHOWN[post]:
        assert words(shown) in text
    for hidden in HIDDEN:
        assert hidden not in text
