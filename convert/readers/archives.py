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
import io
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from convert.dates import iso_date
from convert.errors import InputError
from convert.limits import MAX_ARCHIVE_BYTES
from convert.model import Document, Image, rewrite
from convert.readers.text import decode, read_text
from convert.readers.webpage import read_web_page
from convert.resources import MAX_BYTES, sniff_image

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


def read_archive(path: Path, fmt: str, extract: bool = True) -> Document:
    """The page inside ``path`` (``mhtml`` or ``warc``), its archived images as ``data:`` URLs."""
    page = _read_mhtml(path) if fmt == "mhtml" else _read_warc(path)
    return read_saved_page(_decode(page, path), path, page, extract)


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


# A data: image in the page's text: its payload runs to the closing quote (or parenthesis, in CSS).
_DATA_IMAGE = re.compile(r"data:image/[\w.+-]+(?:;[\w=.+-]+)*,[^\"'\s)<>]*", re.IGNORECASE)
# Where lifted data: images wait during extraction: a reserved name (RFC 2606) that resolves nowhere.
_LIFTED = "https://lifted.invalid/"


# Lazy-loading placeholders (1×1 GIFs) are this small; anything bigger is read to see its size.
_PLACEHOLDER_BYTES = 512


def _lift_data_urls(text: str) -> tuple[str, dict[str, str]]:
    lifted: dict[str, str] = {}

    def lift(match: re.Match[str]) -> str:
        if _is_placeholder(match.group(0)):
            return match.group(0)  # extraction drops it, as it should: the picture is elsewhere
        url = f"{_LIFTED}{len(lifted)}"
        lifted[url] = match.group(0)
        return url

    return (_DATA_IMAGE.sub(lift, text), lifted) if "data:image" in text.lower() else (text, lifted)


def _decode(page: SavedPage, path: Path) -> str:
    if page.charset:
        try:
            return page.html.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(page.html, path)


def _is_placeholder(data_url: str) -> bool:
    """A tiny image of at most 2×2 pixels: a lazy-loading stand-in or a spacer, not a picture."""
    from PIL import Image as Picture
    from PIL import UnidentifiedImageError

    header, _, payload = data_url.partition(",")
    if not header.lower().endswith(";base64") or len(payload) > _PLACEHOLDER_BYTES:
        return False
    try:
        with Picture.open(io.BytesIO(base64.b64decode(payload))) as picture:
            return max(picture.size) <= 2
    except (ValueError, UnidentifiedImageError, OSError):
        return False


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


def _read_mhtml(path: Path) -> SavedPage:
    """MHTML (RFC 2557) as browsers save it: a multipart/related message, the page first."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
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


def _read_warc(path: Path) -> SavedPage:
    """A WARC (or ARC): the first HTML response is the page; image responses are its files."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    budget = _Budget(path)
    page: SavedPage | None = None
    files: dict[str, bytes] = {}
    try:
        with path.open("rb") as stream:
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
