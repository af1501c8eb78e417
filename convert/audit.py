"""The link audit: every cited URL must be a clickable link in the output.

Each output records the URLs it cites (PDF and DOCX in their document
properties as ``tearsheet-citations``, EPUB in its reference list), so an
output can be audited on its own, without the document it came from.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from convert.limits import safe_xml_parser

CITATIONS_KEY = "tearsheet-citations"
_SAFE_XML = safe_xml_parser()
_HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_EPUB_NS = "http://www.idpf.org/2007/ops"


@dataclass(frozen=True, slots=True)
class LinkReport:
    """What an output links to and what it says it cites."""

    links: frozenset[str]
    citations: tuple[str, ...]
    note_refs: int  # in-text note markers (EPUB noterefs; DOCX footnote references)


class AuditError(ValueError):
    """The file is not an output this audit can read."""


def encode_citations(urls: Sequence[str]) -> str:
    return " ".join(urls)


def read_links(fmt: str, data: bytes) -> LinkReport:
    try:
        match fmt:
            case "pdf":
                return _pdf(data)
            case "epub":
                return _epub(data)
            case "docx":
                return _docx(data)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise AuditError(f"not a readable {fmt}: {exc}") from None
    raise AuditError(f"no link audit for {fmt!r}")


def audit(fmt: str, data: bytes, expected: Sequence[str] | None = None) -> list[str]:
    """Problems found: cited URLs that are not clickable links (empty when all is well)."""
    report = read_links(fmt, data)
    cited = list(expected) if expected is not None else list(report.citations)
    return [f"cited URL is not a clickable link: {url}" for url in cited if url not in report.links]


def _pdf(data: bytes) -> LinkReport:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        links = set()
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is not None and "/URI" in action:
                    links.add(str(action["/URI"]))
        info: Any = reader.metadata or {}
    except PdfReadError as exc:
        raise AuditError(f"not a readable pdf: {exc}") from None
    # WeasyPrint keeps only letters and digits of a custom metadata name.
    recorded = str(info.get("/" + re.sub(r"\W", "", CITATIONS_KEY), "") or "")
    return LinkReport(frozenset(links), tuple(recorded.split()), 0)


def _epub(data: bytes) -> LinkReport:
    links: set[str] = set()
    citations: list[str] = []
    refs = 0
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if not name.endswith((".xhtml", ".html")) or name.endswith("nav.xhtml"):
                continue
            root = etree.fromstring(book.read(name), _SAFE_XML)
            for anchor in root.iter("{*}a"):
                href = anchor.get("href", "")
                if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
                    links.add(href)
                if anchor.get(f"{{{_EPUB_NS}}}type") == "noteref":
                    refs += 1
            for note in root.iter():
                if note.get(f"{{{_EPUB_NS}}}type") == "endnote" and "reference" in (note.get("class") or "").split():
                    hrefs = [a.get("href", "") for a in note.iter("{*}a") if not a.get("href", "").startswith("#")]
                    citations.extend(hrefs[-1:])
    return LinkReport(frozenset(links), tuple(citations), refs)


def _docx(data: bytes) -> LinkReport:
    links: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("word/_rels/") and name.endswith(".rels"):
                root = etree.fromstring(package.read(name), _SAFE_XML)
                for rel in root:
                    if rel.get("Type") == _HYPERLINK_REL and rel.get("TargetMode") == "External":
                        links.add(rel.get("Target", ""))
        document = package.read("word/document.xml").decode("utf-8")
        recorded = ""
        if "docProps/custom.xml" in package.namelist():
            custom = etree.fromstring(package.read("docProps/custom.xml"), _SAFE_XML)
            for prop in custom:
                if prop.get("name") == CITATIONS_KEY:
                    recorded = "".join(prop.itertext())
    refs = len(re.findall(r"<w:footnoteReference ", document))
    return LinkReport(frozenset(links), tuple(recorded.split()), refs)
