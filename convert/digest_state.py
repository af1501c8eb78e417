"""Digest memory (``collect --new-only STATE.json``): the articles earlier books held, so none comes twice.

An article is known by its canonical URL (normalized as links between articles are) and by the
fingerprint of its text, so the same story under another URL (syndicated, or with tracking
parameters) is recognised too. The state file is replaced atomically, and only once every book
of the run has been written: a failed build leaves the memory as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from convert.collection import Loaded, text_fingerprint
from convert.dates import build_time
from convert.errors import InputError
from convert.model import Document
from convert.output import write_atomic
from convert.transforms.book import normalized_url

STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Remembered:
    """One article an earlier book held."""

    url: str  # normalized source URL; "" when the article had none
    fingerprint: str  # of its text
    title: str
    book: str  # the file it was bound into
    added: str  # ISO date of that build


@dataclass(frozen=True)
class DigestState:
    path: Path
    articles: tuple[Remembered, ...] = ()

    @classmethod
    def load(cls, path: Path) -> DigestState:
        """The state at ``path``; a file not there yet is an empty memory (the first run)."""
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot read the digest state: {exc}") from None
        except ValueError as exc:
            raise InputError(path, f"not a digest state file: invalid JSON ({exc})") from None
        if (
            not isinstance(data, dict)
            or data.get("version") != STATE_VERSION
            or not isinstance(data.get("articles"), list)
        ):
            raise InputError(
                path, f"not a digest state file (expected {{'version': {STATE_VERSION}, 'articles': [...]}})"
            )
        try:
            articles = tuple(
                Remembered(**{f.name: str(item[f.name]) for f in fields(Remembered)}) for item in data["articles"]
            )
        except (KeyError, TypeError) as exc:
            raise InputError(path, f"not a digest state file: an article lacks {exc}") from None
        return cls(path, articles)

    def knows_link(self, url: str) -> bool:
        """Whether an article at ``url`` was in an earlier book (checked before fetching it)."""
        return bool(url) and normalized_url(url) in self._urls

    def held(self, doc: Document) -> bool:
        """Whether an earlier book held this article, under its URL or its text."""
        return self.knows_link(doc.meta.source_url) or text_fingerprint(doc) in self._fingerprints

    def new_only(self, loaded: Sequence[Loaded]) -> tuple[list[Loaded], list[str]]:
        """The articles no earlier book held, and the labels of those left out."""
        kept = [item for item in loaded if not self.held(item[1])]
        return kept, [label for label, doc, _ in loaded if self.held(doc)]

    def remember(self, docs: Iterable[Document], book: Path) -> DigestState:
        added = build_time().date().isoformat()
        new = tuple(
            Remembered(
                normalized_url(d.meta.source_url) if d.meta.source_url else "",
                text_fingerprint(d),
                d.meta.title,
                book.name,
                added,
            )
            for d in docs
        )
        return DigestState(self.path, self.articles + new)

    def save(self) -> None:
        data = {"version": STATE_VERSION, "articles": [asdict(a) for a in self.articles]}
        write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))

    @cached_property
    def _urls(self) -> frozenset[str]:
        return frozenset(a.url for a in self.articles if a.url)

    @cached_property
    def _fingerprints(self) -> frozenset[str]:
        return frozenset(a.fingerprint for a in self.articles)
