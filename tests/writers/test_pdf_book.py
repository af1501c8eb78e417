"""PDF anthologies bound from one PDF per article: numbers, contents, bookmarks, labels and links hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import Destination

from convert.cli import cli
from convert.collection import build_collection
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from convert.writers.pdf_book import BOOK_LINK
from tests.test_collection import write_variants

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
def book(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    root = tmp_path_factory.mktemp("pdf-book")
    target = root / "book.pdf"
    spec = CollectionSpec("Bound book", "Ed.", sections_from="tags")
    result = build_collection(write_articles(root / "in"), target, spec, WriteOptions(), jobs=1)
    assert result.articles == ARTICLES
    return PdfReader(target)


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


def test_collect_in_worker_processes_binds_the_book_one_process_binds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sources = write_articles(tmp_path / "in")[:3]
    alone, pooled = tmp_path / "alone.pdf", tmp_path / "pooled.pdf"
    build_collection(sources, alone, CollectionSpec("Same book"), WriteOptions(), jobs=1)
    args = ["collect", *map(str, sources), "-o", str(pooled), "--title", "Same book", "--jobs", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert alone.read_bytes() == pooled.read_bytes()
