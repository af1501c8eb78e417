"""Every script, every direction: fonts that cover the text, and lang/dir in all outputs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from convert import load, sandbox_for, write
from convert.options import WriteOptions

SCRIPTS = Path(__file__).parent.parent / "fixtures" / "scripts"


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return fonts


def render(name: str, fmt: str) -> bytes:
    path = SCRIPTS / name
    return write(load(path), fmt, sandbox_for(path, WriteOptions()))


def test_pdf_uses_fonts_that_cover_cjk_arabic_hebrew_and_emoji() -> None:
    fonts = pdf_fonts(render("world.md", "pdf"))
    joined = " ".join(fonts)
    assert "CJK" in joined, fonts
    assert "Arabic" in joined or "Naskh" in joined, fonts
    assert "Hebrew" in joined, fonts
    assert "Emoji" in joined, fonts


def test_pdf_text_survives_in_every_script() -> None:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render("world.md", "pdf"))).pages)
    for sample in ("图书馆保存了城市的记忆", "図書館は街の記憶を守っています"):
        assert sample in text


def test_rtl_language_and_direction_reach_every_format() -> None:
    xhtml = zipfile.ZipFile(io.BytesIO(render("arabic.md", "epub"))).read("EPUB/article.xhtml").decode()
    assert 'lang="ar"' in xhtml and 'dir="rtl"' in xhtml
    document = zipfile.ZipFile(io.BytesIO(render("arabic.md", "docx"))).read("word/document.xml").decode()
    assert "<w:bidi" in document or "<w:rtl" in document
    pdf = PdfReader(io.BytesIO(render("arabic.md", "pdf")))
    assert pdf.metadata is not None and pdf.metadata.title == "المكتبات الصغيرة"
    assert str(pdf.trailer["/Root"].get("/Lang")) == "ar"


@pytest.mark.parametrize("name", ["world.md", "arabic.md"])
def test_epub_with_every_script_passes_epubcheck(name: str, tmp_path: Path) -> None:
    from tests.conftest import epubcheck

    report = epubcheck(render(name, "epub"), tmp_path)
    assert report.errors == [] and report.warnings == []
