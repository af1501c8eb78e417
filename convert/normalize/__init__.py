"""Normalizer: small pure passes ``(Document, Context) -> Document`` run in one order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

from convert.model import Document
from convert.normalize.citations import number_citations
from convert.normalize.context import Context
from convert.normalize.links import resolve_links
from convert.normalize.title import title_from_heading

Pass: TypeAlias = Callable[[Document, Context], Document]

# The order matters: metadata first, then cleaning, then citations last so
# they number only the links that survived.
DEFAULT_PASSES: tuple[Pass, ...] = (
    title_from_heading,
    resolve_links,
    number_citations,
)


def normalize(doc: Document, ctx: Context | None = None, passes: Sequence[Pass] = DEFAULT_PASSES) -> Document:
    ctx = ctx or Context()
    for run in passes:
        doc = run(doc, ctx)
    return doc


__all__ = ["DEFAULT_PASSES", "Context", "Pass", "normalize"]
