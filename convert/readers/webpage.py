"""Web pages: main content and metadata extracted, then read like any HTML."""

from __future__ import annotations

import logging
import re
import urllib.parse
from dataclasses import replace
from pathlib import Path
from typing import Any

import lxml.html

from convert.dates import iso_date
from convert.errors import InputError
from convert.fetch import Fetched
from convert.model import Author, Document, Extraction, Image, Meta, Removal, rewrite
from convert.readers.extract import END_FURNITURE_RULE, LONE_LINE_RULE, UNCONFIRMED_RULE, extract_body
from convert.readers.metadata import authors_from, json_ld, tags_from
from convert.readers.text import declared_charset, decode, read_text

log = logging.getLogger("tearsheet")
# A figure's caption whose image the extraction lost (a video player's): recorded under this rule.
ORPHAN_CAPTION_RULE = "orphan-caption"


def read_web_page(html: str, source: str | Path) -> Document:
    """Extract the article of a saved web page; ``meta.extraction`` says how its body was chosen."""
    meta = page_metadata(html)
    body = extract_body(html, meta.source_url or None)
    if body.note:
        log.warning("%s: %s; kept %s's body (agreement %.2f)", source, body.note, body.method, body.confidence)
    if not body.html.strip():
        # Never the whole page with its navigation: an empty body says plainly that nothing was found.
        log.warning("%s: no article text found in the page", source)
    doc = read_text(body.html or "<p></p>", "html", source)
    extraction = Extraction(body.method, body.confidence, body.note)
    orphans = tuple(Removal(ORPHAN_CAPTION_RULE, caption) for caption in body.orphan_captions)
    orphans += tuple(Removal(END_FURNITURE_RULE, line) for line in body.end_furniture)
    orphans += tuple(Removal(UNCONFIRMED_RULE, text) for text in body.unconfirmed)
    orphans += tuple(Removal(LONE_LINE_RULE, line) for line in body.lone_lines)
    return replace(doc, meta=replace(_merge(meta, doc.meta), extraction=extraction), removed=(*doc.removed, *orphans))


def page_metadata(html: str) -> Meta:
    """Metadata from JSON-LD, OpenGraph, ``<meta>``, ``<link rel=canonical>`` and ``<html lang>``."""
    import trafilatura

    found = trafilatura.extract_metadata(html)
    data: dict[str, Any] = found.as_dict() if found is not None else {}
    tree = _parse(html)
    ld = _json_ld_article(tree)
    source_url = _canonical(tree) or data.get("url") or saved_url(html, tree)
    # Structured data first; a visible byline before trafilatura's guess, which may split or pad names.
    authors = (
        _json_ld_authors(ld)
        or _meta_authors(tree)
        or _byline_authors(tree)
        or _guessed_authors(data.get("author") or "", _meta(tree, "og:site_name") or data.get("sitename") or "")
    )
    return Meta(
        title=ld_str(ld, "headline") or data.get("title") or "",
        authors=_dedupe(authors),
        published=_page_date(tree, ld, ("datePublished", "dateCreated"), _PUBLISHED_META),
        modified=_page_date(tree, ld, ("dateModified",), _MODIFIED_META),
        publisher=_meta(tree, "og:site_name")
        or _publisher(ld)
        or _meta(tree, "application-name")
        or _title_site_name(tree, source_url)
        or host(source_url),
        source_url=source_url,
        language=(tree.get("lang") or "").strip() if tree is not None else "",
        direction=(tree.get("dir") or "").strip().lower() if tree is not None else "",
        description=data.get("description") or "",
        tags=tags_from(_keywords(ld) + list(data.get("tags") or []) + list(data.get("categories") or [])),
        rights=data.get("license") or "",
        retrieved=saved_date(html, tree),
    )


def host(url: str) -> str:
    """The site of a URL written as its host ("en.wikipedia.org"): the site's name when it states none."""
    return (urllib.parse.urlsplit(url).hostname or "") if url.startswith(("http://", "https://")) else ""


def _title_site_name(tree: Any, source_url: str) -> str:
    """The site's name as the page's ``<title>`` gives it before or after the article's ("Mozilla -
    Wikipedia"), when it is the name of the host the page came from (en.wikipedia.org). Only then: a
    title's other words name an edition or a section, not the site."""
    hostname = host(source_url).removeprefix("www.")
    title = tree.findtext(".//title") if tree is not None else None
    if not hostname or not title:
        return ""
    labels = hostname.split(".")
    names = {"".join(labels), "".join(labels[:-1]), labels[-2] if len(labels) > 1 else ""} - {""}
    parts = _TITLE_PARTS.split(" ".join(title.split()))
    return next((part for part in (parts[-1], parts[0]) if len(parts) > 1 and _host_forms(part) & names), "")


def _host_forms(name: str) -> set[str]:
    """How a site's name may be written in its host: squashed, without its leading article ("The
    Washington Post": washingtonpost), or its first words by their initials ("The New York Times": nytimes)."""
    words = re.findall(r"\w+", name.casefold())
    if words and words[0] in _ARTICLES and len(words) > 1:
        words = words[1:]
    forms = {"".join(words), _squashed(name)}
    if len(words) > 2:
        forms.add("".join(w[0] for w in words[:-1]) + words[-1])
    return forms


_ARTICLES = frozenset({"the", "le", "la", "les", "der", "die", "das", "el", "il", "lo", "de", "het"})


_TITLE_PARTS = re.compile(r"\s+(?:[|–—·»:]|-{1,2})\s+")


def _squashed(name: str) -> str:
    return re.sub(r"\W+", "", name.casefold())


def ld_str(ld: dict[str, Any], key: str) -> str:
    value = ld.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _parse(html: str) -> Any:
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"))
    except (ValueError, lxml.etree.ParserError):
        return None


def _meta(tree: Any, prop: str) -> str:
    if tree is None:
        return ""
    for node in tree.iter("meta"):
        if prop in (node.get("property"), node.get("name")) and node.get("content"):
            return " ".join(node.get("content").split())
    return ""


# Meta names (lower case) that carry the page's own dates: OpenGraph, Dublin Core, Highwire (Google Scholar),
# and those common CMSs write. A date anywhere else (body text, an infobox) is not the article's.
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "dcterms.issued",
    "dc.date.issued",
    "dcterms.created",
    "dc.date.created",
    "dcterms.date",
    "dc.date",
    "citation_publication_date",
    "citation_date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "pubdate",
    "date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
)


# A <time> that dates the article itself: HTML's pubdate, hAtom's "published" / WordPress's "entry-date"
# on a <time>, or the one in the article's header (its dateline). Not a <time> in the text, and not a
# microformat on some other element (Wikipedia's infobox marks a founding date "published").
_DATELINE_TIME_XPATH = (
    "//time[@pubdate]"
    " | //time[@datetime][contains(concat(' ', normalize-space(@class), ' '), ' published ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' entry-date ')]"
    " | (//article//header//time[@datetime])[1]"
)


def _page_date(tree: Any, ld: dict[str, Any], ld_keys: tuple[str, ...], meta_names: tuple[str, ...]) -> str:
    """A date the page states about itself: JSON-LD, then ``<meta>``, microdata, a ``<time>`` in the byline."""
    for key in ld_keys:
        if date := iso_date(ld_str(ld, key)):
            return date
    if tree is None:
        return ""
    metas = _meta_values(tree)
    for name in meta_names:
        if date := iso_date(metas.get(name, "")):
            return date
    for element in tree.xpath(f"//*[@itemprop='{ld_keys[0]}']"):
        if date := iso_date(element.get("content") or element.get("datetime") or element.text_content()):
            return date
    if ld_keys[0] == "datePublished":
        in_byline = [t for b in tree.xpath(_BYLINE_XPATH)[:3] for t in b.iter("time")]
        for element in tree.xpath(_DATELINE_TIME_XPATH) + in_byline:
            if date := iso_date(element.get("datetime") or element.text_content()):
                return date
    return ""


def _meta_values(tree: Any) -> dict[str, str]:
    """Every ``<meta>`` name or property, lower-cased, with its first non-empty content."""
    values: dict[str, str] = {}
    for node in tree.iter("meta"):
        content = " ".join((node.get("content") or "").split())
        for key in (node.get("property"), node.get("name"), node.get("itemprop")):
            if key and content:
                values.setdefault(key.strip().lower(), content)
    return values


# What saving tools record at the top of a page: SingleFile's comment ("url: …", "saved date: Tue Jun 01 2021
# 10:11:12 GMT+0200 (CEST)"), browsers' "<!-- saved from url=(0042)https://… -->"; Save Page WE writes
# <meta name="savepage-url"> and <meta name="savepage-date">.
_SINGLEFILE = re.compile(r"<!--\s*Page saved with SingleFile(?P<body>.*?)-->", re.DOTALL | re.IGNORECASE)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(?P<url>https?://\S+?)\s*-->", re.IGNORECASE)


def saved_date(html: str, tree: Any) -> str:
    """The day a saved page was saved, where the saving tool recorded it; else ""."""
    singlefile = _SINGLEFILE.search(html[:20000])
    found = re.search(r"saved date:\s*(.+)", singlefile.group("body")) if singlefile else None
    written = found.group(1) if found else _meta_values(tree).get("savepage-date", "") if tree is not None else ""
    # The day as the saver's clock showed it: the zone and its name go before parsing.
    local = re.sub(r"\s*(?:GMT|UTC)?[+-]\d{4}\b.*$|\s*\(.*$", "", written.strip())
    return iso_date(local)[:10]


def saved_url(html: str, tree: Any) -> str:
    """The address a saved page was saved from, where the saving tool recorded it; else ""."""
    head = html[:20000]
    if (singlefile := _SINGLEFILE.search(head)) and (found := re.search(r"url:\s*(https?://\S+)", singlefile["body"])):
        return found.group(1)
    if saved_from := _SAVED_FROM.search(head):
        return saved_from.group("url")
    return _meta_values(tree).get("savepage-url", "") if tree is not None else ""


_AUTHOR_META = ("author", "article:author", "og:article:author", "parsely-author", "sailthru.author", "dc.creator")
_BYLINE_XPATH = (
    "//*[@itemprop='author' and normalize-space()]"
    " | //*[contains(concat(' ', translate(@class, 'BYLINE', 'byline'), ' '), 'byline')]"
)
# "Jane Doe (with A and B)", "Par X (avec Y et Z)": co-authors in brackets are authors too.
_WITH = re.compile(r"\(\s*(?:with|avec|mit|con|com|met)\s+", re.IGNORECASE)


def _guessed_authors(guess: str, site: str) -> tuple[Author, ...]:
    """trafilatura's guess ("A; B"). When it is the site's own name, which it may have split and
    re-cased ("Mac & i" → "Mac; I"), the name as the site writes it."""
    if not guess:
        return ()
    if site and re.findall(r"\w+", guess.casefold()) == re.findall(r"\w+", site.casefold()):
        return (Author(site),)
    return _clean_names(authors_from(guess.split(";")))


def _meta_authors(tree: Any) -> tuple[Author, ...]:
    """Author names from ``<meta>`` tags; URLs (profile pages) are not names."""
    for prop in _AUTHOR_META:
        value = _meta(tree, prop)
        if value and not value.startswith(("http://", "https://")):
            return _clean_names(authors_from(value))
    return ()


def _byline_authors(tree: Any) -> tuple[Author, ...]:
    """Names in the page's byline element (``itemprop=author`` or a ``byline`` class)."""
    if tree is None:
        return ()
    for element in tree.xpath(_BYLINE_XPATH)[:3]:
        text = " ".join(element.text_content().split())
        text = re.sub(r"^(?:by|par|von|por|di|door)\s+", "", text, flags=re.IGNORECASE)
        if not text or len(text) > 120:
            continue
        text = _WITH.sub(", ", _before_date(text)).replace(")", "")
        names = _clean_names(authors_from(re.split(r"\s*,\s*|\s+(?:et|und|y|e|en)\s+", text)))
        if names:
            return names
    return ()


def _before_date(text: str) -> str:
    """A byline up to where its date, "Updated …" or a separator begins."""
    if re.match(r"(?:last\s+)?(?:updated|published|posted)\b", text, re.IGNORECASE):
        return ""
    return _DATE_TAIL.split(text, maxsplit=1)[0].strip(" ,.-")


def _clean_names(authors: tuple[Author, ...]) -> tuple[Author, ...]:
    cleaned = []
    for author in authors:
        name = _before_date(author.name)
        if name and len(name.split()) <= 6:
            cleaned.append(Author(name, author.url, author.bio))
    return tuple(cleaned)


_DATE_TAIL = re.compile(
    r"\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\s+\d{1,4}\b|"
    r"\s+(?:updated|published|posted)\b|\s+[-–—|·•]\s+|\s*[|·•]\s*",
    re.IGNORECASE,
)


def _canonical(tree: Any) -> str:
    if tree is None:
        return ""
    for node in tree.iter("link"):
        if "canonical" in (node.get("rel") or "").lower().split() and node.get("href", "").startswith("http"):
            return str(node.get("href")).strip()
    return _meta(tree, "og:url")


_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "report",
    "scholarlyarticle",
    "techarticle",
    "webpage",
}


def _json_ld_article(tree: Any) -> dict[str, Any]:
    """The first JSON-LD object that describes an article."""
    if tree is None:
        return {}
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        data = json_ld(script.text)
        for item in _ld_items(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                return item
    return {}


def _ld_items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [i for d in data for i in _ld_items(d)]
    if isinstance(data, dict):
        return [data, *_ld_items(data.get("@graph", []))]
    return []


def _json_ld_authors(ld: dict[str, Any]) -> tuple[Author, ...]:
    value = ld.get("author")
    if not value:
        return ()
    items = value if isinstance(value, list) else [value]
    authors = []
    for item in items:
        if _is_organisation(item):
            continue  # a publisher, not a person: see _publisher
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            url = item.get("url") if isinstance(item.get("url"), str) else ""
            authors.append(Author(" ".join(item["name"].split()), url or ""))
        elif isinstance(item, str):
            authors.extend(authors_from(item))
    return _clean_names(tuple(authors))


def _is_organisation(item: Any) -> bool:
    """A JSON-LD node typed as an organisation (``Organization``, ``NewsMediaOrganization``…)."""
    kind = item.get("@type") if isinstance(item, dict) else None
    kinds: list[Any] = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.endswith("Organization") for k in kinds)


def _publisher(ld: dict[str, Any]) -> str:
    """The JSON-LD publisher; else an organisation named as the author (a wire service, a newsroom)."""
    named = ld.get("author")
    organisations = [a for a in (named if isinstance(named, list) else [named]) if _is_organisation(a)]
    value = ld.get("publisher") or (organisations[0] if organisations else None)
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return " ".join(value["name"].split())
    return value if isinstance(value, str) else ""


def _keywords(ld: dict[str, Any]) -> list[str]:
    value = ld.get("keywords")
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if isinstance(value, list):
        return [k for k in value if isinstance(k, str)]
    return []


def _dedupe(authors: tuple[Author, ...]) -> tuple[Author, ...]:
    seen: dict[str, Author] = {}
    for author in authors:
        seen.setdefault(author.name.casefold(), author)
    return tuple(seen.values())


def _merge(page: Meta, body: Meta) -> Meta:
    """Page metadata wins; what pandoc found in the extracted HTML fills the gaps."""
    values = {f: getattr(page, f) or getattr(body, f) for f in Meta.__dataclass_fields__}
    return Meta(**values)


def read_fetched(fetched: Fetched) -> Document:
    """A fetched web page: extraction and metadata as for a saved one, plus where and when it was fetched."""
    if fetched.content_type not in ("text/html", "application/xhtml+xml", ""):
        raise InputError(fetched.url, f"not a web page ({fetched.content_type})")
    text = _decode_fetched(fetched)
    doc = read_web_page(text, fetched.url)
    meta = doc.meta
    source = meta.source_url if meta.source_url.startswith(("http://", "https://")) else fetched.url

    def locate(node: Any) -> Any:
        # Images are where the page really is, which the canonical URL need not be.
        if isinstance(node, Image) and not node.src.startswith("data:"):
            return replace(node, src=urllib.parse.urljoin(fetched.url, node.src))
        return node

    blocks = rewrite(doc.blocks, locate)
    return replace(doc, blocks=blocks, meta=replace(meta, source_url=source, retrieved=fetched.retrieved[:10]))


def _decode_fetched(fetched: Fetched) -> str:
    """The encoding the headers name, else the one the document declares or the bytes suggest."""
    return decode(fetched.body, fetched.url, (fetched.charset, declared_charset(fetched.body)))
