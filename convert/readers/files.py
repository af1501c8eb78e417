"""Input files into a ``Document``: the format from the extension (or ``--from``), then the reader for it."""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from convert.errors import InputError
from convert.limits import MAX_FILE_BYTES, check_archive, megabytes, safe_xml_parser
from convert.model import Div, Document, Image, Paragraph, Plain, Removal, rewrite
from convert.model.walk import plain_text
from convert.readers import pandoc
from convert.readers.archives import ARCHIVE_SUFFIXES, archive_format, read_archive, read_saved_page
from convert.readers.text import declared_charset, decode, document_from_pandoc, looks_like_html_page, read_text

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
# A pandoc reader name with extensions; never a path (pandoc runs a ``.lua`` file as a reader).
_FORMAT_NAME = re.compile(r"[a-z][a-z0-9_]*(?:[+-][a-z0-9_]+)*")


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
    # Not UTF-8, a web page is read in the charset it declares, as a browser reads it.
    text = decode(data, path, (declared_charset(data),) if fmt == "html" else (), utf8_first=True)
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


def _read_container(path: Path, fmt: str, data: bytes) -> Document:
    with tempfile.TemporaryDirectory(prefix="tearsheet-media-") as media:
        ast = pandoc.parse_file(data, path, fmt, media_dir=Path(media))
        doc = document_from_pandoc(ast, _odt_properties(data) if fmt == "odt" else {}, path)
        if fmt == "odt":
            doc = _without_title_page(doc, _odt_title_page(data))
        return replace(doc, blocks=rewrite(doc.blocks, lambda node: _embed_media(node, Path(media))))


# An ODT's document properties (meta.xml) as metadata keys; pandoc's ODT reader reads none of them.
_ODT_PROPERTIES = {
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}initial-creator": "author",
    "{http://purl.org/dc/elements/1.1/}creator": "author",  # the last editor: only when no initial creator
    "{http://purl.org/dc/elements/1.1/}description": "description",
    "{http://purl.org/dc/elements/1.1/}subject": "subject",
    "{http://purl.org/dc/elements/1.1/}language": "lang",
}
_ODT_USER_DEFINED = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}user-defined"
_ODT_NAME = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}name"


def _odt_part(data: bytes, name: str) -> Any:
    """The root element of the XML file ``name`` in an ODT package, or None (nothing fetched or expanded)."""
    import io
    import zipfile

    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            xml = package.read(name)
        return etree.fromstring(xml, safe_xml_parser())
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None


def _odt_text(element: Any) -> str:
    """An ODT element's text, its runs of whitespace one space (its spans joined as written)."""
    return " ".join("".join(element.itertext()).split())


def _odt_properties(data: bytes) -> dict[str, Any]:
    """Title, author, description, language and the named custom properties (``date``, ``abstract``…)
    of an ODT, from its ``meta.xml``, as DOCX's come from its core properties through pandoc."""
    root = _odt_part(data, "meta.xml")
    if root is None:
        return {}  # no properties: pandoc's reading stands
    found: dict[str, Any] = {}
    for element in root.iter(_ODT_USER_DEFINED, *_ODT_PROPERTIES):
        text = _odt_text(element)
        key = (
            str(element.get(_ODT_NAME, "")).lower()
            if element.tag == _ODT_USER_DEFINED
            else _ODT_PROPERTIES[element.tag]
        )
        if text and key and key not in found:
            found[key] = text
    return found


# Paragraph styles of an ODT's title block; pandoc's ODT reader reads them as body paragraphs.
_ODT_TITLE_STYLES = frozenset({"Title", "Subtitle", "Author", "Date"})
_ODT_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODT_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _odt_title_page(data: bytes) -> list[str]:
    """The texts of the paragraphs in a title style (Title, Subtitle, Author, Date) that open an ODT."""
    content = _odt_part(data, "content.xml")
    body = content.find(f"{_ODT_OFFICE}body/{_ODT_OFFICE}text") if content is not None else None
    texts: list[str] = []
    for element in body if body is not None else ():
        if element.tag == f"{_ODT_TEXT}sequence-decls":
            continue
        if element.tag != f"{_ODT_TEXT}p" or element.get(f"{_ODT_TEXT}style-name") not in _ODT_TITLE_STYLES:
            break
        texts.append(_odt_text(element))
    return texts


def _without_title_page(doc: Document, title_page: list[str]) -> Document:
    """``doc`` without the paragraphs of its title block, which its metadata now says (recorded as removed)."""
    blocks, removed = list(doc.blocks), list(doc.removed)
    start = 1 if blocks and isinstance(blocks[0], Div) else 0  # the abstract, made from the properties
    for text in title_page:
        block = blocks[start] if start < len(blocks) else None
        if not isinstance(block, (Paragraph, Plain)) or " ".join(plain_text(block).split()) != text:
            break
        removed.append(Removal("title-page", text))
        del blocks[start]
    return replace(doc, blocks=tuple(blocks), removed=tuple(removed))


def _embed_media(node: Any, media: Path) -> Any:
    """Images pandoc extracted to a temporary folder become data: URLs in the model."""
    if isinstance(node, Image) and node.src.startswith(str(media)):
        file = Path(node.src)
        if file.is_file() and file.resolve().is_relative_to(media.resolve()):
            mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            data = base64.b64encode(file.read_bytes()).decode("ascii")
            return replace(node, src=f"data:{mime};base64,{data}")
    return node
