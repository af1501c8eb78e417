"""Options shared by the renderers and writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from convert.resources import Sandbox


class LinkPolicy(StrEnum):
    """How a cited link shows its URL (see README, "Links and citations")."""

    AUTO = "auto"  # PDF: footnotes while they fit beside their markers, else endnotes; others: their default
    FOOTNOTE = "footnote"  # the URL in a note at the foot of the page
    ENDNOTE = "endnote"  # a superscript number pointing into the reference list
    INLINE = "inline"  # the URL in brackets after the link text
    NONE = "none"  # clickable links only


PAGE_SIZES = ("A4", "A5", "letter", "legal")
# --pdf-variant: tagged PDF/UA-1 (the default); PDF/A-3b or -3u, tagged, carrying the input file; untagged
PDF_VARIANTS = ("ua-1", "a-3b", "a-3u", "none")
DEFAULT_PDF_VARIANT = "ua-1"
ARCHIVAL_PDF_VARIANTS = ("a-3b", "a-3u")  # these carry the original input as an associated file


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """How to write one document; ``links`` None means the writer's default."""

    links: LinkPolicy | None = None
    page_size: str = "A4"
    stylesheet: Path | None = None  # extra CSS the user gave with --style
    sandbox: Sandbox = field(default_factory=Sandbox)
    retrieved: str = ""  # ISO date for the citation footer; "" means today
    citation_style: str = "chicago"  # a name in transforms.citation.STYLES, or a CSL file's path
    citation_locale: str = ""  # CSL locale of the attribution ("en-GB", "de"); "" means the article's language
    pdf_variant: str = DEFAULT_PDF_VARIANT  # one of PDF_VARIANTS
    # Files a PDF/A-3 carries as associated files (the original input): (name, bytes)
    attachments: tuple[tuple[str, bytes], ...] = field(default=(), compare=False, repr=False)
