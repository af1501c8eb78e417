"""Defects seen converting real, messy pages (the qa6 sweep), each pinned on the real output."""

from __future__ import annotations

import re
from pathlib import Path

from convert import load, sandbox_for, write
from convert.options import WriteOptions
from tests.conftest import epub_xhtml, epubcheck


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


def _pdf_text(data: bytes) -> str:
    import io

    import pypdf

    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_an_alt_text_that_is_only_the_file_name_is_not_printed(tmp_path: Path) -> None:
    # CMSs fill alt (and title) with the upload's name; a missing image then read "[Pressefreiheit_2020_….jpg]".
    page = _page(
        tmp_path,
        FILLER.format("First") + '<p><img src="https://example.com/c/csm_Press_2020_Eliasson_245x370_6595d1.jpg"'
        ' alt="Press_2020_Eliasson_245x370.jpg"> Olafur Eliasson designed the front page.</p>'
        + '<p><img src="https://example.com/up/2019_212_Caisse-de-grève_Affiche2-214x300.jpg"'
        ' alt="2019_212_Caisse de grève_Affiche2" title="2019_212_Caisse de grève_Affiche2"> The poster.</p>'
        + '<p><img src="https://example.com/barack-obama.jpg" alt="Barack Obama"> The president spoke.</p>'
        + FILLER.format("Last"),
    )
    text = _pdf_text(_write(page, "pdf"))
    assert "Eliasson_245x370" not in text and "Affiche2" not in text
    assert text.count("[image]") == 2
    assert "[Barack Obama]" in text  # a name that describes the picture stays
    removed = [r.text for r in load(page).removed if r.rule == "file-name-alt"]
    assert len(removed) == 2 and removed[0].startswith("Press_2020_Eliasson_245x370.jpg <https://example.com/")


def test_a_blank_code_block_prints_no_empty_box(tmp_path: Path) -> None:
    # Pages keep an empty <pre> for layout; it printed as a large empty grey box at the article's top.
    page = _page(
        tmp_path,
        "<pre>\n      \n\n      \n\n    </pre>"
        + FILLER.format("First")
        + "<pre>\n\n    total = 1\n    total += 2\n\n\n</pre>"
        + FILLER.format("Last"),
    )
    xhtml = epub_xhtml(_write(page, "epub"))
    codes = re.findall(r"<pre[^>]*><code[^>]*>(.*?)</code></pre>", xhtml, re.DOTALL)
    assert codes == ["    total = 1\n    total += 2"]


def test_a_whitespace_only_code_block_is_not_printed(tmp_path: Path) -> None:
    page = tmp_path / "post.md"
    page.write_text("# Post\n\nText.\n\n```\n      \n\n   \n```\n\nMore text.\n", encoding="utf-8")
    text = _pdf_text(_write(page, "pdf"))
    assert "Text. More text." in text
    assert "<pre" not in epub_xhtml(_write(page, "epub"))


def _pdf_runs(data: bytes) -> list[tuple[str, str, float]]:
    """(text, font name, y) of each text run the PDF shows, in page order."""
    import io

    import pypdf

    runs: list[tuple[str, str, float]] = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            if text.strip():
                name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
                runs.append((text.strip(), name, cm[5] + tm[5]))

        page.extract_text(visitor_text=visit)
    return runs


def _fonts_of(runs: list[tuple[str, str, float]], needle: str) -> set[str]:
    return {font for text, font, _ in runs if needle in text}


def test_a_footnote_cited_in_bold_text_is_not_bold(tmp_path: Path) -> None:
    # The float footnote inherited the weight of its call site: <strong>Lire : <a>…</a></strong>.
    page = _page(
        tmp_path,
        FILLER.format("First")
        + '<p><strong>The whole debate is on <a href="https://example.com/strong-link">the vote</a> page.</strong></p>'
        + FILLER.format("Last"),
    )
    runs = _pdf_runs(_write(page, "pdf", links="footnote"))
    body, note = _fonts_of(runs, "whole debate"), _fonts_of(runs, "example.com/strong-link")
    assert body and all("Bold" in font for font in body)  # the call site is bold…
    assert note and not any("Bold" in font for font in note)  # …its note is not


def test_code_quoted_in_a_blockquote_is_upright(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        FILLER.format("First")
        + "<blockquote><p>He wrote:</p><pre><code>rekt: { list: [ ] }</code></pre>"
        + "<p>The root is <code>rekt_root</code>.</p></blockquote>"
        + FILLER.format("Last"),
    )
    runs = _pdf_runs(_write(page, "pdf"))
    assert all("Italic" in font for font in _fonts_of(runs, "He wrote"))  # the quotation is italic…
    code = _fonts_of(runs, "rekt") | _fonts_of(runs, "rekt_root")
    assert code and not any("Oblique" in font or "Italic" in font for font in code)  # …its code is not


def test_paragraphs_in_table_cells_leave_no_blank_line_under_each_row(tmp_path: Path) -> None:
    # The same table twice, cells once as <p>: the rows must be as tall either way.
    rows = "".join(f"<tr><td>{k}.</td><td>Team {k}</td></tr>" for k in range(1, 5))
    rows_p = "".join(f"<tr><td><p>{k}.</p></td><td><p>Club {k}</p></td></tr>" for k in range(1, 5))
    page = _page(
        tmp_path,
        FILLER.format("First")
        + f"<table><tr><th>Rank</th><th>Name</th></tr>{rows}</table>"
        + FILLER.format("Second")
        + f"<table><tr><th>Rank</th><th>Name</th></tr>{rows_p}</table>"
        + FILLER.format("Last"),
    )
    runs = _pdf_runs(_write(page, "pdf"))

    def pitch(word: str) -> float:
        ys = [y for text, _, y in runs if text.startswith(word)]
        assert len(ys) == 4, runs
        return (ys[0] - ys[-1]) / 3

    assert abs(pitch("Team") - pitch("Club")) < 0.5


def test_a_word_glued_to_the_image_before_it_gets_a_space(tmp_path: Path) -> None:
    # <a><img></a>Bundesminister…: the picture floated beside the text on the page; left out, it read
    # "[Bild][1]Bundesminister".
    page = _page(
        tmp_path,
        FILLER.format("First")
        + '<p><a href="https://example.com/large.jpg"><img src="https://example.com/small.jpg" alt="Ceremony">'
        + "</a>Bundesminister Heinz Faßmann spoke about research.</p>"
        + '<p><img src="https://example.com/other.jpg" alt="Tunnel">Rektor Wilfried Eichlseder opened it.</p>'
        + FILLER.format("Last"),
    )
    text = _pdf_text(_write(page, "pdf"))
    assert re.search(r"\[Ceremony\]\s?\[1\] Bundesminister", text), text
    assert "[Tunnel] Rektor" in text
    xhtml = epub_xhtml(_write(page, "epub"))
    assert re.search(r"</a>(<span class=\"link-marker\">.*?</span>)? Bundesminister", xhtml)
    assert "</span> Rektor" in xhtml


def test_the_backlink_arrow_never_stands_alone_on_a_line(tmp_path: Path) -> None:
    # After a long URL the "↩" of the list of links wrapped onto a line of its own.
    links = "".join(
        f'<a href="https://example.com/{"section/" * (k // 4)}article-{"x" * k}.html">link {k}</a>, '
        for k in range(10, 70)
    )
    page = _page(tmp_path, FILLER.format("First") + f"<p>See {links}and more.</p>" + FILLER.format("Last"))
    import io

    import pypdf

    lines = [
        line.strip()
        for page_ in pypdf.PdfReader(io.BytesIO(_write(page, "pdf", links="endnote"))).pages
        for line in page_.extract_text().splitlines()
    ]
    assert "↩" in "".join(lines)
    assert not [line for line in lines if line == "↩"]


def test_an_rst_admonition_is_a_titled_note_box(tmp_path: Path) -> None:
    # ".. note::" printed as a plain "Note" paragraph, indistinguishable from the text around it.
    source = tmp_path / "doc.rst"
    source.write_text(
        "Title\n=====\n\nText before.\n\n.. note::\n\n   Mind the gap.\n\n.. warning:: Careful here.\n\nText after.\n",
        encoding="utf-8",
    )
    epub = _write(source, "epub")
    assert epubcheck(epub, tmp_path).errors == []
    from lxml import etree

    tree = etree.fromstring(epub_xhtml(epub).encode())
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    boxes = tree.xpath("//x:div[@role='note']", namespaces=ns)
    assert [box.get("class") for box in boxes] == ["admonition note", "admonition warning"]
    assert [box.xpath("string(x:p[@class='admonition-title'])", namespaces=ns) for box in boxes] == ["Note", "Warning"]
    runs = _pdf_runs(_write(source, "pdf"))
    title_fonts = _fonts_of(runs, "Warning")  # the box's small sans-serif heading, not a serif paragraph
    assert title_fonts and all("Sans-Bold" in font for font in title_fonts)


def test_an_epub_tearsheet_wrote_converts_again_without_its_header_or_footer_twice(tmp_path: Path) -> None:
    # Read back, the EPUB's header (title, byline), footer and link markers came through pandoc as body:
    # the PDF printed the header twice, a lone "1" (the chapter's anchor) and a note per old marker.
    post = tmp_path / "post.md"
    post.write_text(
        "# Notes on things\n\nBy Someone Else\n\nText with a footnote[^a] and a [link](https://example.com/x) "
        "and [again](https://example.com/x).\n\n[^a]: The footnote.\n",
        encoding="utf-8",
    )
    book = tmp_path / "post.epub"
    book.write_bytes(_write(post, "epub"))
    import io

    import pypdf

    pdf = pypdf.PdfReader(io.BytesIO(_write(book, "pdf")))
    lines = [line.strip() for page in pdf.pages for line in page.extract_text().splitlines()]
    assert lines.count("Notes on things") == 1 and lines.count("By Someone Else") == 1
    assert lines.count("Source") == 1
    assert not [line for line in lines if line.isdigit()]  # no marker or anchor on a line of its own
    body = " ".join(lines)
    assert "a footnote1 and a link[1] and again[1]." in body
    assert "The footnote." in body
    assert {r.rule for r in load(book).removed} >= {"earlier-output"}
