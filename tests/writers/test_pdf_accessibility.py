"""Tagged PDF/UA-1 by default, PDF/A-3 with the input attached: the structure tree read back with pikepdf."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from convert import attach_source, load, sandbox_for, write
from convert.collection import assemble, bind
from convert.model import Heading, inline_text, iter_nodes, plain_text
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from convert.writers import pdf as pdf_writer
from convert.writers import pdf_tags
from convert.writers.pdf import PdfWriter
from tests.conftest import FIXTURES

ARTICLE = FIXTURES / "front-matter-article.md"  # footnotes, an image, a table? no: see TABLE below
UNDESCRIBED = FIXTURES / "accessibility" / "undescribed.html"


def pdf_of(source: Path, **options: Any) -> bytes:
    return write(load(source), "pdf", attach_source(source, sandbox_for(source, WriteOptions(**options))))


def elements(element: Any) -> list[Any]:
    """Every structure element under ``element`` in reading order (depth first)."""
    out = [element]
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out += elements(kid)
    return out


def marked_ids(element: Any, pages: dict[tuple[int, int], int]) -> list[tuple[int, int]]:
    """(page number, MCID) of the marked content under ``element``, in reading order."""
    out: list[tuple[int, int]] = []
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            out.append((pages[element.Pg.objgen], int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out += marked_ids(kid, pages)
    return out


class _MarkedText:
    """A pypdf visitor: the text drawn inside each marked-content id of one page."""

    def __init__(self, number: int, texts: dict[tuple[int, int], str], order: list[tuple[int, int]]) -> None:
        self.number, self.texts, self.order = number, texts, order
        self.open: list[int | None] = []  # the marked-content ids open at this point of the page

    def before(self, operator: bytes, operands: list[Any], *_: Any) -> None:
        if operator in (b"BDC", b"BMC"):
            properties = operands[1] if operator == b"BDC" and len(operands) > 1 else {}
            mcid = None if operands[0] == "/Artifact" else properties.get("/MCID")
            self.open.append(None if mcid is None else int(mcid))
            if mcid is not None:
                self.order.append((self.number, int(mcid)))
        elif operator == b"EMC" and self.open:
            self.open.pop()

    def text(self, piece: str, *_: Any) -> None:
        if self.open and self.open[-1] is not None:
            key = (self.number, self.open[-1])
            self.texts[key] = self.texts.get(key, "") + piece


def marked_text(data: bytes) -> tuple[dict[tuple[int, int], str], list[tuple[int, int]]]:
    """The text of each (page, MCID), decoded by pypdf, and the ids in the order the pages draw them."""
    texts: dict[tuple[int, int], str] = {}
    order: list[tuple[int, int]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        visitor = _MarkedText(number, texts, order)
        page.extract_text(visitor_operand_before=visitor.before, visitor_text=visitor.text)
    return texts, order


@pytest.fixture(scope="module")
def tagged_bytes() -> bytes:
    return pdf_of(ARTICLE)


@pytest.fixture(scope="module")
def tagged(tagged_bytes: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(tagged_bytes))


@pytest.fixture(scope="module")
def anthology() -> pikepdf.Pdf:
    sources = [ARTICLE, FIXTURES / "scraped-article.md", FIXTURES / "real" / "wikipedia" / "source.html"]
    loaded = [(str(s), load(s), s.resolve().parent) for s in sources]
    book, _ = assemble(loaded, CollectionSpec(title="Three articles"))
    return pikepdf.open(io.BytesIO(PdfWriter().write_book(book, WriteOptions())))


def test_the_default_pdf_is_tagged_pdf_ua_1(tagged: pikepdf.Pdf) -> None:
    assert str(tagged.Root.Lang) == "en-US"
    assert bool(tagged.Root.MarkInfo.Marked) is True
    assert bool(tagged.Root.ViewerPreferences.DisplayDocTitle) is True
    with tagged.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert xmp.get("dc:title") == "Small Libraries, Long Memories"


def test_one_article_element_holds_the_whole_article_and_its_footnotes(tagged: pikepdf.Pdf) -> None:
    """WeasyPrint makes an Art per page and leaves footnotes outside as NonStruct; they are joined."""
    document = tagged.Root.StructTreeRoot.K[0]
    assert [str(part.S) for part in document.K] == ["/Art"]
    notes = [e for e in elements(document.K[0]) if e.S == "/Note"]
    doc = load(ARTICLE)
    assert len(notes) == len(doc.citations)  # --links auto gives this article footnotes: one note per link
    headings = [str(e.S) for e in elements(document) if re.fullmatch(r"/H\d", str(e.S))]
    assert headings[0] == "/H1" and headings.count("/H1") == 1
    body = [inline_text(h.content) for h in iter_nodes(doc.blocks) if isinstance(h, Heading)]
    assert len(headings) == 1 + len(body) + 2  # the title, the body's headings, "Source" and "Links"


def test_reading_order_of_the_structure_tree_is_the_order_of_the_text(tagged: pikepdf.Pdf, tagged_bytes: bytes) -> None:
    """Every piece of text is in the tree once (the rest are artifacts), and read in the article's order."""
    texts, drawn = marked_text(tagged_bytes)
    pages = {page.obj.objgen: number for number, page in enumerate(tagged.pages)}
    in_tree = marked_ids(tagged.Root.StructTreeRoot.K[0], pages)
    assert sorted(in_tree) == sorted(drawn)
    read = " ".join(" ".join(texts.get(key, "").split()) for key in in_tree)
    doc = load(ARTICLE)
    headings = [inline_text(h.content) for h in iter_nodes(doc.blocks) if isinstance(h, Heading)]
    landmarks = [doc.meta.title, *headings, "Source", "Links"]
    positions = [read.find(landmark) for landmark in landmarks]
    assert -1 not in positions and positions == sorted(positions), list(zip(landmarks, positions, strict=True))
    first_words = [" ".join(p.split()[:4]) for p in plain_text(doc.blocks).split("\n") if len(p.split()) > 8]
    at = [read.find(words) for words in first_words]
    assert -1 not in at and at == sorted(at)


def test_running_headers_and_page_numbers_are_artifacts(anthology: pikepdf.Pdf) -> None:
    artifacts = [
        instruction
        for page in anthology.pages
        for instruction in pikepdf.parse_content_stream(page)
        if str(instruction.operator) == "BDC" and str(instruction.operands[0]) == "/Artifact"
    ]
    assert len(artifacts) >= len(anthology.pages)  # a page number on every page at least
    parents = pikepdf.NumberTree(anthology.Root.StructTreeRoot.ParentTree)  # a bound book's has /Kids
    reachable = {e.objgen for e in elements(anthology.Root.StructTreeRoot.K[0])}
    mapped = [e for v in parents.values() if isinstance(v, pikepdf.Array) for e in v if e is not None]
    assert mapped and all(e.objgen in reachable for e in mapped if isinstance(e, pikepdf.Dictionary))


def test_an_anthology_has_one_element_per_part(anthology: pikepdf.Pdf) -> None:
    parts = [str(part.S) for part in anthology.Root.StructTreeRoot.K[0].K]
    assert parts == ["/Sect", "/Sect", "/Art", "/Art", "/Art"]  # cover, contents, three articles


def test_table_headers_have_a_scope(anthology: pikepdf.Pdf) -> None:
    headers = [e for e in elements(anthology.Root.StructTreeRoot.K[0]) if e.S == "/TH"]
    assert headers, "the Wikipedia page's infobox has header cells"
    assert all(str(h.A.Scope) in ("/Column", "/Row") for h in headers)


def test_every_link_has_contents_and_a_place_in_the_tree(tagged: pikepdf.Pdf) -> None:
    links = [a for page in tagged.pages for a in page.get("/Annots", []) if a.Subtype == "/Link"]
    assert links
    assert all(str(a.get("/Contents", "")) for a in links)
    parents = pikepdf.NumberTree(tagged.Root.StructTreeRoot.ParentTree)
    for annotation in links:  # filed under the Link element itself, not a box inside it (PDF/UA-1, 7.18.5)
        element = parents[int(annotation.StructParent)]
        assert str(element.S) == "/Link"
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") == annotation for k in kids)


def test_an_undescribed_image_is_decorative_not_a_figure_without_alt() -> None:
    with pikepdf.open(io.BytesIO(pdf_of(UNDESCRIBED))) as pdf:
        figures = [e for e in elements(pdf.Root.StructTreeRoot.K[0]) if e.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == [
            "The turbine above the north pier at dawn",
            "A second view of the turbine from the beach",
        ]


def test_pdf_a_3b_carries_the_input_byte_identical() -> None:
    with pikepdf.open(io.BytesIO(pdf_of(ARTICLE, pdf_variant="a-3b"))) as pdf:
        attached = pdf.attachments[ARTICLE.name]
        assert attached.get_file().read_bytes() == ARTICLE.read_bytes()
        assert str(attached.obj.AFRelationship) == "/Source"
        assert [spec.objgen for spec in pdf.Root.AF] == [attached.obj.objgen]
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == "3" and xmp.get("pdfaid:conformance") == "B"
        assert "/StructTreeRoot" in pdf.Root  # still tagged: the archival copy stays accessible


def test_none_is_untagged_and_attaches_nothing() -> None:
    with pikepdf.open(io.BytesIO(pdf_of(ARTICLE, pdf_variant="none"))) as pdf:
        assert "/StructTreeRoot" not in pdf.Root and len(pdf.attachments) == 0


def test_the_cli_writes_a_pdf_a_3u_with_its_input(tmp_path: Path) -> None:
    out = tmp_path / "archive.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "convert", "convert", str(UNDESCRIBED), "--pdf-variant", "a-3u", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 image has no alt text" in done.stderr
    with pikepdf.open(out) as pdf:
        assert pdf.attachments[UNDESCRIBED.name].get_file().read_bytes() == UNDESCRIBED.read_bytes()
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfaid:conformance") == "U"
    assert PdfReader(out).pages  # pypdf, which the link audit uses, reads it


def test_a_pdf_a_3b_book_carries_each_input_it_was_bound_from(tmp_path: Path) -> None:
    sources = sorted((FIXTURES / "languages").glob("*.md"))
    loaded = [(str(s), load(s), s.resolve().parent) for s in sources]
    target = tmp_path / "book.pdf"
    bind(loaded, [], target, CollectionSpec(title="Zwei Sprachen"), WriteOptions(pdf_variant="a-3b"))
    with pikepdf.open(target) as pdf:
        attached = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
        assert attached == {s.name: s.read_bytes() for s in sources}
        assert len(pdf.Root.AF) == len(sources)


def _instructions(page: Any) -> list[tuple[list[str], str]]:
    return [(list(map(str, i.operands)), str(i.operator)) for i in pikepdf.parse_content_stream(page)]


def test_margin_boxes_re_marked_without_parsing_the_stream_as_the_parser_would(monkeypatch: pytest.MonkeyPatch) -> None:
    untouched: list[bytes] = []  # WeasyPrint's own PDF, before the repair

    def keep(data: bytes) -> bytes:
        untouched.append(data)
        return pdf_tags.repair_pdf(data)

    monkeypatch.setattr(pdf_writer, "repair_pdf", keep)
    pdf_of(ARTICLE)
    fast = pikepdf.open(io.BytesIO(pdf_tags.repair_pdf(untouched[0])))
    monkeypatch.setattr(pdf_tags, "_artifacts_in_stream", lambda content, orphans: None)  # always the parser
    parsed = pikepdf.open(io.BytesIO(pdf_tags.repair_pdf(untouched[0])))
    assert len(fast.pages) > 1
    assert [_instructions(page) for page in fast.pages] == [_instructions(page) for page in parsed.pages]


def test_a_stream_the_pattern_cannot_vouch_for_is_left_to_the_parser() -> None:
    stream = b"/P\n<</MCID 0>>\nBDC\n<0012> Tj\nEMC\n/Span\n<</MCID 1>>\nBDC\n<0013> Tj\nEMC"
    assert pdf_tags._artifacts_in_stream(stream, {1}) == stream.replace(
        b"/Span\n<</MCID 1>>\nBDC", b"/Artifact <</Type /Pagination>> BDC"
    )
    assert pdf_tags._artifacts_in_stream(stream.replace(b"<0013>", b"(<</MCID 2>> BDC)"), {1}) is None  # a string
    assert pdf_tags._artifacts_in_stream(stream, {1, 2}) is None  # an orphan with no BDC of its own


def test_the_repaired_pdf_is_compressed(tagged: pikepdf.Pdf) -> None:
    # WeasyPrint writes it uncompressed for the repair; the repair's save compresses it.
    assert all(page.obj.Contents.get("/Filter") == "/FlateDecode" for page in tagged.pages)
    assert any(isinstance(o, pikepdf.Stream) and o.get("/Type") == "/ObjStm" for o in tagged.objects)
