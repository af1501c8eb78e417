"""Formulas: MathML in EPUB, readable text in print, OMML in DOCX; never the bare TeX where pandoc can do better."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from convert import load, write
from convert.ace import run_ace
from tests.conftest import epub_xhtml, epubcheck, require_ace

MATHML = "http://www.w3.org/1998/Math/MathML"
ARTICLE = r"""---
title: Mass and energy
---

Einstein wrote $E = mc^2$, and $\alpha^2 + \beta_i$ follows.

$$\int_0^1 x\,dx = \frac{1}{2}$$
"""


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("math") / "energy.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_epub_formulas_are_mathml_with_their_tex_as_alt_text(article: Path, tmp_path: Path) -> None:
    epub = write(load(article), "epub")
    page = epub_xhtml(epub)
    formulas = re.findall(r"<math [^>]*>", page)
    assert len(formulas) == 3 and all(f'xmlns="{MATHML}"' in f for f in formulas)
    assert 'alttext="E = mc^2"' in page and 'display="block"' in page
    assert "<mfrac><mn>1</mn><mn>2</mn></mfrac>" in page  # the fraction, not its TeX
    assert "$" not in page.partition("<body")[2]
    opf = zipfile.ZipFile(io.BytesIO(epub)).read("EPUB/content.opf").decode("utf-8")
    assert re.search(r'<item href="article.xhtml"[^>]*properties="mathml"', opf)
    report = epubcheck(epub, tmp_path)
    assert report.errors == [] and report.warnings == []


def test_an_epub_with_formulas_passes_ace(article: Path, tmp_path: Path) -> None:
    require_ace()
    book = tmp_path / "energy.epub"
    book.write_bytes(write(load(article), "epub"))
    assert run_ace(book).violations == ()


def test_print_sets_formulas_as_text_with_superscripts(article: Path) -> None:
    pdf = write(load(article), "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "mc^2" not in text and "\\alpha" not in text  # what every PDF printed before
    assert re.search(r"E\s=\smc\s?2", text) and "α" in text and "β" in text


def test_docx_formulas_are_word_equations(article: Path) -> None:
    document = docx.Document(io.BytesIO(write(load(article), "docx")))
    omml = document.element.body.xpath(".//*[local-name()='oMath']")
    assert len(omml) == 3
