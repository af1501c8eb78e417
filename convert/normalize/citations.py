"""Number the cited URLs: one number per distinct external URL, in order of first use."""

from __future__ import annotations

import urllib.parse
from dataclasses import replace

from convert.model import Citation, Document, Link, inline_text, iter_nodes
from convert.normalize.context import Context

CITABLE_SCHEMES = frozenset({"http", "https", "ftp", "ftps"})


def is_citable(url: str) -> bool:
    """External links are citations; anchors, mailto: and placeholders are not."""
    parsed = urllib.parse.urlsplit(url.strip())
    return parsed.scheme.lower() in CITABLE_SCHEMES and bool(parsed.netloc)


def number_citations(doc: Document, ctx: Context) -> Document:
    numbers: dict[str, Citation] = {}
    for node in iter_nodes(doc.blocks):
        if isinstance(node, Link) and is_citable(node.url) and node.url not in numbers:
            numbers[node.url] = Citation(len(numbers) + 1, node.url, inline_text(node.content))
    return replace(doc, citations=tuple(numbers.values()))
