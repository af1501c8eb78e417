"""Unicode clean-up: NFC, no zero-width debris, no stray non-breaking spaces."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from convert.model import Document, Text, rewrite
from convert.normalize.context import Context

# Zero-width space, word joiner and BOM carry nothing; ZWJ/ZWNJ are kept (emoji, Persian, Indic).
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")
# A run of spaces holding a no-break space: one alone is meant ("40 MW"); more is layout debris.
_SPACE_RUN = re.compile("[ \u00a0]*\u00a0[ \u00a0]*")


def _spaces(match: re.Match[str]) -> str:
    return match.group() if match.group() == "\u00a0" else " "


def normalize_unicode(doc: Document, ctx: Context) -> Document:
    """NFC everywhere; quotes and dashes stay as the author wrote them."""

    def clean(node: Any) -> Any:
        if isinstance(node, Text):
            text = _SPACE_RUN.sub(_spaces, _INVISIBLE.sub("", unicodedata.normalize("NFC", node.text)))
            return node if text == node.text else (Text(text) if text else ())
        return node

    meta = doc.meta
    title = unicodedata.normalize("NFC", _INVISIBLE.sub("", meta.title)).replace("\u00a0", " ").strip()
    return replace(doc, blocks=rewrite(doc.blocks, clean), meta=replace(meta, title=title))
