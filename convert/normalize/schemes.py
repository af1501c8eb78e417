"""Links and source URLs of schemes outside the one allow-list (``convert.link_schemes``) are dropped."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from convert.link_schemes import has_other_scheme, is_source_url
from convert.model import Document, Link, Removal, inline_text, rewrite
from convert.normalize.context import Context

LINK_RULE = "unsafe-link-scheme"
SOURCE_RULE = "unsafe-source-url"


def drop_unsafe_links(doc: Document, ctx: Context) -> Document:
    """A link whose scheme is not allowed becomes its text; a source URL that is not http(s) goes.

    Each is recorded in ``removed`` with its address, so the writers never see them.
    """
    removed: list[Removal] = []

    def keep_safe(node: Any) -> Any:
        if not isinstance(node, Link) or not has_other_scheme(node.url):
            return node  # relative links are resolved (or dropped) by resolve_links
        removed.append(Removal(LINK_RULE, f"{inline_text(node.content)} <{node.url}>"))
        return node.content

    meta = doc.meta
    if meta.source_url and not is_source_url(meta.source_url):
        removed.append(Removal(SOURCE_RULE, meta.source_url))
        meta = replace(meta, source_url="")
    blocks = rewrite(doc.blocks, keep_safe)
    if not removed:
        return doc
    return replace(doc, meta=meta, blocks=blocks, removed=(*doc.removed, *removed))
