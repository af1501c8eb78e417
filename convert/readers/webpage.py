"""Web pages: main content and metadata extracted, then read like any HTML."""

from __future__ import annotations

import difflib
import html as html_lib
import logging
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import lxml.html

from convert.dates import PUBLISHED_LABELS, UPDATED_LABELS, iso_date, written_date
from convert.errors import InputError
from convert.fetch import Fetched
from convert.link_schemes import WRITTEN_ADDRESS, bare_host
from convert.model import Author, Document, Extraction, Image, Meta, Removal, rewrite
from convert.people import is_company, is_person, name_case
from convert.readers.extract import (
    END_FURNITURE_RULE,
    FURNITURE_BOX_RULE,
    LONE_LINE_RULE,
    UNCONFIRMED_RULE,
    extract_body,
    without_server_errors,
)
from convert.readers.html_text import SCREEN_READER_CLASSES, squash
from convert.readers.metadata import authors_from, json_ld, tags_from
from convert.readers.relink import relink
from convert.readers.text import declared_charset, decode, read_text
from convert.titles import TITLE_PARTS

log = logging.getLogger("tearsheet")
# A figure's caption whose image the extraction lost (a video player's): recorded under this rule.
ORPHAN_CAPTION_RULE = "orphan-caption"


def read_web_page(html: str, source: str | Path) -> Document:
    """Extract the article of a saved web page; ``meta.extraction`` says how its body was chosen."""
    html = without_server_errors(html)
    meta = page_metadata(html)
    base = link_base(html, meta.source_url)
    body = extract_body(html, base or None)
    body = replace(body, html=relink(html, body.html, base or None))
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
    orphans += tuple(Removal(FURNITURE_BOX_RULE, line) for line in body.furniture_boxes)
    return replace(doc, meta=replace(_merge(meta, doc.meta), extraction=extraction), removed=(*doc.removed, *orphans))


def link_base(html: str, source_url: str) -> str:
    """The address the page's relative links are relative to: its ``<base href>`` where it has one
    (``<base href="/">`` under a canonical address deep in the site), else the page's own address. Only
    a web address: a page never points a reader at local files."""
    tree = _parse(html)
    found = tree.xpath("//base/@href") if tree is not None else []
    stated = "".join(str(found[0]).split()) if found else ""
    if not stated:
        return source_url
    try:
        base = urllib.parse.urljoin(source_url, stated) if source_url else stated
    except ValueError:  # an address no URL parser reads
        return source_url
    return base if base.startswith(("http://", "https://")) else source_url


def page_metadata(html: str) -> Meta:
    """Metadata from JSON-LD, OpenGraph, ``<meta>``, ``<link rel=canonical>`` and ``<html lang>``."""
    import trafilatura

    found = trafilatura.extract_metadata(html)
    data: dict[str, Any] = found.as_dict() if found is not None else {}
    tree = _parse(html)
    nodes = _json_ld_nodes(tree)
    ld = _json_ld_article(nodes)
    source_url = _canonical(tree) or data.get("url") or saved_url(html, tree)
    page_title = _page_title(tree)
    logo = _home_heading(tree, source_url)
    logo_forms = _host_forms(logo) if logo else set()
    title_site = _title_site_name(page_title, source_url, logo_forms)
    stated_site = _stated_site(_meta(tree, "og:site_name"), page_title, title_site)
    site = stated_site or data.get("sitename") or ""
    site_forms = _site_forms(site, source_url)
    title = _headline(
        ld_str(ld, "headline") or data.get("title") or "",
        page_title,
        _headings(tree),
        _site_forms(stated_site, source_url) | logo_forms,
    )
    return Meta(
        title=title,
        authors=_page_authors(tree, ld, nodes, site, data.get("author") or "", site_forms),
        published=_page_date(tree, ld, ("datePublished", "dateCreated"), _PUBLISHED_META),
        modified=_page_date(tree, ld, ("dateModified",), _MODIFIED_META),
        publisher=stated_site or _publisher(ld) or _meta(tree, "application-name") or title_site or host(source_url),
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


def _title_site_name(page_title: str, source_url: str, logo: set[str] | None = None) -> str:
    """The site's name as the page's ``<title>`` gives it before or after the article's ("Mozilla -
    Wikipedia"), when it is the name of the host the page came from (en.wikipedia.org), or the one its
    ``logo`` heading shows. Only then: a title's other words name an edition or a section, not the site."""
    names = _host_names(source_url) | (logo or set())
    parts = TITLE_PARTS.split(page_title)
    return next((part for part in (parts[-1], parts[0]) if len(parts) > 1 and _host_forms(part) & names), "")


def _home_heading(tree: Any, source_url: str) -> str:
    """The words of an H1 that is only a link to the site's home page: the site's name written as its
    logo ("L-Mag", "Stiftung Offshore Windenergie"), which metadata readers take for the title."""
    if tree is None:
        return ""
    for h1 in tree.iter("h1"):
        links, words = h1.findall(".//a"), " ".join(h1.text_content().split())
        if len(links) != 1 or not words or squash(links[0].text_content()) != squash(words):
            continue
        target = urllib.parse.urlsplit(urllib.parse.urljoin(source_url, links[0].get("href") or ""))
        same_site = (
            not target.netloc or not source_url or bare_host(target.hostname or "") == bare_host(host(source_url))
        )
        if same_site and not target.path.strip("/") and not target.query and target.scheme in ("", "http", "https"):
            return words
    return ""


def _host_names(source_url: str) -> set[str]:
    """The names a host gives its site: all its labels squashed, those before the top-level domain, the
    domain's own ("wikipedia"), and a first label that names a site of its own (mluk.brandenburg.de)."""
    labels = [squash(label) for label in bare_host(host(source_url)).split(".") if label]
    if len(labels) < 2:
        return set()
    names = {"".join(labels), "".join(labels[:-1]), labels[-2]}
    if len(labels) > 2 and len(labels[0]) > 2:  # not a language's subdomain ("en")
        names.add(labels[0])
    return names - {""}


def _page_title(tree: Any) -> str:
    title = tree.findtext(".//title") if tree is not None else None
    return " ".join((title or "").split())


def _headings(tree: Any) -> set[str]:
    """The letters of the page's level-1 and level-2 headings."""
    if tree is None:
        return set()
    return {squash(h.text_content()) for h in tree.iter("h1", "h2")} - {""}


def _headline(title: str, page_title: str, headings: set[str], site_forms: set[str]) -> str:
    """The article's title. ``title`` (JSON-LD's, OpenGraph's or the first H1) stands when the ``<title>``
    holds it and the page shows it as a heading or it is not cut in parts. Otherwise the part of it that
    the page shows as a heading is the title ("Streit ums Feuerholz - www.AussenGedanken.de" under an H1
    "Streit ums Feuerholz"); and when the ``<title>`` does not hold it and names another title altogether
    (a menu's first H1, "Themen"), the part of the ``<title>`` that is a heading further down. A title
    that is only the site's name ("SLF", or the H1 of its logo, a link home: "L-Mag") gives way to the
    ``<title>``, whose site part goes with the publisher (strip_site_suffix)."""
    page_parts = TITLE_PARTS.split(page_title)
    if (not title or _host_forms(title) & site_forms) and (
        len(page_parts) > 1 or (page_title and not _host_forms(page_title) & site_forms)
    ):
        return page_title
    if _cut_short(title, page_title, site_forms):
        return page_title
    own_parts = TITLE_PARTS.split(title)
    held = _ascii_squashed(title) in _ascii_squashed(page_title)  # compared without letters a page mis-encodes
    if held and (squash(title) in headings or len(own_parts) == 1):
        return title
    headline = _shown_part(own_parts, headings, site_forms)
    if not headline and not held:
        named = _shown_part(page_parts, headings, site_forms)
        # Longer too, when the title is a heading the page shows: a section's name in the <title> ("News -
        # Eawag") is not the headline. A title the page shows nowhere in its H1s and H2s (trafilatura took
        # a comment form's "Write a Reply or Comment") gives way whatever its length.
        longer = len(named.split()) > len(title.split()) or squash(title) not in headings
        headline = named if longer and _unlike(title, named) else ""
    return headline or title


def _cut_short(title: str, page_title: str, site_forms: set[str]) -> bool:
    """Whether ``title`` is the ``<title>`` cut short: a few words more and no separator, so no site's
    name (an og:title whose unescaped quote ended it: 'califica a Biden de "incapacitado"')."""
    if not title or not page_title.startswith(title) or page_title == title:
        return False
    rest = page_title[len(title) :].strip()
    if TITLE_PARTS.search(f" {rest} ") or rest.startswith(("[", "(")) or _host_forms(rest) & site_forms:
        return False  # the site's name after a separator or in brackets ("… [LWN.net]")
    return len(rest.split()) <= _CUT_WORDS


_CUT_WORDS = 3


def _unlike(a: str, b: str) -> bool:
    """Two titles that are not two spellings of one ("Dropbox’s ATF - …" and "Dropbox ATF: …")."""
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio() < _LIKE


_LIKE = 0.5


def _shown_part(parts: list[str], headings: set[str], site_forms: set[str]) -> str:
    """The longest of a title's parts that the page shows as a heading and that is not the site's name."""
    shown = [p for p in parts if len(parts) > 1 and squash(p) in headings and not _host_forms(p) & site_forms]
    return max(shown, key=len, default="")


def _ascii_squashed(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


def _host_forms(name: str) -> set[str]:
    """How a site's name may be written in its host: squashed, without its leading article ("The
    Washington Post": washingtonpost), or its first words by their initials ("The New York Times": nytimes)."""
    words = re.findall(r"\w+", name.casefold())
    if words and words[0] in _ARTICLES and len(words) > 1:
        words = words[1:]
    forms = {"".join(words), squash(name)}
    if len(words) > 2:
        forms.add("".join(w[0] for w in words[:-1]) + words[-1])
    return forms


_ARTICLES = frozenset({"the", "le", "la", "les", "der", "die", "das", "el", "il", "lo", "de", "het"})


def ld_str(ld: dict[str, Any], key: str) -> str:
    """A JSON-LD string; the HTML character references CMSs leave in it ("&#8222;") read."""
    value = ld.get(key)
    return " ".join(html_lib.unescape(value).split()) if isinstance(value, str) else ""


def _parse(html: str) -> Any:
    # The text is decoded already: its UTF-8 bytes are read as UTF-8 whatever charset the page declares
    # (a page declaring latin-1 in an http-equiv had "Kölner" read as "KÃ¶lner").
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
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
        bylines = tree.xpath(_BYLINE_XPATH)[:3]
        for element in tree.xpath(_DATELINE_TIME_XPATH) + [t for b in bylines for t in b.iter("time")]:
            if date := iso_date(element.get("datetime") or element.text_content()):
                return date
        # The date the byline writes after the name ("Von Moritz Gathmann am 21. April 2020").
        language = (tree.get("lang") or "").strip()
        for byline in bylines:
            written = re.search(r"\d.*", " ".join(byline.text_content().split()))
            if written and (date := written_date(written.group(0), language)):
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


def _page_authors(
    tree: Any, ld: dict[str, Any], nodes: list[dict[str, Any]], site: str, guess: str, site_forms: set[str]
) -> tuple[Author, ...]:
    """The authors from the first source that names some: structured data, ``<meta>``, a visible byline,
    then trafilatura's guess, which may split or pad names. A source that names only the site itself
    ("Tribuna" on tribuna.cu) yields to a later one naming people; when none does, the site is the byline."""
    sources: tuple[Callable[[], tuple[Author, ...]], ...] = (
        lambda: _json_ld_authors(ld, nodes),
        lambda: _meta_authors(tree, site_forms),
        lambda: _byline_authors(tree),
        lambda: _guessed_authors(guess, site, site_forms),
    )
    first: tuple[Author, ...] = ()
    for source in sources:
        found = _dedupe(source())
        people = tuple(a for a in found if not _names_site(a.name, site_forms))
        if people:
            return people
        first = first or found
    return first


def _site_forms(site: str, source_url: str) -> set[str]:
    """The ways a byline or a title may write the site's own name: its stated name and its host's."""
    return (_host_forms(site) if site else set()) | _host_names(source_url)


def _stated_site(site_name: str, page_title: str, title_site: str) -> str:
    """``og:site_name`` unless it is no name: a web address ("https://www.fr.de"), the page's whole
    title, or the other part of a title in two when one part names the host ("Bürgerbeteiligung für
    Windpark Steinheim | EnBW" on enbw.com, whose og:site_name is its headline)."""
    if not site_name or site_name.startswith(("http://", "https://")):
        return ""
    name = squash(site_name)
    if name == squash(page_title):
        return ""
    parts = {squash(p) for p in TITLE_PARTS.split(page_title)}
    if title_site and len(parts) == 2 and name in parts and name != squash(title_site):
        return ""
    return site_name


def _names_site(name: str, site_forms: set[str]) -> bool:
    """Whether a byline's name is the site's own ("Tribuna" on tribuna.cu, "Jobs & Hire" on its site), or
    holds it ("NOTICIAS EL COMERCIO PERÚ", "CBS News February 24"); a name shorter than five letters must
    be the whole name ("Mac & i" is not in "Joachim Maciej")."""
    squashed = squash(name)
    return bool(_host_forms(name) & site_forms) or any(len(f) >= 5 and f in squashed for f in site_forms)


def _same_words(text: str, other: str) -> bool:
    """True when ``text`` has the words of ``other``, whatever their case and punctuation."""
    found = re.findall(r"\w+", text.casefold())
    return bool(found) and found == re.findall(r"\w+", other.casefold())


def _guessed_authors(guess: str, site: str, site_forms: set[str]) -> tuple[Author, ...]:
    """trafilatura's guess ("A; B"). When it is the site's own name, which it may have split and
    re-cased ("Mac & i" → "Mac; I"), the name as the site writes it."""
    if not guess:
        return ()
    if _same_words(guess, site):
        return (Author(site),)
    parts = [part.strip() for part in guess.split(";") if part.strip()]
    # A commenter's "Art Edwards says", a company's imprint ("Olympia-Verlag GmbH; Nürnberg; Germany"),
    # the site's, its address first ("Hessenschau De; Frankfurt; Germany"; but "El Mostrador; Raúl
    # Espina" names the site, then its author): trafilatura found the wrong block, and none of its
    # names is the article's author.
    if any(_COMMENT_VERB.search(part) or is_company(part) for part in parts):
        return ()
    if len(parts) > 1 and _written_host(parts[0]) and _names_site(parts[0], site_forms):
        return ()
    return _clean_names(authors_from([_GUESS_LABEL.sub("", p) for p in parts if not _written_host(p)]))


# A comment's attribution, in the languages of the pages we see most.
_COMMENT_VERB = re.compile(r"\b(?:says|said|sagt|schreibt|writes|wrote|dice|dit|disse)\b", re.IGNORECASE)
# A label trafilatura keeps before a name ("Autor Jd").
_GUESS_LABEL = re.compile(r"^(?:autor(?:in)?|author|auteur|autore|autora)\s+", re.IGNORECASE)
# Top-level domains, to tell a host trafilatura wrote as a name ("Wien Orf At", "Facebook Com").
_DOMAINS = frozenset("com net org info biz eu de at ch it fr es nl pl uk io tv ru br mx".split())  # noqa: SIM905


def _written_host(name: str) -> bool:
    """A web address trafilatura wrote as a name: "wien.orf.at" as "Wien Orf At", "facebook.com/x"
    as "Facebook Com"."""
    words = name.casefold().split()
    return len(words) >= 2 and words[-1] in _DOMAINS


_EMAIL = re.compile(r"\S+@\S+\.\w+")


def _meta_authors(tree: Any, site_forms: set[str]) -> tuple[Author, ...]:
    """Author names from ``<meta>`` tags; URLs (profile pages) are not names, and the site's own name
    ("Jobs & Hire") is one name, not two."""
    for prop in _AUTHOR_META:
        value = _EMAIL.sub("", _meta(tree, prop)).strip()  # "Lüder Hoppe info@buero-hoppe.de"
        if value and not WRITTEN_ADDRESS.match(value):  # a profile page's address, with or without its scheme
            return (Author(value),) if _names_site(value, site_forms) else _clean_names(authors_from(value))
    return ()


def _byline_authors(tree: Any) -> tuple[Author, ...]:
    """Names in the page's byline element (``itemprop=author`` or a ``byline`` class)."""
    if tree is None:
        return ()
    for element in tree.xpath(_BYLINE_XPATH)[:3]:
        text = _shown_text(element)
        if not text or len(text) > 120:
            continue
        # "By Jane Doe · May 2"; or, where a date or label comes first, the part that says "by"
        # ("8. Januar 2020 · by Aureliana · in Gefühle").
        parts = [text, *(p for p in _SEPARATOR.split(text)[1:] if _BY_WORD.match(p))]
        for part in parts:
            if written_date((segments := _SEPARATOR.split(part))[0]):
                part = " · ".join(segments[1:])  # a date first: "Dezember 10, 2019 · von …"
            part = _WITH.sub(", ", _before_date(_BY_WORD.sub("", part))).replace(")", "")
            names = _clean_names(authors_from(re.split(r"\s*,\s*|\s+(?:et|und|y|e|en)\s+", part)))
            if names:
                return names
    return ()


def _shown_text(element: Any) -> str:
    """The words an element shows, its elements' text apart ("Author" "Jane Doe", not "AuthorJane Doe"),
    without what is there for screen readers only (a theme's hidden "Posted by" label)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        hidden = SCREEN_READER_CLASSES & set((node.get("class") or "").casefold().split())
        if not hidden and node.tag not in ("script", "style"):
            parts.append(node.text or "")
            for child in node:
                if isinstance(child.tag, str):
                    walk(child)
                parts.append(child.tail or "")

    walk(element)
    return " ".join(" ".join(parts).split())


# The word before an author's name in the languages we see most.
_BY_WORDS = r"by|par|von|por|di|door"
_BY_WORD = re.compile(rf"^(?:{_BY_WORDS})\s+", re.IGNORECASE)
# A date's label ("Updated …", "Veröffentlicht am …"), not a name's ("Veröffentlicht von …", "Posted by …").
_DATE_LABEL = re.compile(
    rf"(?:last\s+)?(?:updated|published|posted|{PUBLISHED_LABELS}|{UPDATED_LABELS})\b"
    rf"(?!\s+(?:{_BY_WORDS})\s)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s*[|·•]\s*")


def _before_date(text: str) -> str:
    """A byline up to where its date, "Updated …" or a separator begins."""
    if _DATE_LABEL.match(text):
        return ""
    text = _LABEL.split(_DATE_TAIL.split(text, maxsplit=1)[0], maxsplit=1)[0]
    return _DATE_PREPOSITION.sub("", text).strip(" ,.-")


def _clean_names(authors: tuple[Author, ...]) -> tuple[Author, ...]:
    """Names cut where a date or a label begins; desks, placeholders and companies are no authors."""
    cleaned = []
    for author in authors:
        name = _BY.sub("", _before_date(author.name))
        if name and len(name.split()) <= 6 and is_person(name):
            cleaned.append(Author(name_case(name), author.url, author.bio))
    return tuple(cleaned)


# What stands before a name, left by a source that does not take it off: "Veröffentlicht von", "Zum Profil
# von", "Posted by", an author link's "View all posts by" ("Zeige alle Beiträge von"); "By" or "Por" before
# a name of two words or more ("Por Alberto Ávila"; not "Di Maria" or "Von Trier").
_BY = re.compile(
    r"^(?:(?:published|posted|written|veröffentlicht|geschrieben|publié|publicado|zum\s+profil"
    r"|(?:view|see|zeige)\s+(?:all|alle)\s+(?:posts|articles|beiträge|artikel))\s+(?:by|von|par|por)\s+"
    r"|(?:by|por|par|von)\s+(?=\S+\s+\S))",
    re.IGNORECASE,
)
# What follows a name in a byline: a label ("Kategorien: Mode"), or the preposition of the date cut off
# after it ("Moritz Gathmann am 21. April 2020", "Jane Doe on May 2").
_LABEL = re.compile(r"\s+[^\W\d_]+:(?:\s|$)")
_DATE_PREPOSITION = re.compile(r"\s+(?:am|on|le|el|il|op|em|vom|du|del)$", re.IGNORECASE)
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


def _json_ld_nodes(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, those of a ``@graph`` included."""
    if tree is None:
        return []
    scripts = (s for s in tree.iter("script") if (s.get("type") or "").lower() == "application/ld+json" and s.text)
    return [item for script in scripts for item in _ld_items(json_ld(script.text))]


def _json_ld_article(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The first JSON-LD object that describes an article."""
    for item in nodes:
        kinds = item.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
            return item
    return {}


def _resolved(item: Any, nodes: list[dict[str, Any]]) -> Any:
    """A reference to another node of the graph (``{"@id": …}``, or the ``@id`` alone as a string, which
    Yoast writes for authors) replaced by the node it names; anything else as it is."""
    ref = item.get("@id") if isinstance(item, dict) and "name" not in item else item
    if isinstance(ref, str):
        return next((node for node in nodes if node.get("@id") == ref and node is not item), item)
    return item


def _ld_items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [i for d in data for i in _ld_items(d)]
    if isinstance(data, dict):
        return [data, *_ld_items(data.get("@graph", []))]
    return []


def _json_ld_authors(ld: dict[str, Any], nodes: list[dict[str, Any]]) -> tuple[Author, ...]:
    value = ld.get("author")
    if not value:
        return ()
    authors = []
    for item in (_resolved(i, nodes) for i in (value if isinstance(value, list) else [value])):
        if _is_organisation(item):
            continue  # a publisher, not a person: see _publisher
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            url = item.get("url") if isinstance(item.get("url"), str) else ""
            authors.append(Author(" ".join(item["name"].split()), url or ""))
        elif isinstance(item, str) and not item.startswith(("http://", "https://")):  # an unresolved reference
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
