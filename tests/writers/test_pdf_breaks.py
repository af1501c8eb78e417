"""PDF page breaking: long blocks may break across pages (URL line breaks: test_url_breaks.py)."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from convert import load, sandbox_for, write
from convert.options import WriteOptions


def pdf_text(path: Path, **options: object) -> list[str]:
    data = write(load(path), "pdf", sandbox_for(path, WriteOptions(**options)))  # type: ignore[arg-type]
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_long_blockquote_starts_on_the_page_it_is_reached_and_breaks(tmp_path: Path) -> None:
    quote = "\n>\n".join(f"> Quoted paragraph {k}: " + "the harbour kept its records " * 12 for k in range(30))
    path = tmp_path / "quote.md"
    path.write_text(f"---\ntitle: Quote\n---\n\nA short introduction.\n\n{quote}\n", encoding="utf-8")
    pages = pdf_text(path)
    assert "Quoted paragraph 0" in pages[0]  # not pushed to the next page, leaving this one empty
