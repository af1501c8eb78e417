"""The link audit, per format and policy: every cited URL clickable, one marker per cited occurrence,
note bodies holding the URLs."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from convert import write
from convert.audit import audit, read_links
from convert.model import Document, Link, Note, inline_text, iter_nodes
from convert.options import LinkPolicy
from tests.conftest import SAMPLES, epub_xhtml, load_sample, options_for

FORMATS = ("pdf", "epub", "docx")


def marked_occurrences(doc: Document) -> list[str]:
    """Cited links that get a marker: not those whose text already is the URL."""
    cited = {c.url for c in doc.citations}
    out = []
    for node in iter_nodes(doc.blocks):
        if isinstance(node, Link) and node.url in cited:
            text, url = inline_text(node.content).rstrip("/"), node.url.rstrip("/")
            if text not in (url, url.split("://", 1)[-1]):
                out.append(node.url)
    return out


def author_notes(doc: Document) -> int:
    return sum(isinstance(node, Note) for node in iter_nodes(doc.blocks))


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request: pytest.FixtureRequest) -> tuple[str, Document]:
    return request.param, load_sample(request.param)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("policy", list(LinkPolicy))
def test_every_citation_is_clickable_and_recorded(sample: tuple[str, Document], fmt: str, policy: LinkPolicy) -> None:
    name, doc = sample
    data = write(doc, fmt, options_for(name, links=policy))
    urls = [c.url for c in doc.citations]
    assert urls, "the samples all cite something"
    assert audit(fmt, data, urls) == []
    assert list(read_links(fmt, data).citations) == urls
    assert audit(fmt, data) == []  # the output audits itself from what it recorded


@pytest.mark.parametrize("policy", [LinkPolicy.ENDNOTE, LinkPolicy.FOOTNOTE])
def test_epub_markers_match_cited_occurrences(sample: tuple[str, Document], policy: LinkPolicy) -> None:
    name, doc = sample
    data = write(doc, "epub", options_for(name, links=policy))
    report = read_links("epub", data)
    assert report.note_refs == len(marked_occurrences(doc)) + author_notes(doc)
    xhtml = epub_xhtml(data)
    if policy is LinkPolicy.FOOTNOTE:
        asides = re.findall(r"<aside[^>]*epub:type=\"footnote\".*?</aside>", xhtml, re.DOTALL)
        for url in set(marked_occurrences(doc)):
            assert any(f'href="{url}"' in aside for aside in asides)


def test_docx_footnotes_match_cited_occurrences(sample: tuple[str, Document]) -> None:
    name, doc = sample
    data = write(doc, "docx", options_for(name, links=LinkPolicy.FOOTNOTE))
    assert read_links("docx", data).note_refs == len(marked_occurrences(doc)) + author_notes(doc)
    package = zipfile.ZipFile(io.BytesIO(data))
    rels = package.read("word/_rels/footnotes.xml.rels").decode()
    for url in set(marked_occurrences(doc)):
        assert f'Target="{url}"' in rels  # a clickable hyperlink inside the note


def test_docx_endnote_markers_link_to_the_reference_list(sample: tuple[str, Document]) -> None:
    name, doc = sample
    data = write(doc, "docx", options_for(name, links=LinkPolicy.ENDNOTE))
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert len(re.findall(r'<w:hyperlink w:anchor="cite-\d+"', document)) == len(marked_occurrences(doc))


def test_pdf_footnotes_print_each_url_where_cited(sample: tuple[str, Document]) -> None:
    name, doc = sample
    reader = PdfReader(io.BytesIO(write(doc, "pdf", options_for(name, links=LinkPolicy.FOOTNOTE))))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    numbers = {c.url: c.n for c in doc.citations}
    for url in set(marked_occurrences(doc)):
        squeezed = "".join(url.split())
        # each cited occurrence has a footnote "[n] URL"; the reference list has the URL once more
        assert text.count(f"[{numbers[url]}]{squeezed}") == marked_occurrences(doc).count(url)
        assert text.count(squeezed) >= marked_occurrences(doc).count(url) + 1


def test_pdf_endnote_markers_are_internal_links(sample: tuple[str, Document]) -> None:
    name, doc = sample
    reader = PdfReader(io.BytesIO(write(doc, "pdf", options_for(name, links=LinkPolicy.ENDNOTE))))
    internal = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            if "/Dest" in obj or (obj.get("/A") is not None and obj["/A"].get("/S") == "/GoTo"):
                internal += 1
    # one marker per cited occurrence, one link back from the reference list to each;
    # the page's own in-page links (its footnote anchors) come on top
    assert internal >= 2 * len(marked_occurrences(doc))
    text = "".join(page.extract_text() for page in reader.pages)
    for cite in doc.citations:
        if cite.url in marked_occurrences(doc):
            assert f"[{cite.n}]" in text
