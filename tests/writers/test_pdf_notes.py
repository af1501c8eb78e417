"""PDF link notes: each note on its marker's page, or the article's links listed at its end."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from convert import load, sandbox_for, write
from convert.options import LinkPolicy, WriteOptions
from convert.transforms.links import FOOTNOTE_DENSITY_LIMIT, marker_density

NOTE_LINE = re.compile(r"^\[(\d+)\] ", re.MULTILINE)


def stray_notes(reader: PdfReader) -> list[tuple[int, str]]:
    """(page, label) of every printed link note whose marker is not on the same page."""
    stray = []
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        for label in NOTE_LINE.findall(text):
            if text.count(f"[{label}]") < 2:  # the note itself, and its marker in the text
                stray.append((number, label))
    return stray


def notes_only_pages(reader: PdfReader) -> list[int]:
    """Pages whose lines are only link notes, the running header and the page number."""
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines[1:-1] if not NOTE_LINE.match(line)]
        if NOTE_LINE.search(page.extract_text()) and not body:
            pages.append(number)
    return pages


def article(tmp_path: Path, links_per_paragraph: int, paragraphs: int = 12, url_length: int = 60) -> Path:
    words = ["the", "harbour", "archive", "keeps", "a", "record", "of", "every", "ferry", "in", "the", "valley"]
    lines = [
        f"---\ntitle: Links {links_per_paragraph}\nsource_url: https://example.org/links-{links_per_paragraph}\n---\n"
    ]
    count = 0
    for p in range(paragraphs):
        text = []
        for k in range(5):
            sentence = list(words)
            if k == 4:
                sentence[-1] = f"valley-{p}"  # no two paragraphs alike: a repeat would be printed once
            if k < links_per_paragraph:
                count += 1
                url = f"https://example.org/{p}/{count}/" + "x" * max(url_length - 30, 1)
                sentence[3] = f"[{sentence[3]}]({url})"
            text.append(" ".join(sentence) + ".")
        lines.append(" ".join(text) + "\n")
    path = tmp_path / f"links-{links_per_paragraph}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def pdf(path: Path, **options: object) -> PdfReader:
    return PdfReader(io.BytesIO(write(load(path), "pdf", sandbox_for(path, WriteOptions(**options)))))  # type: ignore[arg-type]


def test_a_sparse_article_keeps_its_footnotes_by_default(tmp_path: Path) -> None:
    path = article(tmp_path, 1)
    assert marker_density(load(path)) <= FOOTNOTE_DENSITY_LIMIT
    reader = pdf(path)
    assert NOTE_LINE.search(reader.pages[0].extract_text())  # notes at the foot of the first page
    assert not stray_notes(reader)


def test_a_dense_article_lists_its_links_at_its_end_by_default(tmp_path: Path) -> None:
    path = article(tmp_path, 5, paragraphs=20)
    doc = load(path)
    assert marker_density(doc) > FOOTNOTE_DENSITY_LIMIT
    reader = pdf(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert not NOTE_LINE.search(text)  # no footnotes
    assert "[1]" in reader.pages[0].extract_text()  # markers stay numbered
    footnoted = pdf(path, links=LinkPolicy.FOOTNOTE)
    assert len(reader.pages) < len(footnoted.pages)
    # each marker links to its entry in the list at the end; each entry is the clickable URL
    internal = uris = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris += 1
            elif annot.get_object().get("/Dest") is not None or (action is not None and "/D" in action):
                internal += 1
    assert uris >= 2 * len(doc.citations)  # in the text and in the list
    assert internal >= 2 * len(doc.citations)  # marker → entry, entry → back to the marker


def test_footnotes_asked_for_switch_to_endnotes_when_a_note_cannot_stay(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # forty-five links in one sentence: their notes cannot all print on the page of their line
    path = tmp_path / "cluster.md"
    links = " ".join(f"[w{k}](https://example.org/a/{k}/page)" for k in range(45))
    path.write_text(f"---\ntitle: Cluster\n---\n\nSome text before. {links}\n\nAfter.\n", encoding="utf-8")
    caplog.set_level(logging.WARNING)
    reader = pdf(path, links=LinkPolicy.FOOTNOTE)
    warnings = [r.getMessage() for r in caplog.records if r.name == "tearsheet"]
    assert len(warnings) == 1
    assert re.match(
        r"footnotes switched to endnotes: note \[\d+\] would print on page \d+, "
        r"its marker is on page \d+ \(and \d+ more\)$",
        warnings[0],
    )
    assert not stray_notes(reader) and not notes_only_pages(reader)


def test_footnotes_that_fit_are_kept_without_a_word(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    reader = pdf(article(tmp_path, 2), links=LinkPolicy.FOOTNOTE)
    assert NOTE_LINE.search(reader.pages[0].extract_text())
    assert not [r for r in caplog.records if r.name == "tearsheet"]
    assert not stray_notes(reader)


def article_pages(reader: PdfReader, titles: list[str]) -> list[range]:
    """Page indices of each article of an anthology (by title, in order), from its top-level bookmarks."""
    first_page = {}
    for item in reader.outline:
        if not isinstance(item, list):
            first_page.setdefault(item.title, reader.get_destination_page_number(item))
    starts = [first_page[title] for title in titles]
    return [range(start, end) for start, end in zip(starts, [*starts[1:], len(reader.pages)], strict=True)]


def uris_on(reader: PdfReader, pages: range) -> list[str]:
    uris = []
    for index in pages:
        for annot in reader.pages[index].get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def test_articles_of_an_anthology_never_share_notes(tmp_path: Path) -> None:
    from convert.collection import build_collection
    from convert.model.book import CollectionSpec

    # sparse overall, so footnotes are tried first, but ending in a sentence of thirty links
    # whose notes spill past the article's last page
    first = article(tmp_path, 0, paragraphs=40)
    links = " ".join(f"[w{k}](https://example.org/end/{k}/page)" for k in range(30))
    first.write_text(first.read_text(encoding="utf-8") + f"\nThe end. {links}\n", encoding="utf-8")
    second = article(tmp_path, 1)
    target = tmp_path / "book.pdf"
    build_collection([first, second], target, CollectionSpec("Two"), WriteOptions())
    reader = PdfReader(target)
    assert not stray_notes(reader) and not notes_only_pages(reader)
    ranges = article_pages(reader, [load(first).meta.title, load(second).meta.title])
    for source, pages in zip((first, second), ranges, strict=True):
        printed = uris_on(reader, pages)
        for cite in load(source).citations:
            assert printed.count(cite.url) >= 2, cite.url  # where it is cited, and in its note or list


def test_a_sparse_article_with_a_crowd_of_links_gets_endnotes_in_one_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from convert.writers import pdf as pdf_writer

    # sparse overall (like lwn's 11 markers per 1,000 words), but one paragraph cites a dozen pages
    path = article(tmp_path, 0, paragraphs=40)
    crowd = " ".join(f"[w{k}](https://example.org/crowd/{k}/page)" for k in range(14))
    path.write_text(path.read_text(encoding="utf-8") + f"\nSee {crowd} for more.\n", encoding="utf-8")
    assert marker_density(load(path)) <= FOOTNOTE_DENSITY_LIMIT
    layouts = []
    layout = pdf_writer._layout
    monkeypatch.setattr(pdf_writer, "_layout", lambda *args: layouts.append(1) or layout(*args))
    reader = pdf(path)
    assert len(layouts) == 1  # decided before layout, not after a first one with footnotes
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert not NOTE_LINE.search(text) and "Links" in text  # the article's links listed at its end
