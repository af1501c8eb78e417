"""What the normalizer passes may know beyond the document itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Context:
    """Options for one normalizer run.

    ``keep`` names rules whose matches are kept rather than removed.
    """

    keep: frozenset[str] = frozenset()
    retrieved: str = ""  # ISO date the article was retrieved; "" means today

    def keeps(self, rule: str) -> bool:
        return rule in self.keep
