"""Make every link usable outside its page: absolute, or no link at all."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import replace
from typing import Any

from convert.link_schemes import site_of
from convert.model import Document, Link, Removal, Text, inline_text, plain_text, rewrite
from convert.normalize.context import Context

# A relative link (``/current/``, ``../notes.html``) of a page whose address is unknown points
# nowhere in a PDF or DOCX, and inside the container in an EPUB (invalid there).
UNRESOLVED_RULE = "unresolved-link"


def resolve_links(doc: Document, ctx: Context) -> Document:
    """Resolve relative links against the source URL; with no source URL, keep their text only.

    In-page anchors (``#notes``) and links with a scheme (``https:``, ``mailto:``) stay as
    they are; a scheme-relative link (``//host/path``) gets https. Each link dropped is
    recorded in ``removed`` with its text and address.
    """
    base = doc.meta.source_url if doc.meta.source_url.startswith(("http://", "https://")) else ""
    removed: list[Removal] = []

    def resolve(node: Any) -> Any:
        if not isinstance(node, Link) or not node.url or node.url.startswith("#"):
            return node
        if base:
            absolute = urllib.parse.urljoin(base, node.url)
            return replace(node, url=absolute) if absolute != node.url else node
        if node.url.startswith("//"):
            return replace(node, url="https:" + node.url)
        if urllib.parse.urlsplit(node.url).scheme:
            return node
        removed.append(Removal(UNRESOLVED_RULE, f"{inline_text(node.content)} <{node.url}>"))
        return node.content

    blocks = rewrite(doc.blocks, resolve)
    return replace(doc, blocks=blocks, removed=(*doc.removed, *removed))


FURNITURE_RULE = "link-furniture"
SELF_LINK_RULE = "self-link"

# What a link says when it is page machinery rather than something the article cites: edit
# buttons, "jump to"/"skip to" navigation, "back to top". Matched on the whole link text.
_FURNITURE_TEXT = re.compile(
    r"^(?:edit(?: (?:source|section|this (?:page|section)))?"
    r"|(?:jump|skip|go|back|return|scroll) to (?:the )?(?:top|content|main content|navigation|search|comments)"
    r"|top|to top|top of page|[↑⇧⤴^]"
    r")$",
    re.IGNORECASE,
)
_BRACKETS = {"[": "]", "(": ")"}
_WRAPPERS = " []()\"'“”‘’«»"


def _page_key(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return site_of(url), parts.path.rstrip("/")


def _links_to_page_itself(url: str, page: str) -> bool:
    """The page's own address, with any fragment or query (``#top``, ``?action=history``).

    Also a script URL that names the page and an action (``/w/index.php?title=Page&action=edit``).
    """
    if not page or not url.startswith(("http://", "https://")):
        return False
    host, path = _page_key(url)
    page_host, page_path = _page_key(page)
    if host != page_host:
        return False
    if path == page_path:
        return True
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    name = urllib.parse.unquote(page_path.rsplit("/", 1)[-1])
    return "action" in query and bool(name) and name in query.get("title", ())


def drop_link_furniture(doc: Document, ctx: Context) -> Document:
    """Page machinery is not a citation: edit, "jump to" and "back to top" links go, with their
    brackets; a link to the page itself becomes its text. Both are recorded in ``removed``.
    """
    page = doc.meta.source_url
    removed: list[Removal] = []

    def furniture(node: Any) -> bool:
        if not isinstance(node, Link) or ctx.keeps(FURNITURE_RULE):
            return False
        return bool(_FURNITURE_TEXT.match(inline_text(node.content).strip(_WRAPPERS)))

    def clean(node: Any) -> Any:
        if isinstance(node, Link) and not ctx.keeps(SELF_LINK_RULE) and not furniture(node):
            if _links_to_page_itself(node.url, page):
                removed.append(Removal(SELF_LINK_RULE, f"{inline_text(node.content)} <{node.url}>"))
                return node.content
            return node
        content = getattr(node, "content", None)
        if not isinstance(content, tuple) or not any(furniture(child) for child in content):
            return node
        kept = list(content)
        while (k := next((k for k, child in enumerate(kept) if furniture(child)), None)) is not None:
            removed.append(Removal(FURNITURE_RULE, f"{inline_text(kept[k].content)} <{kept[k].url}>"))
            _drop_with_brackets(kept, k)
        return replace(node, content=tuple(kept))

    blocks = rewrite(doc.blocks, clean)
    return replace(doc, blocks=blocks, removed=(*doc.removed, *removed))


def _drop_with_brackets(inlines: list[Any], k: int) -> None:
    """Remove ``inlines[k]`` and the ``[`` … ``]`` (or parentheses) right around it."""
    before = plain_text(tuple(inlines[:k])).rstrip()
    after = plain_text(tuple(inlines[k + 1 :])).lstrip()
    del inlines[k]
    if before[-1:] in _BRACKETS and after[:1] == _BRACKETS[before[-1:]]:
        _trim(inlines, k, at_start=True)
        _trim(inlines, k - 1, at_start=False)


def _trim(inlines: list[Any], k: int, *, at_start: bool) -> None:
    """Take one bracket off the start of ``inlines[k]`` (or the end), dropping what is left empty."""
    node = inlines[k]
    if isinstance(node, Text):
        text = node.text.lstrip()[1:] if at_start else node.text.rstrip()[:-1]
        if text:
            inlines[k] = Text(text)
        else:
            del inlines[k]
        return
    content = getattr(node, "content", None)
    if isinstance(content, tuple) and content:
        inner = list(content)
        _trim(inner, 0 if at_start else len(inner) - 1, at_start=at_start)
        if inner:
            inlines[k] = replace(node, content=tuple(inner))
        else:
            del inlines[k]
