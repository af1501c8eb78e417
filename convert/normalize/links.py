"""Make every link usable outside its page: absolute, or no link at all."""

from __future__ import annotations

import urllib.parse
from dataclasses import replace
from typing import Any

from convert.model import Document, Link, Removal, inline_text, rewrite
from convert.normalize.context import Context

# A relative link (``/current/``, ``../notes.html``) of a page whose address is unknown points
# nowhere in a PDF or DOCX, and inside the container in an EPUB (invalid there).
UNRESOLVED_RULE = "unresolved-link"


def resolve_links(doc: Document, ctx: Context) -> Document:
    """Resolve relative links against the source URL; with no source URL, keep their text only.

    In-page anchors (``#notes``) and links with a scheme (``https:``, ``mailto:``) stay as
    they are; a scheme-relative link (``//host/path``) gets https. Each link dropped is
    recorded in ``removed`` with its text and address.
    """
    base = doc.meta.source_url if doc.meta.source_url.startswith(("http://", "https://")) else ""
    removed: list[Removal] = []

    def resolve(node: Any) -> Any:
        if not isinstance(node, Link) or not node.url or node.url.startswith("#"):
            return node
        if base:
            absolute = urllib.parse.urljoin(base, node.url)
            return replace(node, url=absolute) if absolute != node.url else node
        if node.url.startswith("//"):
            return replace(node, url="https:" + node.url)
        if urllib.parse.urlsplit(node.url).scheme:
            return node
        removed.append(Removal(UNRESOLVED_RULE, f"{inline_text(node.content)} <{node.url}>"))
        return node.content

    blocks = rewrite(doc.blocks, resolve)
    return replace(doc, blocks=blocks, removed=(*doc.removed, *removed))
