"""Text in a pandoc format into a ``Document``: decoding, front matter, pandoc, the AST mapping."""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from convert.errors import InputError
from convert.limits import MAX_TEXT_BYTES, megabytes
from convert.model import ABSTRACT_CLASS, Document, Meta
from convert.model import nodes as n
from convert.pandoc.reading import blocks_from_pandoc, inlines_from_pandoc, meta_value
from convert.readers import pandoc
from convert.readers.metadata import FrontMatterError, meta_from_mapping, split_front_matter
from convert.readers.raw_html import resolve_raw_html
from convert.resources import sniff_image

log = logging.getLogger("tearsheet")

# Markdown as people write it: straight quotes stay straight, an address in running text is a link.
_PANDOC_READER = {"markdown": "markdown-smart+autolink_bare_uris"}
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
    return document_from_pandoc(ast, front, source)


def decode(data: bytes, source: str | Path, declared: Iterable[str] = (), *, utf8_first: bool = False) -> str:
    """Bytes as text: a byte-order mark's encoding, else the first ``declared`` charset (a header's,
    the page's own) that browsers know and that fits, else UTF-8 when it is, else the encoding detected.
    ``utf8_first``: valid UTF-8 before any declaration (a saved file may have been re-encoded by
    what saved it, its declaration left as it was)."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    for bom, codec in _UNICODE_BOMS:  # UTF-16 and UTF-32 text is full of NUL bytes
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                break
    if not utf8_first and (text := _declared_decode(data, source, declared)) is not None:
        return text
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
    if utf8_first and (text := _declared_decode(data, source, declared)) is not None:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "binary data or unknown text encoding")
    return str(best)


def _declared_decode(data: bytes, source: str | Path, declared: Iterable[str]) -> str | None:
    """``data`` in the first ``declared`` charset browsers know and it fits; None for none."""
    from convert.fetch import web_codec

    for label in declared:
        codec = web_codec(label) if label else ""
        if not codec:
            continue
        try:
            return data.decode(codec)
        except LookupError:  # a codec of WHATWG's that Python lacks
            log.warning("%s: declared charset %s is unknown here; detecting", source, label)
        except UnicodeError:
            # A stray byte (a character cut in two) in an otherwise fitting page: browsers keep
            # the declared charset and show U+FFFD there; detection would garble every letter.
            text = data.decode(codec, errors="replace")
            stray = text.count("\ufffd")
            if stray <= max(_STRAY_BYTES, len(data) // _STRAY_SHARE):
                log.warning("%s: %d byte(s) do not fit the declared charset %s; replaced", source, stray, label)
                return text
            log.warning("%s: declared charset %s does not fit; detecting", source, label)
    return None


# A declared charset is kept despite at most this many bytes that do not fit it (or one per this many).
_STRAY_BYTES = 3
_STRAY_SHARE = 20_000


def declared_charset(data: bytes) -> str:
    """The charset an HTML page declares in its first bytes (``<meta charset>`` or ``http-equiv``), or ""."""
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    return declared.group(1).decode("ascii") if declared else ""


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


def document_from_pandoc(ast: dict[str, Any], front: dict[str, Any], source: str | Path) -> Document:
    pandoc_meta = {k: meta_value(v) for k, v in ast.get("meta", {}).items()}
    meta: Meta = meta_from_mapping({**pandoc_meta, **front})
    blocks = ast.get("blocks", [])
    removed = resolve_raw_html(blocks, source)
    return Document(meta=meta, blocks=_abstract(ast, front) + blocks_from_pandoc(blocks), removed=removed)


def _abstract(ast: dict[str, Any], front: dict[str, Any]) -> tuple[n.Block, ...]:
    """The document's abstract, as the body's first block: pandoc keeps it in the metadata (LaTeX's
    ``abstract``, DOCX's Abstract style, JATS, front matter), so without this it was printed nowhere."""
    written = front.get("abstract")
    if isinstance(written, str) and written.strip():
        paragraphs: tuple[n.Block, ...] = tuple(
            n.Paragraph((n.Text(" ".join(p.split())),)) for p in written.split("\n\n") if p.strip()
        )
    else:
        value = ast.get("meta", {}).get("abstract", {})
        match value.get("t"):
            case "MetaBlocks":
                paragraphs = blocks_from_pandoc(value["c"])
            case "MetaInlines":
                paragraphs = (n.Paragraph(inlines_from_pandoc(value["c"])),)
            case _:
                paragraphs = ()
    return (n.Div(paragraphs, n.Attr(classes=(ABSTRACT_CLASS,))),) if paragraphs else ()
