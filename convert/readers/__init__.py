"""Readers: any input pandoc understands, turned into a ``Document``.

The format comes from the file extension unless the caller names one. Web
pages go through main-content extraction first (``readers.webpage``);
everything else goes straight to pandoc and the AST mapping.
"""

from __future__ import annotations

import base64
import mimetypes
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from convert.errors import InputError
from convert.model import Document, Image, Meta, rewrite
from convert.readers import pandoc
from convert.readers.metadata import FrontMatterError, meta_from_mapping, split_front_matter
from convert.readers.pandoc_ast import blocks_from_pandoc, meta_value

# Extension → pandoc reader. ``--from`` accepts any pandoc reader name.
EXTENSIONS: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".txt": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".odt": "odt",
    ".rst": "rst",
    ".tex": "latex",
    ".latex": "latex",
    ".org": "org",
    ".epub": "epub",
    ".textile": "textile",
    ".ipynb": "ipynb",
    ".rtf": "rtf",
    ".wiki": "mediawiki",
    ".adoc": "asciidoc",
    ".typ": "typst",
    ".dj": "djot",
    ".fb2": "fb2",
    ".json": "json",
}
# Formats pandoc reads from a file (ZIP containers), not from text.
BINARY_FORMATS = frozenset({"docx", "odt", "epub", "pptx", "xlsx"})
# Markdown as people write it: straight quotes stay straight.
_PANDOC_READER = {"markdown": "markdown-smart"}


def detect_format(path: Path, override: str | None = None) -> str:
    if override:
        return override
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"unknown input format {path.suffix or '(no extension)'!r}; name one with --from")
    return fmt


def read(path: str | Path, *, fmt: str | None = None, extract: bool = True) -> Document:
    """Read ``path`` into a Document (not yet normalized)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file" if not path.exists() else "not a file")
    fmt = detect_format(path, fmt)
    if fmt in BINARY_FORMATS:
        return _read_container(path, fmt)
    text = decode(path.read_bytes(), path)
    if fmt == "html" and extract:
        from convert.readers.webpage import read_web_page

        return read_web_page(text, path)
    return read_text(text, fmt, path)


def read_text(text: str, fmt: str, source: str | Path = "<text>") -> Document:
    """Read text in pandoc format ``fmt``; Markdown may start with YAML or TOML front matter."""
    front: dict[str, Any] = {}
    if fmt.startswith("markdown") or fmt in ("commonmark", "commonmark_x", "gfm"):
        try:
            front, text = split_front_matter(text)
        except FrontMatterError as exc:
            raise InputError(source, str(exc)) from None
    if not text.strip() and not front:
        raise InputError(source, "the file is empty")
    ast = pandoc.parse_text(text, _PANDOC_READER.get(fmt, fmt), source)
    return _document(ast, front)


def decode(data: bytes, source: str | Path) -> str:
    """Bytes as text: UTF-8 when it is, otherwise the encoding detected."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(source, "binary data, not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "binary data or unknown text encoding")
    return str(best)


def _read_container(path: Path, fmt: str) -> Document:
    with tempfile.TemporaryDirectory(prefix="tearsheet-media-") as media:
        ast = pandoc.parse_file(path, fmt, media_dir=Path(media))
        doc = _document(ast, {})
        return replace(doc, blocks=rewrite(doc.blocks, lambda node: _embed_media(node, Path(media))))


def _embed_media(node: Any, media: Path) -> Any:
    """Images pandoc extracted to a temporary folder become data: URLs in the model."""
    if isinstance(node, Image) and node.src.startswith(str(media)):
        file = Path(node.src)
        if file.is_file() and file.resolve().is_relative_to(media.resolve()):
            mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            data = base64.b64encode(file.read_bytes()).decode("ascii")
            return replace(node, src=f"data:{mime};base64,{data}")
    return node


def _document(ast: dict[str, Any], front: dict[str, Any]) -> Document:
    pandoc_meta = {k: meta_value(v) for k, v in ast.get("meta", {}).items()}
    meta: Meta = meta_from_mapping({**pandoc_meta, **front})
    return Document(meta=meta, blocks=blocks_from_pandoc(ast.get("blocks", [])))
