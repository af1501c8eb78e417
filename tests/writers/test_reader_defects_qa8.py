"""Defects a reader saw in the PDF, EPUB and DOCX made from real pages (the qa8 sweep), each pinned on the
real output."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from convert import load, sandbox_for, write
from convert.model import DefinitionList, Heading, HorizontalRule, OrderedList, inline_text, plain_text
from convert.options import WriteOptions
from tests.conftest import FIXTURES, epub_xhtml, epubcheck


def _write(source: Path, fmt: str) -> bytes:
    return write(load(source), fmt, sandbox_for(source, WriteOptions()))


def _pdf_lines(data: bytes) -> list[str]:
    import pypdf

    return [
        " ".join(line.split())
        for page in pypdf.PdfReader(io.BytesIO(data)).pages
        for line in page.extract_text().splitlines()
    ]


RECIPE = FIXTURES / "pages" / "recipe-numbered-steps.html"


def test_steps_written_as_numbered_definitions_are_an_ordered_list(tmp_path: Path) -> None:
    # lecker.de (trafilatura-eval) writes a recipe's steps as <dt>1.</dt><dd>…</dd>: every output printed
    # the number alone on a line and the step under it, indented as a definition.
    doc = load(RECIPE)
    assert not any(isinstance(block, DefinitionList) for block in doc.blocks)
    steps = [block for block in doc.blocks if isinstance(block, OrderedList)]
    assert len(steps) == 1 and len(steps[0].items) == 6 and steps[0].start == 1

    lines = _pdf_lines(_write(RECIPE, "pdf"))
    first_step = next(n for n, line in enumerate(lines) if line.startswith("Für die Creme"))
    assert lines[first_step - 1] == "Zubereitung"  # not "1." on a line of its own

    epub = _write(RECIPE, "epub")
    xhtml = epub_xhtml(epub)
    assert "<ol" in xhtml and "<dt" not in xhtml
    report = epubcheck(epub, tmp_path)
    assert report.errors == [] and report.warnings == []

    import docx

    paragraphs = docx.Document(io.BytesIO(_write(RECIPE, "docx"))).paragraphs
    assert not [p.text for p in paragraphs if p.text.strip() in {"1.", "2.", "3.", "4.", "5.", "6."}]
    step = next(p for p in paragraphs if p.text.startswith("Für die Creme"))
    assert step._p.pPr is not None and step._p.pPr.numPr is not None  # numbered by Word, not a definition


HEADINGS = FIXTURES / "pages" / "heading-holding-a-div.html"


def test_a_heading_holding_a_div_keeps_its_text(tmp_path: Path) -> None:
    # forstpraxis.de (trafilatura-eval) writes its subheadings as <h2><div>Title</div></h2>: pandoc read an
    # empty heading and a plain line after it, so the title printed as body text under an empty gap.
    import pypdf

    titles = ["Pilotprojekt: Aus Laub Brennstoff machen", "Ein Antrag für Fördermittel ist gestellt"]
    doc = load(HEADINGS)
    assert [inline_text(block.content) for block in doc.blocks if isinstance(block, Heading)] == titles

    def bookmarks(items: list[Any]) -> list[str]:
        return [title for item in items for title in (bookmarks(item) if isinstance(item, list) else [item.title])]

    assert bookmarks(pypdf.PdfReader(io.BytesIO(_write(HEADINGS, "pdf"))).outline)[1:3] == titles

    epub = _write(HEADINGS, "epub")
    assert [h for h in re.findall(r"<h2[^>]*>(.*?)</h2>", epub_xhtml(epub)) if h in titles] == titles
    report = epubcheck(epub, tmp_path)
    assert report.errors == [] and report.warnings == []

    import docx

    paragraphs = docx.Document(io.BytesIO(_write(HEADINGS, "docx"))).paragraphs
    assert [p.text for p in paragraphs if p.style is not None and p.style.name == "Heading 1"][:2] == titles


SEPARATORS = FIXTURES / "pages" / "separator-line-opening-a-paragraph.html"


def test_a_separator_line_opening_a_paragraph_is_a_break(tmp_path: Path) -> None:
    # echte-demokratie-jetzt.de (trafilatura-eval) parts its letter's languages with
    # <p>=====<br>Querida gente…</p>: the signs printed as a line of text over each greeting.
    doc = load(SEPARATORS)
    assert sum(isinstance(block, HorizontalRule) for block in doc.blocks) == 2
    assert "=" not in plain_text(doc.blocks)

    lines = _pdf_lines(_write(SEPARATORS, "pdf"))
    assert "Querida gente de Europa, de Grecia, España, Italia o de dondequiera que vivan!" in lines
    assert not [line for line in lines if line.startswith("===")]

    epub = _write(SEPARATORS, "epub")
    assert epub_xhtml(epub).count("<hr") == 2 and "===" not in epub_xhtml(epub)
    report = epubcheck(epub, tmp_path)
    assert report.errors == [] and report.warnings == []

    import docx

    paragraphs = docx.Document(io.BytesIO(_write(SEPARATORS, "docx"))).paragraphs
    assert not [p.text for p in paragraphs if "===" in p.text]
    assert any(p.text == "Dear people of Europe, in Greece, Spain, Italy or where ever you live!" for p in paragraphs)


BROKEN_HEADINGS = FIXTURES / "pages" / "heading-closed-by-a-line-break.html"


def test_a_heading_closed_by_a_line_break_has_no_empty_line_under_it(tmp_path: Path) -> None:
    # auswaertiges-amt.de (trafilatura-eval) closes each heading with <br> (<h4><em>Einreise</em><br></h4>):
    # browsers show nothing, but the DOCX had an empty line under every heading.
    import docx
    from docx.oxml.ns import qn

    paragraphs = docx.Document(io.BytesIO(_write(BROKEN_HEADINGS, "docx"))).paragraphs
    headings = [p for p in paragraphs if p.text.strip() in ("Epidemiologische Lage", "Einreise")]
    assert len(headings) == 2
    assert not [p.text for p in headings if p._p.findall(".//" + qn("w:br"))]

    epub = _write(BROKEN_HEADINGS, "epub")
    assert not re.findall(r"<br\s*/>\s*</h\d>", epub_xhtml(epub))
    report = epubcheck(epub, tmp_path)
    assert report.errors == [] and report.warnings == []


SUBSCRIPTS = """---
title: Wellness im Thermenland
lang: de
---

## Rogner Bad Blumau

Baden wie im Meer, nur hinter uns, und ein Park voller Wasser.

## H₂O Hotel-Therme-Resort

Badespaß kennt keine Jahreszeit, das beweist die Mischung im H₂O Hotel-Therme-Resort.
"""


def test_a_heading_with_a_subscript_digit_passes_epubcheck(tmp_path: Path) -> None:
    # 1000things.at (trafilatura-eval): the heading "H₂O Hotel-Therme-Resort" named its navPoint
    # "…h₂o-hotel-therme-resort"; "₂" is no name character in toc.ncx and EPUBCheck failed the book (RSC-005).
    source = tmp_path / "thermen.md"
    source.write_text(SUBSCRIPTS, encoding="utf-8")
    epub = _write(source, "epub")
    assert "H₂O Hotel-Therme-Resort</a>" in epub_xhtml(epub, "EPUB/nav.xhtml")
    report = epubcheck(epub, tmp_path)
    assert report.errors == [] and report.warnings == []
