"""Defects a reader saw in the PDF, EPUB and DOCX made from real pages and posts (the qa7 sweep),
each pinned on the real output."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from convert import load, sandbox_for, write
from convert.model import Paragraph, Table, plain_text
from convert.options import WriteOptions
from tests.conftest import FIXTURES, epub_xhtml


def _write(source: Path, fmt: str, **options: object) -> bytes:
    return write(load(source), fmt, sandbox_for(source, WriteOptions(**options)))  # type: ignore[arg-type]


def _pdf_lines(data: bytes) -> list[str]:
    import pypdf

    return [
        " ".join(line.split())
        for page in pypdf.PdfReader(io.BytesIO(data)).pages
        for line in page.extract_text().splitlines()
    ]


def test_results_exported_one_table_per_row_read_as_lines_and_tables(tmp_path: Path) -> None:
    # A results page (trimmed from the trafilatura-eval corpus) wraps its results in a <pre>, one
    # single-row layout table per result, and one real table with a stray <br> in it: the <pre>
    # printed as one preformatted box, and the table as one paragraph a cell.
    source = FIXTURES / "pages" / "results-tables.html"
    doc = load(source)
    paragraphs = [plain_text(block.content) for block in doc.blocks if isinstance(block, Paragraph)]
    assert "1. DJK Ellwangen-SG Virngrund WÜ 53,09 sec." in paragraphs
    assert "145" not in paragraphs and "WÜ" not in paragraphs
    assert any(isinstance(block, Table) for block in doc.blocks)

    assert "1. DJK Ellwangen-SG Virngrund WÜ 53,09 sec." in _pdf_lines(_write(source, "pdf"))

    import docx

    tables = docx.Document(io.BytesIO(_write(source, "docx"))).tables
    assert [cell.text for cell in tables[0].rows[0].cells][2:5] == ["120", "125", "130"]


EMBEDS = """---
title: Embeds
lang: en
---

Watch the talk below.

<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="The talk, in full"
frameborder="0" allowfullscreen></iframe>

A second one sits in this sentence <iframe src="//player.vimeo.com/video/76979871"></iframe> as well.

The end.
"""


def test_a_video_embedded_in_a_markdown_post_leaves_a_link_to_it(tmp_path: Path) -> None:
    # An <iframe> (a YouTube or Vimeo player) in a post's raw HTML vanished from every output.
    post = tmp_path / "embeds.md"
    post.write_text(EMBEDS, encoding="utf-8")
    doc = load(post)
    assert [(c.url, c.text) for c in doc.citations] == [
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "The talk, in full"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ]
    assert sum(r.text.startswith("<iframe") for r in doc.removed if r.rule == "raw-html") == 2

    pdf = _write(post, "pdf")
    assert any(line.startswith("The talk, in full") for line in _pdf_lines(pdf))
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    uris = {a["/A"].get("/URI") for a in annotations if "/A" in a}
    assert {"https://www.youtube.com/embed/dQw4w9WgXcQ", "https://player.vimeo.com/video/76979871"} <= uris

    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(_write(post, "docx"))).paragraphs)
    assert "The talk, in full" in text


BARE_URLS = """---
title: Bare addresses
lang: en
---

The data is at https://example.org/data?set=1, and the code (https://example.com/repo_x) too.
A link [named](https://example.org/named), its address <https://example.org/angle>.

Code keeps its text: `https://example.net/in-code`.

```
curl https://example.net/in-block
```
"""


def _docx_link_targets(data: bytes) -> set[str]:
    import docx

    document = docx.Document(io.BytesIO(data))
    return {rel.target_ref for rel in document.part.rels.values() if rel.is_external}


def test_bare_addresses_in_markdown_are_links_and_citations(tmp_path: Path) -> None:
    # pandoc's Markdown leaves "https://…" in running text as plain text (autolink_bare_uris is off).
    post = tmp_path / "bare.md"
    post.write_text(BARE_URLS, encoding="utf-8")
    doc = load(post)
    assert [c.url for c in doc.citations] == [
        "https://example.org/data?set=1",
        "https://example.com/repo_x",
        "https://example.org/named",
        "https://example.org/angle",
    ]
    epub = epub_xhtml(_write(post, "epub"))
    assert 'href="https://example.org/data?set=1"' in epub and 'href="https://example.com/repo_x"' in epub
    assert "<code>https://example.net/in-code</code>" in epub and "curl https://example.net/in-block" in epub
    assert 'href="https://example.net' not in epub
    assert {"https://example.org/data?set=1", "https://example.com/repo_x"} <= _docx_link_targets(_write(post, "docx"))


def test_a_space_closing_a_link_after_its_emphasis_stays_after_the_marker(tmp_path: Path) -> None:
    # A blog's markup (trafilatura-eval corpus): "<a><em>Zwischenbericht</em> </a>im August"; the
    # space, the last thing in the link, was lost: "Zwischenbericht[3]im August".
    page = tmp_path / "page.html"
    filler = "<p>{} Absatz des Artikels, mit genug Wörtern, damit der Extraktor ihn als Text der Seite behält.</p>"
    page.write_text(
        '<html lang="de"><head><title>Konsumsparen</title></head><body><article><h1>Konsumsparen</h1>'
        + filler.format("Erster")
        + '<p><strong>Ihr kennt mein Motto <a href="https://example.org/k/">Motto <em>Konsumsparen</em> </a>und'
        ' habt auch meinen <a href="https://example.org/z/"><em>Zwischenbericht</em> </a>im August gelesen.'
        "</strong></p>" + filler.format("Letzter") + "</article></body></html>",
        encoding="utf-8",
    )
    text = " ".join(_pdf_lines(_write(page, "pdf")))
    assert "Konsumsparen[1] und" in text and "Zwischenbericht[2] im August" in text
    epub = etree.fromstring(epub_xhtml(_write(page, "epub")).encode())
    assert "Zwischenbericht[2] im August" in " ".join("".join(epub.itertext()).split())

    import docx

    paragraphs = [p.text for p in docx.Document(io.BytesIO(_write(page, "docx"))).paragraphs]
    assert any("Zwischenbericht im August" in text for text in paragraphs)


def test_a_quoted_title_that_quotes_someone_takes_inner_quotes_in_the_citation(tmp_path: Path) -> None:
    # A German news page's headline quotes an interview; Chicago's quotes around it closed twice:
    # „Corona-Pandemie - „Es kommt … sterben““.
    page = tmp_path / "page.html"
    title = "Corona-Pandemie - „Es kommt auch darauf an, wie die Menschen sterben“"
    filler = "<p>{} Absatz des Artikels, mit genug Wörtern, damit der Extraktor ihn als Text der Seite behält.</p>"
    page.write_text(
        f'<html lang="de"><head><title>{title}</title></head><body><article><h1>{title}</h1>'
        + "".join(filler.format(n) for n in ("Erster", "Zweiter", "Letzter"))
        + "</article></body></html>",
        encoding="utf-8",
    )
    text = " ".join(_pdf_lines(_write(page, "pdf")))
    assert "„Corona-Pandemie - ‚Es kommt auch darauf an, wie die Menschen sterben‘“" in text
    assert "sterben““" not in text
    import docx

    paragraphs = [p.text for p in docx.Document(io.BytesIO(_write(page, "docx"))).paragraphs]
    assert any("‚Es kommt auch darauf an, wie die Menschen sterben‘“" in text for text in paragraphs)


ZH_BODY = (
    "<p>越是到疫情防控最为吃劲的时候，越是需要汇聚信心与力量。武汉封城二十七天后，湖北以外地区每日确诊病例迎来十五连降。</p>"
    "<p>疫情虽在持续，但希望就在继续努力之中。正是有了英勇的你们，才有这座英雄的城！医护人员日夜坚守在一线。</p>"
    "<p>社区工作者挨家挨户排查，志愿者为居民送去生活物资。每一个普通人都在用自己的方式守护这座城市。</p>"
)


def test_an_article_that_states_no_language_gets_its_own_words_in_the_footer(tmp_path: Path) -> None:
    # A Chinese news page with no lang attribute printed "Source" and "n.d." (English) in its footer.
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>武汉的声音</title></head><body><article><h1>武汉的声音</h1>"
        + ZH_BODY
        + "</article></body></html>",
        encoding="utf-8",
    )
    meta = load(page).meta
    assert meta.language == "zh"
    identified = dict(meta.extra)["language-identified"]  # said, and how surely
    assert identified.startswith("py3langid ") and float(identified.split()[1]) >= 0.9
    text = " ".join(_pdf_lines(_write(page, "pdf")))
    assert "来源" in text and "不详" in text  # ours ("Source"), then CSL's zh-CN term for "n.d."
    assert "Source" not in text and "n.d." not in text and "《》" not in text  # the title is printed once
    epub = _write(page, "epub")
    assert "<dc:language>zh</dc:language>" in epub_xhtml(epub, "EPUB/content.opf")
    assert 'lang="zh"' in epub_xhtml(epub)


def test_a_chinese_text_is_told_among_the_languages_a_footer_can_be_written_in(tmp_path: Path) -> None:
    # Among all of py3langid's labels this news paragraph is Chinese only 0.86 sure (Wu and
    # Cantonese take the rest), below the bar: it was printed with English words around it.
    page = tmp_path / "page.md"
    page.write_text(
        "新华社北京电 国家主席习近平今天在人民大会堂会见了来访的代表团，双方就合作交换了意见。"
        "今天下午，代表团还参观了故宫博物院和国家图书馆。\n",
        encoding="utf-8",
    )
    assert load(page).meta.language == "zh"


def test_a_short_text_in_no_stated_language_is_not_guessed(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("# Note\n\nSee you soon.\n", encoding="utf-8")
    assert load(post).meta.language == ""


def test_a_missing_image_whose_alt_is_the_headline_reads_as_an_image(tmp_path: Path) -> None:
    # Ars Technica fills the lead image's alt with the article's title: the missing image printed
    # "[Just-released Minecraft exploit makes it easy to crash game servers]" under the same headline.
    source = FIXTURES / "real" / "ars-1" / "source.html"
    doc = load(source)
    headline = "Just-released Minecraft exploit makes it easy to crash game servers"
    assert doc.meta.title == headline
    assert [r.text.split(" <")[0] for r in doc.removed if r.rule == "title-alt"] == [headline]
    text = " ".join(_pdf_lines(_write(source, "pdf")))
    assert f"[{headline}]" not in text and "[image]" in text


QUOTED_CODE = """---
title: Quoted code
lang: en
---

Before the quote.

> The reviewer wrote:
>
> ```
> total = 1
>     total += 2
> ```
>
> and left it there.

```
top = "level"
```
"""


def test_code_in_a_block_quote_keeps_the_quote_indent_in_docx(tmp_path: Path) -> None:
    # pandoc sets every code block in Word's "Source Code" style, without indent: code quoted in a
    # post stood at the margin, under an indented quote.
    import docx

    post = tmp_path / "quoted.md"
    post.write_text(QUOTED_CODE, encoding="utf-8")
    document = docx.Document(io.BytesIO(_write(post, "docx")))
    paragraphs = {p.text: p for p in document.paragraphs}

    def indent(text: str) -> int:
        style, own = paragraphs[text].style, paragraphs[text].paragraph_format.left_indent
        while own is None and style is not None:
            own, style = style.paragraph_format.left_indent, style.base_style
        return own or 0

    quote = indent("The reviewer wrote:")
    assert quote > 0
    assert indent("total = 1\n    total += 2") == quote  # the line's own spaces kept too
    assert indent('top = "level"') == 0
    runs = paragraphs["total = 1\n    total += 2"].runs
    assert {run.style.name for run in runs if run.text.strip()} == {"Verbatim Char"}
