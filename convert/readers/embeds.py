"""What an embedded player or frame showed, as a link: print and e-books cannot play it, a reader can follow it.

In a web page the player first becomes a stand-in image (``stand_in_image``): the extraction's checks keep
images where they drop a line of a link alone, and the link takes its place at the end (``links_for_stand_ins``).
"""

from __future__ import annotations

from lxml.html import HtmlElement

from convert.link_schemes import is_source_url

# Elements that show another page or a media file in place (a YouTube or Vimeo player), and the
# attribute that names it.
EMBEDDING = {"iframe": "src", "embed": "src", "video": "src", "audio": "src", "object": "data"}
# Where lazy loading keeps a frame's address until a script puts it in ``src``.
_LAZY_SOURCES = ("data-src", "data-lazy-src")
# Marks a stand-in image (``stand_in_image``).
STAND_IN = "data-embedded"
# Where a link may stand as it is; elsewhere it gets a paragraph of its own.
_PHRASING_PARENTS = frozenset({"a", "abbr", "b", "code", "em", "i", "p", "q", "small", "span", "strong", "sub", "sup"})


def embedded_url(element: HtmlElement) -> str | None:
    """The http(s) address ``element`` embeds (its own, lazy loading's, or its first ``<source>``'s), if any."""
    attribute = EMBEDDING.get(str(element.tag).lower())
    if attribute is None:
        return None
    own = [element.get(attribute), *(element.get(name) for name in _LAZY_SOURCES)]
    sources = [*own, *(source.get("src") for source in element.iterfind(".//source"))]
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


def stand_in_image(element: HtmlElement) -> HtmlElement | None:
    """An image standing for what ``element`` embeds (its address, the link's text as its description)
    while an extraction weighs the page; None if nothing to follow."""
    import lxml.html

    link = link_to_embedded(element)
    if link is None:
        return None
    return lxml.html.Element("img", {"src": link.get("href", ""), "alt": link.text or "", STAND_IN: ""})


def links_for_stand_ins(top: HtmlElement) -> None:
    """Each stand-in image under ``top`` replaced by its link, placed as ``leave_link_to_embedded``
    places it; a figure it leaves without an image is a box, its caption a paragraph after the link."""
    import lxml.html

    for image in [image for image in top.iter("img") if image.get(STAND_IN) is not None]:
        figure = next(image.iterancestors("figure"), None)
        frame = lxml.html.Element("iframe", src=image.get("src", ""), title=image.get("alt", ""))
        frame.tail = image.tail
        image.getparent().replace(image, frame)
        leave_link_to_embedded(frame, top)
        frame.drop_tree()  # keeps its tail
        if figure is not None and figure.find(".//img") is None:
            figure.tag = "div"
            for caption in figure.iter("figcaption"):
                caption.tag = "p"
