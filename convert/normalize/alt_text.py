"""Images without alternative text get one from the page: their figure's caption, else their title."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from convert.model import Document, Figure, Image, Text, inline_text, iter_nodes, plain_text, rewrite
from convert.normalize.context import Context

# Attributes a page describes an image with when it gives no alt text.
_DESCRIBING_ATTRIBUTES = ("aria-label", "title", "data-caption", "data-alt")


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
            found = node.title or next((attributes[k] for k in _DESCRIBING_ATTRIBUTES if attributes.get(k)), "")
            return _with_alt(node, " ".join(found.split()))
        return node

    blocks = rewrite(doc.blocks, described)
    return doc if blocks == doc.blocks else replace(doc, blocks=blocks)


def _with_alt(node: Any, text: str) -> Any:
    if isinstance(node, Image) and text and not inline_text(node.content):
        return replace(node, content=(Text(text),))
    return node
