"""Links the extraction lost put back: a paragraph whose text the body keeps word for word, or an image
it keeps, loses its links when trafilatura falls back on an extractor that keeps text only (jusText, its
baseline) or when it keeps an image without the link around it. The page still has them: where one of
the body's blocks holds no link and the page's block of the same text does, or where the page links an
image the body shows unlinked, the page's links are put back. Only links: no text is added or taken out.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml.html import HtmlElement

from convert.readers.html_text import element_text, squashed

# Blocks whose links are put back, compared by their whole text.
_BLOCKS = ("p", "li", "dd", "dt", "td", "th", "figcaption", "blockquote", "h2", "h3", "h4", "h5", "h6")
# A block this short ("Mehr", a date) is too common for its text to say which block of the page it is.
_MIN_LETTERS = 12
_SAFE = re.compile(r"^(?:https?:|mailto:|/|\.|[^:]*$)", re.IGNORECASE)


def relink(page_html: str, body_html: str, url: str | None) -> str:
    """``body_html`` with the page's links put back into blocks and around images that lost them."""
    if not body_html.strip() or "<" not in body_html:
        return body_html
    try:
        page = lxml.html.document_fromstring(page_html.encode("utf-8"), parser=_parser())
        body = lxml.html.fragment_fromstring(body_html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return body_html
    changed = _link_blocks(page, body, url) + _link_images(page, body, url)
    if not changed:
        return body_html
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in body) if len(body) else body_html


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8")


def _href(anchor: HtmlElement, url: str | None) -> str:
    """The anchor's address as the extraction writes it (resolved against the page's), or "" for none."""
    href = "".join((anchor.get("href") or "").split())
    if not href or href.startswith("#") or not _SAFE.match(href):
        return ""
    try:
        return urljoin(url, href) if url else href
    except ValueError:  # an address no URL parser reads ("http://[ccpa-preferences]")
        return ""


def _link_blocks(page: HtmlElement, body: HtmlElement, url: str | None) -> int:
    """Put back the text links of the body's blocks that hold none where the page's block of the same text does."""
    unlinked: dict[str, HtmlElement] = {}
    for block in body.iter(*_BLOCKS):
        key = squashed(block)
        if len(key) >= _MIN_LETTERS and block.find(".//a") is None and not _inside(block, _BLOCKS):
            unlinked.setdefault(key, block)
    if not unlinked:
        return 0
    added = 0
    for source in page.iter(*_BLOCKS):
        block = unlinked.pop(squashed(source), None) if source.find(".//a") is not None else None
        if block is None:
            continue
        for anchor in list(source.iter("a")):
            text, href = element_text(anchor), _href(anchor, url)
            # The page's link is on the n-th time its words come in the block ("data" in "Data on data").
            if text and href and _wrap(block, text, href, " ".join(_text_before(source, anchor).split()).count(text)):
                added += 1
    return added


def _inside(element: HtmlElement, tags: tuple[str, ...]) -> bool:
    return any(ancestor.tag in tags for ancestor in element.iterancestors())


def _text_before(block: HtmlElement, target: HtmlElement) -> str:
    """The block's text before ``target``, one of its elements."""
    parts: list[str] = []

    def walk(element: HtmlElement) -> bool:
        if element is target:
            return True
        parts.append(element.text or "")
        for child in element:
            if walk(child):
                return True
            parts.append(child.tail or "")
        return False

    walk(block)
    return "".join(parts)


def _wrap(block: HtmlElement, text: str, href: str, nth: int) -> bool:
    """Wrap the ``nth`` (from 0) time ``text`` comes in the block in a link to ``href``, when it lies within
    one run of text outside any link."""
    seen = 0
    for node, attribute, in_link in _runs(block):
        value = getattr(node, attribute) or ""
        at = value.find(text)
        while at >= 0 and seen < nth:
            seen, at = seen + 1, value.find(text, at + len(text))
        if at < 0:
            continue
        if in_link:
            return False
        link = lxml.html.Element("a", href=href)
        link.text, link.tail = text, value[at + len(text) :]
        setattr(node, attribute, value[:at])
        if attribute == "text":
            node.insert(0, link)
        else:
            node.addnext(link)
        return True
    return False


def _runs(block: HtmlElement) -> list[tuple[HtmlElement, str, bool]]:
    """The block's runs of text in reading order: (element, "text" or "tail", whether a link holds it)."""
    runs: list[tuple[HtmlElement, str, bool]] = []

    def walk(element: HtmlElement, in_link: bool) -> None:
        in_link = in_link or element.tag == "a"
        runs.append((element, "text", in_link))
        for child in element:
            if isinstance(child.tag, str):
                walk(child, in_link)
                runs.append((child, "tail", in_link))

    walk(block, False)
    return runs


def _link_images(page: HtmlElement, body: HtmlElement, url: str | None) -> int:
    """Put back the link around each of the body's images that the page links and the body does not."""
    linked: dict[str, str] = {}
    for anchor in page.iter("a"):
        href = _href(anchor, url)
        if not href or element_text(anchor):
            continue  # an image among words is not what the link names
        for img in anchor.iter("img"):
            for value in img.attrib.values():
                for token in re.split(r"[\s,]+", value):  # src, a lazy image's data-src, srcset's candidates
                    if "/" in token or "." in token:
                        linked.setdefault(token, href)
    added = 0
    for img in list(body.iter("img")):
        target = linked.get(img.get("src") or "")
        if target and not _inside(img, ("a",)):
            link = lxml.html.Element("a", href=target)
            link.tail, img.tail = img.tail, None
            img.addprevious(link)
            link.append(img)
            added += 1
    return added
