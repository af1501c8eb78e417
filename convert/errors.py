"""Errors Tearsheet reports to the user as one line."""

from __future__ import annotations

from pathlib import Path


class TearsheetError(Exception):
    """A failure the user can act on: ``<source>: <reason>``."""

    def __init__(self, source: str | Path, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = str(source)
        self.reason = reason


class InputError(TearsheetError):
    """An input that cannot be read or understood."""


class UnsupportedNode(TearsheetError):
    """A node the mapping or a renderer has no rule for (never dropped silently)."""

    def __init__(self, node: object, where: str = "model") -> None:
        name = node.get("t") if isinstance(node, dict) else type(node).__name__
        super().__init__(where, f"unsupported node {name!r}")
