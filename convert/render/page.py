"""Assemble a whole article — header, body, notes, citation footer — as XHTML."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import jinja2
from markupsafe import Markup

from convert.audit import CITATIONS_KEY, encode_citations
from convert.model import Attr, Document, iter_nodes
from convert.options import LinkPolicy, WriteOptions
from convert.render.html import WBR, HtmlRenderer, ImageSource, NoteStyle, xml_id
from convert.render.math import math_markup
from convert.reporting import ARTICLE
from convert.stylesheets import STYLES_DIR
from convert.transforms.labels import direction_of, join_names, label, language_of, local_date
from convert.transforms.prepare import prepare

log = logging.getLogger("tearsheet")


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(STYLES_DIR / "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


@dataclass(frozen=True, slots=True)
class RenderedArticle:
    """The ``<article>`` element and what a page around it needs."""

    article: str
    headings: tuple[tuple[int, str, str], ...]  # (level, id, text) of the body's headings
    language: str
    direction: str
    title: str
    images: int = 0  # images shown
    images_without_alt: int = 0


def main_language(docs: Iterable[Document]) -> str:
    """The language most of ``docs`` are in (a book's); the first one's among equals."""
    return Counter(language_of(doc) for doc in docs).most_common(1)[0][0]


def byline(doc: Document) -> str:
    """The authors' names joined as the article's language joins them."""
    return join_names([a.name for a in doc.meta.authors], language_of(doc))


def title_of(doc: Document) -> str:
    return doc.meta.title or label("untitled", language_of(doc))


def render_article(
    doc: Document,
    options: WriteOptions,
    *,
    policy: LinkPolicy,
    notes: NoteStyle,
    image_src: ImageSource | None = None,
    article_id: str = "",
    url_break: str = WBR,
    mathml: bool = False,
) -> RenderedArticle:
    """The article as XHTML; ``article_id`` names it and prefixes its ids when articles share a page;
    ``url_break`` goes where a shown URL may break (``render.html.WBR`` or a zero-width space);
    formulas are MathML if ``mathml`` (EPUB), else text (print: WeasyPrint has no MathML)."""
    prepared = prepare(doc, options, policy)
    nodes = iter_nodes((prepared.blocks, prepared.footer))
    known = frozenset(xml_id(a.id) for a in nodes if isinstance(a, Attr) and a.id)
    lang, direction = language_of(doc), direction_of(doc)
    prefix = f"{article_id}-" if article_id else ""
    math = math_markup(prepared.blocks, mathml=mathml)
    renderer = HtmlRenderer(notes, image_src, known, prefix, lang, url_break, math)
    body = renderer.blocks(prepared.blocks)
    headings = tuple(renderer.headings)
    footer = renderer.block(prepared.footer)
    names = byline(doc)
    article = (
        templates()
        .get_template("article.html")
        .render(
            meta=doc.meta,
            article_id=article_id,
            lang=lang,
            dir=direction,
            title=title_of(doc),
            byline=label("by", lang, names=names) if names else "",
            published=local_date(doc.meta.published, lang) if doc.meta.published else "",
            body=Markup(body),
            notes=Markup(renderer.asides()),
            footer=Markup(footer),
            shown_url=lambda url: Markup(renderer.shown_url(url)),
        )
    )
    return RenderedArticle(
        article,
        headings,
        lang,
        direction,
        title_of(doc),
        renderer.images,
        renderer.images_without_alt,
    )


def render_page(rendered: RenderedArticle, doc: Document) -> str:
    """A complete XHTML page around one article, with metadata PDF readers show."""
    meta = doc.meta
    metas = [
        ("author", byline(doc)),
        ("description", meta.description or meta.subtitle),
        ("keywords", ", ".join(meta.tags)),
        ("dcterms.created", meta.published),
        ("dcterms.modified", meta.modified),
        (CITATIONS_KEY, encode_citations([c.url for c in doc.citations])),
    ]
    return page_html(rendered.title, rendered.language, rendered.direction, metas, rendered.article)


def page_html(title: str, language: str, direction: str, metas: list[tuple[str, str]], body: str) -> str:
    """The XHTML page template around ``body``; empty metadata is left out."""
    metas = [*metas, ("generator", "Tearsheet")]
    return (
        templates()
        .get_template("page.html")
        .render(lang=language, dir=direction, title=title, metas=[(k, v) for k, v in metas if v], article=Markup(body))
    )


def report_images_without_alt(article: str, count: int) -> None:
    """One warning line for an article's images that have no text alternative anywhere in the source.

    ``article`` names the article inside a book (its input); a single conversion names it anyway.
    """
    if not count:
        return
    token = ARTICLE.set(article) if article else None
    try:
        images = "1 image has" if count == 1 else f"{count} images have"
        log.warning("%s no alt text, caption or title in the source", images)
    finally:
        if token is not None:
            ARTICLE.reset(token)
