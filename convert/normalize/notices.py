"""Source and copyright notices become ``meta.publisher`` and ``meta.rights``."""

from __future__ import annotations

import re
from dataclasses import replace

from convert.model import Document, Inline, inline_text
from convert.normalize.context import Context
from convert.normalize.util import drop_lines

SOURCE_RULE = "source-notice"
COPYRIGHT_RULE = "copyright-notice"
_SOURCE = re.compile(
    r"^(?:the\s+)?original source of this (?:article|story|post) is\s+(?P<pub>.+?)\.?$"
    r"|^(?:this (?:article|story|post|piece) )?(?:was )?(?:originally|first) (?:published|appeared)"
    r" (?:on|in|at|by)\s+(?P<pub2>[^.]{2,80}?)\.?$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s*\d{4})", re.IGNORECASE)
_MAX_CHARS = 200


def extract_notices(doc: Document, ctx: Context) -> Document:
    """``The original source of this article is X`` → publisher; ``Copyright © …`` → rights."""
    meta = doc.meta

    def visit(line: tuple[Inline, ...]) -> str | None:
        nonlocal meta
        text = inline_text(line)
        if len(text) > _MAX_CHARS:
            return None
        source = _SOURCE.match(text)
        if source and not ctx.keeps(SOURCE_RULE):
            publisher = (source.group("pub") or source.group("pub2") or "").strip()
            meta = meta if meta.publisher else replace(meta, publisher=publisher)
            return SOURCE_RULE
        if _COPYRIGHT.match(text) and not ctx.keeps(COPYRIGHT_RULE):
            meta = meta if meta.rights else replace(meta, rights=text)
            return COPYRIGHT_RULE
        return None

    scanned = drop_lines(doc, range(len(doc.blocks)), visit)
    return replace(scanned, meta=meta) if scanned is not doc else doc
