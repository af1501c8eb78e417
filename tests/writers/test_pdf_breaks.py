"""PDF page and line breaking: long blocks may break, URLs break only after / . ? & = -."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from convert import load, sandbox_for, write
from convert.options import LinkPolicy, WriteOptions
from convert.render.html import url_parts

# long runs of letters between separators: a line breaking anywhere would cut one of them
SEGMENT = "harbourrecordsvolumetwelvethelongwinteroftheferrycrossing"
LONG_URL = f"https://archive.example.org/{SEGMENT}/{SEGMENT}-{SEGMENT}/index.html?section=appendix&format=print&lang=en"


def pdf_text(path: Path, **options: object) -> list[str]:
    data = write(load(path), "pdf", sandbox_for(path, WriteOptions(**options)))  # type: ignore[arg-type]
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_url_parts_end_after_a_separator_and_keep_the_scheme_whole() -> None:
    parts = url_parts("https://example.org/a-b/c.html?x=1&y=2")
    assert "".join(parts) == "https://example.org/a-b/c.html?x=1&y=2"
    assert parts[0] == "https://example."
    assert all(part[-1] in "/.?&=-" for part in parts[:-1])


@pytest.mark.parametrize("policy", [LinkPolicy.FOOTNOTE, LinkPolicy.ENDNOTE])
def test_a_long_url_breaks_only_after_a_separator_with_nothing_added(tmp_path: Path, policy: LinkPolicy) -> None:
    path = tmp_path / "url.md"
    source = LONG_URL.replace("index.html", "cover.html")
    path.write_text(f"---\ntitle: URL\nsource_url: {source}\n---\n\nSee [the records]({LONG_URL}).\n", encoding="utf-8")
    text = "\n".join(pdf_text(path, links=policy))
    # in the note or the link list, in the header's source link, in the footer's attribution
    pieces = printed(text, "https://archive", len(LONG_URL))
    assert len(pieces) >= 3
    for piece in pieces:
        lines = piece.split("\n")
        assert "".join(lines) in (LONG_URL, source)  # no hyphen or other character inserted
        assert len(lines) > 1  # it had to break
        assert all(line[-1] in "/.?&=-" for line in lines[:-1]), lines
        assert lines[0].startswith("https://archive")


def printed(text: str, start: str, length: int) -> list[str]:
    """Each printed occurrence of a ``length``-character string beginning ``start``, line breaks kept."""
    pieces = []
    for match in re.finditer(re.escape(start), text):
        end, seen = match.start(), 0
        while seen < length and end < len(text):
            seen += text[end] != "\n"
            end += 1
        pieces.append(text[match.start() : end])
    return pieces


def test_a_long_blockquote_starts_on_the_page_it_is_reached_and_breaks(tmp_path: Path) -> None:
    quote = "\n>\n".join(f"> Quoted paragraph {k}: " + "the harbour kept its records " * 12 for k in range(30))
    path = tmp_path / "quote.md"
    path.write_text(f"---\ntitle: Quote\n---\n\nA short introduction.\n\n{quote}\n", encoding="utf-8")
    pages = pdf_text(path)
    assert "Quoted paragraph 0" in pages[0]  # not pushed to the next page, leaving this one empty
