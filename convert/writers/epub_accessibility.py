"""EPUB Accessibility 1.1 metadata, declared from what the book really holds.

A conformance claim must be true of the book: ``alternativeText`` (and text being sufficient on
its own) is declared only when every image has alt text; ``visual`` only when there are images.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from convert.transforms.labels import summary_language, summary_sentence

# EPUB Accessibility 1.1, §2.1: the conformance identifier for WCAG 2.1 AA; axe-core (inside Ace) tests that level.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(slots=True)
class BookImages:
    """What a book shows as pictures, counted as its pages are rendered."""

    shown: int = 0
    without_alt: int = 0
    animated: int = 0  # animated GIFs may flash: no "none" hazard claim then

    def add(self, shown: int, without_alt: int) -> None:
        self.shown += shown
        self.without_alt += without_alt


def is_animated(data: bytes, media_type: str) -> bool:
    """An image with more than one frame (GIF, APNG, WebP)."""
    if media_type not in ("image/gif", "image/png", "image/webp"):
        return False
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            return bool(getattr(picture, "is_animated", False))
    except (UnidentifiedImageError, OSError, ValueError):
        return False


def declare_accessibility(book: Any, images: BookImages, language: str, *, has_toc: bool = True) -> None:
    """Add the schema.org accessibility metadata and the conformance claim to an ebooklib book; the
    summary is in the book's language where Tearsheet has its words (``xml:lang`` says which)."""
    described = images.without_alt == 0
    modes = ["textual", *(["visual"] if images.shown else [])]
    sufficient = ["textual,visual" if images.shown else "textual"]
    if images.shown and described:
        sufficient.append("textual")  # every picture has a text alternative: text alone carries the book
    features = ["structuralNavigation", *(["tableOfContents"] if has_toc else [])]
    if images.shown and described:
        features.append("alternativeText")
    features += ["readingOrder", "displayTransformability"]
    hazards = ["unknown"] if images.animated else ["none"]
    for prop, values in (
        ("schema:accessMode", modes),
        ("schema:accessModeSufficient", sufficient),
        ("schema:accessibilityFeature", features),
        ("schema:accessibilityHazard", hazards),
    ):
        for value in values:
            book.add_metadata(None, "meta", value, {"property": prop})
    summary = {"property": "schema:accessibilitySummary", _XML_LANG: summary_language(language)}
    book.add_metadata(None, "meta", _summary(images, has_toc, language), summary)
    if described:
        book.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})


def _summary(images: BookImages, has_toc: bool, language: str) -> str:
    keys: list[tuple[str, dict[str, int]]] = [("text-toc" if has_toc else "text", {})]
    if not images.shown:
        keys.append(("no-images", {}))
    elif images.without_alt == 0:
        keys.append(("described", {"shown": images.shown}))
    else:
        keys.append(("undescribed", {"missing": images.without_alt, "shown": images.shown}))
    keys += [("may-flash" if images.animated else "no-hazards", {}), ("contrast", {})]
    # CJK sentences are not separated by spaces
    gap = "" if language.split("-")[0].lower() in ("ja", "zh") else " "
    return gap.join(summary_sentence(key, language, **fields) for key, fields in keys)


def package_language(language: str) -> Callable[[str, bytes], bytes]:
    """A ZIP entry rewrite that puts ``xml:lang`` on the OPF ``<package>`` (ebooklib sets none)."""

    def rewrite(name: str, content: bytes) -> bytes:
        if not name.endswith(".opf"):
            return content
        from lxml import etree

        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
        root.set(_XML_LANG, language)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))

    return rewrite
