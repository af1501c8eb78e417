"""What an embedded player or frame showed, as a link: print and e-books cannot play it, a reader can follow it."""

from __future__ import annotations

from lxml.html import HtmlElement

from convert.link_schemes import is_source_url

# Elements that show another page or a media file in place (a YouTube or Vimeo player), and the
# attribute that names it.
EMBEDDING = {"iframe": "src", "embed": "src", "video": "src", "audio": "src", "object": "data"}
# Where a link may stand as it is; elsewhere it gets a paragraph of its own.
_PHRASING_PARENTS = frozenset({"a", "abbr", "b", "code", "em", "i", "p", "q", "small", "span", "strong", "sub", "sup"})


def embedded_url(element: HtmlElement) -> str | None:
    """The http(s) address ``element`` embeds (its own, or its first ``<source>``'s), if any."""
    attribute = EMBEDDING.get(str(element.tag).lower())
    if attribute is None:
        return None
    sources = [element.get(attribute), *(source.get("src") for source in element.iterfind(".//source"))]
    # Embed codes often leave the scheme out ("//player.vimeo.com/…"); https is what a browser uses today.
    absolute = [f"https:{u.strip()}" if u.strip().startswith("//") else u.strip() for u in sources if u]
    return next((u for u in absolute if is_source_url(u)), None)


def link_to_embedded(element: HtmlElement) -> HtmlElement | None:
    """A link to what ``element`` embeds, read as its title (or else its address); None if nothing to follow."""
    import lxml.html

    url = embedded_url(element)
    if url is None:
        return None
    link = lxml.html.Element("a", href=url)
    link.text = " ".join((element.get("title") or element.get("aria-label") or "").split()) or url
    return link


def leave_link_to_embedded(element: HtmlElement, top: HtmlElement) -> None:
    """Put a link to what ``element`` embeds just before it: alone in a paragraph or phrase, else
    (or right under ``top``) in a paragraph of its own."""
    import lxml.html

    link = link_to_embedded(element)
    parent = element.getparent()
    if link is None or parent is None:
        return
    holder = link
    if parent is top or str(parent.tag).lower() not in _PHRASING_PARENTS:
        holder = lxml.html.Element("p")
        holder.append(link)
    element.addprevious(holder)
