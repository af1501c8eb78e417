"""A right-to-left article prints from the right in PDF, its citation footer included: the source
attribution and the list of links start at the right margin, each list number right of its entry."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from convert import load, sandbox_for, write
from convert.options import LinkPolicy, WriteOptions


def text_runs(data: bytes) -> list[tuple[float, float, str]]:
    """Each text run of the first page as (baseline y, start x, text), in PDF points."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((round(y), x, text.strip()))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return runs


def test_the_footer_of_a_right_to_left_article_starts_at_the_right(tmp_path: Path) -> None:
    path = tmp_path / "short-ar.md"
    # short lines, so that which side a line starts on shows
    front = "---\ntitle: مكتبة\nlang: ar\nsource_url: https://a.example/x\n---\n\n"
    path.write_text(front + "أعادت [تقرير](https://b.example/r) المكتبة.\n", "utf-8")
    data = write(load(path), "pdf", sandbox_for(path, WriteOptions(links=LinkPolicy.ENDNOTE)))
    width = float(PdfReader(io.BytesIO(data)).pages[0].mediabox.width)
    runs = text_runs(data)
    lines: dict[float, list[tuple[float, str]]] = {}
    for y, x, text in runs:
        lines.setdefault(y, []).append((x, text))
    source = [line for line in lines.values() if any(t.startswith("https://a.") for _, t in line)]
    links = [line for line in lines.values() if any(t.startswith("https://b.") for _, t in line)]
    assert len(source) == 2 and len(links) == 1  # the header's source link and the attribution; the link list
    for line in [*source, *links]:
        assert min(x for x, _ in line) > width / 2, line  # a short line keeps to the right margin
    (entry,) = links
    marker = next(x for x, text in entry if text.replace(".", "").strip() == "1")
    assert marker == max(x for x, _ in entry)  # the number is on the right, where the entry starts
