"""Map pandoc's JSON AST (API ``names.API_VERSION``) onto the model, constructor by constructor.

An unknown constructor raises ``UnsupportedNode``: content is never dropped
for want of a rule. Containers nested deeper than ``limits.MAX_DEPTH`` are
flattened into their content (with a warning): every later stage recurses over
the model, and a 10,000-deep list would exhaust Python's stack.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from convert.errors import UnsupportedNode
from convert.limits import MAX_DEPTH
from convert.model import nodes as n
from convert.model.walk import inline_text
from convert.pandoc.names import ALIGNMENTS, MATH_DISPLAY, QUOTES, SIMPLE_INLINES

Json = Any
log = logging.getLogger("tearsheet")

_LEAF_INLINES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Code", "Math", "RawInline"})
_LEAF_BLOCKS = frozenset({"Plain", "Para", "LineBlock", "CodeBlock", "RawBlock", "Header", "HorizontalRule"})
_SPACE: Json = {"t": "Space"}


def blocks_from_pandoc(blocks: list[Json], *, max_depth: int = MAX_DEPTH) -> tuple[n.Block, ...]:
    mapping = _Mapping(max_depth)
    mapped = mapping.blocks(blocks, 0)
    mapping.report()
    return mapped


def inlines_from_pandoc(inlines: list[Json], *, max_depth: int = MAX_DEPTH) -> tuple[n.Inline, ...]:
    mapping = _Mapping(max_depth)
    mapped = mapping.inlines(inlines, 0)
    mapping.report()
    return mapped


def meta_value(value: Json, depth: int = 0) -> Any:
    """A pandoc ``MetaValue`` as plain Python data (strings, lists, dicts, bools)."""
    tag, content = value.get("t"), value.get("c")
    if tag in ("MetaList", "MetaMap") and depth >= MAX_DEPTH:
        log.warning("metadata nested deeper than %d levels was ignored", MAX_DEPTH)
        return None
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
            return [meta_value(v, depth + 1) for v in content]
        case "MetaMap":
            return {k: meta_value(v, depth + 1) for k, v in content.items()}
        case _:
            raise UnsupportedNode(value, "pandoc metadata")


def attr_from_pandoc(attr: Json) -> n.Attr:
    ident, classes, pairs = attr
    if not ident and not classes and not pairs:
        return n.NO_ATTR
    return n.Attr(ident, tuple(classes), tuple((k, v) for k, v in pairs))


# HTML's ``align`` on a block; the model says it with an ``align-*`` class, which every writer honours.
HTML_ALIGNMENTS = frozenset({"left", "center", "right", "justify"})


def aligned(attr: n.Attr) -> n.Attr:
    """``attr`` with an ``align`` attribute (``<div align=center>``) turned into the class ``align-center``."""
    align = (attr.get("align") or "").strip().lower()
    if align not in HTML_ALIGNMENTS:
        return attr
    rest = tuple((k, v) for k, v in attr.attributes if k != "align")
    return n.Attr(attr.id, (f"align-{align}", *attr.classes), rest)


class _Mapping:
    """One document's mapping; ``depth`` counts the containers above a node."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.flattened = False

    def report(self) -> None:
        if self.flattened:
            log.warning("content nested deeper than %d levels was flattened", self.max_depth)

    # ------------------------------------------------------------------ blocks

    def blocks(self, blocks: list[Json], depth: int) -> tuple[n.Block, ...]:
        if depth < self.max_depth:
            return tuple(self._block(b, depth + 1) for b in blocks)
        out: list[n.Block] = []
        for block in blocks:
            leaves = _leaf_blocks(block)
            self.flattened = self.flattened or len(leaves) != 1 or leaves[0] is not block
            out.extend(self._block(leaf, depth) for leaf in leaves)
        return tuple(out)

    def _block(self, node: Json, depth: int) -> n.Block:
        tag, c = node.get("t"), node.get("c")
        match tag:
            case "Plain":
                return n.Plain(self.inlines(c, depth))
            case "Para":
                return n.Paragraph(self.inlines(c, depth))
            case "LineBlock":
                return n.LineBlock(tuple(self.inlines(line, depth) for line in c))
            case "CodeBlock":
                return n.CodeBlock(c[1], attr_from_pandoc(c[0]))
            case "RawBlock":
                return n.RawBlock(c[0], c[1])
            case "BlockQuote":
                return n.BlockQuote(self.blocks(c, depth))
            case "OrderedList":
                (start, style, _delim), items = c
                return n.OrderedList(tuple(self.blocks(i, depth) for i in items), start, style["t"])
            case "BulletList":
                return n.BulletList(tuple(self.blocks(i, depth) for i in c))
            case "DefinitionList":
                return n.DefinitionList(
                    tuple(
                        n.DefinitionItem(self.inlines(term, depth), tuple(self.blocks(d, depth) for d in defs))
                        for term, defs in c
                    )
                )
            case "Header":
                return n.Heading(c[0], self.inlines(c[2], depth), attr_from_pandoc(c[1]))
            case "HorizontalRule":
                return n.HorizontalRule()
            case "Table":
                return self._table(c, depth)
            case "Figure":
                caption = self.blocks(c[1][1], depth)
                return n.Figure(caption, self.blocks(c[2], depth), attr_from_pandoc(c[0]))
            case "Div":
                attr = aligned(attr_from_pandoc(c[0]))
                blocks = _without_widest_label(c[1]) if "thebibliography" in attr.classes else c[1]
                return n.Div(self.blocks(blocks, depth), attr)
            case _:
                raise UnsupportedNode(node, "pandoc block")

    def _table(self, c: Json, depth: int) -> n.Table:
        attr, caption, colspecs, head, bodies, foot = c
        body: list[n.Row] = []
        for _battr, _rowhead, intermediate, rows in bodies:
            body.extend(self._rows(intermediate, depth))
            body.extend(self._rows(rows, depth))
        return n.Table(
            caption=self.blocks(caption[1], depth),
            aligns=tuple(ALIGNMENTS[spec[0]["t"]] for spec in colspecs),
            head=self._rows(head[1], depth),
            body=tuple(body),
            foot=self._rows(foot[1], depth),
            attr=attr_from_pandoc(attr),
        )

    def _rows(self, rows: Json, depth: int) -> tuple[n.Row, ...]:
        return tuple(
            n.Row(
                tuple(
                    n.Cell(self.blocks(blocks, depth), ALIGNMENTS[align["t"]], rowspan, colspan)
                    for _cattr, align, rowspan, colspan, blocks in cells
                )
            )
            for _rattr, cells in rows
        )

    # ----------------------------------------------------------------- inlines

    def inlines(self, inlines: list[Json], depth: int) -> tuple[n.Inline, ...]:
        # pandoc splits text into Str/Space/SoftBreak; the model keeps runs. A run is joined
        # once at its end: adding to it word by word was quadratic in a paragraph's length.
        out: list[n.Inline] = []
        run: list[str] = []
        for node in inlines:
            tag = node.get("t")
            if tag == "Str":
                run.append(node["c"])
                continue
            if tag == "Space" or tag == "SoftBreak":
                run.append(" ")
                continue
            for item in self._inline_items(node, depth):
                if isinstance(item, n.Text):
                    run.append(item.text)
                    continue
                if run:
                    out.append(n.Text("".join(run)))
                    run = []
                out.append(item)
        if run:
            out.append(n.Text("".join(run)))
        return tuple(out)

    def _inline_items(self, node: Json, depth: int) -> list[n.Inline]:
        """``node`` mapped, or past the depth limit its content without the nesting."""
        tag = node.get("t")
        if depth < self.max_depth or tag in _LEAF_INLINES:
            return [self._inline(node, depth + 1)]
        self.flattened = True
        c = node.get("c")
        # A link or image keeps its target and a note its place: only what is inside flattens.
        match tag:
            case "Link" | "Image":
                return [self._inline({"t": tag, "c": [c[0], _leaf_inlines(c[1]), c[2]]}, depth)]
            case "Note":
                return [n.Note((n.Plain(self._flat(_leaf_inlines(blocks_as_inlines(c)))),))]
            case _:
                return [self._inline(leaf, depth) for leaf in _leaf_inlines([node])]

    def _flat(self, leaves: list[Json]) -> tuple[n.Inline, ...]:
        return self.inlines(leaves, self.max_depth)

    def _inline(self, node: Json, depth: int) -> n.Inline:
        tag, c = node.get("t"), node.get("c")
        if tag in SIMPLE_INLINES:
            return cast(n.Inline, SIMPLE_INLINES[tag](self.inlines(c, depth)))
        match tag:
            case "Str":
                return n.Text(c)
            case "Space" | "SoftBreak":
                return n.Text(" ")
            case "LineBreak":
                return n.LineBreak()
            case "Quoted":
                return n.Quoted(QUOTES[c[0]["t"]], self.inlines(c[1], depth))
            case "Cite":
                keys, content = tuple(cit["citationId"] for cit in c[0]), self.inlines(c[1], depth)
                if all(isinstance(i, n.RawInline) and i.format.lower() != "html" for i in content):
                    # LaTeX's \cite{key} comes as its raw TeX, which only LaTeX prints: the keys stand in.
                    content = (n.Text(f"[{'; '.join(keys)}]"),)
                return n.Cite(keys, content)
            case "Code":
                return n.Code(c[1], attr_from_pandoc(c[0]))
            case "Math":
                return n.Math(c[1], display=MATH_DISPLAY[c[0]["t"]])
            case "RawInline":
                return n.RawInline(c[0], c[1])
            case "Link":
                return n.Link(self.inlines(c[1], depth), c[2][0], c[2][1], attr_from_pandoc(c[0]))
            case "Image":
                return n.Image(self.inlines(c[1], depth), c[2][0], c[2][1], attr_from_pandoc(c[0]))
            case "Note":
                return n.Note(self.blocks(c, depth))
            case "Span" if "kbd" in c[0][1] and all(x.get("t") in ("Str", "Space") for x in c[1]):
                # Keys typed (HTML's <kbd>): code, so every format sets them apart as pandoc's Code.
                return n.Code(inline_text(self.inlines(c[1], depth)), attr_from_pandoc(c[0]))
            case "Span":
                return n.Span(self.inlines(c[1], depth), attr_from_pandoc(c[0]))
            case _:
                raise UnsupportedNode(node, "pandoc inline")


# ------------------------------------------------------------------ flattening (iterative)


def _without_widest_label(blocks: list[Json]) -> list[Json]:
    """LaTeX's ``\\begin{thebibliography}{9}``: pandoc reads the widest-label argument ("9") as a span opening
    the first entry, which then printed a stray "9"; it goes."""
    first = blocks[0] if blocks else {}
    inlines = first.get("c") if first.get("t") == "Para" else None
    if inlines and len(inlines) > 1 and inlines[0].get("t") == "Span" and inlines[1].get("t") == "SoftBreak":
        return [{"t": "Para", "c": inlines[2:]}, *blocks[1:]]
    return blocks


def _leaf_blocks(node: Json) -> list[Json]:
    """The leaf blocks under ``node`` in reading order, containers left out."""
    out: list[Json] = []
    stack = [node]
    while stack:
        item = stack.pop()
        children = _block_children(item)
        if children is None:
            out.append(item)
        else:
            stack.extend(reversed(children))
    return out


def _block_children(node: Json) -> list[Json] | None:
    tag, c = node.get("t"), node.get("c")
    match tag:
        case "BlockQuote":
            return list(c)
        case "BulletList":
            return [b for item in c for b in item]
        case "OrderedList":
            return [b for item in c[1] for b in item]
        case "DefinitionList":
            return [b for term, defs in c for b in [{"t": "Plain", "c": term}, *(x for d in defs for x in d)]]
        case "Div":
            return list(c[1])
        case "Figure":
            return [*c[2], *c[1][1]]
        case "Table":
            return [*c[1][1], *(b for cell in _table_cells(c) for b in cell)]
        case _ if tag in _LEAF_BLOCKS:
            return None
        case _:
            raise UnsupportedNode(node, "pandoc block")


def _table_cells(c: Json) -> list[list[Json]]:
    _attr, _caption, _colspecs, head, bodies, foot = c
    rows = [*head[1], *(r for body in bodies for r in [*body[2], *body[3]]), *foot[1]]
    return [cell[4] for _rattr, cells in rows for cell in cells]


def _leaf_inlines(inlines: list[Json]) -> list[Json]:
    """The leaf inlines under ``inlines`` in reading order; every container is dropped."""
    out: list[Json] = []
    stack = list(reversed(inlines))
    while stack:
        item = stack.pop()
        tag, c = item.get("t"), item.get("c")
        if tag in _LEAF_INLINES:
            out.append(item)
        elif tag in SIMPLE_INLINES:
            stack.extend(reversed(c))
        elif tag in ("Quoted", "Cite", "Span", "Link", "Image"):
            stack.extend(reversed(c[1]))
        elif tag == "Note":
            stack.extend(reversed(blocks_as_inlines(c)))
        else:
            raise UnsupportedNode(item, "pandoc inline")
    return out


def blocks_as_inlines(blocks: list[Json]) -> list[Json]:
    """The inline content of ``blocks`` (flattened), blocks separated by a space."""
    out: list[Json] = []
    for leaf in (leaf for b in blocks for leaf in _leaf_blocks(b)):
        tag, c = leaf.get("t"), leaf.get("c")
        if tag in ("Plain", "Para"):
            content = c
        elif tag == "Header":
            content = c[2]
        elif tag == "LineBlock":
            content = [x for line in c for x in [*line, {"t": "LineBreak"}]]
        elif tag == "CodeBlock":
            content = [{"t": "Code", "c": c}]
        elif tag == "RawBlock":
            content = [{"t": "RawInline", "c": c}]
        else:  # HorizontalRule
            continue
        out.extend([_SPACE, *content] if out else content)
    return out
