"""Accessibility of the EPUBs: Ace by DAISY finds nothing, and the metadata says what the book holds.

Ace runs once per book, all books built and checked in one session-scoped fixture (Ace starts a
Chromium each time, 2–10 s). Without Ace the Ace tests skip locally and FAIL in CI (``CI`` set):
``.ci/run`` installs it (``scripts/install-ace.sh``).
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from convert import load, sandbox_for, write
from convert.ace import AceReport, find_ace, run_ace
from convert.collection import assemble
from convert.model import Document, Heading, Image, inline_text, iter_nodes
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from convert.writers.epub import EpubWriter
from convert.writers.zipped import reproducible_zip
from tests.conftest import FIXTURES, SAMPLES, epub_xhtml, require_ace

REAL = sorted((FIXTURES / "real").glob("*/source.html"))
UNDESCRIBED = FIXTURES / "accessibility" / "undescribed.html"
OPF = "EPUB/content.opf"
NS = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def epub_of(source: Path, doc: Document | None = None) -> bytes:
    return write(doc or load(source), "epub", sandbox_for(source, WriteOptions()))


def book_of(sources: list[Path], title: str, docs: dict[Path, Document] | None = None) -> bytes:
    docs = docs or {}
    loaded = [(str(s), docs.get(s) or load(s), s.resolve().parent) for s in sources]
    book, _ = assemble(loaded, CollectionSpec(title=title))
    return EpubWriter().write_book(book, WriteOptions())


def metadata(data: bytes) -> dict[str, list[str]]:
    """The OPF's ``<meta property=…>`` values by property."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(OPF))
    out: dict[str, list[str]] = {}
    for meta in root.iterfind(".//opf:meta[@property]", NS):
        out.setdefault(meta.get("property"), []).append(meta.text or "")
    return out


# ------------------------------------------------------------------------------------ Ace


BOOKS = [
    *(Path(name).stem for name in SAMPLES),
    *(source.parent.name for source in REAL),
    "undescribed",
    "collection-of-10",
    "collection-of-languages",
]


@pytest.fixture(scope="session")
def ace_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, AceReport]:
    """Every book of ``BOOKS`` written and checked by Ace once."""
    require_ace()
    program = find_ace()
    out = tmp_path_factory.mktemp("ace-books")
    singles = [*(FIXTURES / name for name in SAMPLES), UNDESCRIBED]
    books: dict[str, bytes] = {source.stem: epub_of(source) for source in singles}
    real = {source: load(source) for source in REAL}  # each page read once, for its own EPUB and for the book
    books |= {source.parent.name: epub_of(source, doc) for source, doc in real.items()}
    books["collection-of-10"] = book_of(REAL, "Ten real pages", real)
    languages = sorted((FIXTURES / "languages").glob("*.md"))  # German and Arabic (right to left), in English
    books["collection-of-languages"] = book_of([*languages, FIXTURES / "front-matter-article.md"], "Languages")
    paths = []
    for name, data in books.items():
        path = out / f"{name}.epub"
        path.write_bytes(data)
        paths.append(path)
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda path: run_ace(path, program), paths))
    return {path.stem: report for path, report in zip(paths, reports, strict=True)}


@pytest.mark.parametrize("book", BOOKS)
def test_ace_finds_no_violation(book: str, ace_reports: dict[str, AceReport]) -> None:
    assert [str(v) for v in ace_reports[book].violations] == []


def test_ace_reads_the_conformance_claim(ace_reports: dict[str, AceReport]) -> None:
    """Ace sees every property it asks for; the claim only where every image has alt text."""
    described, undescribed = ace_reports["front-matter-article"].metadata, ace_reports["undescribed"].metadata
    assert "dcterms:conformsTo" in described["present"] and "dcterms:conformsTo" not in undescribed["present"]
    for properties in (described, undescribed):
        assert not {"schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard"} & set(
            properties["missing"]
        )


# ------------------------------------------------------------------------------ metadata


def test_a_book_whose_images_all_have_alt_text_declares_it() -> None:
    data = epub_of(FIXTURES / "front-matter-article.md")
    meta = metadata(data)
    assert meta["schema:accessMode"] == ["textual", "visual"]
    assert meta["schema:accessModeSufficient"] == ["textual,visual", "textual"]
    assert {"structuralNavigation", "tableOfContents", "alternativeText"} <= set(meta["schema:accessibilityFeature"])
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert "Every image (1) has a text alternative" in meta["schema:accessibilitySummary"][0]
    package = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(OPF))
    assert package.get(XML_LANG) == "en-US"


def test_a_book_without_images_claims_no_visual_mode(tmp_path: Path) -> None:
    page = tmp_path / "plain.md"
    page.write_text("---\ntitle: Plain\nlang: de\n---\n\nNur Text.\n", encoding="utf-8")
    data = epub_of(page)
    meta = metadata(data)
    assert meta["schema:accessMode"] == ["textual"]
    assert meta["schema:accessModeSufficient"] == ["textual"]
    assert "alternativeText" not in meta["schema:accessibilityFeature"]
    assert etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(OPF)).get(XML_LANG) == "de"


def test_an_image_described_nowhere_is_reported_and_no_alt_text_is_claimed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="tearsheet")
    data = epub_of(UNDESCRIBED)
    assert [r.getMessage() for r in caplog.records] == ["1 image has no alt text, caption or title in the source"]
    meta = metadata(data)
    assert "alternativeText" not in meta["schema:accessibilityFeature"]
    assert meta["schema:accessModeSufficient"] == ["textual,visual"]  # the text alone does not carry it
    assert "dcterms:conformsTo" not in meta
    assert "Images without a text alternative in the source: 1 of 3" in meta["schema:accessibilitySummary"][0]
    images = etree.fromstring(epub_xhtml(data).encode()).findall(".//x:img", NS)
    # alt="" is written (a reader then skips the image instead of announcing its file name)
    assert [img.get("alt") for img in images] == [
        "The turbine above the north pier at dawn",
        "A second view of the turbine from the beach",
        "",
    ]


def summary_of(data: bytes) -> tuple[str | None, str]:
    """The accessibility summary's ``xml:lang`` and text."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(OPF))
    meta = root.find(".//opf:meta[@property='schema:accessibilitySummary']", NS)
    return meta.get(XML_LANG), meta.text or ""


@pytest.mark.parametrize(
    ("source", "language", "opening"),
    [
        ("languages/de-artikel.md", "de", "Umbrechbarer Text mit Überschriften in richtiger Reihenfolge"),
        ("languages/ar-maqala.md", "ar", "نص قابل لإعادة التدفق"),
        ("front-matter-article.md", "en-US", "Reflowable text with headings in order"),
    ],
)
def test_the_accessibility_summary_is_in_the_books_language(source: str, language: str, opening: str) -> None:
    lang, text = summary_of(epub_of(FIXTURES / source))
    assert lang == language and text.startswith(opening)


def test_a_summary_tearsheet_has_no_words_for_says_it_is_english(tmp_path: Path) -> None:
    path = tmp_path / "cs.md"
    path.write_text("---\ntitle: Síť\nlang: cs\n---\n\nSíť roste.\n", "utf-8")
    lang, text = summary_of(epub_of(path))
    assert (lang, text.split(".")[0]) == ("en", "Reflowable text with headings in order and a table of contents")


def test_an_image_gets_its_figure_caption_or_title_as_alt_text() -> None:
    doc = load(UNDESCRIBED)
    alts = [inline_text(node.content) for node in iter_nodes(doc.blocks) if isinstance(node, Image)]
    assert alts == ["The turbine above the north pier at dawn", "A second view of the turbine from the beach", ""]


def test_the_collection_cover_has_alt_text_and_the_books_language() -> None:
    data = book_of([FIXTURES / "front-matter-article.md"], "Weekly reading")
    cover = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("EPUB/cover.xhtml"))
    assert cover.get(XML_LANG) == "en-US"
    assert cover.find(".//x:img", NS).get("alt").startswith("Cover: Weekly reading, ")
    meta = metadata(data)
    assert meta["schema:accessMode"] == ["textual", "visual"]  # the cover is a picture
    assert "alternativeText" in meta["schema:accessibilityFeature"]


# ------------------------------------------------------------------------------ headings


def test_heading_levels_never_skip_and_no_heading_is_lost() -> None:
    """The source goes H2 → H4 → H3; the book's outline goes h2 → h3 → h3 under the title's h1."""
    doc = load(UNDESCRIBED)
    tree = etree.fromstring(epub_xhtml(epub_of(UNDESCRIBED)).encode())
    article = tree.find(".//x:article", NS)
    rendered = [
        (int(el.tag[-1]), "".join(el.itertext()))
        for el in article.iter()
        if isinstance(el.tag, str) and el.tag[-2:-1] == "h" and el.tag[-1].isdigit()
    ]
    levels = [level for level, _ in rendered]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    body = [inline_text(h.content) for h in iter_nodes(doc.blocks) if isinstance(h, Heading)]
    assert [text for level, text in rendered[1 : 1 + len(body)]] == body
    assert rendered[1 : 1 + len(body)] == [(2, "The wall"), (3, "Measurements"), (3, "What comes next")]


# ------------------------------------------------------------------------- tearsheet check


def without_accessibility_metadata(data: bytes) -> bytes:
    """The EPUB as Tearsheet wrote it before: no xml:lang on the package, no schema.org metadata."""

    def strip(name: str, content: bytes) -> bytes:
        if not name.endswith(".opf"):
            return content
        content = re.sub(rb' xml:lang="[^"]*"', b"", content, count=1)
        return re.sub(rb'<meta property="(schema|dcterms):[^"]*">[^<]*</meta>', b"", content)

    return reproducible_zip(data, strip)


def test_check_accessibility_runs_ace_on_epubs_and_pdf_ua_checks_on_pdfs(tmp_path: Path) -> None:
    require_ace()
    good = tmp_path / "good.epub"
    good.write_bytes(epub_of(FIXTURES / "front-matter-article.md"))
    (tmp_path / "bad.epub").write_bytes(without_accessibility_metadata(good.read_bytes()))
    for variant in ("ua-1", "none"):
        source = FIXTURES / "scraped-article.md"
        (tmp_path / f"{variant}.pdf").write_bytes(write(load(source), "pdf", WriteOptions(pdf_variant=variant)))
    done = subprocess.run(
        [sys.executable, "-m", "convert", "check", str(tmp_path), "--accessibility"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    failing = {line.split(": ")[2] for line in done.stderr.splitlines() if line.startswith("tearsheet: error:")}
    assert failing == {str(tmp_path / "bad.epub"), str(tmp_path / "none.pdf")}
    assert "ace: serious epub-lang" in done.stderr and "ace: serious metadata-accessmode" in done.stderr
    assert "pdf-ua: not tagged" in done.stderr
    assert "checked 4 outputs: 2 fine, 2 with problems" in done.stdout


def test_check_accessibility_without_ace_is_one_line(tmp_path: Path) -> None:
    book = tmp_path / "book.epub"
    book.write_bytes(epub_of(FIXTURES / "front-matter-article.md"))
    env = {**os.environ, "TEARSHEET_ACE": str(tmp_path / "no-such-ace")}
    done = subprocess.run(
        [sys.executable, "-m", "convert", "check", str(book), "--accessibility"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "tearsheet: error: check --accessibility: Ace by DAISY is not installed: ELECTRON_SKIP_BINARY_DOWNLOAD=1"
        " PUPPETEER_SKIP_DOWNLOAD=1 npm install @daisy/ace, and a Chromium (PUPPETEER_EXECUTABLE_PATH)"
    ]
