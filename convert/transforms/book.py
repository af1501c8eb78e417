"""An article as a chapter of a book: links to the other articles point inside the book, images
are looked up beside the article's own input."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from convert.link_schemes import bare_host
from convert.model import Document, Link, rewrite
from convert.model.book import Book, BookArticle
from convert.options import WriteOptions


def normalized_url(url: str) -> str:
    """A URL as articles link to it: scheme, ``www.``, trailing slash and fragment do not matter
    (a port does: another port is another server)."""
    parts = urllib.parse.urlsplit(url.strip())
    host = bare_host(parts.netloc)
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def link_articles(doc: Document, book: Book, href: Callable[[str], str]) -> Document:
    """Links to another bundled article's source URL point inside the book (``href(slug)``)."""
    targets = dict(book.links)
    if not targets:
        return doc

    def retarget(node: Any) -> Any:
        if isinstance(node, Link) and node.url.startswith(("http://", "https://")):
            slug = targets.get(normalized_url(node.url))
            if slug is not None:
                return replace(node, url=href(slug))
        return node

    return replace(doc, blocks=rewrite(doc.blocks, retarget))


def chapter(
    article: BookArticle, book: Book, options: WriteOptions, href: Callable[[str], str]
) -> tuple[Document, WriteOptions]:
    """``article`` ready to render in ``book``: its links retargeted, its options' sandbox rooted at its folder."""
    doc = link_articles(article.doc, book, href)
    return doc, replace(options, sandbox=replace(options.sandbox, root=article.folder, article=article.label))
