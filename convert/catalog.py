"""An OPDS 1.2 acquisition feed (Atom) of the books in a folder, for KOReader, Thorium or any OPDS client.

Served from a static web server beside the books, it lets a reader browse and download them. Each
EPUB and PDF is one entry whose title, authors, language, dates, description and cover come from
the file's own metadata (ebooklib for EPUB, pypdf for PDF); an EPUB and a PDF of the same name in
one folder are one entry with two acquisition links. Covers are copied out of the EPUBs into
``covers/`` beside the catalogue (named by their content), with a thumbnail each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import urllib.parse
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from convert.dates import build_time, iso_date
from convert.errors import InputError
from convert.output import write_atomic

log = logging.getLogger("tearsheet")

CATALOG_NAME = "catalog.xml"
COVERS_DIR = "covers"
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
ACQUISITION = "http://opds-spec.org/acquisition"
IMAGE = "http://opds-spec.org/image"
THUMBNAIL = "http://opds-spec.org/image/thumbnail"
CATALOG_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
BOOK_TYPES = {".epub": "application/epub+zip", ".pdf": "application/pdf"}
THUMBNAIL_HEIGHT = 300
_NAMESPACE = uuid.UUID("3d4b1f70-6b43-4d5a-9a5e-2c7f0e9b8a41")


@dataclass(frozen=True, slots=True)
class Acquisition:
    path: Path  # the book file
    media_type: str
    size: int


@dataclass(frozen=True, slots=True)
class Cover:
    data: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One publication: its metadata and the files it can be downloaded as."""

    title: str
    identifier: str
    updated: str  # ISO 8601 date and time
    authors: tuple[str, ...] = ()
    language: str = ""
    issued: str = ""  # ISO date of publication
    summary: str = ""
    cover: Cover | None = None
    files: tuple[Acquisition, ...] = field(default=())


def book_files(folder: Path) -> list[Path]:
    """Every EPUB and PDF under ``folder`` (hidden folders, such as a build's cache, left out), sorted."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root, f) for f in files if Path(f).suffix.lower() in BOOK_TYPES and not f.startswith(".")]
    return sorted(found)


def read_entries(folder: Path) -> tuple[list[CatalogEntry], list[tuple[Path, str]]]:
    """The catalogue's entries, and the files that could not be read (with why)."""
    groups: dict[Path, list[Path]] = {}
    for path in book_files(folder):
        groups.setdefault(path.with_suffix(""), []).append(path)
    entries: list[CatalogEntry] = []
    failed: list[tuple[Path, str]] = []
    for stem, paths in groups.items():
        described: list[CatalogEntry] = []
        for path in sorted(paths, key=lambda p: p.suffix.lower() != ".epub"):  # the EPUB's metadata first
            try:
                described.append(_describe(path))
            except InputError as exc:
                failed.append((path, exc.reason))
        if described:
            files = tuple(f for d in described for f in d.files)
            entries.append(replace(_merged(described, folder, stem), files=files))
    return entries, failed


def catalog_xml(
    entries: Sequence[CatalogEntry], catalog: Path, title: str, covers: dict[bytes, str] | None = None
) -> bytes:
    """The OPDS acquisition feed; links are relative to ``catalog``'s folder. ``covers`` maps cover
    bytes to their path relative to that folder (as ``write_catalog`` stores them)."""
    from lxml import etree

    nsmap = {None: ATOM, "dc": DC, "opds": OPDS}
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=nsmap)
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(_NAMESPACE, title + chr(10) + ''.join(e.identifier for e in entries))}")
    _text(feed, "title", title)
    updated = max((e.updated for e in entries), default=build_time().isoformat().replace("+00:00", "Z"))
    _text(feed, "updated", updated)
    author = etree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Tearsheet")
    for rel in ("self", "start"):
        _link(feed, rel, catalog.name, CATALOG_TYPE)
    base = catalog.parent
    for entry in entries:
        item = etree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "title", entry.title)
        _text(item, "id", entry.identifier)
        _text(item, "updated", entry.updated)
        for name in entry.authors:
            _text(etree.SubElement(item, f"{{{ATOM}}}author"), "name", name)
        if entry.language:
            etree.SubElement(item, f"{{{DC}}}language").text = entry.language
        if entry.issued:
            etree.SubElement(item, f"{{{DC}}}issued").text = entry.issued
        if entry.summary:
            _text(item, "summary", entry.summary)
        if entry.cover is not None and covers and entry.cover.data in covers:
            image = covers[entry.cover.data]
            _link(item, IMAGE, image, entry.cover.media_type)
            _link(item, THUMBNAIL, _thumbnail_name(image), "image/jpeg")
        for book in entry.files:
            link = _link(item, ACQUISITION, _href(book.path, base), book.media_type)
            link.set("length", str(book.size))
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True))


def write_catalog(
    folder: Path, catalog: Path | None = None, title: str = ""
) -> tuple[Path, int, list[tuple[Path, str]]]:
    """Write the catalogue of ``folder`` (default ``folder/catalog.xml``) and its covers, atomically.

    Returns the catalogue's path, how many entries it lists, and the files left out (with why).
    """
    if not folder.is_dir():
        raise InputError(folder, "not a folder")
    catalog = catalog or folder / CATALOG_NAME
    entries, failed = read_entries(folder)
    covers: dict[bytes, str] = {}
    for entry in entries:
        if entry.cover is not None and entry.cover.data not in covers:
            covers[entry.cover.data] = _store_cover(entry.cover, catalog.parent)
    write_atomic(catalog, catalog_xml(entries, catalog, title or folder.resolve().name, covers))
    return catalog, len(entries), failed


def _store_cover(cover: Cover, base: Path) -> str:
    """The cover and its thumbnail under ``covers/``, named by content (so none replaces another)."""
    from PIL import Image

    suffix = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}.get(
        cover.media_type, ".img"
    )
    name = f"{COVERS_DIR}/{hashlib.sha256(cover.data).hexdigest()[:20]}{suffix}"
    write_atomic(base / name, cover.data)
    try:
        with Image.open(io.BytesIO(cover.data)) as image:
            image.thumbnail((THUMBNAIL_HEIGHT * 2, THUMBNAIL_HEIGHT))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=85)
        write_atomic(base / _thumbnail_name(name), out.getvalue())
    except OSError as exc:  # an SVG or a broken image: the full cover is still linked
        log.warning("%s: no thumbnail of the cover (%s)", name, exc)
    return name


def _thumbnail_name(cover: str) -> str:
    return cover.rsplit(".", 1)[0] + "-thumb.jpg"


def _describe(path: Path) -> CatalogEntry:
    size = path.stat().st_size
    media_type = BOOK_TYPES[path.suffix.lower()]
    entry = _epub_entry(path) if media_type == "application/epub+zip" else _pdf_entry(path)
    return replace(entry, files=(Acquisition(path, media_type, size),))


def _epub_entry(path: Path) -> CatalogEntry:
    import ebooklib
    from ebooklib import epub

    try:
        book = epub.read_epub(str(path), {"ignore_ncx": True})
    except Exception as exc:  # ebooklib raises whatever its zip or XML parser raised
        raise InputError(path, f"not a readable EPUB ({type(exc).__name__}: {exc})") from None

    def dc(name: str) -> list[str]:
        return [str(value) for value, _ in book.get_metadata("DC", name) if value]

    modified = [
        a.get("content") or v for v, a in book.get_metadata("OPF", "meta") if a.get("property") == "dcterms:modified"
    ]
    covers = list(book.get_items_of_type(ebooklib.ITEM_COVER))
    if not covers:  # EPUB 2: <meta name="cover" content="item id">
        ids = [a.get("content", "") for _, a in book.get_metadata("OPF", "meta") if a.get("name") == "cover"]
        covers = [item for item in map(book.get_item_with_id, ids) if item is not None]
    cover = Cover(covers[0].get_content(), covers[0].media_type) if covers else None
    return CatalogEntry(
        title=next(iter(dc("title")), path.stem),
        identifier=next(iter(dc("identifier")), ""),
        updated=_moment(next(iter(modified), ""), path),
        authors=tuple(dc("creator")),
        language=next(iter(dc("language")), ""),
        issued=iso_date(next(iter(dc("date")), "")),
        summary=next(iter(dc("description")), ""),
        cover=cover,
    )


def _pdf_entry(path: Path) -> CatalogEntry:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        info: Any = PdfReader(path).metadata or {}
    except (PdfReadError, OSError, ValueError) as exc:
        raise InputError(path, f"not a readable PDF ({exc})") from None
    created = info.get("/CreationDate")
    issued = getattr(info, "creation_date", None) if created else None
    modified = getattr(info, "modification_date", None) if info.get("/ModDate") else None
    authors = str(info.get("/Author") or "")
    return CatalogEntry(
        title=str(info.get("/Title") or path.stem),
        identifier="",
        updated=_moment(modified.isoformat() if isinstance(modified, dt.datetime) else "", path),
        authors=tuple(a.strip() for a in authors.split(";") if a.strip()) if authors else (),
        issued=issued.date().isoformat() if isinstance(issued, dt.datetime) else "",
        summary=str(info.get("/Subject") or ""),
    )


def _merged(described: list[CatalogEntry], folder: Path, stem: Path) -> CatalogEntry:
    """One entry from the EPUB's and the PDF's metadata (the EPUB's first, gaps filled from the PDF)."""
    first = described[0]
    for other in described[1:]:
        first = replace(
            first,
            authors=first.authors or other.authors,
            language=first.language or other.language,
            issued=first.issued or other.issued,
            summary=first.summary or other.summary,
            updated=max(first.updated, other.updated),
        )
    if not first.identifier:  # stable across runs: from where the book is in the folder
        first = replace(first, identifier=f"urn:uuid:{uuid.uuid5(_NAMESPACE, stem.relative_to(folder).as_posix())}")
    return first


def _moment(value: str, path: Path) -> str:
    """An Atom date and time: the book's own modification time, else the file's."""
    moment = iso_date(value)
    if moment and "T" in moment:
        return moment.replace("+00:00", "Z")
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(microsecond=0)
    return stamp.isoformat().replace("+00:00", "Z")


def _href(path: Path, base: Path) -> str:
    return urllib.parse.quote(Path(os.path.relpath(path, base)).as_posix())


def _text(parent: Any, name: str, text: str) -> Any:
    from lxml import etree

    child = etree.SubElement(parent, f"{{{ATOM}}}{name}")
    child.text = text
    return child


def _link(parent: Any, rel: str, href: str, media_type: str) -> Any:
    from lxml import etree

    return etree.SubElement(parent, f"{{{ATOM}}}link", rel=rel, href=href, type=media_type)
