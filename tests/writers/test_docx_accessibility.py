"""DOCX accessibility, read with python-docx: language, title and author, headings, alt text, table headers."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from convert import load, sandbox_for, write
from convert.options import WriteOptions
from tests.conftest import FIXTURES

UNDESCRIBED = FIXTURES / "accessibility" / "undescribed.html"


def docx_of(source: Path) -> docx.document.Document:
    data = write(load(source), "docx", sandbox_for(source, WriteOptions()))
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def undescribed() -> docx.document.Document:
    return docx_of(UNDESCRIBED)


def test_core_properties_name_the_title_author_and_language(undescribed: docx.document.Document) -> None:
    props = undescribed.core_properties
    assert (props.title, props.author, props.language) == ("Field notes from the harbour", "Mara Lindqvist", "en")
    defaults = undescribed.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:val")) == "en"  # what Word spell-checks and reads in


def test_headings_are_heading_styles_that_skip_no_level(undescribed: docx.document.Document) -> None:
    """The page goes H2 → H4 → H3; the title is Word's Title, so the body starts at Heading 1."""
    headings = [(p.style.name, p.text) for p in undescribed.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [("Heading 1", "The wall"), ("Heading 2", "Measurements"), ("Heading 2", "What comes next")]
    levels = [int(name.split()[-1]) for name, _ in headings]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert [p.text for p in undescribed.paragraphs if p.style.name == "Title"] == ["Field notes from the harbour"]


def test_images_carry_their_alt_text(undescribed: docx.document.Document) -> None:
    described = [shape.get("descr") for shape in undescribed.element.body.iter(qn("wp:docPr"))]
    assert described == ["The turbine above the north pier at dawn", "A second view of the turbine from the beach", ""]


def test_table_header_rows_repeat_and_are_marked(tmp_path: Path) -> None:
    page = tmp_path / "table.md"
    page.write_text("# Tides\n\n| Hour | Height |\n|---|---|\n| 06:00 | 1.2 m |\n| 12:00 | 3.4 m |\n", encoding="utf-8")
    table = docx_of(page).tables[0]
    marked = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert marked == [True, False, False]
    assert [c.text for c in table.rows[0].cells] == ["Hour", "Height"]
