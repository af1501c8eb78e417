"""Defects a reader saw in the PDF, EPUB and DOCX made from real pages (the qa9 sweep), each pinned on the
real output."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from convert import load, sandbox_for, write
from convert.model import Heading, LineBreak, Link, Paragraph, inline_text
from convert.options import WriteOptions
from tests.conftest import FIXTURES, epub_xhtml, epubcheck


def _write(source: Path, fmt: str) -> bytes:
    return write(load(source), fmt, sandbox_for(source, WriteOptions()))


def _docx_paragraphs(source: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(io.BytesIO(_write(source, "docx"))).paragraphs]


def _bookmarks(data: bytes) -> list[str]:
    import pypdf

    def titles(items: list[Any]) -> list[str]:
        return [title for item in items for title in (titles(item) if isinstance(item, list) else [item.title])]

    return titles(pypdf.PdfReader(io.BytesIO(data)).outline)


BLANK_LINES = FIXTURES / "pages" / "paragraphs-by-blank-lines.html"
OPENINGS = ("Wenn Städte und gebaute Räume", "In einer sich zunehmend", "Öffentliche Räume sind", "Demokratie braucht")


def test_paragraphs_written_as_lines_with_a_blank_line_between_are_paragraphs(tmp_path: Path) -> None:
    # urania.de (trafilatura-eval) writes its essay as <p>…<br><br>…<br><br>…</p>: trafilatura kept one
    # break of each pair, and every output printed the essay as one paragraph of lines, a wall of text.
    doc = load(BLANK_LINES)
    paragraphs = [block for block in doc.blocks if isinstance(block, Paragraph)]
    opened = [p for p in paragraphs if inline_text(p.content).startswith(OPENINGS)]
    assert len(opened) == len(OPENINGS)
    assert not [p for p in opened if any(isinstance(i, LineBreak) for i in p.content)]

    docx_paragraphs = _docx_paragraphs(BLANK_LINES)
    for opening in OPENINGS:
        found = [text for text in docx_paragraphs if text.startswith(opening)]
        assert len(found) == 1 and "\n" not in found[0]

    epub = _write(BLANK_LINES, "epub")
    xhtml = epub_xhtml(epub)
    assert all(f"<p>{opening}" in xhtml for opening in OPENINGS) and "<br" not in xhtml
    report = epubcheck(epub, tmp_path)
    assert report.errors == [] and report.warnings == []


SITE_SUFFIX = FIXTURES / "pages" / "recipe-numbered-steps.html"
FLAG = FIXTURES / "pages" / "title-heading-with-a-flag.html"


def test_a_heading_repeating_the_title_without_its_suffix_goes() -> None:
    # lecker.de (trafilatura-eval): the title "Schneewittchen-Kuchen mit Mini-Marshmallows Rezept | LECKER"
    # over its H1 "Schneewittchen-Kuchen mit Mini-Marshmallows": the name printed twice, as the title and
    # as a heading right under it.
    heading = "Schneewittchen-Kuchen mit Mini-Marshmallows"
    doc = load(SITE_SUFFIX)
    assert doc.meta.title == f"{heading} Rezept"
    assert not [b for b in doc.blocks if isinstance(b, Heading) and inline_text(b.content) == heading]
    assert ("title-heading", heading) in [(r.rule, r.text) for r in doc.removed]

    assert heading not in _bookmarks(_write(SITE_SUFFIX, "pdf"))
    assert [text for text in _docx_paragraphs(SITE_SUFFIX) if text.startswith(heading)] == [doc.meta.title]


def test_a_heading_repeating_the_title_with_a_flag_goes_with_the_page_heading_over_it() -> None:
    # auswaertiges-amt.de (trafilatura-eval): an H1 for screen readers ("Willkommen auf den Seiten des
    # Auswärtigen Amts") over the H1 of the title and the country's flag (alt "Italien"): the PDF opened
    # with the title, then "Italien: Reise- und Sicherheitshinweise Italien" as a heading.
    doc = load(FLAG)
    assert doc.meta.title == "Italien: Reise- und Sicherheitshinweise"
    headings = [inline_text(b.content) for b in doc.blocks if isinstance(b, Heading)]
    assert headings[0] == "Aktuelles"
    removed = [(r.rule, " ".join(r.text.split())) for r in doc.removed]
    assert ("title-heading", "Italien: Reise- und Sicherheitshinweise Italien") in removed
    assert ("kicker", "Willkommen auf den Seiten des Auswärtigen Amts") in removed

    bookmarks = _bookmarks(_write(FLAG, "pdf"))
    assert bookmarks[:2] == ["Italien: Reise- und Sicherheitshinweise", "Aktuelles"]


VIDEO = FIXTURES / "pages" / "embedded-video.html"
PLAYER = "https://www.youtube.com/embed/IBjpt4Wep1U?si=Yo7Rfsj3e6bCITJt"


def test_an_embedded_video_leaves_a_link_to_it(tmp_path: Path) -> None:
    # citylimits.org (trafilatura-eval) shows its story as a YouTube <iframe> between its first two
    # paragraphs: every output lost it without a trace, as a Markdown file's player is not lost.
    import pypdf

    doc = load(VIDEO)
    texts = [inline_text(b.content) for b in doc.blocks if isinstance(b, Paragraph)]
    at = texts.index("YouTube video player")
    assert texts[at - 1].startswith("This City Limits video") and texts[at + 1].startswith("Wednesday is")
    player = doc.blocks[[i for i, b in enumerate(doc.blocks) if isinstance(b, Paragraph)][at]]
    assert isinstance(player, Paragraph) and [type(i) for i in player.content] == [Link]
    assert isinstance(player.content[0], Link) and player.content[0].url == PLAYER

    pdf = pypdf.PdfReader(io.BytesIO(_write(VIDEO, "pdf")))
    uris = [
        annotation.get_object().get("/A", {}).get("/URI")
        for page in pdf.pages
        for annotation in page.get("/Annots") or []
    ]
    assert PLAYER in uris
    assert "YouTube video player" in " ".join(pdf.pages[0].extract_text().split())

    epub = _write(VIDEO, "epub")
    assert re.search(
        rf'<a href="{re.escape(PLAYER.replace("&", "&amp;"))}"[^>]*>YouTube video player</a>', epub_xhtml(epub)
    )
    report = epubcheck(epub, tmp_path)
    assert report.errors == [] and report.warnings == []


ADDRESS = "example.com/research/2024/05/some_long_path_name_with_more_segments_article_name.html"
CITED_ADDRESS = f"""---
title: Words
lang: en
---

In [{ADDRESS}](https://{ADDRESS}) the authors found that the effect was far smaller than expected, and they
said so at length in the discussion.
"""


def test_a_link_showing_an_address_breaks_as_a_url_does(tmp_path: Path) -> None:
    # A link whose text is its address written without "https://" was one long word to the line breaker: the
    # justified first line held "In", stretched across the page, and the address's first part
    # ("In            example.com/research/2024/05/"), or "In" alone.
    source = tmp_path / "cited.md"
    source.write_text(CITED_ADDRESS, encoding="utf-8")
    import pypdf

    pdf = pypdf.PdfReader(io.BytesIO(_write(source, "pdf")))
    lines = [" ".join(line.split()) for line in pdf.pages[0].extract_text().splitlines()]
    first = next(line for line in lines if line.startswith("In "))
    assert first.startswith("In example.com/research/2024/05/some_long_path_name")

    epub = epub_xhtml(_write(source, "epub"))
    link = re.search(r'<a [^>]*class="url"[^>]*>(.*?)</a>', epub)
    assert link is not None and link.group(1).replace("<wbr/>", "") == ADDRESS and "<wbr/>" in link.group(1)
