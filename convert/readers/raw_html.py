"""Raw HTML inside a pandoc AST (Markdown's inline HTML, any reader's raw blocks) read as HTML.

pandoc's Markdown reader cuts HTML into pieces: ``<details>`` is one raw block,
the Markdown inside it ordinary blocks, ``</details>`` another raw block.
Passed through piece by piece, an element ends up split or misnested in the
XHTML. Here each list of sibling nodes holding raw HTML becomes one HTML
fragment, its Markdown nodes standing in as placeholder elements, so an
opening tag and its closing tag in a later block make one element. The
fragment is sanitized (nh3, as the renderer does), read by pandoc's own HTML
reader, and the placeholders are swapped back for the Markdown nodes.

What pandoc's AST cannot hold (``<video>``, ``<script>``, comments, tags such
as ``<center>`` whose text alone is kept) is recorded as a ``Removal``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from convert.model import Removal
from convert.model.walk import inline_text
from convert.pandoc.reading import HTML_ALIGNMENTS, blocks_as_inlines, inlines_from_pandoc
from convert.readers.embeds import leave_link_to_embedded

Json = Any

RULE = "raw-html"
_HTML_FORMATS = frozenset({"html", "html4", "html5"})
# Elements pandoc's HTML reader maps onto its AST (checked by a test against pandoc itself).
REPRESENTED = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div", "dl"),
        *("dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd"),
        *("li", "mark", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strike", "strong", "sub"),
        *("sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var"),
    }
)
# Elements whose content means nothing without them (players, scripts, forms): dropped whole.
_DROPPED_WITH_CONTENT = frozenset(
    {
        *("applet", "audio", "button", "canvas", "embed", "form", "iframe", "input", "map", "math", "noscript"),
        *("object", "script", "select", "style", "svg", "template", "textarea", "video"),
    }
)
# pandoc keeps an id on these; on others (``<p id>``, ``<li id>``) it moves to an empty span.
_ID_KEPT = frozenset({"a", "div", "span", "section", "figure", "table", "h1", "h2", "h3", "h4", "h5", "h6"})
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "data-ts-slot", "data-ts-frag", "data-ts-summary"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
}
# pandoc reads these as their text alone (pandoc's Code, CodeBlock).
_READ_AS_TEXT = frozenset({"code", "kbd", "pre", "samp", "tt", "var"})
_SLOT_ATTR = "ts-slot"
_RAW = frozenset({"RawBlock", "RawInline"})
_FRAGMENT_ATTR = "ts-frag"
_SUMMARY_ATTR = "ts-summary"
# ``align`` on a block (``<div align=center>``, ``<p align=right>``, ``<center>``) becomes a class pandoc keeps
# on a Div: ``align-center``, which the stylesheets and the DOCX writer's paragraph styles honour.
_ALIGNED_IN_PLACE = frozenset({"div", "section"})  # pandoc keeps these as a Div with their classes
_ALIGNABLE = frozenset({"p", "blockquote", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "pre"})


@dataclass
class _Fragment:
    """One list of sibling nodes holding raw HTML, and the runs of other nodes in it."""

    nodes: list[Json]  # the list itself, rewritten in place once pandoc has read the fragment
    inline: bool
    html: str
    slots: dict[str, list[Json]]  # placeholder → (inline?, the nodes it stands for)


def resolve_raw_html(blocks: list[Json], source: str | Path) -> tuple[Removal, ...]:
    """Replace the raw HTML in ``blocks`` (pandoc JSON, changed in place) by pandoc nodes.

    Returns what could not be represented.
    """
    removed: list[Removal] = []
    fragments = _fragments(blocks, removed)
    if not fragments:
        return ()
    from convert.readers.pandoc import parse_text

    document = "".join(f'<div data-ts-frag="{i}">{f.html}</div>' for i, f in enumerate(fragments))
    read = parse_text(document, "html", source).get("blocks", [])
    by_index = {_attribute(b, _FRAGMENT_ATTR): b["c"][1] for b in read if b.get("t") == "Div"}
    # Fragments were found outside in: fill the inner ones first, as an outer one may copy them.
    for index, fragment in reversed(list(enumerate(fragments))):
        _fill(fragment, by_index.get(str(index), []))
    return tuple(removed)


# ------------------------------------------------------------------ collecting


def _fragments(blocks: list[Json], removed: list[Removal]) -> list[_Fragment]:
    """Every node list under ``blocks`` that holds raw HTML, as a sanitized fragment (iterative walk)."""
    fragments: list[_Fragment] = []
    slot_count = 0
    for value in _lists_under(blocks):
        if not any(type(item) is dict and item.get("t") in _RAW for item in value) or not any(map(_is_raw_html, value)):
            continue  # the first test is the cheap one: most lists hold no raw node at all
        inline = any(item.get("t") == "RawInline" for item in value if isinstance(item, dict))
        parts: list[str] = []
        slots: dict[str, list[Json]] = {}
        run: list[Json] = []
        for item in [*value, None]:
            if item is not None and not _is_raw_html(item):
                run.append(item)
                continue
            if run:
                key = str(slot_count)
                slot_count += 1
                # Plain blocks are inline content: as a <span> they may sit in a <p>, <summary> or <td>.
                phrasing = all(node.get("t") not in _BLOCK_TAGS or node.get("t") == "Plain" for node in run)
                slots[key] = run
                tag = "span" if phrasing else "div"
                parts.append(f'<{tag} data-ts-slot="{key}"></{tag}>')
                run = []
            if item is not None:
                parts.append(item["c"][1])

        def text_of(key: str, slots: dict[str, list[Json]] = slots) -> str:
            return inline_text(inlines_from_pandoc(_as_inlines(slots[key]))) if key in slots else ""

        html, dropped, as_text = sanitize("".join(parts), removed, text_of)
        for key in dropped:  # Markdown inside a <video> or <script>: its fallback goes with it
            removed.append(Removal(RULE, text_of(key)))
        for key in dropped | as_text:
            del slots[key]
        fragments.append(_Fragment(value, inline, html, slots))
    return fragments


def _is_raw_html(item: Json) -> bool:
    return isinstance(item, dict) and item.get("t") in _RAW and str(item["c"][0]).lower() in _HTML_FORMATS


def sanitize(html: str, removed: list[Removal], slot_text: Callable[[str], str]) -> tuple[str, set[str], set[str]]:
    """``html`` with only what pandoc represents, balanced; the placeholders dropped, and put as text.

    What goes is added to ``removed``. In elements pandoc reads as plain text
    (``<code>``, ``<kbd>``…) a placeholder becomes the text it stands for.
    """
    import lxml.html
    import nh3
    from lxml import etree

    if not html.strip():
        return "", set(), set()
    dropped: set[str] = set()
    as_text: set[str] = set()
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        if str(node.text or "").strip():
            removed.append(Removal(RULE, f"<!--{node.text}-->"))
        node.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element is root or root not in element.iterancestors():
            continue  # the root, or inside an element already dropped whole
        tag = element.tag.lower()
        if tag == "center":  # obsolete, but common in READMEs: a centred block
            element.tag = tag = "div"
            element.set("align", "center")
        _align(element, tag)
        if tag == "details":
            element.tag = "div"
            element.set("class", " ".join(filter(None, ["details", element.get("class")])))
        elif tag == "summary":
            element.tag = "div"
            element.set("data-ts-summary", "")
        elif tag in _DROPPED_WITH_CONTENT:
            text = " ".join(element.text_content().split())
            removed.append(Removal(RULE, " ".join(filter(None, [_start_tag(element), text]))))
            dropped.update(str(slot.get("data-ts-slot")) for slot in element.iterfind(".//*[@data-ts-slot]"))
            leave_link_to_embedded(element, root)
            element.drop_tree()
            continue
        elif tag not in REPRESENTED:
            removed.append(Removal(RULE, _start_tag(element)))
            element.drop_tag()
            continue
        if tag in _READ_AS_TEXT:
            for slot in list(element.iterfind(".//*[@data-ts-slot]")):
                key = str(slot.get("data-ts-slot"))
                _replace_by_text(slot, slot_text(key))
                as_text.add(key)
        ident = element.get("id")
        if ident and tag not in _ID_KEPT:
            del element.attrib["id"]
            target = etree.Element("span", id=ident)
            target.tail, element.text = element.text, None
            element.insert(0, target)
    inner = (escape(root.text, quote=False) if root.text else "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
    return nh3.clean(inner, tags=set(REPRESENTED), attributes=_ATTRIBUTES, link_rel=None), dropped, as_text


def _align(element: Any, tag: str) -> None:
    """Turn a block's ``align`` attribute into an ``align-*`` class on a Div pandoc keeps."""
    from lxml import etree

    align = (element.attrib.pop("align", None) or "").strip().lower()
    if align not in HTML_ALIGNMENTS or (tag not in _ALIGNED_IN_PLACE and tag not in _ALIGNABLE):
        return
    target = element
    if tag not in _ALIGNED_IN_PLACE:  # pandoc drops a <p>'s classes: wrap it in a <div>
        target = etree.Element("div")
        element.addprevious(target)
        target.tail, element.tail = element.tail, None
        target.append(element)
    target.set("class", " ".join(filter(None, [f"align-{align}", target.get("class")])))


def _replace_by_text(element: Any, text: str) -> None:
    parent = element.getparent()
    joined = text + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(element)


def _start_tag(element: Any) -> str:
    attributes = "".join(f' {k}="{escape(v)}"' for k, v in element.attrib.items())
    return f"<{element.tag}{attributes}>"


# ------------------------------------------------------------------ filling in


def _fill(fragment: _Fragment, read: list[Json]) -> None:
    """Put pandoc's reading of ``fragment`` in place of its nodes, placeholders swapped back."""
    used: set[str] = set()
    _rewrite_lists(read, lambda item: _swapped(item, fragment.slots, used))
    _rewrite_lists(read, _summary_in_bold)
    # A placeholder the HTML parser moved out of reach still keeps its content.
    lost = [nodes for key, nodes in fragment.slots.items() if key not in used]
    if fragment.inline:
        inlines = blocks_as_inlines(read)
        for nodes in lost:
            inlines.extend(_as_inlines(nodes))
        fragment.nodes[:] = inlines
    else:
        for nodes in lost:
            read.extend(_as_blocks(nodes))
        fragment.nodes[:] = read


def _rewrite_lists(tree: list[Json], rewrite: Callable[[Json], list[Json] | None]) -> None:
    """Replace, in every node list under ``tree``, each item ``rewrite`` returns a list for."""
    for value in _lists_under(tree):
        replaced = [rewrite(item) for item in value]
        if any(r is not None for r in replaced):
            value[:] = [x for item, r in zip(value, replaced, strict=True) for x in ([item] if r is None else r)]


def _is_leaf(node: dict[str, Json]) -> bool:
    return "t" in node and type(node.get("c")) is not list and type(node.get("c")) is not dict


def _lists_under(tree: list[Json]) -> Iterator[list[Json]]:
    """Every JSON list under ``tree``, outside in, without recursion (pandoc's JSON may nest deep).

    A list may be changed in place when it is yielded: its new items are the ones walked.
    """
    stack: list[Json] = [tree]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            # A pandoc node keeps its children under "c"; other objects (a Cite's citations) anywhere.
            children = [value.get("c")] if "t" in value else value.values()
            stack.extend([v for v in children if type(v) is list or type(v) is dict])
            continue
        yield value
        # Leaves (a Str's "c" is its text) are not worth a trip through the stack.
        stack.extend([v for v in value if type(v) is list or (type(v) is dict and not _is_leaf(v))])


def _swapped(item: Json, slots: dict[str, list[Json]], used: set[str]) -> list[Json] | None:
    """The nodes a placeholder stands for, in the form its place needs."""
    key = _attribute(item, _SLOT_ATTR)
    if key is None or key not in slots or key in used:
        return None
    used.add(key)
    nodes = slots[key]
    return _as_inlines(nodes) if item["t"] == "Span" else _as_blocks(nodes)


def _summary_in_bold(item: Json) -> list[Json] | None:
    """``<details>`` prints its summary in bold, then its content."""
    if _attribute(item, _SUMMARY_ATTR) is None:
        return None
    return [{"t": "Para", "c": [{"t": "Strong", "c": blocks_as_inlines(item["c"][1])}]}]


def _as_blocks(nodes: list[Json]) -> list[Json]:
    return nodes if nodes and nodes[0].get("t") in _BLOCK_TAGS else [{"t": "Plain", "c": nodes}]


def _as_inlines(nodes: list[Json]) -> list[Json]:
    return blocks_as_inlines(nodes) if nodes and nodes[0].get("t") in _BLOCK_TAGS else nodes


def _attribute(item: Json, name: str) -> str | None:
    """The value of attribute ``name`` on a pandoc Div or Span, if it has one."""
    if not isinstance(item, dict) or item.get("t") not in ("Div", "Span"):
        return None
    return next((str(v) for k, v in item["c"][0][2] if k == name), None)


_BLOCK_TAGS = frozenset(
    {
        *("Plain", "Para", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList", "BulletList"),
        *("DefinitionList", "Header", "HorizontalRule", "Table", "Figure", "Div"),
    }
)
