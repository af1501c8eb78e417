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


def stretched_lines(path: Path) -> int:
    """Lines of the PDF's first page whose spaces were widened to justify them: a text-showing
    array with a gap moved right (a negative adjustment beyond kerning's)."""
    import pikepdf

    data = write(load(path), "pdf", sandbox_for(path, WriteOptions()))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        arrays = [ops[0] for ops, op in pikepdf.parse_content_stream(pdf.pages[0]) if str(op) == "TJ"]
    return sum(any(isinstance(item, int | float) and item < -20 for item in array) for array in arrays)


def test_a_table_cell_is_not_justified(tmp_path: Path) -> None:
    """A cell is too narrow to justify: its words stood a column apart (a saved page's <td><p>)."""
    text = "Task status is changed to scheduled when the next trigger timestamp passes and a worker picks it up"
    article = "<h1>Tasks</h1><p>How tasks move.</p>{}<p>That is all.</p>"
    head = "<tr><th><p>Field</p></th><th><p>Meaning</p></th></tr>"
    cell = f"<table>{head}<tr><td><p>status</p></td><td><p>{text}</p></td></tr></table>"
    (tmp_path / "cell.html").write_text(article.format(cell), encoding="utf-8")
    (tmp_path / "prose.html").write_text(article.format(f"<p>{text} {text}</p>"), encoding="utf-8")
    assert stretched_lines(tmp_path / "prose.html")  # prose is justified: the measure sees it
    assert not stretched_lines(tmp_path / "cell.html")
