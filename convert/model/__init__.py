"""The canonical document model: frozen dataclasses close to pandoc's AST."""

from convert.model.document import Author, Citation, Document, Extraction, Meta, Removal
from convert.model.json import from_json, to_data, to_json
from convert.model.nodes import *  # noqa: F403 - the node set is the public API
from convert.model.nodes import (
    ABSTRACT_CLASS,
    CREDIT_CLASS,
    FOOTER_CLASS,
    HEADER_CLASS,
    MARKER_CLASS,
    NO_ATTR,
    Attr,
    Block,
    Inline,
)
from convert.model.pformat import pformat
from convert.model.walk import inline_text, iter_nodes, plain_text, rewrite

__all__ = [
    "ABSTRACT_CLASS",
    "CREDIT_CLASS",
    "FOOTER_CLASS",
    "HEADER_CLASS",
    "MARKER_CLASS",
    "NO_ATTR",
    "Attr",
    "Author",
    "Block",
    "Citation",
    "Document",
    "Extraction",
    "Inline",
    "Meta",
    "Removal",
    "from_json",
    "inline_text",
    "iter_nodes",
    "pformat",
    "plain_text",
    "rewrite",
    "to_data",
    "to_json",
]
