"""Model → XHTML, the one HTML renderer behind the PDF and EPUB writers.

The output is well-formed XML (void elements closed, everything escaped), so
the EPUB can use it as XHTML and WeasyPrint as HTML. Raw HTML from inputs
goes through the nh3 sanitizer before it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from enum import Enum
from html import escape

from convert.errors import UnsupportedNode
from convert.link_schemes import has_other_scheme
from convert.model import ABSTRACT_CLASS
from convert.model import nodes as n
from convert.model.walk import inline_text, iter_nodes, plain_text
from convert.transforms.labels import DEFAULT_LANGUAGE, label
from convert.transforms.links import shown_address, url_parts

ImageSource = Callable[[n.Image], "str | None"]

_OL_TYPES = {"LowerAlpha": "a", "UpperAlpha": "A", "LowerRoman": "i", "UpperRoman": "I"}
_PASS_ATTRIBUTES = frozenset({"epub:type", "role", "lang", "dir", "title", "width", "height"})
_ATTR_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")
_SIMPLE_TAGS: dict[type, str] = {
    n.Emph: "em",
    n.Strong: "strong",
    n.Underline: "u",
    n.Strikeout: "del",
    n.Superscript: "sup",
    n.Subscript: "sub",
}


def figure_captions(blocks: tuple[n.Block, ...]) -> dict[n.Image, str]:
    """Each image in a figure of ``blocks``, with the text of the figure's caption."""
    captions: dict[n.Image, str] = {}
    for figure in iter_nodes(blocks):
        if isinstance(figure, n.Figure) and figure.caption:
            text = plain_text(figure.caption)
            captions.update((image, text) for image in iter_nodes(figure.blocks) if isinstance(image, n.Image))
    return captions


def missing_image_text(image: n.Image, caption: str, image_label: str) -> str:
    """What stands for an image that cannot be shown: ``[its alt text]``; ``[image]`` (``image_label``) when it
    has none, or when its figure's caption, printed right below, already says it (pages often repeat the
    caption as the alt text: shown twice, it reads as a stutter)."""
    alt = inline_text(image.content)  # its spaces collapsed, as the caption's are here
    if alt.startswith("[") and alt.endswith("]"):  # already bracketed ("[QGIS main interface]")
        alt = alt[1:-1].strip()
    repeated = bool(alt) and alt.casefold() in " ".join(caption.split()).casefold()
    return f"[{image_label if not alt or repeated else alt}]"


class NoteStyle(Enum):
    FLOAT = "float"  # notes stay where they are cited; print CSS floats them to the page foot
    ASIDE = "aside"  # a numbered marker; the note goes in an <aside> after the body
    NATIVE = "native"  # not XHTML: the format's own footnotes (DOCX, through pandoc)


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return "".join(f' {k}="{escape(v, quote=True)}"' for k, v in pairs if v != "")


def safe_href(url: str) -> str | None:
    """The URL if a reader may follow it (``convert.link_schemes``: no ``javascript:`` and the like).

    A relative URL stays: a book's links between its own chapters are relative."""
    return None if has_other_scheme(url.strip()) else url.strip()


def clean_html(fragment: str) -> str:
    """Sanitize raw HTML from an input and make it well-formed XHTML."""
    import lxml.html
    import nh3
    from lxml import etree

    # No <img>: raw HTML must not smuggle in an image the sandbox never saw.
    cleaned = nh3.clean(fragment, tags=nh3.ALLOWED_TAGS - {"img"})
    if not cleaned.strip():
        return ""
    wrapper = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    inner = (escape(wrapper.text) if wrapper.text else "") + "".join(
        etree.tostring(child, method="xml", encoding="unicode") for child in wrapper
    )
    return inner


# Break opportunities between a shown URL's parts (``url_parts``): ``<wbr/>``, which reading systems
# honour, and a zero-width space in the text, for WeasyPrint (its <wbr> is generated content that
# breaks a character late; inline boxes per part cost 40 % of a link-heavy page's layout).
WBR = "<wbr/>"


class HtmlRenderer:
    """Renders blocks to XHTML; collects notes when they are asides."""

    def __init__(
        self,
        notes: NoteStyle = NoteStyle.ASIDE,
        image_src: ImageSource | None = None,
        known_ids: frozenset[str] | None = None,
        id_prefix: str = "",
        language: str = DEFAULT_LANGUAGE,
        url_break: str = WBR,
        math: Mapping[n.Math, str] | None = None,
    ) -> None:
        self.notes = notes
        self.math = math or {}  # formulas rendered by pandoc (``render.math``); the rest print as TeX
        self.url_break = url_break  # what goes between a shown URL's parts: where its line may break
        self.language = language  # the article's: Tearsheet's own words in it
        self.image_label = label("image", language)  # what stands for an image left out
        # Articles sharing one HTML document (a PDF anthology) keep their ids apart.
        self.id_prefix = id_prefix
        # In-page links to ids that do not exist (placeholders such as "#") become text.
        self.known_ids = known_ids
        self.image_src = image_src or (lambda image: image.src)
        self._asides: list[str] = []
        self._captions: dict[n.Image, str] = {}  # images in figures, with their caption's text
        self._author_notes = 0
        self._ids: set[str] = set()
        self.headings: list[tuple[int, str, str]] = []  # (level, id, text) in order, as rendered
        self.images = 0  # images shown (not the placeholders of images left out)
        self.images_without_alt = 0

    # ------------------------------------------------------------------ blocks

    def blocks(self, blocks: tuple[n.Block, ...]) -> str:
        return "\n".join(self.block(b) for b in blocks)

    def block(self, node: n.Block) -> str:
        match node:
            case n.Plain(content):
                return self.inlines(content)
            case n.Paragraph(content):
                return f"<p>{self.inlines(content)}</p>"
            case n.LineBlock(lines):
                return '<div class="line-block">' + "<br/>\n".join(self.inlines(line) for line in lines) + "</div>"
            case n.CodeBlock(text, attr):
                lang = next((c for c in attr.classes), "")
                code_attr = _attrs([("class", f"language-{lang}" if lang else "")])
                return f"<pre{self._attr(attr, skip_classes=True)}><code{code_attr}>{escape(text)}</code></pre>"
            case n.RawBlock(fmt, text):
                return clean_html(text) if fmt.lower() == "html" else ""
            case n.BlockQuote(blocks):
                return f"<blockquote>\n{self.blocks(blocks)}\n</blockquote>"
            case n.BulletList(items):
                return "<ul>\n" + "".join(f"<li>{self.blocks(i)}</li>\n" for i in items) + "</ul>"
            case n.OrderedList(items, start, style):
                attrs = _attrs([("start", str(start) if start != 1 else ""), ("type", _OL_TYPES.get(style, ""))])
                return f"<ol{attrs}>\n" + "".join(f"<li>{self.blocks(i)}</li>\n" for i in items) + "</ol>"
            case n.DefinitionList(items):
                parts = []
                for item in items:
                    parts.append(f"<dt>{self.inlines(item.term)}</dt>")
                    parts += [f"<dd>{self.blocks(d)}</dd>" for d in item.definitions]
                return "<dl>\n" + "\n".join(parts) + "\n</dl>"
            case n.Heading(level, content, attr):
                level = min(max(level, 1), 6)
                ident = self._unique_id(attr.id or f"section-{len(self.headings) + 1}")
                self.headings.append((level, ident, inline_text(content)))
                html_attr = self._attr(replace(attr, id=""), [("id", ident)])
                return f"<h{level}{html_attr}>{self.inlines(content)}</h{level}>"
            case n.HorizontalRule():
                return "<hr/>"
            case n.Table():
                return self.table(node)
            case n.Figure(caption, blocks, attr):
                self._captions.update(figure_captions((node,)))
                cap = f"<figcaption>{self.blocks(caption)}</figcaption>" if caption else ""
                return f"<figure{self._attr(attr)}>\n{self.blocks(blocks)}\n{cap}</figure>"
            case n.Div(blocks, attr) if ABSTRACT_CLASS in attr.classes:
                title = f'<p class="abstract-title">{escape(label("abstract", self.language))}</p>'
                return f'<section{self._attr(attr)} role="doc-abstract">\n{title}\n{self.blocks(blocks)}\n</section>'
            case n.Div((n.Div(heading_blocks), *rest), attr) if _is_admonition(node):
                heading = " ".join(
                    self.inlines(b.content) for b in heading_blocks if isinstance(b, (n.Plain, n.Paragraph))
                )
                box = replace(attr, classes=("admonition", *attr.classes))
                return (
                    f'<div{self._attr(box)} role="note">\n<p class="admonition-title">{heading}</p>\n'
                    f"{self.blocks(tuple(rest))}\n</div>"
                )
            case n.Div(blocks, attr):
                return f"<div{self._attr(attr)}>\n{self.blocks(blocks)}\n</div>"
            case _:
                raise UnsupportedNode(node, "HTML renderer")

    def table(self, table: n.Table) -> str:
        parts = [f"<table{self._attr(table.attr)}>"]
        if table.caption:
            parts.append(f"<caption>{self.blocks(table.caption)}</caption>")
        for tag, rows, cell_tag in (
            ("thead", table.head, "th"),
            ("tbody", table.body, "td"),
            ("tfoot", table.foot, "td"),
        ):
            if not rows:
                continue
            parts.append(f"<{tag}>")
            for row in rows:
                cells = []
                for index, cell in enumerate(row.cells):
                    align = cell.align if cell.align != "default" else _column_align(table.aligns, index)
                    attrs = _attrs(
                        [
                            ("style", f"text-align: {align}" if align != "default" else ""),
                            ("rowspan", str(cell.rowspan) if cell.rowspan > 1 else ""),
                            ("colspan", str(cell.colspan) if cell.colspan > 1 else ""),
                        ]
                    )
                    cells.append(f"<{cell_tag}{attrs}>{self.blocks(cell.blocks)}</{cell_tag}>")
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append(f"</{tag}>")
        parts.append("</table>")
        return "\n".join(parts)

    # ----------------------------------------------------------------- inlines

    def inlines(self, content: tuple[n.Inline, ...]) -> str:
        return "".join(self.inline(i) for i in content)

    def inline(self, node: n.Inline) -> str:
        tag = _SIMPLE_TAGS.get(type(node))
        if tag is not None:
            return f"<{tag}>{self.inlines(node.content)}</{tag}>"  # type: ignore[union-attr]
        match node:
            case n.Text(text):
                return escape(text, quote=False)
            case n.SmallCaps(content):
                return f'<span class="smallcaps">{self.inlines(content)}</span>'
            case n.Quoted(kind, content):
                open_, close = ("‘", "’") if kind == "single" else ("“", "”")
                return f"{open_}{self.inlines(content)}{close}"
            case n.Cite(keys, content):
                return (
                    f'<span class="citation"{_attrs([("data-cites", " ".join(keys))])}>{self.inlines(content)}</span>'
                )
            case n.Code(text, attr):
                return f"<code{self._attr(attr)}>{escape(text, quote=False)}</code>"
            case n.LineBreak():
                return "<br/>"
            case n.Math(text, display):
                if node in self.math:
                    return self.math[node]
                style = "display" if display else "inline"
                return f'<span class="math {style}">{escape(text, quote=False)}</span>'
            case n.RawInline(fmt, text):
                return clean_html(text) if fmt.lower() == "html" else ""
            case n.Link(content, url, title, attr):
                href = safe_href(url)
                if href is None:
                    return self.inlines(content)
                if href.startswith("#"):
                    if self.known_ids is not None and xml_id(href[1:]) not in self.known_ids:
                        return self.inlines(content)
                    href = "#" + self._ref(href[1:])
                if (address := shown_address(content, url)) is not None:
                    text = self.shown_url(address)
                    url_attr = replace(attr, classes=(*attr.classes, "url"))
                    # dir="ltr": a URL reads left to right in a right-to-left article too
                    # (the bidi algorithm would print "example.com/2023" as "example/com/2023")
                    extra = [("href", href), ("title", title), ("dir", "ltr")]
                    return f"<a{self._attr(url_attr, extra)}>{text}</a>"
                return f"<a{self._attr(attr, [('href', href), ('title', title)])}>{self.inlines(content)}</a>"
            case n.Image():
                return self.image(node)
            case n.Note(blocks, label):
                return self.note(blocks, label)
            case n.Span(content, attr):
                return f"<span{self._attr(attr)}>{self.inlines(content)}</span>"
            case _:
                raise UnsupportedNode(node, "HTML renderer")

    def image(self, image: n.Image) -> str:
        alt = inline_text(image.content)
        src = self.image_src(image)
        if src is None:
            shown = missing_image_text(image, self._captions.get(image, ""), self.image_label)
            return f'<span class="missing-image">{escape(shown, quote=False)}</span>'
        extra = [(k, v) for k, v in image.attr.attributes if k in ("width", "height") and v.isdigit()]
        self.images += 1
        self.images_without_alt += not alt
        # alt="" stays written: without it a reader announces the file name; with it, nothing
        alt_attr = f' alt="{escape(alt, quote=True)}"'
        return f"<img{_attrs([('src', src)])}{alt_attr}{_attrs([('title', image.title), *extra])}/>"

    def note(self, blocks: tuple[n.Block, ...], label: str = "") -> str:
        if self.notes is NoteStyle.FLOAT:
            body = "<br/>".join(
                self.inlines(b.content) if isinstance(b, (n.Plain, n.Paragraph)) else self.block(b) for b in blocks
            )
            return f'<span class="footnote"{_attrs([("data-label", label)])}>{body}</span>'
        k = len(self._asides) + 1
        if not label:
            self._author_notes += 1  # the author's notes count 1, 2, 3 whatever link notes come between
        text = escape(label or str(self._author_notes), quote=False)
        note, ref = self._ref(f"note-{k}"), self._ref(f"noteref-{k}")
        self._asides.append(
            f'<aside id="{note}" class="footnote" epub:type="footnote" role="doc-footnote">\n'
            f'<p class="note-label"><a href="#{ref}" role="doc-backlink">{text}</a></p>\n'
            f"{self.blocks(blocks)}\n</aside>"
        )
        call = f'<a id="{ref}" class="noteref" href="#{note}" epub:type="noteref" role="doc-noteref">{text}</a>'
        # A labelled note is a link citation: bracketed on the line, not superscript like the author's notes.
        return f'<span class="link-marker">{call}</span>' if label else f"<sup>{call}</sup>"

    def asides(self) -> str:
        """The notes collected so far (ASIDE style), to place after the body."""
        if not self._asides:
            return ""
        return '<section class="footnotes" role="doc-endnotes">\n' + "\n".join(self._asides) + "\n</section>"

    # -------------------------------------------------------------- attributes

    def _attr(self, attr: n.Attr, extra: list[tuple[str, str]] | None = None, skip_classes: bool = False) -> str:
        pairs = list(extra or [])
        if attr.id:
            pairs.append(("id", self._unique_id(attr.id)))
        if attr.classes and not skip_classes:
            pairs.append(("class", " ".join(attr.classes)))
        for key, value in attr.attributes:
            if key in _PASS_ATTRIBUTES:
                pairs.append((key, value))
            elif _ATTR_NAME.match(key):
                pairs.append((f"data-{key.lower()}", value))
        return _attrs(pairs)

    def shown_url(self, url: str) -> str:
        """``url`` as the text of a link that shows it: escaped, ``url_break`` where its line may break."""
        return self.url_break.join(escape(part, quote=False) for part in url_parts(url))

    def _ref(self, ident: str) -> str:
        """The rendered form of id ``ident``, as its element and every link to it show it."""
        return xml_id(self.id_prefix + ident) if self.id_prefix else xml_id(ident)

    def _unique_id(self, ident: str) -> str:
        ident = self._ref(ident)
        candidate, k = ident, 1
        while candidate in self._ids:
            k += 1
            candidate = f"{ident}-{k}"
        self._ids.add(candidate)
        return candidate


# The kinds of admonition pandoc reads (RST ``.. note::``, GitHub's ``> [!NOTE]``, Djot): a div of the kind
# whose first block is a div of class "title" holding the word the source printed ("Note", "Warning").
ADMONITIONS = frozenset(
    {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error", "seealso", "admonition"}
)


def _is_admonition(div: n.Div) -> bool:
    first = div.blocks[0] if div.blocks else None
    return (
        bool(ADMONITIONS.intersection(div.attr.classes)) and isinstance(first, n.Div) and "title" in first.attr.classes
    )


def xml_id(ident: str) -> str:
    """``ident`` as an XML name (EPUB requires it); fragment links map the same way."""
    ident = re.sub(r"[^\w.-]", "-", ident)
    return ident if ident[:1].isalpha() or ident[:1] == "_" else "id-" + ident


def _column_align(aligns: tuple[n.Alignment, ...], index: int) -> n.Alignment:
    return aligns[index] if index < len(aligns) else "default"
