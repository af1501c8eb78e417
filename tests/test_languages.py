"""Labels, dates and direction in the article's language, in PDF, EPUB and DOCX, and per article in a book."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from convert import load, sandbox_for, write
from convert.collection import assemble
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from convert.transforms.labels import LABELS, SUMMARY_LABELS, count_label, label, local_date
from convert.writers.epub import EpubWriter
from tests.conftest import FIXTURES, epub_xhtml, epubcheck

GERMAN = FIXTURES / "languages" / "de-artikel.md"
ARABIC = FIXTURES / "languages" / "ar-maqala.md"
NS = {"x": "http://www.w3.org/1999/xhtml"}


def outputs(source: Path) -> dict[str, bytes]:
    doc, options = load(source), sandbox_for(source, WriteOptions())
    return {fmt: write(doc, fmt, options) for fmt in ("pdf", "epub", "docx")}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def epub_text(data: bytes) -> str:
    return " ".join("".join(etree.fromstring(epub_xhtml(data).encode()).itertext()).split())


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]


@pytest.fixture(scope="module")
def german() -> dict[str, bytes]:
    return outputs(GERMAN)


@pytest.fixture(scope="module")
def arabic() -> dict[str, bytes]:
    return outputs(ARABIC)


def test_a_german_article_has_german_labels_and_dates_in_every_format(german: dict[str, bytes]) -> None:
    for text in (pdf_text(german["pdf"]), epub_text(german["epub"])):
        assert "Von Anna Schmidt · 2. November 2023" in text
        assert "Quelle" in text and "Source" not in text
    paragraphs = docx_paragraphs(german["docx"])
    assert ("Date", "2. November 2023") in paragraphs
    assert [text for style, text in paragraphs if style.startswith("Heading")][-2:] == ["Quelle", "Links"]
    with pikepdf.open(io.BytesIO(german["pdf"])) as pdf:
        assert str(pdf.Root.Lang) == "de"


def test_an_arabic_article_has_arabic_labels_dates_and_right_to_left_text(arabic: dict[str, bytes]) -> None:
    tree = etree.fromstring(epub_xhtml(arabic["epub"]).encode())
    article = tree.find(".//x:article", NS)
    assert (article.get("lang"), article.get("dir")) == ("ar", "rtl")  # rtl from the language: no dir was given
    text = epub_text(arabic["epub"])
    assert "بقلم ليلى حسن · 2 نوفمبر 2023" in text and "المصدر" in text and "الروابط" in text
    printed = pdf_text(arabic["pdf"])  # pypdf gives right-to-left runs in visual order: look for the pieces
    assert "بقلم ليلى حسن" in printed and "نوفمبر" in printed and "المصدر" in printed and "Source" not in printed
    with pikepdf.open(io.BytesIO(arabic["pdf"])) as pdf:
        assert str(pdf.Root.Lang) == "ar"
    paragraphs = docx_paragraphs(arabic["docx"])
    assert ("Date", "2 نوفمبر 2023") in paragraphs
    assert [text for style, text in paragraphs if style.startswith("Heading")][-2:] == ["المصدر", "الروابط"]
    body = docx.Document(io.BytesIO(arabic["docx"])).element.body
    assert body.find(".//" + qn("w:bidi")) is not None  # Word lays the paragraphs out right to left


def test_a_url_in_a_right_to_left_article_reads_left_to_right(arabic: dict[str, bytes], tmp_path: Path) -> None:
    assert "https://mina.example.com/2023/11/library" in pdf_text(arabic["pdf"])
    report = epubcheck(arabic["epub"], tmp_path)  # by the dir attribute: EPUB CSS may not set direction
    assert report.errors == [] and report.warnings == []


def test_a_collection_uses_each_articles_own_language() -> None:
    sources = [GERMAN, ARABIC, FIXTURES / "front-matter-article.md"]
    book, _ = assemble([(str(s), load(s), s.parent) for s in sources], CollectionSpec(title="Drei Sprachen"))
    data = EpubWriter().write_book(book, WriteOptions())
    chapters = [a.slug for a in book.articles]
    headings = []
    for slug in chapters:
        tree = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(f"EPUB/{slug}.xhtml"))
        footer = tree.find(".//x:div[@role='doc-endnotes']", NS)
        headings.append([h.text for h in footer.iterfind("x:h2", NS)])
    assert headings == [["Quelle", "Links"], ["المصدر", "الروابط"], ["Source", "Links"]]
    contents = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("EPUB/contents.xhtml"))
    assert [li.get("lang") for li in contents.iterfind(".//x:li", NS)] == ["de", "ar", "en-US"]


@pytest.mark.parametrize("language", sorted(LABELS))
def test_every_language_of_the_table_has_every_label(language: str) -> None:
    own_plurals = {key for key in LABELS[language].keys() - LABELS["en"].keys() if key.startswith("articles-")}
    assert LABELS[language].keys() - own_plurals == LABELS["en"].keys()
    assert all(value.strip() for value in LABELS[language].values())
    assert language in SUMMARY_LABELS and SUMMARY_LABELS[language].keys() == SUMMARY_LABELS["en"].keys()


@pytest.mark.parametrize(
    ("language", "count", "words"),
    [
        ("en", 1, "1 article"),
        ("en", 5, "5 articles"),
        ("pl", 1, "1 artykuł"),  # CLDR's one, few, many
        ("pl", 2, "2 artykuły"),
        ("pl", 5, "5 artykułów"),
        ("pl", 22, "22 artykuły"),
        ("fi", 3, "3 artikkelia"),  # Finnish's partitive after a number
        ("sv", 2, "2 artiklar"),
        ("ar", 1, "مقال واحد"),
    ],
)
def test_a_count_of_articles_takes_the_languages_plural_form(language: str, count: int, words: str) -> None:
    assert count_label(count, language) == words


def test_a_polish_web_page_has_polish_labels_in_every_format(tmp_path: Path) -> None:
    page = tmp_path / "artykul.html"
    page.write_text(
        '<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>Sprzeciw wobec ataków</title>'
        '<meta name="author" content="Łukasz Brzeziński"><meta property="article:published_time" content="2021-05-05">'
        "</head><body><article><h1>Sprzeciw wobec ataków</h1>"
        + "<p>Kolejne organizacje sprzeciwiają się atakom na fundację, a jej zarząd zapowiada odpowiedź. " * 3
        + '<a href="https://example.pl/uchwala">uchwała</a>.</p>'
        + '<p>Stowarzyszenie przyjęło uchwałę w obronie fundacji. <img src="/f.jpg" alt=""></p>' * 3
        + "</article></body></html>",
        encoding="utf-8",
    )
    made = outputs(page)
    for text in (pdf_text(made["pdf"]), epub_text(made["epub"])):
        assert "Autor: Łukasz Brzeziński · 5 maja 2021" in text
        assert "Źródło" in text and "Linki" in text and "Source" not in text
    headings = [text for style, text in docx_paragraphs(made["docx"]) if style.startswith("Heading")]
    assert headings[-2:] == ["Źródło", "Linki"]


def test_an_unknown_language_falls_back_to_english_labels_but_keeps_its_dates() -> None:
    assert label("source", "cs-CZ") == "Source"
    assert label("source", "de-AT") == "Quelle"
    assert label("source", "sv-SE") == "Källa"
    assert local_date("2023-11-02", "cs-CZ") == "2. listopadu 2023"
    assert local_date("2023-11-02", "xx") == "November 2, 2023"
    assert local_date("not a date", "de") == "not a date"
