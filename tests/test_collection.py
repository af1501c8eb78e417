"""Collections: many articles in one EPUB or PDF, each keeping its title, authors and sources."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from pypdf import PdfReader

from convert.cli import cli
from convert.collection import build_collection
from convert.model.book import CollectionSpec
from convert.options import WriteOptions
from tests.conftest import FIXTURES, SAMPLES, epubcheck

VARIANTS = 100
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def write_variants(folder: Path, count: int) -> list[Path]:
    """Articles of varied shape; each links to the one before it by that one's source URL."""
    folder.mkdir(parents=True)
    shutil.copytree(FIXTURES / "images", folder / "images")
    paths = []
    for k in range(1, count + 1):
        previous = f"See also [the previous piece](https://variants.example/{k - 1}/)." if k > 1 else ""
        sections = "\n\n".join(
            f"## Part {p}\n\nText of part {p} cites [source {k}.{p}](https://ref.example/{k}/{p})."
            for p in range(1, k % 3 + 2)
        )
        path = folder / f"variant-{k:03d}.md"
        path.write_text(
            f"---\ntitle: Variant {k:03d}\nauthor: Writer {k % 7}\ndate: 2024-{k % 12 + 1:02d}-{k % 27 + 1:02d}\n"
            f"source_url: https://variants.example/{k}\ntags: [topic-{k % 4}]\n---\n\n"
            f"Opening paragraph of variant {k}. {previous}\n\n{sections}\n\n![A turbine](images/turbine.svg)\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("collection")
    samples = root / "samples"
    samples.mkdir()
    shutil.copytree(FIXTURES / "images", samples / "images")
    for name in SAMPLES:
        shutil.copy(FIXTURES / name, samples / name)
    return [samples / name for name in SAMPLES] + write_variants(root / "variants", VARIANTS)


@pytest.fixture(scope="module")
def book(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    target = tmp_path_factory.mktemp("book") / "book.epub"
    spec = CollectionSpec("A week of reading", "The Editors", sections_from="folders")
    result = build_collection(inputs, target, spec, WriteOptions())
    assert result.articles == len(inputs) and result.failed == []
    return target.read_bytes()


def chapters(data: bytes) -> dict[str, etree._Element]:
    package = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(n for n in package.namelist() if re.fullmatch(r"EPUB/a\d{4}\.xhtml", n))
    return {n: etree.fromstring(package.read(n)) for n in names}


def test_epubcheck_has_nothing_to_say(book: bytes, tmp_path: Path) -> None:
    report = epubcheck(book, tmp_path)
    assert report.errors == [] and report.warnings == []


def test_toc_has_sections_then_one_entry_per_article_with_its_headings(book: bytes, inputs: list[Path]) -> None:
    nav = etree.fromstring(zipfile.ZipFile(io.BytesIO(book)).read("EPUB/nav.xhtml"))
    sections = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li[x:ol]", namespaces=NS)
    assert [s.xpath("string(x:a)", namespaces=NS) for s in sections] == ["Samples", "Variants"]
    articles = [li for s in sections for li in s.xpath("x:ol/x:li", namespaces=NS)]
    assert len(articles) == len(inputs)
    variant = next(li for li in articles if li.xpath("string(x:a)", namespaces=NS) == "Variant 002")
    assert variant.xpath("x:ol/x:li/x:a/text()", namespaces=NS) == ["Part 1", "Part 2", "Part 3"]
    ncx = zipfile.ZipFile(io.BytesIO(book)).read("EPUB/toc.ncx").decode()
    assert ncx.count("<navPoint") >= len(inputs) + 2


def test_each_chapter_has_its_header_and_its_own_citation_footer(book: bytes) -> None:
    for name, root in chapters(book).items():
        article = root.xpath("//x:article", namespaces=NS)[0]
        assert article.xpath("x:header/x:h1", namespaces=NS), name
        last = article.xpath("*")[-1]
        assert last.get("class") == "citation-footer", name
        # notes restart at 1 in every chapter
        refs = root.xpath("//*[@epub:type='endnote']/@id", namespaces=NS)
        assert refs == [f"cite-{n}" for n in range(1, len(refs) + 1)], name


def test_link_to_another_bundled_article_lands_inside_the_book(book: bytes) -> None:
    package = zipfile.ZipFile(io.BytesIO(book))
    by_title = {}
    for name, root in chapters(book).items():
        by_title[root.xpath("string(//x:h1)", namespaces=NS)] = name.removeprefix("EPUB/")
    second = etree.fromstring(package.read(f"EPUB/{by_title['Variant 002']}"))
    hrefs = second.xpath("//x:a[text()='the previous piece']/@href", namespaces=NS)
    assert hrefs == [by_title["Variant 001"]]


def test_identical_images_are_stored_once(book: bytes) -> None:
    images = [n for n in zipfile.ZipFile(io.BytesIO(book)).namelist() if n.startswith("EPUB/images/")]
    assert len(images) == 1


def test_cover_image_and_contents_page(book: bytes) -> None:
    opf = zipfile.ZipFile(io.BytesIO(book)).read("EPUB/content.opf").decode()
    assert re.search(r'<item[^>]*href="cover.png"[^>]*properties="cover-image"', opf)
    contents = zipfile.ZipFile(io.BytesIO(book)).read("EPUB/contents.xhtml").decode()
    assert len(re.findall(r"<li[ >]", contents)) == VARIANTS + len(SAMPLES)  # each <li lang=…> its article's


def test_two_builds_with_source_date_epoch_are_identical(
    inputs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    digests = []
    for k in range(2):
        target = tmp_path / f"book{k}.epub"
        build_collection(inputs[:12], target, CollectionSpec("Same"), WriteOptions(), jobs=1)
        digests.append(hashlib.sha256(target.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_duplicates_are_included_once(tmp_path: Path, inputs: list[Path]) -> None:
    copy = tmp_path / "copy.md"
    shutil.copy(inputs[0], copy)
    result = build_collection([inputs[0], copy], tmp_path / "dup.epub", CollectionSpec("Dup"), WriteOptions())
    assert result.articles == 1 and result.duplicates == [str(copy)]


def test_order_by_date(inputs: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "dated.epub"
    build_collection(inputs[3:10], target, CollectionSpec("Dated", order="date"), WriteOptions())
    dates = [root.xpath("string(//x:time/@datetime)", namespaces=NS) for root in chapters(target.read_bytes()).values()]
    assert dates == sorted(dates)


def test_pdf_anthology(inputs: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "book.pdf"
    result = build_collection(inputs[:5], target, CollectionSpec("Anthology", "Ed."), WriteOptions())
    assert result.articles == 5
    reader = PdfReader(target)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [
        "Contents",
        "Small Libraries, Long Memories",
        "Trump Regime Continues Supporting ISIS",
        "Why Tidal Energy Keeps Missing Its Moment",
        "Variant 001",
        "Variant 002",
    ]
    contents = reader.pages[1].extract_text()
    assert re.search(r"Variant 002\W+\d+", contents)
    # cover, contents, then the first article's first page; its second page has no heading of
    # its own, so its title there is the running header
    second_page = reader.pages[3].extract_text()
    assert "COMMONS QUARTERLY" not in second_page and "Small Libraries, Long Memories" in second_page
    assert f"4 / {len(reader.pages)}" in second_page


def test_cli_collect_reports_failures_and_still_writes(inputs: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "cli.epub"
    missing = tmp_path / "missing.md"
    result = CliRunner().invoke(
        cli, ["collect", str(inputs[0]), str(missing), "-o", str(target), "--title", "CLI book", "--toc-depth", "1"]
    )
    assert result.exit_code == 1
    assert f"tearsheet: error: {missing}: no such file" in result.stderr
    assert target.is_file()


def test_cli_collect_gives_up_on_an_input_past_the_timeout(inputs: list[Path], tmp_path: Path) -> None:
    stalled = tmp_path / "stalled.md"
    stalled.write_text("[" * 24 + "@a\n", encoding="utf-8")  # pandoc's Markdown reader takes hours on this
    target = tmp_path / "timed.epub"
    args = ["collect", str(stalled), str(inputs[0]), "-o", str(target), "--title", "T", "--timeout", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert f"tearsheet: error: {stalled}: timed out after 1 s" in result.stderr
    assert "(1 article)" in result.stdout and target.is_file()


def test_an_epub_whose_chapters_render_in_worker_processes_is_the_epub_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``collect --jobs 2`` renders an EPUB's chapters in its workers (images loaded and stored here): same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sources = write_variants(tmp_path / "in", 9)  # enough for a pool (collection.SERIAL_BELOW)
    (tmp_path / "in" / "variant-004.md").write_text(
        (tmp_path / "in" / "variant-004.md").read_text(encoding="utf-8") + "\n![Lost](images/missing.png)\n",
        encoding="utf-8",
    )
    alone = tmp_path / "alone.epub"
    build_collection(sources, alone, CollectionSpec("Same book"), WriteOptions(), jobs=1)
    pooled = tmp_path / "pooled.epub"
    args = ["collect", *map(str, sources), "-o", str(pooled), "--title", "Same book", "--jobs", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert re.search(r"variant-004\.md: 1 image not fetched", result.output)  # said about its article
    assert alone.read_bytes() == pooled.read_bytes()
