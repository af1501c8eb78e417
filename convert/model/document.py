"""The document: typed metadata, body blocks, citations and what was removed."""

from __future__ import annotations

from dataclasses import dataclass, field

from convert.model.nodes import Block


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    url: str = ""
    bio: str = ""


@dataclass(frozen=True, slots=True)
class Extraction:
    """How a web page's body was chosen: ``method`` names the extractor whose output was kept,
    ``confidence`` (0–1) how well the independent extractions agreed on it, ``note`` why."""

    method: str
    confidence: float = 1.0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Meta:
    """What is known about an article; dates are ISO 8601 strings."""

    title: str = ""
    subtitle: str = ""
    authors: tuple[Author, ...] = ()
    published: str = ""
    modified: str = ""
    publisher: str = ""
    source_url: str = ""
    language: str = ""
    direction: str = ""  # "rtl" or "ltr" when the source says so
    description: str = ""
    tags: tuple[str, ...] = ()
    rights: str = ""
    retrieved: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    extraction: Extraction | None = None  # web pages only


@dataclass(frozen=True, slots=True)
class Citation:
    """One distinct cited URL; ``n`` counts from 1 in order of first use."""

    n: int
    url: str
    text: str


@dataclass(frozen=True, slots=True)
class Removal:
    """Text a normalizer pass dropped, and the rule that dropped it."""

    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    meta: Meta = field(default_factory=Meta)
    blocks: tuple[Block, ...] = ()
    citations: tuple[Citation, ...] = ()
    removed: tuple[Removal, ...] = ()
