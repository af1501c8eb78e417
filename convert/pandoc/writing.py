"""Model → pandoc JSON AST, for writers that hand the document to pandoc (DOCX)."""

from __future__ import annotations

from typing import Any

from convert.errors import UnsupportedNode
from convert.model import Meta
from convert.model import nodes as n
from convert.pandoc.names import ALIGNMENTS, API_VERSION, MATH_DISPLAY, QUOTES, SIMPLE_INLINES

Json = Any
# The name tables read backwards: model value → pandoc name.
_ALIGN = {value: name for name, value in ALIGNMENTS.items()}
_SIMPLE = {cls: name for name, cls in SIMPLE_INLINES.items()}
_QUOTE = {value: name for name, value in QUOTES.items()}
_MATH = {value: name for name, value in MATH_DISPLAY.items()}


def to_pandoc(blocks: tuple[n.Block, ...], meta: dict[str, Json]) -> dict[str, Json]:
    return {"pandoc-api-version": list(API_VERSION), "meta": meta, "blocks": [block(b) for b in blocks]}


def meta_to_pandoc(meta: Meta, language: str, direction: str = "", date: str = "") -> dict[str, Json]:
    """The metadata pandoc writes into document properties; ``date`` is the published date as shown."""
    out: dict[str, Json] = {"lang": {"t": "MetaString", "c": language}}
    if meta.title:
        out["title"] = _string(meta.title)
    if meta.subtitle:
        out["subtitle"] = _string(meta.subtitle)
    if meta.authors:
        out["author"] = {"t": "MetaList", "c": [_string(a.name) for a in meta.authors]}
    if meta.published:
        out["date"] = _string(date or meta.published)
    if meta.description or meta.subtitle:
        out["subject"] = _string(meta.description or meta.subtitle)
    if meta.tags:
        out["keywords"] = {"t": "MetaList", "c": [_string(t) for t in meta.tags]}
    if direction:
        out["dir"] = _string(direction)
    return out


def _string(text: str) -> Json:
    return {"t": "MetaInlines", "c": _text(text)}


def attr(a: n.Attr) -> Json:
    return [a.id, list(a.classes), [list(p) for p in a.attributes]]


def inlines(content: tuple[n.Inline, ...]) -> list[Json]:
    out: list[Json] = []
    for node in content:
        if isinstance(node, n.Text):
            out.extend(_text(node.text))
        else:
            out.append(inline(node))
    return out


def _text(text: str) -> list[Json]:
    out: list[Json] = []
    for k, word in enumerate(text.split(" ")):
        if k:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def inline(node: n.Inline) -> Json:
    tag = _SIMPLE.get(type(node))
    if tag is not None:
        return {"t": tag, "c": inlines(node.content)}  # type: ignore[union-attr]
    match node:
        case n.Quoted(kind, content):
            return {"t": "Quoted", "c": [{"t": _QUOTE[kind]}, inlines(content)]}
        case n.Cite(keys, content):
            cites = [
                {
                    "citationId": k,
                    "citationPrefix": [],
                    "citationSuffix": [],
                    "citationMode": {"t": "NormalCitation"},
                    "citationNoteNum": 0,
                    "citationHash": 0,
                }
                for k in keys
            ]
            return {"t": "Cite", "c": [cites, inlines(content)]}
        case n.Code(text, a):
            return {"t": "Code", "c": [attr(a), text]}
        case n.LineBreak():
            return {"t": "LineBreak"}
        case n.Math(text, display):
            return {"t": "Math", "c": [{"t": _MATH[display]}, text]}
        case n.RawInline(fmt, text):
            return {"t": "RawInline", "c": [fmt, text]}
        case n.Link(content, url, title, a):
            return {"t": "Link", "c": [attr(a), inlines(content), [url, title]]}
        case n.Image(content, src, title, a):
            return {"t": "Image", "c": [attr(a), inlines(content), [src, title]]}
        case n.Note(blocks):
            return {"t": "Note", "c": [block(b) for b in blocks]}
        case n.Span(content, a):
            return {"t": "Span", "c": [attr(a), inlines(content)]}
        case _:
            raise UnsupportedNode(node, "pandoc renderer")


def block(node: n.Block) -> Json:
    match node:
        case n.Plain(content):
            return {"t": "Plain", "c": inlines(content)}
        case n.Paragraph(content):
            return {"t": "Para", "c": inlines(content)}
        case n.LineBlock(lines):
            return {"t": "LineBlock", "c": [inlines(line) for line in lines]}
        case n.CodeBlock(text, a):
            return {"t": "CodeBlock", "c": [attr(a), text]}
        case n.RawBlock(fmt, text):
            return {"t": "RawBlock", "c": [fmt, text]}
        case n.BlockQuote(blocks):
            return {"t": "BlockQuote", "c": [block(b) for b in blocks]}
        case n.BulletList(items):
            return {"t": "BulletList", "c": [[block(b) for b in item] for item in items]}
        case n.OrderedList(items, start, style):
            return {
                "t": "OrderedList",
                "c": [[start, {"t": style}, {"t": "DefaultDelim"}], [[block(b) for b in item] for item in items]],
            }
        case n.DefinitionList(items):
            return {
                "t": "DefinitionList",
                "c": [[inlines(i.term), [[block(b) for b in d] for d in i.definitions]] for i in items],
            }
        case n.Heading(level, content, a):
            return {"t": "Header", "c": [level, attr(a), inlines(content)]}
        case n.HorizontalRule():
            return {"t": "HorizontalRule"}
        case n.Table():
            return _table(node)
        case n.Figure(caption, blocks, a):
            return {"t": "Figure", "c": [attr(a), [None, [block(b) for b in caption]], [block(b) for b in blocks]]}
        case n.Div(blocks, a):
            return {"t": "Div", "c": [attr(_with_paragraph_style(a)), [block(b) for b in blocks]]}
        case _:
            raise UnsupportedNode(node, "pandoc renderer")


# The model's ``align-*`` classes (HTML's align) as paragraph styles of styles/reference.docx
# (added there by scripts/reference_docx_styles.py).
ALIGN_STYLES = {"left": "Align Left", "center": "Align Center", "right": "Align Right", "justify": "Align Justify"}
# Code quoted in a block quote: "Block Text"'s indent (pandoc sets every code block in "Source Code").
QUOTED_CODE_STYLE = "Quoted Code"


def _with_paragraph_style(a: n.Attr) -> n.Attr:
    """A Div aligned by its class gets pandoc's ``custom-style``, which styles its paragraphs in Word."""
    style = next((ALIGN_STYLES[c[6:]] for c in a.classes if c.startswith("align-") and c[6:] in ALIGN_STYLES), None)
    if style is None or a.get("custom-style") is not None:
        return a
    return n.Attr(a.id, a.classes, (*a.attributes, ("custom-style", style)))


def _table(table: n.Table) -> Json:
    width = max([len(table.aligns)] + [sum(c.colspan for c in r.cells) for r in table.head + table.body + table.foot])
    aligns = list(table.aligns) + ["default"] * (width - len(table.aligns))
    no_attr = attr(n.NO_ATTR)
    return {
        "t": "Table",
        "c": [
            attr(table.attr),
            [None, [block(b) for b in table.caption]],
            [[{"t": _ALIGN[a]}, {"t": "ColWidthDefault"}] for a in aligns],
            [no_attr, _rows(table.head)],
            [[no_attr, 0, [], _rows(table.body)]],
            [no_attr, _rows(table.foot)],
        ],
    }


def _rows(rows: tuple[n.Row, ...]) -> list[Json]:
    return [
        [
            attr(n.NO_ATTR),
            [
                [attr(n.NO_ATTR), {"t": _ALIGN[c.align]}, c.rowspan, c.colspan, [block(b) for b in c.blocks]]
                for c in row.cells
            ],
        ]
        for row in rows
    ]
