"""Saved pages that carry their images: MHTML (``.mhtml``, ``.mht``), web archives (``.warc``, ``.warc.gz``)
and SingleFile pages (images as ``data:`` URLs).

An archive holds the page and the files it showed, each under the URL it came
from. The page is read like any saved web page (extraction, metadata); then
every image whose URL the archive holds becomes a ``data:`` URL in the model,
so the writers embed it through the sandbox with no network. An image the
archive lacks stays a URL: the usual one line says how many were left out and
which flag would fetch them.

A page's own ``data:`` images are lifted out before extraction (which drops
them, and whose text limit they would fill) and put back after it.
"""

from __future__ import annotations

import base64
import email
import email.policy
import html
import io
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import lxml.etree

from convert.dates import iso_date
from convert.errors import InputError
from convert.limits import MAX_ARCHIVE_BYTES, safe_xml_parser
from convert.model import Document, Image, rewrite
from convert.readers.text import decode, read_text
from convert.readers.webpage import read_web_page
from convert.resources import MAX_BYTES, data_url_bytes, sniff_image

# Suffixes of the archives this module reads, matched against the end of the file name.
ARCHIVE_SUFFIXES = {".mhtml": "mhtml", ".mht": "mhtml", ".warc": "warc", ".warc.gz": "warc"}


@dataclass
class SavedPage:
    """The page of an archive, where it came from, and the files it showed by URL."""

    html: bytes
    charset: str
    url: str = ""
    retrieved: str = ""
    files: dict[str, bytes] = field(default_factory=dict)


def archive_format(path: Path) -> str | None:
    name = path.name.lower()
    return next((fmt for suffix, fmt in ARCHIVE_SUFFIXES.items() if name.endswith(suffix)), None)


def read_archive(path: Path, fmt: str, extract: bool = True, data: bytes | None = None) -> Document:
    """The page inside ``path`` (``mhtml`` or ``warc``), its archived images as ``data:`` URLs.

    ``data``, when given, is the file's content already read; the file is not read again.
    """
    data = path.read_bytes() if data is None else data
    page = _read_mhtml(path, data) if fmt == "mhtml" else _read_warc(path, data)
    return read_saved_page(decode(page.html, path, (page.charset,)), path, page, extract)


def read_saved_page(text: str, source: str | Path, page: SavedPage | None = None, extract: bool = True) -> Document:
    """A saved web page (``text``), its images taken from ``page.files`` and from its own ``data:`` URLs."""
    page = page or SavedPage(b"", "")
    text, lifted = _lift_data_urls(text)
    doc = read_web_page(text, source) if extract else read_text(text, "html", source)
    meta = replace(
        doc.meta,
        source_url=doc.meta.source_url or page.url,
        retrieved=doc.meta.retrieved or page.retrieved,
    )
    files = page.files
    return replace(doc, meta=meta, blocks=rewrite(doc.blocks, lambda node: _embed(node, page.url, files, lifted)))


# A data: image in the page's text: an attribute's value, quoted (a percent-encoded SVG keeps the
# other quote mark inside: src="data:image/svg+xml,%3Csvg width='13'…") or not; in a srcset, up to
# the width or density that follows it ("data:image/gif;base64,R0lG… 1w, photo.jpg 800w"). CSS's
# url(data:…) is left alone: extraction keeps no stylesheet.
def _quoted_data_image(quote: str) -> str:
    descriptor = r"\s+\d+(?:\.\d+)?[wx]\s*"
    return rf"(?<={quote})data:image/[^{quote}<>]*?(?={descriptor}[,{quote}]|\s*{quote})"


_DATA_IMAGE = re.compile(
    "|".join((_quoted_data_image('"'), _quoted_data_image("'"), r"(?<==)data:image/[^\s\"'=<>`]+")), re.IGNORECASE
)
# Where lifted data: images wait during extraction: a reserved name (RFC 2606) that resolves nowhere.
_LIFTED = "https://lifted.invalid/"


# Lazy-loading placeholders (a 1×1 GIF, an empty SVG of the picture's size) are this small;
# anything bigger is a picture.
_PLACEHOLDER_BYTES = 512
# What an SVG may hold and still draw nothing.
_UNDRAWN = frozenset({"title", "desc", "metadata", "defs"})


def _lift_data_urls(text: str) -> tuple[str, dict[str, str]]:
    lifted: dict[str, str] = {}

    def lift(match: re.Match[str]) -> str:
        url = html.unescape(match.group(0))  # the page's text: "&#039;" is "'" in the attribute's value
        if _is_placeholder(url):
            return match.group(0)  # extraction drops it, as it should: the picture is elsewhere
        name = f"{_LIFTED}{len(lifted)}"
        lifted[name] = url
        return name

    return (_DATA_IMAGE.sub(lift, text), lifted) if "data:image" in text.lower() else (text, lifted)


def _is_placeholder(data_url: str) -> bool:
    """A lazy-loading stand-in or a spacer, not a picture: a raster image of at most 2×2 pixels,
    or an SVG that draws nothing (``<svg viewBox='0 0 600 315'></svg>``, the size of the picture
    a script will put in its place)."""
    from PIL import Image as Picture
    from PIL import UnidentifiedImageError

    if len(data_url) > 4 * _PLACEHOLDER_BYTES:
        return False
    try:
        data = data_url_bytes(data_url)
    except ValueError:
        return False
    if len(data) > _PLACEHOLDER_BYTES:
        return False
    if sniff_image(data) == "image/svg+xml":
        return _draws_nothing(data)
    try:
        with Picture.open(io.BytesIO(data)) as picture:
            return max(picture.size) <= 2
    except (ValueError, UnidentifiedImageError, OSError):
        return False


def _draws_nothing(svg: bytes) -> bool:
    try:
        root = lxml.etree.fromstring(svg, parser=safe_xml_parser())
    except lxml.etree.XMLSyntaxError:
        return False
    return all(lxml.etree.QName(node).localname in _UNDRAWN for node in root.iterdescendants(lxml.etree.Element))


def _embed(node: Any, base: str, files: dict[str, bytes], lifted: dict[str, str]) -> Any:
    if not isinstance(node, Image) or node.src.startswith("data:"):
        return node
    if node.src in lifted:
        return replace(node, src=lifted[node.src])
    url = urllib.parse.urljoin(base, node.src) if base else node.src
    data = files.get(_normal(url))
    media_type = sniff_image(data) if data is not None else None
    if data is None or media_type is None:
        return node
    return replace(node, src=f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}")


def _normal(url: str) -> str:
    """A URL as the archive and the page may each spell it: no fragment, default ports dropped."""
    parts = urllib.parse.urlsplit(url.strip())
    netloc = parts.netloc.lower().removesuffix(":80" if parts.scheme == "http" else ":443")
    return urllib.parse.urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


class _Budget:
    """All the archive's files together may not exceed MAX_ARCHIVE_BYTES; one image not MAX_BYTES."""

    def __init__(self, path: Path) -> None:
        self.path, self.used = path, 0

    def take(self, size: int) -> bool:
        self.used += size
        if self.used > MAX_ARCHIVE_BYTES:
            raise InputError(self.path, f"the archive holds more than {MAX_ARCHIVE_BYTES // 2**20} MB")
        return size <= MAX_BYTES


def _read_mhtml(path: Path, data: bytes) -> SavedPage:
    """MHTML (RFC 2557) as browsers save it: a multipart/related message, the page first."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise InputError(path, "not an MHTML file (no multipart message)")
    budget = _Budget(path)
    page: SavedPage | None = None
    files: dict[str, bytes] = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not budget.take(len(payload)):
            continue
        location = str(part.get("Content-Location") or "")
        if page is None and part.get_content_type() in ("text/html", "application/xhtml+xml"):
            page = SavedPage(payload, part.get_content_charset() or "", location)
            continue
        if location:
            files[_normal(location)] = payload
        content_id = str(part.get("Content-ID") or "").strip("<> ")
        if content_id:
            files[_normal(f"cid:{content_id}")] = payload
    if page is None:
        raise InputError(path, "the MHTML file holds no HTML page")
    page.url = page.url or str(message.get("Snapshot-Content-Location") or "")
    page.retrieved = iso_date(str(message.get("Date") or ""))
    page.files = files
    return page


def _read_warc(path: Path, data: bytes) -> SavedPage:
    """A WARC (or ARC): the first HTML response is the page; image responses are its files."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    budget = _Budget(path)
    page: SavedPage | None = None
    files: dict[str, bytes] = {}
    try:
        with io.BytesIO(data) as stream:
            for record, media_type, charset in _records(ArchiveIterator(stream)):
                url = str(record.rec_headers.get_header("WARC-Target-URI") or "")
                body = record.content_stream().read(MAX_BYTES + 1)
                if not budget.take(len(body)):
                    continue
                if page is None and media_type in ("text/html", "application/xhtml+xml"):
                    date = str(record.rec_headers.get_header("WARC-Date") or "")
                    page = SavedPage(body, charset, url, iso_date(date))
                elif url:
                    files.setdefault(_normal(url), body)
    except ArchiveLoadFailed as exc:
        raise InputError(path, f"not a WARC file ({str(exc).splitlines()[0]})") from None
    if page is None:
        raise InputError(path, "the WARC file holds no HTML page")
    page.files = files
    return page


def _records(records: Any) -> Iterator[tuple[Any, str, str]]:
    """Successful responses and stored resources, with their media type and charset."""
    for record in records:
        if record.rec_type not in ("response", "resource"):
            continue
        if record.http_headers is not None:
            if not record.http_headers.get_statuscode().startswith("2"):
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
        else:
            content_type = record.rec_headers.get_header("Content-Type") or ""
        media_type, _, params = content_type.partition(";")
        charset = params.partition("charset=")[2].strip().strip("\"'")
        yield record, media_type.strip().lower(), charset
