"""Images without alternative text get one from the page: their figure's caption, else their title.

An alt text or title that is only the image's file name (CMSs fill both with the upload's name) is no
description, and neither is the article's own title: it is dropped and recorded, so a missing image
reads ``[image]``, not ``[IMG_2041.jpg]`` or the headline again.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import replace
from typing import Any

from convert.model import Document, Figure, Image, Removal, Text, inline_text, iter_nodes, plain_text, rewrite
from convert.normalize.context import Context

FILE_NAME_RULE = "file-name-alt"
TITLE_RULE = "title-alt"

# Attributes a page describes an image with when it gives no alt text.
_DESCRIBING_ATTRIBUTES = ("aria-label", "title", "data-caption", "data-alt")
_IMAGE_FILE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|svg|avif|bmp|tiff?|heic)$", re.IGNORECASE)


def names_its_file(text: str, src: str) -> bool:
    """Whether ``text`` is a file name, not a description: ``photo_2020.jpg``, or an ``_``-joined name that
    the image's own file name spells (``2019_212_Caisse de grève`` for ``2019_212_Caisse-de-grève-300x200.jpg``)."""
    text = text.strip()
    if _IMAGE_FILE.match(text):
        return True
    if "_" not in text:  # "Barack Obama" for barack-obama.jpg describes the picture well enough
        return False
    name = urllib.parse.unquote(urllib.parse.urlsplit(src).path.rsplit("/", 1)[-1])
    squashed = _letters_and_digits(text)
    return len(squashed) >= 4 and squashed in _letters_and_digits(name)


def _letters_and_digits(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def drop_file_name_alt(doc: Document, ctx: Context) -> Document:
    """Drop alt texts and titles that only name the image's file (rule ``file-name-alt``) or repeat the
    article's title (rule ``title-alt``: CMSs fill a lead image's alt with the headline), recording each."""
    headline = _letters_and_digits(doc.meta.title)

    def rule_for(text: str, src: str) -> str | None:
        if not text.strip():
            return None
        if not ctx.keeps(FILE_NAME_RULE) and names_its_file(text, src):
            return FILE_NAME_RULE
        if not ctx.keeps(TITLE_RULE) and headline and _letters_and_digits(text) == headline:
            return TITLE_RULE
        return None

    removed: list[Removal] = []

    def cleared(node: Any) -> Any:
        if not isinstance(node, Image):
            return node
        alt, title = inline_text(node.content), node.title
        alt_rule, title_rule = rule_for(alt, node.src), rule_for(title, node.src)
        if not (alt_rule or title_rule):
            return node
        dropped = {text: rule for text, rule in ((alt, alt_rule), (title, title_rule)) if rule}
        removed.extend(Removal(rule, f"{text} <{node.src}>") for text, rule in dropped.items())
        return replace(node, content=() if alt_rule else node.content, title="" if title_rule else title)

    blocks = rewrite(doc.blocks, cleared)
    return replace(doc, blocks=blocks, removed=(*doc.removed, *removed)) if removed else doc


def describe_images(doc: Document, ctx: Context) -> Document:
    """Give each image without alt text its figure's caption (the only image there) or a describing attribute.

    Nothing is removed. Images with no description anywhere on the page stay without one;
    the writers report them (an accessible book must not claim text alternatives it lacks).
    """

    def described(node: Any) -> Any:
        if isinstance(node, Figure) and node.caption:
            images = [item for item in iter_nodes(node.blocks) if isinstance(item, Image)]
            caption = plain_text(node.caption).strip()
            if len(images) == 1 and not inline_text(images[0].content) and caption:
                return replace(node, blocks=rewrite(node.blocks, lambda item: _with_alt(item, caption)))
            return node
        if isinstance(node, Image) and not inline_text(node.content):
            attributes = dict(node.attr.attributes)
            described_by = (attributes[k] for k in _DESCRIBING_ATTRIBUTES if attributes.get(k))
            found = node.title or next((text for text in described_by if not names_its_file(text, node.src)), "")
            return _with_alt(node, " ".join(found.split()))
        return node

    blocks = rewrite(doc.blocks, described)
    return doc if blocks == doc.blocks else replace(doc, blocks=blocks)


def _with_alt(node: Any, text: str) -> Any:
    if isinstance(node, Image) and text and not inline_text(node.content):
        return replace(node, content=(Text(text),))
    return node
