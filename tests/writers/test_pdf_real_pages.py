"""The ten saved real pages as PDF: every link note on its marker's page, no page of notes alone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from convert import load, sandbox_for, write
from convert.options import LinkPolicy, WriteOptions
from tests.e2e.test_real_pages import page_dirs
from tests.writers.test_pdf_notes import notes_only_pages, stray_notes


def real_pdf(page: Path, links: LinkPolicy | None = None) -> PdfReader:
    source = page / "source.html"
    data = write(load(source), "pdf", sandbox_for(source, WriteOptions(links=links)))
    return PdfReader(io.BytesIO(data))


@pytest.mark.parametrize("page", page_dirs(), ids=lambda p: p.name)
def test_every_note_prints_on_its_markers_page(page: Path) -> None:
    reader = real_pdf(page)
    assert not stray_notes(reader)
    assert not notes_only_pages(reader)


def test_wikipedia_needs_no_more_pages_than_its_text_and_its_link_list() -> None:
    page = next(p for p in page_dirs() if p.name == "wikipedia")
    # with no link markers the PDF is the text and the citation footer's numbered link list; the
    # 330 markers and the list's back-links may take one page more, the notes nothing more
    # (today's footnotes: 43 pages, text ending on page 15)
    assert len(real_pdf(page).pages) <= len(real_pdf(page, LinkPolicy.NONE).pages) + 1
