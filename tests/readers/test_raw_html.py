"""Raw HTML in Markdown becomes model nodes: parsed in context, sanitized, the rest in ``removed``."""

from __future__ import annotations

from pathlib import Path

import pypandoc
import pytest

from convert.model import Document, inline_text, iter_nodes, plain_text
from convert.model import nodes as n
from convert.readers import read, read_text
from convert.readers.raw_html import REPRESENTED

FIXTURES = Path(__file__).parent.parent / "fixtures"


def md(text: str) -> Document:
    return read_text(text, "markdown")


def words(blocks: tuple[n.Block, ...]) -> str:
    return " ".join(plain_text(blocks).split())


def nodes_of(doc: Document, kind: type) -> list:  # type: ignore[type-arg]
    return [node for node in iter_nodes(doc.blocks) if isinstance(node, kind)]


def test_details_prints_its_summary_in_bold_then_its_content() -> None:
    doc = md("<details>\n<summary>Why *this*?</summary>\n\nBecause **that**.\n\n</details>\n\nAfter.\n")
    details, after = doc.blocks
    assert isinstance(details, n.Div)
    assert details.attr.classes == ("details",)
    summary, content = details.blocks
    assert summary == n.Paragraph((n.Strong((n.Text("Why "), n.Emph((n.Text("this"),)), n.Text("?"))),))
    assert words((content,)) == "Because that."
    assert words((after,)) == "After."


def test_an_opening_tag_and_its_closing_tag_in_a_later_block_are_one_element() -> None:
    doc = md('<div class="note">\n\nFirst.\n\n- a list\n\n</div>\n\nOutside.\n')
    note, outside = doc.blocks
    assert isinstance(note, n.Div)
    assert note.attr.classes == ("note",)
    assert [type(b) for b in note.blocks] == [n.Paragraph, n.BulletList]
    assert words((outside,)) == "Outside."


def test_nested_details_split_over_many_raw_blocks() -> None:
    doc = md(
        "<details open>\n<summary>Outer</summary>\n\nOne.\n\n"
        "<details>\n<summary>Inner</summary>\n\nTwo.\n\n</details>\n\n</details>\n"
    )
    (outer,) = doc.blocks
    assert isinstance(outer, n.Div)
    inner = outer.blocks[-1]
    assert isinstance(inner, n.Div)
    assert inner.attr.classes == ("details",)
    assert words(inner.blocks) == "Inner Two."
    assert inner.blocks[0] == n.Paragraph((n.Strong((n.Text("Inner"),)),))


def test_legacy_anchor_in_a_list_item_becomes_an_id_target() -> None:
    doc = md('1. Run the <a name="tool"></a>release tool.\n2. Watch the [tool](#tool).\n')
    (span,) = (s for s in nodes_of(doc, n.Span) if s.attr.id)
    assert span.attr.id == "tool"
    assert not nodes_of(doc, n.RawInline)


def test_paragraph_id_stays_a_link_target() -> None:
    doc = md('<p id="fn-temp"><sup>1</sup> Warmer water.</p>\n')
    assert "fn-temp" in {s.attr.id for s in nodes_of(doc, n.Span)}
    assert nodes_of(doc, n.Superscript)


def test_inline_elements_keep_their_meaning() -> None:
    doc = md("Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <mark>this</mark>.<br>Next.\n")
    assert [c.text for c in nodes_of(doc, n.Code)] == ["Ctrl"]
    assert nodes_of(doc, n.Code)[0].attr.classes == ("kbd",)
    assert [inline_text(s.content) for s in nodes_of(doc, n.Subscript)] == ["2"]
    assert [inline_text(s.content) for s in nodes_of(doc, n.Superscript)] == ["2"]
    (mark,) = nodes_of(doc, n.Span)
    assert mark.attr.classes == ("mark",)
    assert nodes_of(doc, n.LineBreak)
    assert words(doc.blocks) == "Press Ctrl, H2O, x2, this. Next."


def test_raw_images_and_tables_become_model_nodes() -> None:
    doc = md(
        '<div align="center">\n<img src="diagram.png" width="320" alt="Pipeline">\n</div>\n\n'
        "<table><tr><th>Step</th></tr><tr><td>Sign</td></tr></table>\n"
    )
    (image,) = nodes_of(doc, n.Image)
    assert (image.src, image.attr.get("width"), inline_text(image.content)) == (
        "diagram.png",
        "320",
        "Pipeline",
    )
    (table,) = nodes_of(doc, n.Table)
    assert words((table,)) == "Step Sign"


def test_what_cannot_be_represented_is_recorded_not_passed_through() -> None:
    doc = md(
        "Before.\n\n<!-- a note to self -->\n\n"
        '<video src="v.mp4" controls>\nNo video here.\n</video>\n\n'
        '<script>track("x")</script>\n\n<font color="red">Red.</font>\n\nAfter.\n'
    )
    assert words(doc.blocks) == "Before. Red. After."
    removed = [r.text for r in doc.removed if r.rule == "raw-html"]
    assert sorted(removed) == sorted(
        [
            "<!-- a note to self -->",
            '<video src="v.mp4" controls="">',
            "No video here.",
            '<script> track("x")',
            '<font color="red">',
        ]
    )
    assert not nodes_of(doc, n.RawBlock) and not nodes_of(doc, n.RawInline)


def test_raw_html_is_sanitized() -> None:
    doc = md(
        'Click <a href="javascript:alert(1)" onclick="x()">here</a> or <a href="https://example.org/">there</a>.\n'
    )
    assert [link.url for link in nodes_of(doc, n.Link)] == ["https://example.org/"]
    assert all(not span.attr.attributes for span in nodes_of(doc, n.Span))
    assert words(doc.blocks) == "Click here or there."


@pytest.mark.parametrize("post", sorted((FIXTURES / "markdown").glob("*.md")), ids=lambda p: p.name)
def test_no_raw_html_reaches_the_model(post: Path) -> None:
    doc = read(post)
    raw = [r for r in [*nodes_of(doc, n.RawBlock), *nodes_of(doc, n.RawInline)] if r.format == "html"]
    assert raw == []


INLINE_ELEMENTS = ("a", "abbr", "b", "br", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small")
INLINE_ELEMENTS += ("span", "strike", "strong", "sub", "sup", "tt", "u", "var")
BLOCK_ELEMENTS = (
    "<blockquote>q</blockquote><div>d</div><section>s</section><dl><dt>t</dt><dd>d</dd></dl>"
    '<figure><img src="a.png" alt="A"><figcaption>c</figcaption></figure><hr><ol><li>o</li></ol><ul><li>u</li></ul>'
    "<pre>p</pre><h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>"
    "<table><caption>c</caption><colgroup><col></colgroup><thead><tr><th>h</th></tr></thead>"
    "<tbody><tr><td>b</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>"
)


def test_represented_elements_are_ones_pandoc_maps_to_its_ast() -> None:
    """What we keep must be what pandoc reads: an element it would leave as raw HTML would be lost unrecorded."""
    from lxml import html

    inline = "".join(f"<{tag}>x</{tag}> " for tag in INLINE_ELEMENTS if tag != "br") + "<br>"
    page = f"<p>{inline}</p>{BLOCK_ELEMENTS}"
    assert {el.tag for el in html.fragment_fromstring(page, create_parent="div").iter()} == set(REPRESENTED)
    native = pypandoc.convert_text(page, "json", format="html+raw_html")
    assert '"RawInline"' not in native
    assert '"RawBlock"' not in native


@pytest.mark.parametrize(
    ("markdown", "align"),
    [
        ('<div align="center">\n\nCentred *text*.\n\n</div>\n', "center"),
        ('<p align="RIGHT">Signed off.</p>\n', "right"),
        ("<center>Old-style centring.</center>\n", "center"),
        ('<h2 align="center">A centred heading</h2>\n', "center"),
        ('<section align="justify">\n\nJustified text.\n\n</section>\n', "justify"),
    ],
)
def test_html_align_on_a_block_becomes_an_align_class(markdown: str, align: str) -> None:
    doc = md(markdown + "\nAfter.\n")
    aligned = [div for div in nodes_of(doc, n.Div) if f"align-{align}" in div.attr.classes]
    assert len(aligned) == 1
    assert aligned[0].attr.get("align") is None
    assert words(doc.blocks[-1:]) == "After."
    assert not any("align-" in c for c in getattr(doc.blocks[-1], "attr", n.NO_ATTR).classes)


def test_an_unknown_alignment_value_makes_no_class() -> None:
    doc = md('<div align="middle">\n\nText.\n\n</div>\n\n<p align="sideways">More.</p>\n')
    assert not [c for div in nodes_of(doc, n.Div) for c in div.attr.classes if c.startswith("align-")]
    assert words(doc.blocks) == "Text. More."
