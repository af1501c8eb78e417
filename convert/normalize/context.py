"""What the normalizer passes may know beyond the document itself."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from convert.errors import InputError


@dataclass(frozen=True, slots=True)
class Rule:
    """A named boilerplate rule: a block is dropped when a pattern matches its text."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    max_chars: int = 200  # longer blocks are article text, whatever they mention

    def matches(self, text: str) -> bool:
        return len(text) <= self.max_chars and any(p.search(text) for p in self.patterns)


def rule(name: str, *patterns: str, max_chars: int = 200) -> Rule:
    return Rule(name, tuple(re.compile(p, re.IGNORECASE) for p in patterns), max_chars)


@dataclass(frozen=True, slots=True)
class Context:
    """Options for one normalizer run.

    ``keep`` names rules whose matches are kept rather than removed;
    ``extra_rules`` are boilerplate rules the user added.
    """

    keep: frozenset[str] = frozenset()
    extra_rules: tuple[Rule, ...] = ()
    keep_boilerplate: bool = False

    def keeps(self, name: str) -> bool:
        return name in self.keep


def load_rules(path: Path) -> tuple[Rule, ...]:
    """Boilerplate rules from a TOML file: ``[boilerplate] name = ["regex", …]``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"cannot read rules: {exc}") from None
    table = data.get("boilerplate", {})
    if not isinstance(table, dict):
        raise InputError(path, "[boilerplate] must be a table of rule = [patterns]")
    rules = []
    for name, patterns in table.items():
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise InputError(path, f"boilerplate.{name}: expected a list of regular expressions")
        try:
            rules.append(rule(name, *patterns, max_chars=2000))
        except re.error as exc:
            raise InputError(path, f"boilerplate.{name}: bad regular expression: {exc}") from None
    return tuple(rules)


__all__ = ["Context", "Rule", "load_rules", "rule"]
