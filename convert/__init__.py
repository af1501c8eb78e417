"""Tearsheet: articles into PDF, EPUB 3 and DOCX that keep their sources.

The small public API (the work is in ``convert.pipeline``)::

    doc = read("article.md")          # reader → model
    doc = load("article.md")          # reader → model → normalizer passes
    data = write(doc, "pdf", options) # writer → bytes
    convert("article.md", ["pdf"], Path("out"))  # all of it, files written atomically

The names are re-exported on first use (PEP 562): ``import convert.model`` must not load
the readers, the normalizer, the HTTP client and the writers with this package. The
normalizer is ``convert.normalize.normalize``: a name ``convert.normalize`` would be shadowed
by the subpackage of that name as soon as it is imported.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from convert.version import __version__

if TYPE_CHECKING:
    from convert.model import Document
    from convert.naming import slug
    from convert.normalize import Context
    from convert.options import WriteOptions
    from convert.pipeline import (
        convert,
        is_url,
        load,
        load_url,
        sandbox_for,
        write,
        write_citation_files,
        write_file,
    )
    from convert.readers import read
    from convert.resources import Sandbox

_EXPORTED_FROM = {
    "Context": "convert.normalize",
    "Document": "convert.model",
    "Sandbox": "convert.resources",
    "WriteOptions": "convert.options",
    "convert": "convert.pipeline",
    "is_url": "convert.pipeline",
    "load": "convert.pipeline",
    "load_url": "convert.pipeline",
    "read": "convert.readers",
    "sandbox_for": "convert.pipeline",
    "slug": "convert.naming",
    "write": "convert.pipeline",
    "write_citation_files": "convert.pipeline",
    "write_file": "convert.pipeline",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTED_FROM:
        raise AttributeError(f"module 'convert' has no attribute {name!r}")
    return getattr(import_module(_EXPORTED_FROM[name]), name)


__all__ = [
    "Context",
    "Document",
    "Sandbox",
    "WriteOptions",
    "__version__",
    "convert",
    "is_url",
    "load",
    "load_url",
    "read",
    "sandbox_for",
    "slug",
    "write",
    "write_citation_files",
    "write_file",
]
