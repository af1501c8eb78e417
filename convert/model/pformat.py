"""A readable, stable text form of the model for golden tests and ``inspect``."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from convert.model.nodes import NO_ATTR, Attr, Text


def pformat(tree: Any) -> str:
    """One node a line, children indented; text runs shown as quoted strings."""
    lines: list[str] = []
    _format(tree, 0, lines)
    return "\n".join(lines) + "\n"


def _format(item: Any, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    if isinstance(item, tuple):
        for child in item:
            _format(child, depth, lines)
        return
    if isinstance(item, Text):
        lines.append(f"{pad}{item.text!r}")
        return
    if not (is_dataclass(item) and not isinstance(item, type)):
        lines.append(f"{pad}{item!r}")
        return
    scalars: list[str] = []
    children: list[tuple[str, Any]] = []
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, Attr):
            if value != NO_ATTR:
                scalars.append(_attr(value))
        elif _is_tree(value):
            children.append((f.name, value))
        elif value not in ("", (), None):
            scalars.append(f"{f.name}={value!r}")
    lines.append(pad + " ".join([type(item).__name__, *scalars]))
    labelled = len(children) > 1
    for name, value in children:
        if labelled:
            lines.append(f"{pad}  {name}:")
        _format(value, depth + (2 if labelled else 1), lines)


def _is_tree(value: Any) -> bool:
    if is_dataclass(value):
        return True
    return isinstance(value, tuple) and any(_is_tree(v) for v in value)


def _attr(attr: Attr) -> str:
    parts = [f"#{attr.id}"] if attr.id else []
    parts += [f".{c}" for c in attr.classes]
    parts += [f"{k}={v!r}" for k, v in attr.attributes]
    return "{" + " ".join(parts) + "}"
