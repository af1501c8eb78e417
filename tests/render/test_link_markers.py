"""Link markers: apart from the author's notes, never in headings or the contents, one per run."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from convert import load, sandbox_for, write
from convert.options import LinkPolicy, WriteOptions
from tests.conftest import epub_xhtml, epubcheck

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}

ARTICLE = """---
title: Markers
source_url: https://example.org/markers
---

## The [Gecko](https://gecko.example/) engine

The [Mozilla](https://mozilla.example/) [Foundation](https://mozilla.example/) wrote it,[^1]
then [Netscape](https://netscape.example/).

## History

Text.

[^1]: The author's own note.
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "markers.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def epub(path: Path, policy: LinkPolicy) -> bytes:
    return write(load(path), "epub", sandbox_for(path, WriteOptions(links=policy)))


@pytest.mark.parametrize("policy", [LinkPolicy.ENDNOTE, LinkPolicy.FOOTNOTE])
def test_headings_and_the_contents_carry_no_marker(article: Path, policy: LinkPolicy) -> None:
    data = epub(article, policy)
    nav = zipfile.ZipFile(io.BytesIO(data)).read("EPUB/nav.xhtml").decode()
    assert ">The Gecko engine<" in nav
    tree = etree.fromstring(epub_xhtml(data).encode())
    heading = tree.xpath("//x:h2", namespaces=NS)[0]
    assert "".join(heading.itertext()) == "The Gecko engine"
    assert heading.xpath(".//x:a/@href", namespaces=NS) == ["https://gecko.example/"]  # still a link


@pytest.mark.parametrize("policy", [LinkPolicy.ENDNOTE, LinkPolicy.FOOTNOTE])
def test_link_markers_look_unlike_the_authors_notes(article: Path, policy: LinkPolicy) -> None:
    tree = etree.fromstring(epub_xhtml(epub(article, policy)).encode())
    body = tree.xpath("//x:div[@class='article-body']", namespaces=NS)[0]
    link_markers = body.xpath(".//x:span[@class='link-marker']/x:a", namespaces=NS)
    author_notes = body.xpath(".//x:sup/x:a[@epub:type='noteref']", namespaces=NS)
    assert [a.text for a in link_markers] == ["[2]", "[3]"]  # Mozilla Foundation once, then Netscape
    assert [a.text for a in author_notes] == ["1"]


def test_the_same_url_twice_in_a_row_gives_one_marker_in_pdf(article: Path) -> None:
    data = write(load(article), "pdf", sandbox_for(article, WriteOptions(links=LinkPolicy.FOOTNOTE)))
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Mozilla Foundation[2]" in text and "Mozilla[2]" not in text
    assert text.count("[2]") == 2  # the marker and its note


REPEATED = """---
title: Repeats
source_url: https://example.org/repeats
---

Main article: [Firefox](https://firefox.example/)

[Firefox](https://firefox.example/) is a web browser, and [Gecko](https://gecko.example/) draws its pages.

{filler}

Later on, [Firefox](https://firefox.example/) again, far from its first note.
"""


@pytest.fixture
def repeated(tmp_path: Path) -> Path:
    path = tmp_path / "repeats.md"
    # No two paragraphs alike: a repeat would be printed once.
    filler = "\n\n".join(
        f"Part {k}. " + "Words that fill up more than a page of text between two citations. " * 4 for k in range(12)
    )
    path.write_text(REPEATED.format(filler=filler), encoding="utf-8")
    return path


def test_a_url_cited_again_a_few_words_on_gets_its_number_not_a_second_footnote(repeated: Path, tmp_path: Path) -> None:
    data = epub(repeated, LinkPolicy.FOOTNOTE)
    assert epubcheck(data, tmp_path).errors == []  # the repeated number links to the list of links
    tree = etree.fromstring(epub_xhtml(data).encode())
    notes = tree.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)
    firefox = [n for n in notes if "https://firefox.example/" in "".join(n.itertext())]
    assert len(firefox) == 2  # the first two citations share one note; the one far on has its own
    markers = tree.xpath("//x:div[@class='article-body']//x:span[@class='link-marker']/x:a", namespaces=NS)
    assert [a.text for a in markers] == ["[1]", "[1]", "[2]", "[1]"]
    assert markers[1].get("href").endswith("#cite-1")
    pdf = write(load(repeated), "pdf", sandbox_for(repeated, WriteOptions(links=LinkPolicy.FOOTNOTE)))
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert first_page.count("https://firefox.example/") == 1
