"""Defects seen converting real, messy pages (the qa6 sweep), each pinned on the real output."""

from __future__ import annotations

from pathlib import Path

from convert import load, sandbox_for, write
from convert.options import WriteOptions
from tests.conftest import epubcheck


def _page(tmp_path: Path, body: str, name: str = "page.html") -> Path:
    page = tmp_path / name
    page.write_text(
        f'<html lang="en"><head><title>Messy page</title></head><body><article><h1>Messy page</h1>{body}'
        "</article></body></html>",
        encoding="utf-8",
    )
    return page


def _write(page: Path, fmt: str, **options: object) -> bytes:
    return write(load(page), fmt, sandbox_for(page, WriteOptions(**options)))  # type: ignore[arg-type]


FILLER = "<p>{} paragraph of the article, with words enough for the extractor to keep it as the body.</p>"


def test_a_heading_made_only_of_an_image_leaves_no_empty_contents_entry(tmp_path: Path) -> None:
    # A CMS heading holding a linked poster image: unfetched, it has no text, and an EPUB contents
    # link without text fails EPUBCheck (RSC-005).
    page = _page(
        tmp_path,
        FILLER.format("First")
        + '<h2><a href="https://example.com/form.pdf"><img src="https://example.com/poster.png"></a></h2>'
        + FILLER.format("Second")
        + "<h2>A real heading</h2>"
        + FILLER.format("Third"),
    )
    report = epubcheck(_write(page, "epub"), tmp_path)
    assert report.errors == [] and report.warnings == []
