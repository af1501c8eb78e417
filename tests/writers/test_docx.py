"""DOCX: real files opened with python-docx — core properties, headings, hyperlinks, notes."""

from __future__ import annotations

import io

import docx
import pytest

from convert import write
from convert.options import LinkPolicy
from tests.conftest import SAMPLES, load_sample, options_for

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def article_docx(sample: str = "front-matter-article.md", **options: object) -> docx.document.Document:
    return docx.Document(io.BytesIO(write(load_sample(sample), "docx", options_for(sample, **options))))


def hyperlinks(document: docx.document.Document) -> set[str]:
    rels = set(document.part.rels.values())
    for part in document.part.package.iter_parts():
        rels |= set(part.rels.values())
    return {rel.target_ref for rel in rels if rel.reltype == HYPERLINK}


def test_core_properties() -> None:
    props = article_docx().core_properties
    assert props.title == "Small Libraries, Long Memories"
    assert props.author == "Ines Halvorsen"
    assert props.subject == "How neighbourhood archives keep local history alive"
    assert "archives" in props.keywords
    assert props.language == "en-US"


def test_headings_are_word_headings() -> None:
    styles = {p.text: p.style.name for p in article_docx().paragraphs}
    assert styles["Small Libraries, Long Memories"] == "Title"
    # The title is Word's Title, not a heading: the body's top level is Heading 1 (#17: no skipped level)
    assert styles["The drawers"] == "Heading 1"
    assert styles["What volunteers did"] == "Heading 2"


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("policy", list(LinkPolicy))
def test_every_cited_url_is_a_real_hyperlink(sample: str, policy: LinkPolicy) -> None:
    links = hyperlinks(article_docx(sample, links=policy))
    for cite in load_sample(sample).citations:
        assert cite.url in links


def test_footnote_policy_makes_native_word_footnotes() -> None:
    data = write(load_sample("front-matter-article.md"), "docx", options_for("front-matter-article.md"))
    import zipfile

    # a shown URL carries zero-width spaces where it may break (tests/writers/test_url_breaks.py)
    footnotes = zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml").decode().replace("\u200b", "")
    cites = load_sample("front-matter-article.md").citations
    noted = [c for c in cites if c.text != c.url]  # a link showing its URL needs no note
    assert noted
    for cite in noted:
        assert cite.url in footnotes
    assert footnotes.count("<w:footnote ") - 2 == len(noted) + 1  # + the author's own note; 2 separators


def test_image_is_embedded() -> None:
    assert len(article_docx().inline_shapes) == 1
