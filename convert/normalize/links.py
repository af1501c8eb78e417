"""Resolve relative links against the article's source URL."""

from __future__ import annotations

import urllib.parse
from dataclasses import replace
from typing import Any

from convert.model import Document, Link, rewrite
from convert.normalize.context import Context


def resolve_links(doc: Document, ctx: Context) -> Document:
    """Make relative links absolute when the source URL is known; in-page anchors stay."""
    base = doc.meta.source_url
    if not base.startswith(("http://", "https://")):
        return doc

    def resolve(node: Any) -> Any:
        if isinstance(node, Link) and node.url and not node.url.startswith("#"):
            absolute = urllib.parse.urljoin(base, node.url)
            if absolute != node.url:
                return replace(node, url=absolute)
        return node

    return replace(doc, blocks=rewrite(doc.blocks, resolve))
