"""Map pandoc's JSON AST (API 1.23) onto the model, constructor by constructor.

An unknown constructor raises ``UnsupportedNode``: content is never dropped
for want of a rule.
"""

from __future__ import annotations

from typing import Any, cast

from convert.errors import UnsupportedNode
from convert.model import nodes as n
from convert.model.walk import inline_text

Json = Any

_ALIGN: dict[str, n.Alignment] = {
    "AlignDefault": "default",
    "AlignLeft": "left",
    "AlignCenter": "center",
    "AlignRight": "right",
}

_SIMPLE_INLINES: dict[str, type] = {
    "Emph": n.Emph,
    "Underline": n.Underline,
    "Strong": n.Strong,
    "Strikeout": n.Strikeout,
    "Superscript": n.Superscript,
    "Subscript": n.Subscript,
    "SmallCaps": n.SmallCaps,
}


def blocks_from_pandoc(blocks: list[Json]) -> tuple[n.Block, ...]:
    return tuple(_block(b) for b in blocks)


def inlines_from_pandoc(inlines: list[Json]) -> tuple[n.Inline, ...]:
    out: list[n.Inline] = []
    for node in inlines:
        item = _inline(node)
        # pandoc splits text into Str/Space/SoftBreak; the model keeps runs.
        if isinstance(item, n.Text) and out and isinstance(out[-1], n.Text):
            out[-1] = n.Text(out[-1].text + item.text)
        else:
            out.append(item)
    return tuple(out)


def meta_value(value: Json) -> Any:
    """A pandoc ``MetaValue`` as plain Python data (strings, lists, dicts, bools)."""
    tag, content = value.get("t"), value.get("c")
    match tag:
        case "MetaString":
            return content
        case "MetaBool":
            return bool(content)
        case "MetaInlines":
            return inline_text(inlines_from_pandoc(content))
        case "MetaBlocks":
            return "\n\n".join(inline_text(b.content) for b in blocks_from_pandoc(content) if hasattr(b, "content"))
        case "MetaList":
            return [meta_value(v) for v in content]
        case "MetaMap":
            return {k: meta_value(v) for k, v in content.items()}
        case _:
            raise UnsupportedNode(value, "pandoc metadata")


def attr_from_pandoc(attr: Json) -> n.Attr:
    ident, classes, pairs = attr
    if not ident and not classes and not pairs:
        return n.NO_ATTR
    return n.Attr(ident, tuple(classes), tuple((k, v) for k, v in pairs))


def _inline(node: Json) -> n.Inline:
    tag, c = node.get("t"), node.get("c")
    if tag in _SIMPLE_INLINES:
        return cast(n.Inline, _SIMPLE_INLINES[tag](inlines_from_pandoc(c)))
    match tag:
        case "Str":
            return n.Text(c)
        case "Space" | "SoftBreak":
            return n.Text(" ")
        case "LineBreak":
            return n.LineBreak()
        case "Quoted":
            return n.Quoted("single" if c[0]["t"] == "SingleQuote" else "double", inlines_from_pandoc(c[1]))
        case "Cite":
            return n.Cite(tuple(cit["citationId"] for cit in c[0]), inlines_from_pandoc(c[1]))
        case "Code":
            return n.Code(c[1], attr_from_pandoc(c[0]))
        case "Math":
            return n.Math(c[1], display=c[0]["t"] == "DisplayMath")
        case "RawInline":
            return n.RawInline(c[0], c[1])
        case "Link":
            return n.Link(inlines_from_pandoc(c[1]), c[2][0], c[2][1], attr_from_pandoc(c[0]))
        case "Image":
            return n.Image(inlines_from_pandoc(c[1]), c[2][0], c[2][1], attr_from_pandoc(c[0]))
        case "Note":
            return n.Note(blocks_from_pandoc(c))
        case "Span":
            return n.Span(inlines_from_pandoc(c[1]), attr_from_pandoc(c[0]))
        case _:
            raise UnsupportedNode(node, "pandoc inline")


def _block(node: Json) -> n.Block:
    tag, c = node.get("t"), node.get("c")
    match tag:
        case "Plain":
            return n.Plain(inlines_from_pandoc(c))
        case "Para":
            return n.Paragraph(inlines_from_pandoc(c))
        case "LineBlock":
            return n.LineBlock(tuple(inlines_from_pandoc(line) for line in c))
        case "CodeBlock":
            return n.CodeBlock(c[1], attr_from_pandoc(c[0]))
        case "RawBlock":
            return n.RawBlock(c[0], c[1])
        case "BlockQuote":
            return n.BlockQuote(blocks_from_pandoc(c))
        case "OrderedList":
            (start, style, _delim), items = c
            return n.OrderedList(tuple(blocks_from_pandoc(i) for i in items), start, style["t"])
        case "BulletList":
            return n.BulletList(tuple(blocks_from_pandoc(i) for i in c))
        case "DefinitionList":
            return n.DefinitionList(
                tuple(
                    n.DefinitionItem(inlines_from_pandoc(term), tuple(blocks_from_pandoc(d) for d in defs))
                    for term, defs in c
                )
            )
        case "Header":
            return n.Heading(c[0], inlines_from_pandoc(c[2]), attr_from_pandoc(c[1]))
        case "HorizontalRule":
            return n.HorizontalRule()
        case "Table":
            return _table(c)
        case "Figure":
            return n.Figure(blocks_from_pandoc(c[1][1]), blocks_from_pandoc(c[2]), attr_from_pandoc(c[0]))
        case "Div":
            return n.Div(blocks_from_pandoc(c[1]), attr_from_pandoc(c[0]))
        case _:
            raise UnsupportedNode(node, "pandoc block")


def _table(c: Json) -> n.Table:
    attr, caption, colspecs, head, bodies, foot = c
    body: list[n.Row] = []
    for _battr, _rowhead, intermediate, rows in bodies:
        body.extend(_rows(intermediate))
        body.extend(_rows(rows))
    return n.Table(
        caption=blocks_from_pandoc(caption[1]),
        aligns=tuple(_ALIGN[spec[0]["t"]] for spec in colspecs),
        head=_rows(head[1]),
        body=tuple(body),
        foot=_rows(foot[1]),
        attr=attr_from_pandoc(attr),
    )


def _rows(rows: Json) -> tuple[n.Row, ...]:
    return tuple(
        n.Row(
            tuple(
                n.Cell(blocks_from_pandoc(blocks), _ALIGN[align["t"]], rowspan, colspan)
                for _cattr, align, rowspan, colspan, blocks in cells
            )
        )
        for _rattr, cells in rows
    )
