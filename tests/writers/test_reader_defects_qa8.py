"""Defects a reader saw in the PDF, EPUB and DOCX made from real pages (the qa8 sweep), each pinned on the
real output."""

from __future__ import annotations

import io
from pathlib import Path

from convert import load, sandbox_for, write
from convert.model import DefinitionList, OrderedList
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
    assert step._p.pPr.numPr is not None  # numbered by Word, not a definition paragraph
