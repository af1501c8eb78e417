"""Readers: any input pandoc understands, turned into a ``Document``.

The format comes from the file extension unless the caller names one. Web
pages go through main-content extraction first (``readers.webpage``);
everything else goes straight to pandoc and the AST mapping.
"""

from __future__ import annotations

import base64
import codecs
import logging
import mimetypes
import re
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from convert.errors import InputError
from convert.limits import MAX_FILE_BYTES, MAX_TEXT_BYTES, check_archive, megabytes
from convert.model import Document, Image, Meta, rewrite
from convert.readers import pandoc
from convert.readers.archives import ARCHIVE_SUFFIXES, archive_format, read_archive, read_saved_page
from convert.readers.metadata import FrontMatterError, meta_from_mapping, split_front_matter
from convert.readers.pandoc_ast import blocks_from_pandoc, meta_value
from convert.readers.raw_html import resolve_raw_html
from convert.resources import sniff_image

log = logging.getLogger("tearsheet")

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
    **ARCHIVE_SUFFIXES,  # read by readers.archives, not pandoc
}
# Formats pandoc reads from a file (ZIP containers), not from text.
BINARY_FORMATS = frozenset({"docx", "odt", "epub", "pptx", "xlsx"})
# Markdown as people write it: straight quotes stay straight.
_PANDOC_READER = {"markdown": "markdown-smart"}
# A pandoc reader name with extensions; never a path (pandoc runs a ``.lua`` file as a reader).
_FORMAT_NAME = re.compile(r"[a-z][a-z0-9_]*(?:[+-][a-z0-9_]+)*")
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What a file named as text may really be, by its first bytes (images: resources.sniff_image).
_BINARY_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "a program"),
)


def detect_format(path: Path, override: str | None = None) -> str:
    if override:
        if not _FORMAT_NAME.fullmatch(override):
            raise InputError(path, f"unknown input format {override!r}")
        return override
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"unknown input format {path.suffix or '(no extension)'!r}; name one with --from")
    return fmt


def read(path: str | Path, *, fmt: str | None = None, extract: bool = True, data: bytes | None = None) -> Document:
    """Read ``path`` into a Document (not yet normalized).

    ``data``, when given, is the file's content already read: every reader, pandoc included, reads
    those bytes and not the file again, so a build's hash of them is the hash of what was converted.
    """
    path = Path(path)
    _check_file(path)
    named = fmt
    archive = fmt if fmt in ("mhtml", "warc") else None if fmt else archive_format(path)
    fmt = archive if archive is not None else detect_format(path, fmt)
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise InputError(path, f"cannot read it: {exc.strerror or exc}") from None
    if archive is not None:  # a saved page with its images: not a pandoc format
        return read_archive(path, archive, extract, data)
    if fmt in BINARY_FORMATS:
        check_archive(path, fmt, data)
        return _read_container(path, fmt, data)
    text = decode(data, path)
    if fmt == "markdown" and named is None and looks_like_html_page(text):
        log.warning("an HTML page named %s; reading it as HTML", path.suffix)
        fmt = "html"
    if fmt == "html" and extract:
        return read_saved_page(text, path)
    return read_text(text, fmt, path)


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise InputError(path, "no such file" if not path.exists() else "not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(path, f"too large: {megabytes(size)} (the limit is {megabytes(MAX_FILE_BYTES)})")


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
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise InputError(source, f"too large: {megabytes(size)} of text (the limit is {megabytes(MAX_TEXT_BYTES)})")
    ast = pandoc.parse_text(text, _PANDOC_READER.get(fmt, fmt), source)
    return _document(ast, front, source)


def decode(data: bytes, source: str | Path, declared: Iterable[str] = ()) -> str:
    """Bytes as text: a byte-order mark's encoding, else the first ``declared`` charset (a header's,
    the page's own) that browsers know and that fits, else UTF-8 when it is, else the encoding detected."""
    from convert.fetch import web_codec

    if not data.strip():
        raise InputError(source, "the file is empty")
    for bom, codec in _UNICODE_BOMS:  # UTF-16 and UTF-32 text is full of NUL bytes
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                break
    for label in declared:
        codec = web_codec(label) if label else ""
        if codec:
            try:
                return data.decode(codec)
            except (LookupError, UnicodeError):  # a codec of WHATWG's that Python lacks; bytes that do not fit
                log.warning("%s: declared charset %s does not fit; detecting", source, label)
    kind = binary_kind(data)
    if kind is not None:
        hint = " (a DOCX, ODT or EPUB? name its format with --from)" if kind == "a ZIP archive" else ""
        raise InputError(source, f"{kind}, not a text document{hint}")
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


def binary_kind(data: bytes) -> str | None:
    """What binary file ``data`` is, if its first bytes say so (an SVG image is text)."""
    image = sniff_image(data)
    if image is not None and image != "image/svg+xml":
        return f"a {image.removeprefix('image/').upper()} image"
    return next((kind for magic, kind in _BINARY_KINDS if data.startswith(magic)), None)


def looks_like_html_page(text: str) -> bool:
    """True for a whole HTML document (``<!doctype html>`` or ``<html>`` first, after comments)."""
    head = text.lstrip("\ufeff \t\r\n")
    while head.startswith("<!--"):
        end = head.find("-->")
        if end < 0:
            return False
        head = head[end + 3 :].lstrip()
    head = head[:15].lower()
    return head.startswith("<!doctype html") or (head.startswith("<html") and head[5:6] in (">", " ", "\n", "\t", "\r"))


def _read_container(path: Path, fmt: str, data: bytes) -> Document:
    with tempfile.TemporaryDirectory(prefix="tearsheet-media-") as media:
        ast = pandoc.parse_file(data, path, fmt, media_dir=Path(media))
        doc = _document(ast, {}, path)
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


def _document(ast: dict[str, Any], front: dict[str, Any], source: str | Path) -> Document:
    pandoc_meta = {k: meta_value(v) for k, v in ast.get("meta", {}).items()}
    meta: Meta = meta_from_mapping({**pandoc_meta, **front})
    blocks = ast.get("blocks", [])
    removed = resolve_raw_html(blocks, source)
    return Document(meta=meta, blocks=blocks_from_pandoc(blocks), removed=removed)
