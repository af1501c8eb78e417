"""One allow-list of link schemes for every format; source URLs must be http(s) (#22)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from pypdf import PdfReader

from convert import load, write
from convert.feeds import _json_feed
from tests.conftest import epubcheck
from tests.writers.test_docx import hyperlinks
from tests.writers.test_pdf import pdf_links

UNSAFE = [
    "javascript:alert(1)",
    "JaVa\u0001Script:alert(2)",  # browsers ignore control characters in a scheme
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
    "ms-msdt:/id PCWDiagnostic",
    "smb://attacker.example/share",
    "data:text/html;base64,PHNjcmlwdD4=",
    "ftp://files.example/x",
]
SAFE = ["https://safe.example/a", "http://plain.example/b", "mailto:editor@example.org"]


def _article(tmp_path: Path, source_url: str = "https://origin.example/post") -> Path:
    links = "\n\n".join(f"Paragraph {k} has [link {k}]({url})." for k, url in enumerate(UNSAFE + SAFE))
    text = f'---\ntitle: Schemes\nsource_url: "{source_url}"\n---\n\n## Top {{#top}}\n\n{links}\n\n[back](#top)\n'
    path = tmp_path / "schemes.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_only_allowed_schemes_stay_links_and_the_rest_are_recorded(tmp_path: Path) -> None:
    doc = load(_article(tmp_path))
    removed = [r.text for r in doc.removed if r.rule == "unsafe-link-scheme"]
    assert [text.partition(" <")[0] for text in removed] == [f"link {k}" for k in range(len(UNSAFE))]
    assert removed[2] == "link 2 <file:///etc/passwd>"

    document = docx.Document(io.BytesIO(write(doc, "docx")))
    assert hyperlinks(document) == set(SAFE) | {"https://origin.example/post"}
    external = [r for r in document.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.HYPERLINK]
    assert all(r.is_external for r in external)

    assert set(pdf_links(PdfReader(io.BytesIO(write(doc, "pdf"))))) <= {*SAFE, "https://origin.example/post"}
    epub = write(doc, "epub")
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        text = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    for url in UNSAFE:
        assert f'href="{url}"' not in text and "link 0</a>" not in text
    assert 'href="https://safe.example/a"' in text and 'href="mailto:editor@example.org"' in text
    assert epubcheck(epub, tmp_path).errors == []


@pytest.mark.parametrize("source_url", ["javascript:alert(document.domain)", "file:///etc/passwd", "data:,x"])
def test_a_source_url_that_is_not_http_is_dropped_everywhere(source_url: str, tmp_path: Path) -> None:
    doc = load(_article(tmp_path, source_url))
    assert doc.meta.source_url == ""
    assert [r.text for r in doc.removed if r.rule == "unsafe-source-url"] == [source_url]
    document = docx.Document(io.BytesIO(write(doc, "docx")))
    assert not any(source_url in link for link in hyperlinks(document))
    assert source_url not in " ".join(pdf_links(PdfReader(io.BytesIO(write(doc, "pdf")))))


def test_a_saved_pages_og_url_must_be_http(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<html lang="en"><head><title>Saved</title><meta property="og:url" content="javascript:alert(1)">'
        "</head><body><article><h1>Saved</h1><p>" + "Words of the saved page. " * 40 + "</p></article></body></html>",
        encoding="utf-8",
    )
    doc = load(page)
    assert doc.meta.source_url == ""


def test_a_feed_entry_linking_to_javascript_is_skipped() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": ['
        b'{"id": "1", "url": "javascript:alert(2)", "title": "Bad", "content_html": "<p>x</p>"},'
        b'{"id": "2", "url": "https://feed.example/good", "title": "Good", "content_html": "<p>y</p>"}]}'
    )
    assert [entry.link for entry in _json_feed(body, "https://feed.example/feed.json")] == ["https://feed.example/good"]
