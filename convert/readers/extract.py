"""Main-content extraction for web pages: the article body as a clean HTML fragment for pandoc.

trafilatura decides what is article and what is page furniture (navigation, share bars,
related boxes, comments), but its output flattens what pandoc could keep: figures and their
captions, table captions, SVG and data: images, links around images, footnote anchors. So:

1. before trafilatura, each such element is swapped for a placeholder carrying a unique token:
   a paragraph with the element's text and links for figures and data tables (so trafilatura
   weighs the page as it was), a dummy image for images, a word for inline elements;
2. trafilatura's XML is converted to HTML here (its own HTML output turns every ``<ol>`` into
   ``<ul>`` and inline code into ``<pre>``);
3. each placeholder that survived is swapped back for its original element, sanitized. A
   placeholder trafilatura dropped was judged page furniture, and so is its element.

Links and image sources are resolved here against the full page URL: trafilatura resolves
against the site root only, which breaks path-relative and ``#fragment`` links.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urljoin

import lxml.etree as etree
import lxml.html
from lxml.html import HtmlElement

# trafilatura's own parser settings: we hand it our tree instead of the text.
_PARSER = lxml.html.HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Never let through (restored originals are raw page markup): active content, embeds, forms.
_DROPPED = ("script", "style", "template", "iframe", "frame", "object", "embed", "applet", "noscript",
            "form", "input", "button", "select", "textarea", "svg", "canvas", "audio", "video",
            "source", "link", "meta", "base", "dialog")  # fmt: skip
_KEPT_ATTRIBUTES = frozenset({"href", "src", "alt", "title", "colspan", "rowspan", "scope", "id", "lang", "dir"})
# Where lazy-loading pages keep the real image address.
_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original", "data-srcset", "srcset")

# trafilatura XML → HTML.
_HI_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup"}
_RENAMED = {"quote": "blockquote", "lb": "br", "row": "tr", "del": "del", "ref": "a", "graphic": "img"}
_INLINE_PARENTS = frozenset({"p", "hi", "ref", "head", "cell", "item", "del", "quote"})


def extract_article(html: str, url: str | None) -> str:
    """The article's HTML without the page around it; "" when none is found."""
    import trafilatura

    root = _parse(html)
    if root is None or root.find("body") is None:
        return ""
    _prepare(root)
    token = f"tsph{secrets.token_hex(5)}x"
    saved = _protect(root, token)
    # url is deliberately not passed: trafilatura would resolve links against the site root.
    xml = trafilatura.extract(
        root,
        output_format="xml",
        favor_recall=True,
        include_links=True,
        include_images=True,
        include_tables=True,
        include_formatting=True,
        include_comments=False,
        with_metadata=False,
    )
    article = _xml_to_html(xml) if xml else None
    if article is None:
        return ""
    _restore(article, token, saved)
    _clean(article, url)
    if not article.text_content().strip() and article.find(".//img") is None:
        return ""
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in article).strip()


def _parse(html: str) -> HtmlElement | None:
    try:
        return lxml.html.document_fromstring(_CONTROL_CHARS.sub("", html).encode("utf-8"), parser=_PARSER)
    except (ValueError, etree.ParserError):
        return None


# --------------------------------------------------------------------------- before trafilatura


def _prepare(root: HtmlElement) -> None:
    """Undo markup patterns that make trafilatura lose article content."""
    # Lazy loading: the real image often waits in a <noscript> after a placeholder image.
    for noscript in list(root.iter("noscript")):
        images = noscript.findall(".//img")
        parent = noscript.getparent()
        if len(images) != 1 or parent is None or noscript.text_content().strip():
            continue
        previous = noscript.getprevious()
        if previous is not None and previous.tag == "img" and not _real_source(previous.get("src")):
            previous.drop_tree()
        images[0].tail = noscript.tail
        parent.replace(noscript, images[0])
    # trafilatura deletes <time> and <footer> with their text; a date inside a sentence is
    # text, and a footer inside a quotation is its attribution.
    for node in list(root.iter("time")):
        node.drop_tag()
    for node in root.xpath("//blockquote//footer"):
        node.tag = "p"
    # Layout tables become plain boxes: trafilatura reads table cells with rules of their own
    # that lose quotations and boxed paragraphs, and an article laid out in a table is prose.
    for table in list(root.iter("table")):
        if not _data_table(table):
            for part in table.xpath("./* | ./*/tr | ./tr/* | ./*/tr/*"):
                part.tag = "div"
            table.tag = "div"


def _protect(root: HtmlElement, token: str) -> dict[str, HtmlElement]:
    """Swap the elements trafilatura mangles for placeholders; return the originals by token."""
    saved: dict[str, HtmlElement] = {}
    body = root.find("body")
    targets = {h[1:] for h in body.xpath(".//a/@href") if h.startswith("#") and len(h) > 1}

    def swap(element: HtmlElement, placeholder: HtmlElement) -> None:
        placeholder.tail, element.tail = element.tail, None
        element.getparent().replace(element, placeholder)

    for element in list(body.iter("figure", "table")):
        if _attached(element) and _protected_block(element):
            saved[key := f"{token}{len(saved)}"] = element
            swap(element, _block_placeholder(element, key))
    images = body.xpath(".//a[(.//img or .//picture) and not(normalize-space())] | .//picture | .//img")
    for element in images:
        if _attached(element) and not _tracking_pixel(element):
            saved[key := f"{token}{len(saved)}"] = element
            swap(element, lxml.html.Element("img", src=f"{key}.png"))
    # Footnote references: trafilatura loses the <sup> or the link of <sup><a> ending a paragraph.
    for element in body.xpath(".//sup[.//a] | .//sub[.//a] | .//a[(sup or sub) and not(normalize-space(text()))]"):
        if _attached(element):
            saved[key := f"{token}{len(saved)}"] = element
            swap(element, _word(key))
    # In-page link targets (footnotes, sections): trafilatura drops ids, an empty anchor keeps them.
    for element in body.xpath(".//*[@id] | .//a[@name]"):
        name = element.get("id") or element.get("name")
        if name in targets and _attached(element):
            targets.discard(name)
            saved[key := f"{token}{len(saved)}"] = lxml.html.Element("span", id=name)
            element.insert(0, _word(key))
            element[0].tail, element.text = element.text, None
    return saved


def _attached(element: HtmlElement) -> bool:
    """False for elements inside an original already swapped out."""
    return next(element.iterancestors("body"), None) is not None


def _data_table(table: HtmlElement) -> bool:
    """Tell data tables from layout tables, much as Firefox's Reader View does."""
    if table.get("role") in ("presentation", "none") or table.find(".//table") is not None:
        return False
    if table.get("summary") or table.xpath("./caption | ./thead | ./tfoot | .//th"):
        return True
    rows = table.xpath("./tr | ./*/tr")
    return len(rows) >= 2 and max(len(row.xpath("./td | ./th")) for row in rows) >= 2


def _protected_block(element: HtmlElement) -> bool:
    # Tables left are data tables (see _prepare). A figure holding headings or an article is a
    # layout wrapper, not a figure.
    return element.tag == "table" or not element.xpath(".//h1 | .//h2 | .//h3 | .//article | .//main")


def _block_placeholder(element: HtmlElement, key: str) -> HtmlElement:
    """A paragraph with the key, then the element's text with its links in place.

    trafilatura judges the placeholder as it would have judged the element: by its amount of
    text and its share of link text.
    """
    paragraph = lxml.html.Element("p")
    paragraph.text = f"{key} "
    last: HtmlElement | None = None

    def add(text: str | None) -> None:
        if text:
            if last is None:
                paragraph.text += text
            else:
                last.tail = (last.tail or "") + text

    def walk(node: HtmlElement) -> None:
        nonlocal last
        add(node.text)
        for child in node:
            if child.tag == "a" and child.get("href"):
                last = lxml.html.Element("a", href=child.get("href"))
                last.text = _text(child)
                paragraph.append(last)
            elif isinstance(child.tag, str):
                walk(child)
            add(" ")
            add(child.tail)

    walk(element)
    return paragraph


def _word(key: str) -> HtmlElement:
    span = lxml.html.Element("span")
    span.text = f" {key} "
    return span


def _tracking_pixel(element: HtmlElement) -> bool:
    return element.tag == "img" and (element.get("width") in ("0", "1") or element.get("height") in ("0", "1"))


# --------------------------------------------------------------------------- trafilatura XML → HTML


def _xml_to_html(xml: str) -> HtmlElement | None:
    try:
        doc = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True, huge_tree=True))
    except etree.XMLSyntaxError:
        return None
    main = doc.find("main") if doc is not None else None
    if main is None:
        return None
    for el in main.iter():
        tag, rend = el.tag, el.get("rend") or ""
        attrs = dict(el.attrib)
        el.attrib.clear()
        if tag == "list":
            el.tag = {"ol": "ol", "dl": "dl"}.get(rend, "ul")
        elif tag == "item":
            el.tag = rend[:2] if rend[:2] in ("dt", "dd") else "li"
        elif tag == "head":
            el.tag = rend if re.fullmatch(r"h[1-6]", rend) else "h3"
        elif tag == "hi":
            el.tag = _HI_TAGS.get(rend, "em")
        elif tag == "cell":
            el.tag = "th" if attrs.get("role") == "head" else "td"
        elif tag == "code":
            _code(el)
        elif tag in _RENAMED:
            el.tag = _RENAMED[tag]
            for name in ("target", "src", "alt", "title"):
                if attrs.get(name):
                    el.set("href" if name == "target" else name, attrs[name])
            if el.tag == "img" and el.text:  # trafilatura sometimes puts the following text inside
                el.tail, el.text = el.text + (el.tail or ""), None
    main.tag = "div"
    return lxml.html.fragment_fromstring(etree.tostring(main, encoding="unicode", method="html"), parser=_PARSER)


def _code(el: etree._Element) -> None:
    """trafilatura has one <code> for both inline code (within text) and code blocks."""
    parent = el.getparent()
    if parent is not None and parent.tag in _INLINE_PARENTS and "\n" not in (el.text or ""):
        return
    el.tag = "pre"
    inner = etree.SubElement(el, "code")
    inner.text, el.text = el.text, None
    for child in list(el):
        if child is not inner:
            inner.append(child)


# --------------------------------------------------------------------------- after trafilatura


def _restore(article: HtmlElement, token: str, saved: dict[str, HtmlElement]) -> None:
    """Put back the originals of the placeholders trafilatura kept; drop any other token."""
    for img in list(article.iter("img")):
        original = saved.pop(img.get("src", "").removesuffix(".png"), None)
        if original is not None:
            original.tail = img.tail
            img.getparent().replace(img, original)
    pattern = re.compile(rf"\s*{re.escape(token)}\d+\s*")
    for holder in list(article.iter()):
        for attr in ("text", "tail"):
            if token in (getattr(holder, attr) or ""):
                _splice(holder, attr, pattern, saved)


def _splice(holder: HtmlElement, attr: str, pattern: re.Pattern[str], saved: dict[str, HtmlElement]) -> None:
    """Replace the tokens in ``holder``'s text or tail by their originals."""
    value: str = getattr(holder, attr)
    pieces = pattern.split(value)
    keys = [m.group().strip() for m in pattern.finditer(value)]
    setattr(holder, attr, pieces[0] or None)
    parent = holder if attr == "text" else holder.getparent()
    position = 0 if attr == "text" else parent.index(holder) + 1
    for key, rest in zip(keys, pieces[1:], strict=True):
        original = saved.pop(key, None)
        if original is None:  # a placeholder trafilatura repeated: the original is already back
            _append_text(parent, position, rest)
            continue
        if original.tag in ("figure", "table"):
            # The placeholder paragraph: replaced whole when trafilatura kept it as one,
            # otherwise the original goes in and the copied text after the token goes out.
            if parent.tag == "p" and not pieces[0].strip() and position == 0 and parent.getparent() is not None:
                original.tail = parent.tail
                parent.getparent().replace(parent, original)
                return
            rest = ""
        original.tail = rest or None
        parent.insert(position, original)
        position += 1


def _append_text(parent: HtmlElement, position: int, text: str) -> None:
    if position == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[position - 1]
        previous.tail = (previous.tail or "") + text


def _clean(article: HtmlElement, url: str | None) -> None:
    """Sanitize what is kept and resolve its links."""
    for picture in list(article.iter("picture")):
        img = picture.find(".//img")
        source = picture.find(".//source[@srcset]")
        if img is not None and source is not None and not _image_source(img):
            img.set("src", _largest(source.get("srcset", "")))
        picture.drop_tag()
    for element in list(article.iter(*_DROPPED)):
        element.drop_tree()
    for img in list(article.iter("img")):
        if src := _image_source(img):
            img.set("src", src)
        else:
            img.drop_tree()
    for element in article.iter():
        if not isinstance(element.tag, str):
            continue
        for name in [n for n in element.attrib if n not in _KEPT_ATTRIBUTES]:
            del element.attrib[name]
        for name in ("href", "src"):
            value = (element.get(name) or "").strip()
            if not value:
                continue
            lower = value.lower()
            if lower.startswith(("javascript:", "vbscript:")) or (lower.startswith("data:") and name == "href"):
                del element.attrib[name]
            elif url and not value.startswith("#"):
                element.set(name, urljoin(url, value))
    for link in list(article.iter("a")):
        if not link.get("href"):
            link.drop_tag()


def _image_source(img: HtmlElement) -> str:
    """The address of the real image: lazy loading puts it in data-* attributes or srcset."""
    if src := _real_source(img.get("src")):
        return src
    for name in _LAZY_SOURCES:
        if value := (img.get(name) or "").strip():
            return _largest(value) if name.endswith("srcset") else value
    return ""


def _real_source(src: str | None) -> str:
    src = (src or "").strip()
    # Lazy-loading placeholders are tiny inline GIFs; a real data: image is long.
    return "" if src.startswith("data:") and (len(src) < 200 or not src.startswith("data:image/")) else src


def _largest(srcset: str) -> str:
    """The widest candidate of a srcset (URLs may hold commas; candidates end at ", ")."""
    best, best_size = "", -1.0
    for candidate in re.split(r",\s+", srcset.strip()):
        url, _, descriptor = candidate.strip().rstrip(",").partition(" ")
        size = float(re.sub(r"[^\d.]", "", descriptor) or 0)
        if url and size >= best_size:
            best, best_size = url, size
    return best


def _text(element: HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())
