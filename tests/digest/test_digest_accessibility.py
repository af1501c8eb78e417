"""A feed digest is as accessible as any other EPUB: Ace finds nothing in a book of two feeds whose
entries have images (one without alt text, described by its caption), another language, and an
entry whose page is gone (the feed's own content stands in)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from convert.ace import find_ace, run_ace
from tests.conftest import require_ace
from tests.digest.feeds import article_page, article_text, atom_feed, rss_feed
from tests.digest.site import Site, serve
from tests.digest.test_digest_feeds import EPOCH, NOW, run

OPF_NS = {"opf": "http://www.idpf.org/2007/opf"}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 90, 140)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def test_a_feed_digest_has_no_ace_violation_and_says_what_it_holds(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_ace()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site.put("/img/quay.png", png(), "image/png")
    site.put(
        "/harbour/quay.html",
        "<html lang='en'><head><title>The quay</title></head><body><article><h1>The quay</h1>"
        f"<p>{article_text('quay')}.</p><figure><img src='/img/quay.png'>"
        "<figcaption>The quay at low tide, seen from the harbour wall.</figcaption></figure>"
        f"<p>{article_text('quay-2', 80)}.</p></article></body></html>",
    )
    site.put("/harbour/tide.html", article_page("Tide tables", "tide"))
    site.put(
        "/netz/strom.html",
        "<html lang='de'><head><title>Das Stromnetz</title></head><body><article><h1>Das Stromnetz</h1>"
        + "<p>Das Netz wächst, und die Leitungen werden länger. " * 12
        + "</p></article></body></html>",
    )
    harbour = site.put(
        "/harbour/feed.xml",
        atom_feed(
            "Harbour notes",
            [("The quay", "/harbour/quay.html", NOW, ""), ("Tide tables", "/harbour/tide.html", NOW, "")],
        ),
        "application/atom+xml",
    )
    gone = "<p>The whole story, as the feed carries it: the cable reached the island in March.</p>"
    grid = site.put(
        "/grid.rss",
        rss_feed(
            "Grid weekly",
            [("Das Stromnetz", "/netz/strom.html", NOW, ""), ("Gone away", "/gone.html", NOW, gone)],
        ),
        "application/rss+xml",
    )
    book = tmp_path / "digest.epub"
    code, _, err = run(
        "collect", "--feed", harbour, "--feed", grid, "-o", str(book), "--title", "Digest",
        *site.network_args(tmp_path / "cache"),
    )  # fmt: skip
    assert code == 0, err

    chapters = {
        n: zipfile.ZipFile(book).read(n).decode() for n in zipfile.ZipFile(book).namelist() if n.endswith(".xhtml")
    }
    assert any('alt="The quay at low tide, seen from the harbour wall."' in c for c in chapters.values())
    assert any('xml:lang="de"' in c and "Das Stromnetz" in c for c in chapters.values())
    assert any("the cable reached the island" in c for c in chapters.values())

    report = run_ace(book, find_ace())
    assert [str(v) for v in report.violations] == []
    opf = etree.fromstring(zipfile.ZipFile(book).read("EPUB/content.opf"))
    said: dict[str, set[str]] = {}
    for meta in opf.iterfind(".//opf:meta[@property]", OPF_NS):
        said.setdefault(meta.get("property"), set()).add(meta.text or "")
    assert said["schema:accessMode"] == {"textual", "visual"}  # it holds an image (and a drawn cover)
    assert "alternativeText" in said["schema:accessibilityFeature"]  # the caption became the alt text
    assert {"structuralNavigation", "tableOfContents"} <= said["schema:accessibilityFeature"]
    assert said["schema:accessibilityHazard"] == {"none"}
