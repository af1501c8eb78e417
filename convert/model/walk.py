"""Generic traversal of model trees: iterate, rebuild, and read as plain text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar, get_args

from convert.model.nodes import (
    Block,
    Code,
    CodeBlock,
    Image,
    Inline,
    LineBreak,
    Math,
    Note,
    RawInline,
    Text,
)

T = TypeVar("T")
BLOCK_TYPES: tuple[type, ...] = get_args(Block)

# A rewrite returns the node itself, a replacement, or a tuple to splice in
# its place (an empty tuple deletes it).
Rewrite = Callable[[Any], Any]


def iter_nodes(tree: Any) -> Iterator[Any]:
    """Yield every dataclass node under ``tree`` (itself included), depth first."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(reversed(item))
        elif (names := _field_names(type(item))) is not None:
            yield item
            stack.extend(reversed([getattr(item, name) for name in names]))


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type, None for any other type.

    Asked once per type: ``dataclasses.fields`` per node was most of the cost of a walk.
    """
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    return _FIELD_NAMES[cls]


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def rewrite(tree: T, fn: Rewrite) -> T:
    """Rebuild ``tree`` bottom-up, passing each node through ``fn``.

    ``fn`` sees nodes whose children are already rewritten. Returning a tuple
    splices its items into the enclosing sequence.
    """
    return _rewrite(tree, fn)  # type: ignore[no-any-return]


def _rewrite(item: Any, fn: Rewrite) -> Any:
    if isinstance(item, tuple):
        out: list[Any] = []
        for child in item:
            new = _rewrite(child, fn)
            for node in new if isinstance(new, tuple) and not isinstance(child, tuple) else (new,):
                # Keep the model's invariant: neighbouring text runs are one Text.
                if isinstance(node, Text) and out and isinstance(out[-1], Text):
                    out[-1] = Text(out[-1].text + node.text)
                else:
                    out.append(node)
        # Nothing changed below: the same tuple, so the parent sees ``is`` and skips comparing the subtrees.
        if len(out) == len(item) and all(new is old for new, old in zip(out, item, strict=True)):
            return item
        return tuple(out)
    names = _field_names(type(item))
    if names is not None:
        changes = {}
        for name in names:
            value = getattr(item, name)
            if isinstance(value, tuple) or _field_names(type(value)) is not None:
                new = _rewrite(value, fn)
                if new is not value and new != value:
                    changes[name] = new
        node = replace(item, **changes) if changes else item
        return fn(node)
    return item


def plain_text(tree: Any) -> str:
    """The readable text of inlines or blocks, without notes."""
    parts: list[str] = []
    _collect_text(tree, parts)
    return "".join(parts)


def _collect_text(item: Any, parts: list[str]) -> None:
    if isinstance(item, tuple):
        for child in item:
            _collect_text(child, parts)
        return
    match item:
        case Text(text) | Code(text) | Math(text):
            parts.append(text)
        case CodeBlock(text):
            parts.append(text + "\n")
        case LineBreak():
            parts.append("\n")
        case Note() | RawInline():
            return
        case Image(content):
            _collect_text(content, parts)
        case _ if (names := _field_names(type(item))) is not None:
            for name in names:
                if name in ("attr", "url", "src", "title"):
                    continue
                _collect_text(getattr(item, name), parts)
            if isinstance(item, BLOCK_TYPES) and parts and not parts[-1].endswith("\n"):
                parts.append("\n")


def inline_text(content: tuple[Inline, ...]) -> str:
    """Inline content as one line of text with spaces collapsed."""
    return " ".join(plain_text(content).split())
