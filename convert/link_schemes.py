"""The one allow-list of link schemes, for every format: what a reader of an output may click.

Web links (http, https), mail (mailto) and anchors inside the document; nothing else
(``javascript:``, ``file:``, ``data:``, ``vbscript:``, ``ms-msdt:``, ``smb:``…) is ever a
link in a PDF, EPUB or DOCX. A source URL (where an article came from) must be http(s).
"""

from __future__ import annotations

import re
import urllib.parse

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
SOURCE_SCHEMES = frozenset({"http", "https"})
# Browsers ignore ASCII whitespace and control characters anywhere in a URL ("java\tscript:").
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


# A web address as text may write it: with a scheme, from "www.", or a host and a path
# ("example.com/a/b.html", "facebook.com/vegolosi").
WRITTEN_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|[\w-]+(?:\.[\w-]+)+/\S*", re.IGNORECASE)


def scheme_of(url: str) -> str:
    """The scheme as a browser would see it ("" for none), lower-case."""
    return urllib.parse.urlsplit(_IGNORED.sub("", url)).scheme.lower()


def has_other_scheme(url: str) -> bool:
    """Whether ``url`` names a scheme outside the allow-list (a relative URL names none)."""
    scheme = scheme_of(url)
    return bool(scheme) and scheme not in LINK_SCHEMES


def is_source_url(url: str) -> bool:
    """Whether ``url`` may be named as an article's source: http(s) with a host."""
    return scheme_of(url) in SOURCE_SCHEMES and bool(urllib.parse.urlsplit(url.strip()).netloc)


def bare_host(host: str) -> str:
    """A host as sites are compared: lower-case, without a leading "www." ("www.LeMonde.fr" → "lemonde.fr")."""
    return host.lower().removeprefix("www.")


def site_of(url: str) -> str:
    """The site a URL belongs to, as :func:`bare_host` writes it; "" for a URL without a host.
    Port and credentials are not part of it."""
    try:
        return bare_host(urllib.parse.urlsplit(url.strip()).hostname or "")
    except ValueError:  # an unbalanced "[" in the host
        return ""
