"""Body nodes of the document model: a small closed AST close to pandoc's.

Text runs are merged into one ``Text`` node (pandoc's ``Str``/``Space``/
``SoftBreak``), which keeps normalizer rules simple: they match on strings.
Every other pandoc constructor has a node of its own, so nothing a reader
finds is dropped for want of a place to put it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias


@dataclass(frozen=True, slots=True)
class Attr:
    """Identifier, classes and key-value attributes, as pandoc's ``Attr``."""

    id: str = ""
    classes: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str | None = None) -> str | None:
        return next((v for k, v in self.attributes if k == key), default)


NO_ATTR = Attr()
# The class of a photo credit a reader recognised by its markup (a figure's "copyright" or "credit"
# element): the normalizer drops such a span by name (rule ``photo-credit``), with its text recorded.
CREDIT_CLASS = "photo-credit"
# The class of the Div a reader makes of a document's abstract (pandoc's ``abstract`` metadata: LaTeX's
# abstract, a DOCX paragraph in the Abstract style, front matter's ``abstract``): printed first, titled.
ABSTRACT_CLASS = "abstract"
# The classes of what Tearsheet adds to an article when it writes one: the header made from its metadata
# (styles/templates/article.html), the citation footer and a link's citation marker. Read back (an EPUB
# it wrote), they are its earlier output, made again on writing.
HEADER_CLASS = "article-header"
FOOTER_CLASS = "citation-footer"
MARKER_CLASS = "link-marker"

# --------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    """A run of text; spaces and soft line breaks are kept as spaces."""

    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Underline:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strikeout:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Superscript:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Subscript:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class SmallCaps:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Quoted:
    """Text in quotation marks the reader recognised (``kind``: single or double)."""

    kind: Literal["single", "double"]
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Cite:
    """A bibliographic citation such as ``[@doe2020]``; ``content`` is its text."""

    keys: tuple[str, ...]
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break."""


@dataclass(frozen=True, slots=True)
class Math:
    """TeX math; ``display`` is True for display math."""

    text: str
    display: bool = False


@dataclass(frozen=True, slots=True)
class RawInline:
    """Markup in a named format (``html``, ``tex``…) passed through as is."""

    format: str
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    content: tuple[Inline, ...]
    url: str
    title: str = ""
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Image:
    """An image; ``content`` is its alternative text."""

    content: tuple[Inline, ...]
    src: str
    title: str = ""
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote: the author's own, or one made for a cited link.

    ``label`` replaces the running note number as its marker (``[3]`` for
    citation 3); pandoc has no such field, so Word numbers notes itself.
    """

    blocks: tuple[Block, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class Span:
    content: tuple[Inline, ...]
    attr: Attr = NO_ATTR


Inline: TypeAlias = (
    Text
    | Emph
    | Strong
    | Underline
    | Strikeout
    | Superscript
    | Subscript
    | SmallCaps
    | Quoted
    | Cite
    | Code
    | LineBreak
    | Math
    | RawInline
    | Link
    | Image
    | Note
    | Span
)

# ---------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Plain:
    """Inline content that is not a paragraph (a tight list item, a cell)."""

    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBlock:
    """Lines whose breaks matter (verse, addresses)."""

    lines: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class RawBlock:
    format: str
    text: str


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class OrderedList:
    """Numbered list; ``style`` is pandoc's number style (Decimal, LowerRoman…)."""

    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    style: str = "Decimal"


@dataclass(frozen=True, slots=True)
class DefinitionItem:
    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class DefinitionList:
    items: tuple[DefinitionItem, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """Section heading; ``level`` is 1–6."""

    level: int
    content: tuple[Inline, ...]
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class HorizontalRule:
    """A thematic break."""


Alignment: TypeAlias = Literal["default", "left", "center", "right"]


@dataclass(frozen=True, slots=True)
class Cell:
    blocks: tuple[Block, ...]
    align: Alignment = "default"
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table; pandoc's several bodies are joined, their heads kept as rows."""

    caption: tuple[Block, ...]
    aligns: tuple[Alignment, ...]
    head: tuple[Row, ...]
    body: tuple[Row, ...]
    foot: tuple[Row, ...] = ()
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Figure:
    caption: tuple[Block, ...]
    blocks: tuple[Block, ...]
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Div:
    blocks: tuple[Block, ...]
    attr: Attr = NO_ATTR


Block: TypeAlias = (
    Plain
    | Paragraph
    | LineBlock
    | CodeBlock
    | RawBlock
    | BlockQuote
    | BulletList
    | OrderedList
    | DefinitionList
    | Heading
    | HorizontalRule
    | Table
    | Figure
    | Div
)

Node: TypeAlias = Inline | Block | Attr | Cell | Row | DefinitionItem
