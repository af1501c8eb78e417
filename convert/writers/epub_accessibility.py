"""EPUB Accessibility 1.1 metadata, declared from what the book really holds.

A conformance claim must be true of the book: ``alternativeText`` (and text being sufficient on
its own) is declared only when every image has alt text; ``visual`` only when there are images.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


def declare_accessibility(book: Any, images: BookImages, *, has_toc: bool = True) -> None:
    """Add the schema.org accessibility metadata and the conformance claim to an ebooklib book."""
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
    book.add_metadata(None, "meta", _summary(images, has_toc), {"property": "schema:accessibilitySummary"})
    if described:
        book.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})


def _summary(images: BookImages, has_toc: bool) -> str:
    parts = ["Reflowable text with headings in order", *(["a table of contents"] if has_toc else [])]
    sentence = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + "."
    if not images.shown:
        pictures = "It has no images."
    elif images.without_alt == 0:
        pictures = f"Every image ({images.shown}) has a text alternative."
    else:
        pictures = (
            f"{images.without_alt} of {images.shown} images have no text alternative in the source,"
            " so the book does not claim WCAG conformance."
        )
    hazard = " Animated images may flash." if images.animated else " No flashing, sound or motion hazards."
    return f"{sentence} {pictures}{hazard} Links are underlined; text contrast meets WCAG 2.1 AA."


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
