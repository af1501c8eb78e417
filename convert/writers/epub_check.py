"""A cheap structural self-check of every EPUB we write, run before the file is kept.

EPUBCheck takes seconds and Java; this takes milliseconds and checks what our
renderer could get wrong: the content model of the elements we emit (phrasing
content where only phrasing is allowed, list and table structure, a
``<details>`` led by its ``<summary>``), the attributes XHTML allows on them,
unique ids, and internal links and images that resolve inside the package.
A failure is a bug in Tearsheet, never in the input, so it is reported as one.
"""

from __future__ import annotations

import io
import posixpath
import urllib.parse
import zipfile
from collections.abc import Iterator
from typing import Any

from convert.writers import WriterError

_XHTML = "{http://www.w3.org/1999/xhtml}"
_EPUB = "{http://www.idpf.org/2007/ops}"
_XML = "{http://www.w3.org/XML/1998/namespace}"
_ELEMENT = "{*}*"  # lxml: elements only, not comments or processing instructions

PHRASING = frozenset(
    {
        *("a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img", "ins"),
        *("kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"),
        # A formula (MathML) or a drawing (SVG) is phrasing content too; its inside is not ours to model.
        *("{http://www.w3.org/1998/Math/MathML}math", "{http://www.w3.org/2000/svg}svg"),
    }
)
FLOW = PHRASING | {
    *("address", "article", "aside", "blockquote", "details", "div", "dl", "figure", "footer", "h1", "h2", "h3"),
    *("h4", "h5", "h6", "header", "hr", "nav", "ol", "p", "pre", "section", "table", "ul"),
}
# Elements whose content is phrasing only; a <div> or <p> inside one is the classic broken nesting.
_PHRASING_ONLY = (PHRASING - {"a", "del", "ins"}) | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "summary"}
# Parent → the only children it may have.
_CHILDREN: dict[str, frozenset[str]] = {
    "ul": frozenset({"li"}),
    "ol": frozenset({"li"}),
    "dl": frozenset({"dt", "dd", "div"}),
    "table": frozenset({"caption", "colgroup", "thead", "tbody", "tfoot", "tr"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tfoot": frozenset({"tr"}),
    "tr": frozenset({"td", "th"}),
    "colgroup": frozenset({"col"}),
    "head": frozenset({"title", "link", "meta", "style"}),
    "html": frozenset({"head", "body"}),
}
_ONLY_IN: dict[str, frozenset[str]] = {
    "li": frozenset({"ul", "ol", "menu"}),
    "dt": frozenset({"dl", "div"}),
    "dd": frozenset({"dl", "div"}),
    "tr": frozenset({"table", "thead", "tbody", "tfoot"}),
    "td": frozenset({"tr"}),
    "th": frozenset({"tr"}),
    "caption": frozenset({"table"}),
    "summary": frozenset({"details"}),
    "figcaption": frozenset({"figure"}),
}
KNOWN = FLOW | {
    *("body", "caption", "col", "colgroup", "dd", "dt", "figcaption", "head", "html", "li", "link", "meta"),
    *("style", "summary", "tbody", "td", "tfoot", "th", "thead", "title", "tr"),
}
_GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role", "style", "hidden", "translate"})
_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "rel", "hreflang", "type", "target", "download"}),
    "img": frozenset({"src", "alt", "width", "height", "srcset", "sizes"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "li": frozenset({"value"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "details": frozenset({"open"}),
    "link": frozenset({"href", "rel", "type", "media"}),
    "meta": frozenset({"charset", "name", "content", "http-equiv"}),
    "html": frozenset(),
}
_EXTERNAL = ("http://", "https://", "mailto:")  # most links: skipped before parsing the URL
_MAX_PROBLEMS = 3  # enough to find the bug; a broken renderer would otherwise list thousands


def check_epub(data: bytes) -> bytes:
    """``data`` unchanged if its XHTML is sound; otherwise ``WriterError`` naming the first problems."""
    problems = list(_problems(data))
    if problems:
        more = len(problems) - _MAX_PROBLEMS
        shown = "; ".join(problems[:_MAX_PROBLEMS]) + (f" (and {more} more)" if more > 0 else "")
        raise WriterError("epub", f"Tearsheet wrote invalid XHTML, a bug to report: {shown}")
    return data


def _problems(data: bytes) -> Iterator[str]:
    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    # Our own output, so a huge tree is allowed; still nothing is expanded or fetched.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    pages: dict[str, Any] = {}
    for name in sorted(n for n in names if n.endswith((".xhtml", ".html"))):
        try:
            pages[name] = etree.fromstring(archive.read(name), parser)
        except etree.XMLSyntaxError as exc:
            yield f"{name}: not well-formed: {exc}"
    ids = {name: _ids(root) for name, root in pages.items()}
    for name, root in pages.items():
        yield from _duplicate_ids(name, root)
        for element in root.iter(etree.Element):
            yield from _element_problems(name, element)
            yield from _reference_problems(name, element, names, ids)


def _local(element: Any) -> str:
    tag: str = element.tag
    return tag[len(_XHTML) :] if tag.startswith(_XHTML) else tag


def _ids(root: Any) -> set[str]:
    return {str(element.get("id")) for element in root.iter() if isinstance(element.tag, str) and element.get("id")}


def _duplicate_ids(name: str, root: Any) -> Iterator[str]:
    seen: set[str] = set()
    for element in root.iter():
        ident = element.get("id") if isinstance(element.tag, str) else None
        if ident is None:
            continue
        if ident in seen:
            yield f"{name}: duplicate id {ident!r}"
        seen.add(ident)


def _element_problems(name: str, element: Any) -> Iterator[str]:
    if not element.tag.startswith(_XHTML):
        return  # SVG or MathML: not ours to model
    tag = _local(element)
    where = f"{name}:{element.sourceline}"
    if tag not in KNOWN:
        yield f"{where}: unknown element <{tag}>"
    for attribute in element.attrib:
        if not _allowed_attribute(tag, attribute):
            yield f"{where}: attribute {attribute!r} not allowed on <{tag}>"
    if tag in _PHRASING_ONLY or tag in _CHILDREN or tag == "details":
        child_tags = [_local(c) for c in element.iterchildren(_ELEMENT)]
        allowed = PHRASING if tag in _PHRASING_ONLY else _CHILDREN.get(tag)
        kind = ", which takes phrasing content only" if allowed is PHRASING else ""
        for child in child_tags:
            if allowed is not None and child not in allowed:
                yield f"{where}: <{child}> inside <{tag}>{kind}"
        if tag == "details" and (not child_tags or child_tags[0] != "summary"):
            yield f"{where}: <details> without a <summary> first"
    if tag in _ONLY_IN:
        parent = element.getparent()
        parent_tag = _local(parent) if parent is not None else ""
        if parent_tag not in _ONLY_IN[tag]:
            yield f"{where}: <{tag}> inside <{parent_tag}>"
        elif tag == "summary" and next(parent.iterchildren(_ELEMENT)) is not element:
            yield f"{where}: <summary> not first in its <details>"
    if tag == "a" and any(_local(a) == "a" for a in element.iterancestors()):
        yield f"{where}: a link inside a link"


def _allowed_attribute(tag: str, attribute: str) -> bool:
    if attribute.startswith((_EPUB, _XML)):
        return True
    if attribute.startswith("{"):
        return False
    return (
        attribute in _GLOBAL_ATTRIBUTES
        or attribute.startswith(("data-", "aria-"))
        or attribute in _ATTRIBUTES.get(tag, frozenset())
    )


def _reference_problems(name: str, element: Any, names: set[str], ids: dict[str, set[str]]) -> Iterator[str]:
    tag = _local(element)
    attribute = {"a": "href", "img": "src", "link": "href"}.get(tag)
    target = element.get(attribute) if attribute else None
    if target is None or target.startswith(_EXTERNAL):
        return
    parts = urllib.parse.urlsplit(target)
    if parts.scheme or parts.netloc:
        return  # an external link: not ours to resolve
    where = f"{name}:{element.sourceline}"
    path = posixpath.normpath(posixpath.join(posixpath.dirname(name), urllib.parse.unquote(parts.path)))
    file = name if not parts.path else path
    if file not in names:
        yield f"{where}: {target!r} names a file not in the package"
        return
    fragment = urllib.parse.unquote(parts.fragment)
    if fragment and file in ids and fragment not in ids[file]:
        yield f"{where}: link to {target!r}, which no element has as its id"
