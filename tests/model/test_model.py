"""The model: JSON round trip, readable pformat, traversal."""

from __future__ import annotations

import json

import pytest

from convert.model import (
    Attr,
    Author,
    Citation,
    Document,
    Extraction,
    Meta,
    Removal,
    from_json,
    iter_nodes,
    pformat,
    plain_text,
    rewrite,
    to_json,
)
from convert.model import nodes as n
from convert.model.json import ModelJSONError

EVERY_NODE = Document(
    meta=Meta(
        title="T",
        authors=(Author("A", "https://a.example", "bio"),),
        published="2024-01-02",
        tags=("x", "y"),
        extra=(("k", "v"),),
    ),
    blocks=(
        n.Plain((n.Text("plain"),)),
        n.Paragraph(
            (
                n.Text("a "),
                n.Emph((n.Text("e"),)),
                n.Strong((n.Text("s"),)),
                n.Underline((n.Text("u"),)),
                n.Strikeout((n.Text("k"),)),
                n.Superscript((n.Text("2"),)),
                n.Subscript((n.Text("i"),)),
                n.SmallCaps((n.Text("sc"),)),
                n.Quoted("double", (n.Text("q"),)),
                n.Cite(("doe",), (n.Text("[@doe]"),)),
                n.Code("x = 1", Attr("c", ("py",))),
                n.LineBreak(),
                n.Math("x^2", display=True),
                n.RawInline("html", "<b>raw</b>"),
                n.Link((n.Text("l"),), "https://l.example", "title"),
                n.Image((n.Text("alt"),), "img.png"),
                n.Note((n.Paragraph((n.Text("note"),)),)),
                n.Span((n.Text("span"),), Attr("", (), (("lang", "fr"),))),
            )
        ),
        n.LineBlock(((n.Text("one"),), (n.Text("two"),))),
        n.CodeBlock("print()", Attr("", ("python",))),
        n.RawBlock("html", "<div>x</div>"),
        n.BlockQuote((n.Paragraph((n.Text("quoted"),)),)),
        n.BulletList(((n.Plain((n.Text("b"),)),),)),
        n.OrderedList(((n.Plain((n.Text("o"),)),),), start=3, style="LowerRoman"),
        n.DefinitionList((n.DefinitionItem((n.Text("term"),), ((n.Plain((n.Text("def"),)),),)),)),
        n.Heading(2, (n.Text("H"),), Attr("h")),
        n.HorizontalRule(),
        n.Table(
            caption=(n.Plain((n.Text("cap"),)),),
            aligns=("left", "right"),
            head=(n.Row((n.Cell((n.Plain((n.Text("h1"),)),)), n.Cell((n.Plain((n.Text("h2"),)),)))),),
            body=(n.Row((n.Cell((n.Plain((n.Text("1"),)),), "center", 1, 2),)),),
        ),
        n.Figure((n.Plain((n.Text("fig"),)),), (n.Plain((n.Image((), "f.svg"),)),)),
        n.Div((n.Paragraph((n.Text("div"),)),), Attr("d", ("box",))),
    ),
    citations=(Citation(1, "https://l.example", "l"),),
    removed=(Removal("rule", "gone"),),
)


def test_json_round_trip_keeps_every_node() -> None:
    assert from_json(to_json(EVERY_NODE)) == EVERY_NODE


def test_json_is_versioned() -> None:
    text = to_json(EVERY_NODE)
    assert '"schema": "tearsheet.document"' in text
    with pytest.raises(ModelJSONError, match="version"):
        from_json(text.replace('"version": 2', '"version": 99'))
    with pytest.raises(ModelJSONError, match="unknown node type"):
        from_json(text.replace('"t": "Strikeout"', '"t": "Blink"'))


def test_version_1_json_still_reads() -> None:
    """Version 2 only added ``Meta.extraction``: a version-1 document is read as it was written."""
    data = json.loads(to_json(EVERY_NODE))
    del data["meta"]["extraction"]
    assert from_json(json.dumps({**data, "version": 1})) == EVERY_NODE


def test_extraction_decision_round_trips() -> None:
    doc = Document(meta=Meta(title="T", extraction=Extraction("readability", 0.4, "page.html: 80 words of 900")))
    assert from_json(to_json(doc)) == doc


def test_pformat_is_readable_and_stable() -> None:
    doc = Document(
        blocks=(n.Heading(2, (n.Text("Hi"),), Attr("hi")), n.Paragraph((n.Text("a "), n.Emph((n.Text("b"),)))))
    )
    assert pformat(doc.blocks) == "Heading level=2 {#hi}\n  'Hi'\nParagraph\n  'a '\n  Emph\n    'b'\n"


def test_iter_nodes_is_in_document_order() -> None:
    links = [node.url for node in iter_nodes(EVERY_NODE.blocks) if isinstance(node, n.Link)]
    assert links == ["https://l.example"]
    texts = [node.text for node in iter_nodes(EVERY_NODE.blocks[:2]) if isinstance(node, n.Text)][:3]
    assert texts == ["plain", "a ", "e"]


def test_rewrite_splices_deletes_and_merges_text_runs() -> None:
    para = n.Paragraph((n.Text("a"), n.Emph((n.Text("b"),)), n.Text("c")))

    def drop_emph(node: object) -> object:
        return () if isinstance(node, n.Emph) else node

    assert rewrite(para, drop_emph) == n.Paragraph((n.Text("ac"),))


def test_rewrite_gives_back_what_it_did_not_change() -> None:
    """An unchanged subtree is the same object (a parent then need not compare it); a changed one is new."""
    unchanged = n.BlockQuote((n.Paragraph((n.Text("kept"), n.Emph((n.Text("too"),)))),))
    changed = n.Paragraph((n.Text("x"), n.Strong((n.Text("y"),))))
    doc = (unchanged, changed)

    def plain_strong(node: object) -> object:
        return node.content if isinstance(node, n.Strong) else node

    result = rewrite(doc, plain_strong)
    assert result[0] is unchanged
    assert result[1] == n.Paragraph((n.Text("xy"),))
    assert rewrite(doc, lambda node: node) is doc
    # Neighbouring text runs are merged even where nothing else changes.
    unmerged = (n.Paragraph((n.Text("a"), n.Text("b"))),)
    assert rewrite(unmerged, lambda node: node) == (n.Paragraph((n.Text("ab"),)),)


def test_plain_text_separates_blocks_and_skips_notes() -> None:
    text = plain_text(
        (n.Paragraph((n.Text("one"), n.Note((n.Paragraph((n.Text("hidden"),)),)))), n.Paragraph((n.Text("two"),)))
    )
    assert text == "one\ntwo\n"
