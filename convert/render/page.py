"""Assemble a whole article — header, body, notes, citation footer — as XHTML."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jinja2
from markupsafe import Markup

from convert.audit import CITATIONS_KEY, encode_citations
from convert.model import Attr, Document, iter_nodes
from convert.options import LinkPolicy, WriteOptions
from convert.render.body import render_body
from convert.render.footer import human_date, join_names
from convert.render.html import HtmlRenderer, ImageSource, NoteStyle, url_parts, xml_id
from convert.stylesheets import STYLES_DIR

DEFAULT_LANGUAGE = "en"


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


def language_of(doc: Document) -> str:
    """The document's BCP 47 language; never a locale such as ``C``."""
    lang = doc.meta.language.replace("_", "-").split(".")[0]
    return lang if lang and lang.upper() not in ("C", "POSIX") else DEFAULT_LANGUAGE


def byline(doc: Document) -> str:
    return join_names([a.name for a in doc.meta.authors])


def render_article(
    doc: Document,
    options: WriteOptions,
    *,
    policy: LinkPolicy,
    notes: NoteStyle,
    image_src: ImageSource | None = None,
    article_id: str = "",
) -> RenderedArticle:
    """The article as XHTML; ``article_id`` names it and prefixes its ids when articles share a page."""
    prepared = render_body(doc, options, policy)
    nodes = iter_nodes((prepared.blocks, prepared.footer))
    known = frozenset(xml_id(a.id) for a in nodes if isinstance(a, Attr) and a.id)
    renderer = HtmlRenderer(notes, image_src, known, f"{article_id}-" if article_id else "")
    body = renderer.blocks(prepared.blocks)
    headings = tuple(renderer.headings)
    footer = renderer.block(prepared.footer)
    lang = language_of(doc)
    article = (
        templates()
        .get_template("article.html")
        .render(
            meta=doc.meta,
            article_id=article_id,
            lang=lang,
            dir=doc.meta.direction,
            byline=byline(doc),
            published=human_date(doc.meta.published) if doc.meta.published else "",
            body=Markup(body),
            notes=Markup(renderer.asides()),
            footer=Markup(footer),
            url_parts=url_parts,
        )
    )
    return RenderedArticle(
        article,
        headings,
        lang,
        doc.meta.direction,
        doc.meta.title or "Untitled",
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
