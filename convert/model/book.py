"""A collection: many articles, each keeping its identity, bound as one book."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from convert.model.document import Document

ORDERS = ("input", "date", "title")
SECTIONS = ("none", "folders", "tags", "feeds")


@dataclass(frozen=True, slots=True)
class CollectionSpec:
    """What the user asked of the book."""

    title: str
    author: str = ""
    order: str = "input"  # input | date | title
    sections_from: str = "none"  # none | folders | tags | feeds
    toc_depth: int = 2  # 1: articles; 2: and their sections; 3: and subsections
    cover: Path | None = None  # the user's cover image; None: one is drawn (convert.covers)


@dataclass(frozen=True, slots=True)
class BookArticle:
    """One chapter: the article, the section it sits in, and where its images live."""

    doc: Document
    slug: str  # stable chapter name, also its id: "a0001"
    section: str
    folder: Path | None  # where its local images may come from; None for an article fetched from the web
    label: str = ""  # the input it was read from (a path or URL), which messages about it name


@dataclass(frozen=True, slots=True)
class Book:
    spec: CollectionSpec
    articles: tuple[BookArticle, ...]
    identifier: str  # urn:uuid derived from the articles, stable across builds
    links: tuple[tuple[str, str], ...] = ()  # normalized source URL → slug, for links between articles

    def sections(self) -> list[tuple[str, list[BookArticle]]]:
        """Articles grouped by section, in book order."""
        groups: dict[str, list[BookArticle]] = {}
        for article in self.articles:
            groups.setdefault(article.section, []).append(article)
        return list(groups.items())
