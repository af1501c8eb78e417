"""PDF anthologies bound from one PDF per article: numbers, contents, bookmarks, labels and links hold."""

from __future__ import annotations

import re
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import Destination

from convert.cli import cli
from convert.collection import bind, build_collection
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from convert.pipeline import load
from convert.transforms.labels import label
from convert.writers import pdf_book
from convert.writers.pdf_book import BOOK_LINK
from convert.writers.pdf_tags import pdf_ua_problems
from tests.conftest import FIXTURES
from tests.test_collection import write_variants
from tests.writers.test_pdf_accessibility import elements, marked_ids, marked_text

ARTICLES = 5


def write_articles(folder: Path) -> list[Path]:
    """The collection tests' variants (in sections by tag; each links to the one before by its source
    URL), each made several pages long, a longer one each time."""
    paths = write_variants(folder, ARTICLES)
    for k, path in enumerate(paths, start=1):
        long_part = "\n\n".join(f"Paragraph {p} of the long part of variant {k}. " * 12 for p in range(k * 4))
        with path.open("a", encoding="utf-8") as text:
            text.write(f"\n## Long part of {k}\n\n{long_part}\n\n## Last part of {k}\n\nThe end.\n")
    return paths


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pdf-book")
    target = root / "book.pdf"
    spec = CollectionSpec("Bound book", "Ed.", sections_from="tags")
    result = build_collection(write_articles(root / "in"), target, spec, WriteOptions(), jobs=1)
    assert result.articles == ARTICLES
    return target


@pytest.fixture(scope="module")
def book(book_path: Path) -> PdfReader:
    return PdfReader(book_path)


@pytest.fixture(scope="module")
def tagged_book(book_path: Path) -> pikepdf.Pdf:
    return pikepdf.open(book_path)


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    marks: list[tuple[int, str, int]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                assert isinstance(item, Destination)
                marks.append((depth, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return marks


def test_every_page_after_the_cover_prints_its_number_of_the_total(book: PdfReader) -> None:
    total = len(book.pages)
    assert total > ARTICLES + 2  # cover, contents, articles of several pages
    assert not re.search(rf"\b1 / {total}\b", book.pages[0].extract_text())
    for k, page in enumerate(book.pages[1:], start=2):
        assert re.search(rf"\b{k} / {total}\b", page.extract_text()), f"page {k}"


def test_page_labels_are_the_printed_numbers(book: PdfReader) -> None:
    assert "/PageLabels" in book.trailer["/Root"]  # said, not a viewer's default
    assert book.page_labels == [str(k) for k in range(1, len(book.pages) + 1)]


def test_contents_gives_the_page_each_article_starts_on(book: PdfReader) -> None:
    contents = book.pages[1].extract_text()
    starts = {title: page for _, title, page in _outline(book) if title.startswith("Variant")}
    assert len(starts) == ARTICLES
    for title, page in starts.items():
        assert re.search(rf"{title}\W+{page + 1}\b", contents), title
        assert title in book.pages[page].extract_text()
    assert list(starts.values()) == sorted(starts.values())


def test_each_contents_entry_reads_its_title_then_its_page_number_and_nothing_between(
    book: PdfReader, book_path: Path, tagged_book: pikepdf.Pdf
) -> None:
    """The leader's dots are drawn, not text: a screen reader reads "Variant 002 …  9", not a hundred dots."""
    texts, _ = marked_text(book_path.read_bytes())
    pages = {page.obj.objgen: number for number, page in enumerate(tagged_book.pages)}
    contents = tagged_book.Root.StructTreeRoot.K[0].K[1]
    entries = ["".join(texts[key] for key in marked_ids(e, pages)) for e in elements(contents) if str(e.S) == "/Link"]
    starts = {title: page + 1 for _, title, page in _outline(book) if title.startswith("Variant")}
    assert len(entries) == ARTICLES
    for entry, (title, page) in zip(entries, starts.items(), strict=True):
        assert re.fullmatch(rf"{re.escape(title)} ?{page}", entry.strip()), entry


def test_the_contents_draws_a_dotted_leader_per_entry_as_an_artifact(tagged_book: pikepdf.Pdf) -> None:
    """Each entry's dots: one pattern fill (the leader box's background), marked as an artifact."""
    artifact, filled = False, 0
    pattern = False
    for operands, operator in pikepdf.parse_content_stream(tagged_book.pages[1]):
        name = str(operator)
        if name in ("BMC", "BDC"):
            artifact = str(operands[0]) == "/Artifact"
        elif name == "EMC":
            artifact = False
        elif name == "cs":
            pattern = str(operands[0]) == "/Pattern"
        elif name == "f" and artifact and pattern:
            filled += 1
    assert filled == ARTICLES


def test_bookmarks_nest_sections_articles_and_their_headings(book: PdfReader) -> None:
    marks = _outline(book)
    assert marks[0] == (0, "Contents", 1)
    sections = [title for depth, title, _ in marks if depth == 0][1:]
    assert sections == ["topic-1", "topic-2", "topic-3", "topic-0"]  # sections in first-seen order
    articles = [title for depth, title, _ in marks if depth == 1]
    assert articles == [f"Variant {k:03d}" for k in (1, 5, 2, 3, 4)]
    for k in range(1, ARTICLES + 1):
        article = next(i for i, m in enumerate(marks) if m[1] == f"Variant {k:03d}")
        below = [m for m in marks[article + 1 :] if m[0] == 2][: k % 3 + 3]
        expected = [*(f"Part {p}" for p in range(1, k % 3 + 2)), f"Long part of {k}", f"Last part of {k}"]
        assert [title for _, title, _ in below] == expected
        pages = [marks[article][2], *(page for _, _, page in below)]
        assert pages == sorted(pages) and pages[-1] > pages[0]  # the long part runs over pages


def _internal_links(reader: PdfReader) -> list[tuple[int, int]]:
    """(page of the link, page it leads to) for every link to a named destination."""
    names = reader.named_destinations
    links = []
    for k, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if "/Dest" in annotation:
                name = str(annotation["/Dest"])
                assert name in names, f"link on page {k + 1} to a destination the book lacks: {name}"
                links.append((k, reader.get_destination_page_number(names[name])))
            action = annotation.get("/A")
            assert not (action and str(action.get("/URI", "")).startswith(BOOK_LINK))
    return links


def test_links_from_the_contents_and_between_articles_lead_to_the_right_page(book: PdfReader) -> None:
    starts = {title: page for _, title, page in _outline(book) if title.startswith("Variant")}
    links = _internal_links(book)
    from_contents = sorted(target for page, target in links if page == 1)
    assert sorted(set(from_contents)) == sorted(starts.values())
    # variant k links to variant k-1 ("the previous piece") from its first page
    for k in range(2, ARTICLES + 1):
        first_page = starts[f"Variant {k:03d}"]
        assert (first_page, starts[f"Variant {k - 1:03d}"]) in links, k


def _bound_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Path], Path]:
    """Three articles, and the book ``build_collection`` binds of them here, dated for the same bytes each time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sources = write_articles(tmp_path / "in")[:3]
    book = tmp_path / "alone.pdf"
    build_collection(sources, book, CollectionSpec("Same book"), WriteOptions(), jobs=1)
    return sources, book


def test_collect_in_worker_processes_binds_the_book_one_process_binds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, alone = _bound_in_one_process(tmp_path, monkeypatch)
    pooled = tmp_path / "pooled.pdf"
    args = ["collect", *map(str, sources), "-o", str(pooled), "--title", "Same book", "--jobs", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert alone.read_bytes() == pooled.read_bytes()


def test_a_book_bound_in_a_process_of_its_own_is_the_book_bound_in_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, here = _bound_in_one_process(tmp_path, monkeypatch)
    apart = tmp_path / "apart.pdf"
    binders: list[int] = []

    class Binder(ProcessPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            binders.append(len(binders))
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(pdf_book, "BIND_APART_FROM", 2)
    monkeypatch.setattr(pdf_book, "ProcessPoolExecutor", Binder)
    build_collection(sources, apart, CollectionSpec("Same book"), WriteOptions(), jobs=1)
    assert binders == [0]
    assert here.read_bytes() == apart.read_bytes()


def test_page_numbers_laid_out_ahead_are_laid_out_again_when_the_contents_changes_the_book_s_length() -> None:
    """The numbers are laid out in the pool for the length the contents had with placeholder numbers."""
    laid_out: list[tuple[int, int, int]] = []

    def numbers(first: int, last: int, total: int) -> bytes:
        laid_out.append((first, last, total))
        return f"{first}-{last}/{total}".encode()

    with ThreadPoolExecutor(2) as pool:
        assert pdf_book._NumberPdfs(numbers, 150, pool).pdfs(150) == [b"1-100/150", b"101-150/150"]
        assert sorted(laid_out) == [(1, 100, 150), (101, 150, 150)]
        laid_out.clear()
        assert pdf_book._NumberPdfs(numbers, 150, pool).pdfs(151) == [b"1-100/151", b"101-151/151"]
        assert {total for _, _, total in laid_out} <= {150, 151}
    assert pdf_book._NumberPdfs(numbers, 3, None).pdfs(3) == [b"1-3/3"]


# The bound book is one tagged PDF (PDF/UA-1 by default), not pages with each article's tags lost.


def test_the_bound_book_is_tagged_pdf_ua_1(book_path: Path, tagged_book: pikepdf.Pdf) -> None:
    assert pdf_ua_problems(book_path.read_bytes()) == []
    assert str(tagged_book.Root.Lang) == "en"  # the articles say none: Tearsheet's default
    assert bool(tagged_book.Root.MarkInfo.Marked) is True
    assert bool(tagged_book.Root.ViewerPreferences.DisplayDocTitle) is True
    with tagged_book.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert xmp.get("dc:title") == "Bound book"


def test_one_document_element_holds_the_front_matter_then_each_article(
    book: PdfReader, tagged_book: pikepdf.Pdf
) -> None:
    root = tagged_book.Root.StructTreeRoot
    document = root.K[0]
    assert str(document.S) == "/Document"
    assert [str(part.S) for part in document.K] == ["/Sect", "/Sect", *["/Art"] * ARTICLES]  # cover, contents
    assert all(part.P.objgen == document.objgen for part in document.K)
    # each article's element starts on the page its bookmark and the contents give
    starts = [page for _, title, page in _outline(book) if title.startswith("Variant")]
    pages = {page.obj.objgen: number for number, page in enumerate(tagged_book.pages)}
    firsts = [min(page for page, _ in marked_ids(part, pages)) for part in document.K[2:]]
    assert firsts == starts


def test_the_structure_tree_reads_every_article_in_the_order_of_the_book(
    book: PdfReader, book_path: Path, tagged_book: pikepdf.Pdf
) -> None:
    """Every piece of marked text is in the one tree once, and the tree reads the book page after page."""
    texts, drawn = marked_text(book_path.read_bytes())
    pages = {page.obj.objgen: number for number, page in enumerate(tagged_book.pages)}
    in_tree = marked_ids(tagged_book.Root.StructTreeRoot.K[0], pages)
    assert sorted(in_tree) == sorted(drawn)
    assert len(set(in_tree)) == len(in_tree)
    assert [page for page, _ in in_tree] == sorted(page for page, _ in in_tree)
    read = " ".join(" ".join(texts.get(key, "").split()) for key in in_tree)
    landmarks = ["Bound book", "Contents"]
    for k in [int(title.split()[1]) for _, title, _ in _outline(book) if title.startswith("Variant")]:
        landmarks += [f"Variant {k:03d}", f"Opening paragraph of variant {k}."]
        landmarks += [f"Part {p}" for p in range(1, k % 3 + 2)]
        landmarks += [f"Paragraph {p} of the long part of variant {k}." for p in range(k * 4)]
        landmarks += [f"Last part of {k}"]
    at = -1
    for landmark in landmarks:  # each after the one before (an article's title is in the contents first)
        at = read.find(landmark, at + 1)
        assert at != -1, f"{landmark!r} not after the landmark before it"
    headings = [e for e in elements(tagged_book.Root.StructTreeRoot.K[0]) if str(e.S) == "/H1"]
    assert len(headings) == 2 + ARTICLES  # the book's title, "Contents", each article's title


def _parent_tree(pdf: pikepdf.Pdf) -> pikepdf.NumberTree:
    return pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)


def test_every_link_has_contents_and_resolves_through_the_parent_tree_to_its_link_element(
    tagged_book: pikepdf.Pdf,
) -> None:
    parents = _parent_tree(tagged_book)
    links = [a for page in tagged_book.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
    assert len(links) > 3 * ARTICLES
    keys = set()
    for annotation in links:
        assert str(annotation.get("/Contents", "")), annotation
        assert not str(annotation.Contents).startswith(BOOK_LINK)
        key = int(annotation.StructParent)
        keys.add(key)
        element: Any = parents[key]
        assert str(element.S) == "/Link"
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        objects = [
            kid.Obj.objgen for kid in kids if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
        ]
        assert annotation.objgen in objects
    assert len(keys) == len(links)  # no two parts' keys collide
    tree_links = {e.objgen for e in elements(tagged_book.Root.StructTreeRoot.K[0]) if str(e.S) == "/Link"}
    assert {parents[int(a.StructParent)].objgen for a in links} <= tree_links


def test_every_page_s_marked_content_resolves_to_elements_of_the_tree(tagged_book: pikepdf.Pdf) -> None:
    parents = _parent_tree(tagged_book)
    reachable = {e.objgen for e in elements(tagged_book.Root.StructTreeRoot.K[0])}
    page_keys = [int(page.obj.StructParents) for page in tagged_book.pages]
    assert len(set(page_keys)) == len(page_keys)
    assert int(tagged_book.Root.StructTreeRoot.ParentTreeNextKey) > max(parents.keys())
    for number, page in enumerate(tagged_book.pages):
        mapped = [e for e in parents[int(page.obj.StructParents)] if isinstance(e, pikepdf.Dictionary)]
        assert mapped, f"page {number + 1}"
        assert all(e.objgen in reachable for e in mapped)
        assert all(e.Pg.objgen == page.obj.objgen for e in mapped if "/Pg" in e)


def test_the_printed_page_numbers_are_pagination_artifacts(tagged_book: pikepdf.Pdf) -> None:
    for number, page in enumerate(tagged_book.pages[1:], start=2):
        open_marks: list[str] = []
        drawn = []
        for instruction in pikepdf.parse_content_stream(page):
            operator, operands = str(instruction.operator), instruction.operands
            if operator in ("BDC", "BMC"):
                kind = str(operands[0])
                if kind == "/Artifact" and operator == "BDC":
                    kind += str(operands[1].get("/Type", ""))
                open_marks.append(kind)
            elif operator == "EMC":
                open_marks.pop()
            elif operator == "Do" and str(operands[0]).startswith("/TearsheetPage"):
                drawn.append(list(open_marks))
        assert drawn == [["/Artifact/Pagination"]], f"page {number}"


def test_an_article_in_another_language_than_the_book_s_says_so(tmp_path: Path) -> None:
    sources = sorted((FIXTURES / "languages").glob("*.md"))
    sources = [*sources, FIXTURES / "front-matter-article.md"]
    loaded = [(str(s), load(s), s.resolve().parent) for s in sources]
    target = tmp_path / "book.pdf"
    bind(loaded, [], target, CollectionSpec(title="Drei Sprachen"), WriteOptions())
    with pikepdf.open(target) as pdf:
        book_language = str(pdf.Root.Lang)
        parts = list(pdf.Root.StructTreeRoot.K[0].K)[2:]
        spoken = [str(part.get("/Lang", book_language)) for part in parts]
        assert [language.split("-")[0] for language in spoken] == ["ar", "de", "en"]
        with pdf.open_outline() as outline:  # the contents' bookmark in the book's language, as its heading
            assert outline.root[0].title == label("contents", book_language)


def test_a_pdf_a_3b_book_is_identified_as_such_and_stays_tagged(tmp_path: Path) -> None:
    sources = write_articles(tmp_path / "in")[:2]
    target = tmp_path / "book.pdf"
    build_collection(sources, target, CollectionSpec("Archive"), WriteOptions(pdf_variant="a-3b"), jobs=1)
    with pikepdf.open(target) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == "3" and xmp.get("pdfaid:conformance") == "B"
        assert {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()} == {
            s.name: s.read_bytes() for s in sources
        }
        assert "/OutputIntents" in pdf.Root
        assert [str(part.S) for part in pdf.Root.StructTreeRoot.K[0].K] == ["/Sect", "/Sect", "/Art", "/Art"]
