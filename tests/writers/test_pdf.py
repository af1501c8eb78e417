"""PDF: real files opened with pypdf — links, metadata, outline, footnotes, page size."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from convert import write
from convert.options import LinkPolicy
from tests.conftest import SAMPLES, load_sample, options_for


def pdf_links(reader: PdfReader) -> list[str]:
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def article_pdf() -> PdfReader:
    doc = load_sample("front-matter-article.md")
    return PdfReader(io.BytesIO(write(doc, "pdf", options_for("front-matter-article.md"))))


def test_metadata_comes_from_front_matter(article_pdf: PdfReader) -> None:
    info = article_pdf.metadata
    assert info is not None
    assert info.title == "Small Libraries, Long Memories"
    assert info.author == "Ines Halvorsen"
    assert info.subject == "How neighbourhood archives keep local history alive"
    assert "libraries" in str(info.get("/Keywords"))
    assert str(info.get("/CreationDate", "")).startswith("D:20231102")


def test_every_cited_url_is_a_clickable_link(article_pdf: PdfReader) -> None:
    doc = load_sample("front-matter-article.md")
    links = pdf_links(article_pdf)
    assert doc.citations
    for cite in doc.citations:
        assert cite.url in links


def test_outline_has_title_and_sections(article_pdf: PdfReader) -> None:
    titles = [item.title for item in article_pdf.outline if not isinstance(item, list)]
    assert titles[0] == "Small Libraries, Long Memories"
    flat = str(article_pdf.outline)
    assert "The drawers" in flat and "Links" in flat


def test_citation_footer_lists_source_and_references(article_pdf: PdfReader) -> None:
    text = pdf_text(article_pdf)
    assert "Source" in text and "Links" in text
    assert "Halvorsen" in text
    assert "Commons Quarterly" in text


def test_footnote_policy_prints_each_url(article_pdf: PdfReader) -> None:
    text = "".join(pdf_text(article_pdf).split())
    for cite in load_sample("front-matter-article.md").citations:
        assert text.count("".join(cite.url.split())) >= 2  # in a footnote and in the reference list


def test_page_size_and_page_numbers() -> None:
    doc = load_sample("front-matter-article.md")
    a4 = PdfReader(io.BytesIO(write(doc, "pdf", options_for("front-matter-article.md"))))
    letter = PdfReader(io.BytesIO(write(doc, "pdf", options_for("front-matter-article.md", page_size="letter"))))
    assert round(float(a4.pages[0].mediabox.width)) == 595
    assert round(float(letter.pages[0].mediabox.width)) == 612
    assert f"1 / {len(a4.pages)}" in a4.pages[0].extract_text()


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("policy", list(LinkPolicy))
def test_every_sample_and_policy_renders_without_warnings(sample: str, policy: LinkPolicy, no_warnings: None) -> None:
    doc = load_sample(sample)
    reader = PdfReader(io.BytesIO(write(doc, "pdf", options_for(sample, links=policy))))
    links = pdf_links(reader)
    assert all(cite.url in links for cite in doc.citations)


def test_a_pdf_does_not_depend_on_what_the_process_rendered_before(monkeypatch: pytest.MonkeyPatch) -> None:
    # Fonts and stylesheets are shared by every PDF a process renders; a batch's outputs must not
    # depend on which worker rendered what before them.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, other = "front-matter-article.md", "web-page.html"
    before = write(load_sample(first), "pdf", options_for(first))
    write(load_sample(other), "pdf", options_for(other, page_size="A5"))
    assert write(load_sample(first), "pdf", options_for(first)) == before


def test_a_stylesheets_font_faces_stay_with_its_own_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A house style that maps the body font to another face must not change PDFs rendered after it.
    font = next(iter(sorted(Path("/usr/share/fonts").rglob("*Mono*.ttf"))), None)
    if font is None:
        pytest.skip("no monospaced TrueType font installed")
    house = tmp_path / "house.css"
    encoded = base64.b64encode(font.read_bytes()).decode("ascii")
    house.write_text(f'@font-face {{ font-family: "Noto Serif"; src: url(data:font/ttf;base64,{encoded}) }}')
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    name = "front-matter-article.md"
    plain = write(load_sample(name), "pdf", options_for(name))
    styled = write(load_sample(name), "pdf", options_for(name, stylesheet=house))
    assert styled != plain  # the house font is used where it was asked for
    assert write(load_sample(name), "pdf", options_for(name)) == plain
