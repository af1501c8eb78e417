"""Versioned JSON for documents: ``from_json(to_json(doc)) == doc``."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any

from convert.model import document, nodes
from convert.model.document import Document

SCHEMA = "tearsheet.document"
VERSION = 2  # 2: Meta.extraction
READABLE_VERSIONS = (1, 2)  # a version-1 document is a version-2 one without Meta.extraction

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for module in (nodes, document)
    for cls in vars(module).values()
    if isinstance(cls, type) and is_dataclass(cls) and cls.__module__ == module.__name__
}


class ModelJSONError(ValueError):
    """The JSON is not a document of a version this Tearsheet reads."""


def to_data(doc: Document) -> dict[str, Any]:
    """The document as plain JSON-ready data."""
    data = _encode(doc)
    data.pop("t")
    return {"schema": SCHEMA, "version": VERSION, **data}


def to_json(doc: Document, *, indent: int | None = 2) -> str:
    return json.dumps(to_data(doc), ensure_ascii=False, indent=indent)


def from_json(text: str) -> Document:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ModelJSONError("not a Tearsheet document")
    if data.get("version") not in READABLE_VERSIONS:
        raise ModelJSONError(f"unsupported document version {data.get('version')!r}")
    body = {k: v for k, v in data.items() if k not in ("schema", "version")}
    doc = _decode({"t": "Document", **body})
    assert isinstance(doc, Document)
    return doc


def _encode(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"t": type(value).__name__}
        for f in fields(value):
            out[f.name] = _encode(getattr(value, f.name))
        return out
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        tag = value.get("t")
        cls = _TYPES.get(tag) if isinstance(tag, str) else None
        if cls is None:
            raise ModelJSONError(f"unknown node type {tag!r}")
        kwargs = {k: _decode(v) for k, v in value.items() if k != "t"}
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise ModelJSONError(f"bad {tag} node: {exc}") from None
    return value
