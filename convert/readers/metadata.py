"""Front matter and pandoc metadata mapped onto the typed ``Meta``."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from typing import Any

import yaml

from convert.dates import iso_date
from convert.model import Author, Meta

# Each Meta field and the keys sources use for it, in order of preference.
_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "subtitle": ("subtitle",),
    "published": ("date", "published", "datePublished", "pubdate", "created"),
    "modified": ("modified", "updated", "lastmod", "dateModified"),
    "publisher": ("publisher", "site", "site_name", "siteName", "source_name"),
    "source_url": ("source_url", "url", "source", "canonical", "link", "original_url"),
    "language": ("lang", "language"),
    "direction": ("dir", "direction"),
    "description": ("description", "summary", "abstract", "excerpt"),
    "rights": ("rights", "copyright", "license"),
}
_AUTHOR_KEYS = ("author", "authors", "byline", "creator")
_TAG_KEYS = ("tags", "keywords", "categories", "subject")
_DATE_FIELDS = {"published", "modified"}

_FRONT_MATTER = re.compile(
    r"\A\ufeff?(?P<fence>---|\+\+\+)[ \t]*\r?\n(?P<body>.*?)\r?\n(?P=fence)[ \t]*(?:\r?\n|\Z)",
    re.DOTALL,
)


class FrontMatterError(ValueError):
    """Front matter that is not valid YAML or TOML, or not a mapping."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split YAML (``---``) or TOML (``+++``) front matter from a Markdown text."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    raw, fence = match.group("body"), match.group("fence")
    kind = "TOML" if fence == "+++" else "YAML"
    try:
        data = tomllib.loads(raw) if fence == "+++" else yaml.safe_load(raw)
    except RecursionError:  # both parsers recurse once per nested list or mapping
        raise FrontMatterError(f"broken {kind} front matter: nested too deeply") from None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: TOMLDecodeError, or a YAML date such as 2024-13-01
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FrontMatterError(f"broken {kind} front matter: {first}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        if fence == "---":  # a leading thematic break, not front matter
            return {}, text
        raise FrontMatterError("front matter is not a mapping of keys to values")
    return data, text[match.end() :]


def meta_from_mapping(data: Mapping[str, Any]) -> Meta:
    """Build ``Meta`` from a front matter or metadata mapping; unknown keys go to ``extra``."""
    values: dict[str, Any] = {}
    used: set[str] = set()
    for field, keys in _KEYS.items():
        for key in keys:
            text = _text(data.get(key))
            if text:
                values[field] = iso_date(data[key]) if field in _DATE_FIELDS else text
                used.add(key)
                break
    for key in _AUTHOR_KEYS:
        if data.get(key):
            values["authors"] = authors_from(data[key])
            used.add(key)
            break
    for key in _TAG_KEYS:
        if data.get(key):
            values["tags"] = tags_from(data[key])
            used.add(key)
            break
    values["extra"] = tuple(
        (str(k), _text(v)) for k, v in data.items() if k not in used and _text(v) and not isinstance(v, (dict, list))
    )
    return Meta(**values)


def authors_from(value: Any) -> tuple[Author, ...]:
    """Authors from a name, a list of names, or mappings with name/url/bio."""
    items = value if isinstance(value, list) else [value]
    authors: list[Author] = []
    for item in items:
        if isinstance(item, Mapping):
            name = _text(item.get("name"))
            if name:
                authors.append(Author(name, _text(item.get("url")), _text(item.get("bio"))))
        else:
            authors += [Author(name) for name in _names(_text(item))]
    return tuple(authors)


def _names(text: str) -> list[str]:
    """``Jane Doe and John Roe; Ann Poe`` → three names.

    A name may hold "and" or "&" itself (``Mac & i``, ``AT&T Labs``): it is split there only
    when every part looks like a name, more than one letter and not starting lower-case.
    """
    names = []
    for group in (g.strip() for g in text.split(";")):
        parts = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", group)]
        if all(len(p) > 1 and not p[0].islower() for p in parts):
            names += parts
        elif group:
            names.append(group)
    return [name for name in names if name]


def tags_from(value: Any) -> tuple[str, ...]:
    """Tags from a list or a comma-separated string, each once (case aside), in their order.

    A list may hold comma-separated strings too: a page's ``keywords`` meta is one string
    ("linux, c64, retro") beside JSON-LD's list, and extractors pass it on whole."""
    items = value if isinstance(value, list) else [value]
    seen: dict[str, str] = {}
    for item in items:
        for part in str(item).split(",") if isinstance(item, str) else [item]:
            text = _text(part)
            if text:
                seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return " ".join(str(value).split())


# A page's JSON-LD is often wrapped as XML character data, which browsers and Reader View strip.
_CDATA = re.compile(r"^\s*<!\[CDATA\[|\]\]>\s*$")


def json_ld(text: str) -> Any:
    """The data of a ``<script type="application/ld+json">``'s text; None when it is no JSON."""
    try:
        return json.loads(_CDATA.sub("", text))
    except ValueError:
        return None
