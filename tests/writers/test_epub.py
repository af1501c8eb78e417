"""EPUB: EPUBCheck with no errors or warnings, metadata, notes, images, identifier."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from convert import write
from convert.options import LinkPolicy
from tests.conftest import SAMPLES, epub_xhtml, epubcheck, load_sample, options_for

OPF = "EPUB/content.opf"
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def article_epub(sample: str = "front-matter-article.md", **options: object) -> bytes:
    return write(load_sample(sample), "epub", options_for(sample, **options))


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("policy", list(LinkPolicy))
def test_epubcheck_passes_with_no_messages(sample: str, policy: LinkPolicy, tmp_path: Path) -> None:
    report = epubcheck(article_epub(sample, links=policy), tmp_path)
    assert report.errors == [] and report.warnings == []


def test_package_metadata() -> None:
    opf = zipfile.ZipFile(io.BytesIO(article_epub())).read(OPF).decode()
    assert "<dc:title>Small Libraries, Long Memories</dc:title>" in opf
    assert "<dc:language>en-US</dc:language>" in opf
    assert ">Ines Halvorsen</dc:creator>" in opf
    assert "<dc:date>2023-11-02</dc:date>" in opf
    assert "<dc:source>https://commons-quarterly.example.com/2023/11/small-libraries</dc:source>" in opf
    assert "<dc:publisher>Commons Quarterly</dc:publisher>" in opf


def test_identifier_is_stable_and_derived_from_the_source() -> None:
    first, second = article_epub(), article_epub()
    opf1 = zipfile.ZipFile(io.BytesIO(first)).read(OPF).decode()
    opf2 = zipfile.ZipFile(io.BytesIO(second)).read(OPF).decode()
    ident = opf1.split('id="id">')[1].split("<")[0]
    assert ident.startswith("urn:uuid:") and ident in opf2


def test_language_defaults_to_en_never_a_locale(tmp_path: Path) -> None:
    page = tmp_path / "nolang.md"
    page.write_text("# Title\n\nText.\n", encoding="utf-8")
    from convert import load, sandbox_for
    from convert.options import WriteOptions

    data = write(load(page), "epub", sandbox_for(page, WriteOptions()))
    assert "<dc:language>en</dc:language>" in zipfile.ZipFile(io.BytesIO(data)).read(OPF).decode()


def test_endnotes_are_epub3_notes_linking_back() -> None:
    tree = etree.fromstring(epub_xhtml(article_epub(links=LinkPolicy.ENDNOTE)).encode())
    refs = tree.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    notes = tree.xpath("//*[@epub:type='endnote']", namespaces=NS)
    doc = load_sample("front-matter-article.md")
    assert len(notes) == len(doc.citations)
    for note in notes:
        backlinks = note.xpath(".//x:a[@role='doc-backlink']/@href", namespaces=NS)
        assert all(tree.xpath(f"//*[@id='{href[1:]}']") for href in backlinks)
    targets = {ref.get("href")[1:] for ref in refs}
    assert targets <= {el.get("id") for el in tree.xpath("//*[@id]")}


def test_images_are_embedded() -> None:
    names = zipfile.ZipFile(io.BytesIO(article_epub())).namelist()
    assert any(name.startswith("EPUB/images/") and name.endswith(".svg") for name in names)
    assert 'src="images/' in epub_xhtml(article_epub())


def test_every_cited_url_is_a_link() -> None:
    xhtml = epub_xhtml(article_epub())
    for cite in load_sample("front-matter-article.md").citations:
        assert f'href="{cite.url}"' in xhtml
