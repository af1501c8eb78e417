"""Main-content extraction (``convert.readers.extract``): what a web page's article keeps and loses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from convert import load
from convert.model import (
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Div,
    Document,
    Figure,
    Heading,
    Image,
    Link,
    OrderedList,
    Paragraph,
    Plain,
    Quoted,
    Removal,
    Span,
    Superscript,
    Table,
    Text,
    inline_text,
    iter_nodes,
    plain_text,
)
from convert.normalize import Context
from convert.normalize.boilerplate import strip_boilerplate
from convert.readers import read
from convert.readers.extract import extract_article

WEB_PAGE = Path(__file__).parent.parent / "fixtures" / "web-page.html"
PAGE_URL = "https://news.example.com/science/2024/tides.html"
PROSE = (
    "Tidal streams are among the most predictable sources of renewable power, because the moon keeps "
    "better time than the weather. Engineers have tested turbines in straits and estuaries for decades, "
    "and the machines have become larger, cheaper and more reliable with every generation. "
)


def page(article: str, *, furniture: str = "", canonical: str = PAGE_URL) -> str:
    """A web page around ``article``: navigation, a long enough article, a site footer."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Tides | News</title>
<link rel="canonical" href="{canonical}"></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/science">Science</a></li>
<li><a href="/opinion">Opinion</a></li><li><a href="/login">Log in</a></li></ul></nav></header>
<main><article><h1>The tide turns for tidal power</h1>
<p>{PROSE}</p><p>{PROSE * 2}</p>
{article}
<p>{PROSE}</p><p>Nobody expects tidal power to replace wind, but it may yet fill the gaps wind leaves.</p>
{furniture}
</article></main>
<footer><p><a href="/about">About us</a> · <a href="/privacy">Privacy policy</a></p></footer></body></html>"""


def read_page(tmp_path: Path, html: str) -> Document:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    return read(path)


def nodes(tree: Any, kind: type) -> tuple[Any, ...]:
    """The nodes of type ``kind`` in a Document or any model tree."""
    return tuple(n for n in iter_nodes(tree.blocks if isinstance(tree, Document) else tree) if isinstance(n, kind))


# ------------------------------------------------------------------ the synthetic web page


@pytest.fixture(scope="module")
def web_page() -> Document:
    return read(WEB_PAGE)


def test_web_page_keeps_the_figure_with_its_svg_image_and_caption(web_page: Document) -> None:
    (figure,) = nodes(web_page, Figure)
    (image,) = [n for n in iter_nodes(figure.blocks) if isinstance(n, Image)]
    assert image.src == "images/turbine.svg"  # images stay relative; the sandbox resolves them
    assert inline_text(image.content) == "A tidal stream turbine being lowered from a barge"
    assert "A 2 MW turbine during installation." in " ".join(plain_text(figure.caption).split())


def test_web_page_keeps_the_table_with_its_caption(web_page: Document) -> None:
    (table,) = nodes(web_page, Table)
    assert plain_text(table.caption).strip() == "Selected tidal stream sites"
    assert [plain_text(c.blocks).strip() for c in table.head[0].cells] == ["Site", "Country", "Capacity (MW)"]
    assert len(table.body) == 3


def test_web_page_keeps_the_quotation_with_its_attribution(web_page: Document) -> None:
    (quote,) = nodes(web_page, BlockQuote)
    text = plain_text(quote.blocks)
    assert "The cable took six years." in text
    assert "Site manager, Pentland Firth project" in text


def test_web_page_keeps_footnote_references_and_the_footnotes(web_page: Document) -> None:
    (reference,) = [s for s in nodes(web_page, Superscript) if any(isinstance(n, Link) for n in s.content)]
    assert reference.content[0].url == "#fn1"
    assert "fn1" in {span.attr.id for span in nodes(web_page, Span)}  # the target of the reference
    notes = [b for b in nodes(web_page, OrderedList) if "roughly two thirds" in plain_text(b)]
    assert notes and any(link.url == "#fnref1" for link in nodes(notes[0], Link))


def test_web_page_keeps_lists_emphasis_and_links(web_page: Document) -> None:
    ordered = [plain_text(b) for b in nodes(web_page, OrderedList)]
    assert any("Island systems that replace diesel generation" in text for text in ordered)
    urls = {link.url for link in nodes(web_page, Link)}
    assert {
        "https://www.ocean-energy-europe.example/stats-2023",
        "https://www.iea.example/reports/levelised-cost-2023",
        "https://meygen.example/array",
        "https://doi.org/10.0000/example.tidal.2023.118",
    } <= urls
    assert "revenue support" in str(web_page.blocks) and "grid planning" in str(web_page.blocks)


@pytest.mark.parametrize(
    "clutter",
    ["Opinion", "We use cookies", "Share on Facebook", "Advertisement", "Wave power, explained",
     "weekly energy newsletter", "Privacy"],
)  # fmt: skip
def test_web_page_drops_the_page_around_the_article(web_page: Document, clutter: str) -> None:
    assert clutter not in plain_text(web_page.blocks)


def test_web_page_drops_share_links(web_page: Document) -> None:
    hosts = {link.url.split("/")[2] for link in nodes(web_page, Link) if link.url.startswith("http")}
    assert not hosts & {"www.facebook.com", "twitter.com"}


# ------------------------------------------------------------------ figures and images


def test_figure_with_png_image_and_caption(tmp_path: Path) -> None:
    doc = read_page(
        tmp_path,
        page(
            '<figure><img src="/media/turbine.png" alt="A turbine"><figcaption>The turbine at dawn.</figcaption>'
            "</figure>"
        ),
    )
    (figure,) = nodes(doc, Figure)
    assert [i.src for i in nodes(figure, Image)] == ["/media/turbine.png"]
    assert plain_text(figure.caption).strip() == "The turbine at dawn."


def test_figure_with_svg_and_data_images(tmp_path: Path) -> None:
    data = "data:image/png;base64," + "iVBORw0KGgo" * 30
    doc = read_page(
        tmp_path,
        page(
            '<figure><img src="charts/flow.svg" alt="Flow chart"><figcaption>Flow by hour.</figcaption></figure>'
            f'<p>{PROSE}</p><figure><img src="{data}" alt="Inline"><figcaption>An inline image.</figcaption></figure>'
        ),
    )
    sources = [i.src for f in nodes(doc, Figure) for i in nodes(f, Image)]
    assert sources == ["charts/flow.svg", data]


def test_lazy_loaded_image_gets_its_real_source(tmp_path: Path) -> None:
    gif = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
    doc = read_page(
        tmp_path,
        page(
            f'<figure><img src="{gif}" data-src="/media/big.jpg" alt="Big"><figcaption>Big.</figcaption></figure>'
            f'<figure><img src="{gif}" alt="Other"><noscript><img src="/media/other.jpg" alt="Other"></noscript>'
            "<figcaption>Other.</figcaption></figure>"
        ),
    )
    assert [i.src for i in nodes(doc, Image)] == [
        "/media/big.jpg",
        "/media/other.jpg",
    ]


LAZY_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (f'<img src="{LAZY_GIF}" data-src="/media/real.jpg" alt="Harbour">', "/media/real.jpg"),
        ('<img data-src="/media/real.jpg" alt="Harbour">', "/media/real.jpg"),
        (f'<img src="{LAZY_GIF}" data-lazy-src="/media/real.jpg" alt="Harbour">', "/media/real.jpg"),
        (
            f'<img src="{LAZY_GIF}" alt="Harbour" '
            'data-srcset="/media/s.jpg 320w, /media/l.jpg 1280w, /media/m.jpg 640w">',
            "/media/l.jpg",
        ),
        # Candidates separated by a bare comma, as the standard allows.
        ('<img srcset="/media/s.jpg 320w,/media/l.jpg 1280w,/media/m.jpg 640w" alt="Harbour">', "/media/l.jpg"),
        ('<img srcset="/img,w_400/a.jpg 1x, /img,w_800/a.jpg 2x" alt="Harbour">', "/img,w_800/a.jpg"),
        (
            '<picture><source srcset="/media/s.webp 480w, /media/l.webp 1600w" type="image/webp">'
            f'<img src="{LAZY_GIF}" alt="Harbour"></picture>',
            "/media/l.webp",
        ),
        (
            '<picture><source data-srcset="/media/s.webp 480w, /media/l.webp 1600w">'
            '<img data-src="/media/fallback.jpg" alt="Harbour"></picture>',
            "/media/fallback.jpg",
        ),
        (
            f'<img src="{LAZY_GIF}" alt="Harbour"><noscript><img src="/media/real.jpg" alt="Harbour"></noscript>',
            "/media/real.jpg",
        ),
        ('<noscript><img src="/media/real.jpg" alt="Harbour"></noscript>', "/media/real.jpg"),
        # A stand-in told only by its name, an icon and a label on the picture between (mdr.de).
        (
            '<img src="/index-transparent_h-213_w-320.gif" alt="Harbour"><span class="icon"></span>'
            '<span class="label">1 min</span><noscript><img src="/media/real.jpg" alt="Harbour"></noscript>',
            "/media/real.jpg",
        ),
        (f'<img src="{LAZY_GIF}" data-original="/media/real.jpg" alt="Harbour">', "/media/real.jpg"),
        (f'<img src="{LAZY_GIF}" data-lazy-srcset="/media/s.jpg 1x, /media/l.jpg 2x" alt="Harbour">', "/media/l.jpg"),
        # A page's own small image beside the srcset it offers: the widest candidate is the one for print.
        ('<img src="/media/s.jpg" srcset="/media/s.jpg 320w, /media/l.jpg 1280w" alt="Harbour">', "/media/l.jpg"),
    ],
    ids=["data-src", "data-src-only", "data-lazy-src", "data-srcset", "srcset-bare-commas", "srcset-density",
         "picture-source", "picture-lazy", "noscript-after-placeholder", "noscript-alone", "noscript-past-a-label",
         "data-original",
         "data-lazy-srcset", "srcset-beside-src"],
)  # fmt: skip
def test_lazy_image_in_a_figure_keeps_its_real_source_and_caption(tmp_path: Path, image: str, expected: str) -> None:
    doc = read_page(tmp_path, page(f"<figure>{image}<figcaption>The harbour at dawn.</figcaption></figure>"))
    (figure,) = nodes(doc, Figure)
    assert [i.src for i in nodes(figure, Image)] == [expected]
    assert plain_text(figure.caption).strip() == "The harbour at dawn."


def test_lazy_image_between_paragraphs_keeps_its_real_source(tmp_path: Path) -> None:
    image = f'<img src="{LAZY_GIF}" data-srcset="/media/s.jpg 320w, /media/l.jpg 1280w" alt="Harbour">'
    doc = read_page(tmp_path, page(f"<p>{PROSE}</p>{image}<p>{PROSE}</p>"))
    assert [i.src for i in nodes(doc, Image)] == ["/media/l.jpg"]


@pytest.mark.parametrize(
    ("decoration", "kept"),
    [
        ('<img src="/media/rule.jpg" alt="line" width="464" height="2">', False),  # a rule drawn as an image
        ('<img src="/media/pixel.gif" alt="" width="1" height="1">', False),  # a tracking pixel
        ('<img src="/media/spacer.gif" alt="spacer" width="2px" height="40">', False),
        ('<img src="/media/icon.png" alt="Harbour map" width="24" height="24">', True),  # small, not decorative
        ('<img src="/media/icon.png" alt="Harbour map" width="100%" height="2em">', True),  # not in pixels
    ],
)
def test_images_a_few_pixels_thin_are_decoration(tmp_path: Path, decoration: str, kept: bool) -> None:
    between, inside = decoration, decoration.replace("/media/", "/media/inline-")
    inline = f"<p>Turbines turn both ways {inside} as the tide runs in and out.</p>"
    doc = read_page(tmp_path, page(f"<p>{PROSE}</p>{between}<p>{PROSE}</p>{inline}"))
    expected = ["/media/icon.png", "/media/inline-icon.png"]
    assert [i.src for i in nodes(doc, Image)] == (expected if kept else [])


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ('the <a href="/g">Gecko</a> <a href="/l">layout engine</a> renders', "the Gecko layout engine renders"),
        ("libertés<strong> </strong>(CNIL) writes", "libertés (CNIL) writes"),
        (
            'the <a href="/d">D</a><a href="/d">ata</a>\n<a href="/d">M</a><a href="/d">odel</a> holds',
            "the Data Model holds",
        ),
        ('a note<sup><a href="#n1">[1]</a></sup> <a href="/w">web browser</a> here', "a note[1] web browser here"),
        ("<em>tide</em> <code>--tide</code> flag", "tide --tide flag"),
    ],
)
def test_spaces_between_phrases_keep_the_words_apart(tmp_path: Path, phrase: str, text: str) -> None:
    """trafilatura drops a tail that is only a space (its issue #661): the words ran together."""
    doc = read_page(tmp_path, page(f"<p>Turbines turn both ways, {phrase}, as the tide runs in and out.</p>"))
    (paragraph,) = [p for p in nodes(doc, Paragraph) if "Turbines" in inline_text(p.content)]
    assert f", {text}, " in inline_text(paragraph.content)
    assert all(link_text == link_text.strip() for link_text in (inline_text(link.content) for link in nodes(doc, Link)))


def test_a_line_made_only_of_phrases_gets_no_space_inside_a_word(tmp_path: Path) -> None:
    # trafilatura pretty-prints its XML: between the phrases of a line without text of its own
    # the indentation read as a space ("NDR -Recherchen").
    line = "<p><strong>Rheinmetall ist nach</strong> <em>NDR</em><strong>-Recherchen betroffen.</strong></p>"
    doc = read_page(tmp_path, page(line))
    assert "Rheinmetall ist nach NDR-Recherchen betroffen." in plain_text(doc.blocks)


def test_spaces_in_preformatted_code_stay_as_written(tmp_path: Path) -> None:
    code = (
        '<pre><code><span class="k">def</span> <span class="n">tide</span>():\n    <span>return</span> 1\n</code></pre>'
    )
    doc = read_page(tmp_path, page(f"<p>{PROSE}</p>{code}<p>{PROSE}</p>"))
    (block,) = nodes(doc, CodeBlock)
    assert block.text == "def tide():\n    return 1"


def test_link_around_an_image_is_kept(tmp_path: Path) -> None:
    image = '<a href="/media/full.jpg"><img src="/media/thumb.jpg" alt="Map"></a>'
    doc = read_page(tmp_path, page(f"<p>{PROSE}{image}</p>"))
    (link,) = [link for link in nodes(doc, Link) if nodes(link, Image)]
    assert link.url == "https://news.example.com/media/full.jpg"
    assert nodes(link, Image)[0].src == "/media/thumb.jpg"


# ------------------------------------------------------------------ tables, headings, text


def test_captioned_table(tmp_path: Path) -> None:
    table = (
        "<table><caption>Output by site</caption><thead><tr><th>Site</th><th>MW</th></tr></thead>"
        "<tbody><tr><td>MeyGen</td><td>6</td></tr><tr><td>Fundy</td><td>4</td></tr></tbody></table>"
    )
    (found,) = nodes(read_page(tmp_path, page(table)), Table)
    assert plain_text(found.caption).strip() == "Output by site"
    assert len(found.head) == 1 and len(found.body) == 2


def test_layout_table_is_read_as_prose(tmp_path: Path) -> None:
    quote = "<blockquote><p>A quoted line worth keeping.</p></blockquote>"
    layout = f"<table><tr><td><p>{PROSE}</p>{quote}</td></tr></table>"
    doc = read_page(tmp_path, page(layout))
    assert not nodes(doc, Table)
    assert "A quoted line worth keeping." in plain_text(nodes(doc, BlockQuote))


def test_headings_keep_their_levels_even_when_made_of_a_link(tmp_path: Path) -> None:
    doc = read_page(tmp_path, page(f'<h2><a href="/science/tides">How tides work</a></h2><p>{PROSE}</p><h3>Costs</h3>'))
    headings = {inline_text(h.content): h.level for h in nodes(doc, Heading)}
    assert headings["How tides work"] == 2 and headings["Costs"] == 3
    (heading,) = [h for h in nodes(doc, Heading) if h.level == 2]
    assert nodes(heading, Link)[0].url == "https://news.example.com/science/tides"


def test_ordered_lists_code_and_quotations_keep_their_kind(tmp_path: Path) -> None:
    doc = read_page(
        tmp_path,
        page(
            f"<p>{PROSE} Run <code>make test</code> first, as <q>the manual</q> says.</p>"
            "<ol><li>Measure the flow of the tide;</li><li>Choose the site;</li><li>Build.</li></ol>"
            "<pre><code>def flow(t):\n    return sin(t)\n</code></pre>"
        ),
    )
    assert [c.text for c in nodes(doc, Code)] == ["make test"]
    assert "return sin(t)" in nodes(doc, CodeBlock)[0].text
    assert len(nodes(doc, OrderedList)[0].items) == 3
    assert plain_text(nodes(doc, Quoted)) == "the manual"


def test_links_resolved_against_the_page_and_fragments_kept(tmp_path: Path) -> None:
    doc = read_page(
        tmp_path,
        page(f'<p>{PROSE} See <a href="data.html">data</a>, <a href="#fn2">note 2</a>, <a href="//x.org/a">x</a>.</p>'),
    )
    urls = [link.url for link in nodes(doc, Link)]
    assert urls == ["https://news.example.com/science/2024/data.html", "#fn2", "https://x.org/a"]


# Wikipedia's hatnote: a box of text and links with no paragraph in it. trafilatura dropped "See
# also:", the spaces around the links and split the rest at the second link ("Foundation[1]and").
HATNOTE = (
    '<div role="note" class="hatnote">See also: <a href="/wiki/Mozilla_Foundation">Mozilla Foundation</a>'
    ' and <a href="/wiki/Mozilla_Corporation">Mozilla Corporation</a></div>'
)


@pytest.mark.parametrize("box", [HATNOTE, HATNOTE.replace("See also: ", "")], ids=["text-first", "link-first"])
def test_a_box_of_text_and_links_stays_one_paragraph_with_its_spaces(tmp_path: Path, box: str) -> None:
    doc = read_page(tmp_path, page(box))
    expected = box.split(">", 1)[1].replace('<a href="/wiki/Mozilla_Foundation">', "")
    expected = " ".join(lxml.html.fragment_fromstring(f"<p>{expected}").text_content().split())
    paragraphs = [inline_text(p.content) for p in nodes(doc, Paragraph)]
    assert expected in paragraphs
    assert [link.url for link in nodes(doc, Link)][:2] == [
        "https://news.example.com/wiki/Mozilla_Foundation",
        "https://news.example.com/wiki/Mozilla_Corporation",
    ]


def test_a_link_marker_in_print_keeps_the_space_after_its_link(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader

    from convert import sandbox_for, write
    from convert.options import LinkPolicy, WriteOptions

    path = tmp_path / "page.html"
    path.write_text(page(HATNOTE), encoding="utf-8")
    data = write(load(path), "pdf", sandbox_for(path, WriteOptions(links=LinkPolicy.FOOTNOTE)))
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "See also: Mozilla Foundation[1] and Mozilla Corporation[2]" in text


# ------------------------------------------------------------------ boilerplate and safety


def test_navigation_share_bar_newsletter_and_related_box_are_dropped(tmp_path: Path) -> None:
    furniture = """
<div class="share-bar"><a href="https://www.facebook.com/sharer/sharer.php?u=x">Share on Facebook</a>
  <a href="https://twitter.com/intent/tweet?url=x">Share on Twitter</a></div>
<aside class="newsletter"><h3>Get the newsletter</h3>
  <form><input type="email"><button>Subscribe now</button></form></aside>
<div class="related-articles"><h3>Related stories</h3><ul><li><a href="/science/waves">Wave energy explained</a></li>
  <li><a href="/science/wind">Offshore wind auctions</a></li></ul></div>"""
    text = plain_text(read_page(tmp_path, page("", furniture=furniture)).blocks)
    assert "the moon keeps better time" in text
    for clutter in ("Log in", "Share on", "newsletter", "Subscribe now", "Related stories", "Wave energy", "Privacy"):
        assert clutter not in text


def test_output_carries_no_active_content() -> None:
    html = page(
        f'<p onclick="steal()">{PROSE}<a href="javascript:alert(1)">bad link</a> <a href=" java\tscript:x">worse</a>'
        '</p><figure onmouseover="x()"><img src="/a.png" onerror="x()"><script>alert(1)</script>'
        '<iframe src="https://evil.example/"></iframe><figcaption style="color:red">Caption.</figcaption></figure>'
        "<style>p{}</style><table><caption>T</caption><tr><th>a</th></tr>"
        '<tr><td><a href="javascript:x">c</a></td></tr></table>'
    )
    out = extract_article(html, PAGE_URL)
    assert "Caption." in out and "bad link" in out
    root = lxml.html.fragment_fromstring(out, create_parent="div")
    assert not root.xpath("//script | //style | //iframe | //object | //embed")
    assert not [name for el in root.iter() for name in el.attrib if name.startswith("on") or name == "style"]
    assert not [v for v in root.xpath("//@href | //@src") if "".join(v.split()).lower().startswith("javascript:")]


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>", "<html><body><script>x()</script>"])
def test_nothing_found_gives_empty_string(html: str) -> None:
    assert extract_article(html, None) == ""


def test_relative_links_stay_relative_without_a_page_url() -> None:
    out = extract_article(page(f'<p>{PROSE}<a href="data.html">the data</a></p>', canonical=""), None)
    assert 'href="data.html"' in out


# ------------------------------------------------------------------ page furniture, named in `removed`


def load_page(tmp_path: Path, html: str) -> Document:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    return load(path)


@pytest.mark.parametrize(
    ("furniture", "rule"),
    [
        ("<p>less</p>", "caption-toggle"),
        ("<p>... more</p>", "caption-toggle"),
        ("<p>Photo: Jane Doe/Harbour Agency</p>", "photo-credit"),
        ("<p>(Image by Sam Lee)</p>", "photo-credit"),
        ("<h2>Photo Gallery</h2>", "gallery"),
        ("<p>3 of 12</p>", "gallery"),
        ("<p>Post Comment (+)</p>", "comments"),
        ("<p>Show comments</p>", "comments"),
        ("<p>You are at: Home / Science / Energy</p>", "breadcrumb"),
        ("<p>Home » Science » Energy</p>", "breadcrumb"),
        # The same prompts in other languages, alone or before the headline they point to.
        ("<p>Lesen Sie auch: Gezeitenkraftwerke in der Bretagne</p>", "related-links"),
        ("<p>VEA TAMBIÉN: Las mareas mueven turbinas en Escocia</p>", "related-links"),
        ("<p>À lire aussi</p>", "related-links"),
        ("<p>Zum Weiterlesen:</p>", "related-links"),
        ("<p>Zum Newsletter anmelden</p>", "newsletter-prompt"),
        ("<p>Never miss the latest news by signing up to our newsletter today!</p>", "newsletter-prompt"),
        ("<p>Please log in here to leave a comment.</p>", "comments"),
        ("<p>Crédits photos : Agence Marée</p>", "photo-credit"),
        ("<p>Schlagworte zum Thema:</p>", "tag-block"),
        ("<p>From the section Science &amp; Environment</p>", "section-label"),
        ("<p>Titelbild: Flickr, CC BY 2.0</p>", "photo-credit"),
        # A photographer and a picture library, with no "Photo:" before them.
        ("<p>Judy Eddy/WENN.com</p>", "photo-credit"),
        ("<p>mlharing / iStock.com</p>", "photo-credit"),
        # Print, pin and share buttons whose icons were pictures; a blog's like widget.
        ("<p>Zum Rezept Drucken Pinnen</p>", "share-prompt"),
        ("<p>[Printer Friendly, PDF &amp; Email]</p>", "share-prompt"),
        ("<p>%d Bloggern gefällt das:</p>", "share-prompt"),
        ("<p>Rezept bewerten:</p>", "rating-prompt"),
        ("<p>Rate this recipe</p>", "rating-prompt"),
        ("<p>ANZEIGE - Heute mal ausgehen? Wie wäre es mit:</p>", "advertisement"),
        ("<p>*Werbung. Dieser Beitrag enthält Werbung für Harbour Wear.</p>", "advertisement"),
        (
            "<p>Follow The Harbour Times on Twitter and Instagram @HarbourTimes and on Facebook @HarbourTimesNews. "
            "Send us a message on WhatsApp at 1-555-0100 or email us at tips@example.org or editors@example.org</p>",
            "social-prompt",
        ),
        ("<p>Folgt mir gerne auf Instagram. Da gibt es die meisten aktuellen Fotos.</p>", "social-prompt"),
        (
            "<p>This article is the copyrighted property of Harbour Times. Written permission must be obtained before "
            "reprint in online or print media. Reprinting content without permission is prohibited.</p>",
            "reprint-notice",
        ),
        ("<p>Aktualisiert am 17.01.2021.</p>", "updated-line"),
        ("<p>tides.html - Created 03-10-2004 2:20pm - Last Modified: 03-10-2004 2:20pm</p>", "updated-line"),
        ("<p>2021-10-16 | Botschaft</p>", "section-label"),
        ("<p>News date : 04/21/2022 Category : Press Releases</p>", "section-label"),
        # The site's appeal for money, asked in the first person.
        (
            "<p>Si te parece valioso el trabajo de El Puerto, apóyanos para seguir con tu membresía.</p>",
            "membership-prompt",
        ),
        (
            "<p>Gefällt dir unser Magazin? Bei der Gründung haben wir entschieden, keine Bezahlschranke "
            "einzuführen.</p>",
            "membership-prompt",
        ),
        ("<p>Tú también puedes hacer periodismo. Cancela cuando quieras.</p>", "membership-prompt"),
        ("<p>&gt;&gt; Wegen Corona: Das Hafenlokal muss schließen &lt;&lt;</p>", "related-links"),
        ("<p>(Alle Angaben ohne Gewähr)</p>", "disclaimer"),
        ("<p>Leer más</p>", "teaser-link"),
        ("<p>Mehr lesen...</p>", "teaser-link"),
        (
            "<p>Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive. Flowing "
            "in every day, these data are added to the Wayback Machine after an embargo period.</p>",
            "archive-banner",
        ),
    ],
)
def test_furniture_line_is_removed_and_named(tmp_path: Path, furniture: str, rule: str) -> None:
    doc = load_page(tmp_path, page(f"<figure><img src='/m/t.jpg' alt='T'><figcaption>A turbine.</figcaption></figure>"
                                   f"{furniture}<p>{PROSE}</p>"))  # fmt: skip
    text = lxml.html.fragment_fromstring(furniture).text_content()
    assert text not in plain_text(doc.blocks)
    assert Removal(rule, text) in doc.removed


@pytest.mark.parametrize(
    "sentence",
    [
        "Mehr zum Thema Gezeiten lesen Sie in unserem Bericht über die Bretagne und ihre Kraftwerke.",
        "Lesen Sie auch die Studie selbst, sagt die Forscherin: Sie ist kürzer, als man denkt.",
        "Please log in to the portal before the deadline; late forms cannot be accepted.",
        "Reuters reported that the talks had failed, and the harbour stayed closed for a week.",
        "Werbung ist für die Zeitung die wichtigste Einnahme, sagt die Verlegerin, und sie schrumpft.",
        "Updated figures show a rise of 5% in 2021 compared with the year before the tides were measured.",
        "Print is not dead, says the publisher of the harbour's weekly paper, and sales prove it.",
        "Die Zeitung hat keine Bezahlschranke, sagt die Verlegerin, und lebt von ihren Anzeigen.",
        "Werden Sie Teil der Testergemeinschaft und unterstützen Sie uns dabei, unsere Produkte zu verbessern.",
        "»Wie bringe ich Studierende dazu, im Hörsaal Fragen zu den Gezeiten zu stellen?«",
    ],
)
def test_prose_that_opens_like_a_prompt_stays(tmp_path: Path, sentence: str) -> None:
    doc = load_page(tmp_path, page(f"<p>{sentence}</p>"))
    assert sentence in plain_text(doc.blocks)
    assert not any(removal.text == sentence for removal in doc.removed)


def test_link_only_paragraph_after_the_article_that_precision_mode_drops_is_left_out() -> None:
    # trafilatura's default keeps a lone link after the last paragraph; its precision mode, which
    # confirms the main body's blocks, sees a link to another page.
    furniture = '<p><a href="/newsletter">Get our weekly energy briefing in your inbox every Friday morning</a></p>'
    out = extract_article(page("", furniture=furniture), None)
    assert "energy briefing" not in out
    assert "fill the gaps wind leaves" in out


def test_link_only_paragraph_within_the_article_stays() -> None:
    # Precision mode rejects it too, but only the body's ends are trimmed by that mode alone.
    inside = '<p><a href="/2024/tides-transcript.html">Read the full transcript of the interview</a></p>'
    out = extract_article(page(f"{inside}<p>{PROSE}</p>"), None)
    assert "Read the full transcript of the interview" in out


def test_tag_block_takes_its_list_along(tmp_path: Path) -> None:
    tags = '<h3>Related Tags</h3><ul><li><a href="/t/tides">Tides</a></li><li><a href="/t/power">Power</a></li></ul>'
    doc = load_page(tmp_path, page(f"<p>{PROSE}</p>{tags}<p>{PROSE}</p>"))
    assert "Related Tags" not in plain_text(doc.blocks) and "Power" not in plain_text(doc.blocks)
    assert Removal("tag-block", "Related Tags") in doc.removed  # the list may go with the page's links


def test_tag_heading_takes_its_list_along() -> None:
    tags = Document(blocks=(Heading(3, (Text("Related Tags"),)), BulletList(((Plain((Text("Tides"),)),),))))
    assert strip_boilerplate(tags, Context()).removed == (Removal("tag-block", "Related Tags"),
                                                          Removal("tag-block", "Tides"))  # fmt: skip


def test_heading_over_nothing_is_removed(tmp_path: Path) -> None:
    doc = load_page(tmp_path, page(f"<h2>Contents</h2><h2>Background</h2><p>{PROSE}</p>"))
    headings = [plain_text(h.content) for h in nodes(doc, Heading)]
    assert "Contents" not in headings and "Background" in headings
    assert Removal("empty-heading", "Contents") in doc.removed


def test_heading_ending_the_body_is_removed() -> None:
    body = (Heading(2, (Text("Background"),)), Paragraph((Text(PROSE),)), Heading(3, (Text("Notes"),)))
    result = strip_boilerplate(Document(blocks=body), Context())
    assert result.blocks == body[:2] and result.removed == (Removal("empty-heading", "Notes"),)


def test_a_sentence_that_mentions_more_or_a_photo_stays(tmp_path: Path) -> None:
    lines = ["<p>More than a hundred turbines were tested.</p>", "<p>Photo: the harbour, as it was in 1920, and the"
             " crane that lifted the first turbine into the water. It stood there for forty years.</p>"]  # fmt: skip
    doc = load_page(tmp_path, page("".join(lines)))
    assert "More than a hundred turbines were tested." in plain_text(doc.blocks)
    assert "It stood there for forty years." in plain_text(doc.blocks)


@pytest.mark.parametrize("cap", ["D", "“D"])
def test_drop_cap_joins_its_word(tmp_path: Path, cap: str) -> None:
    html = f'<p class="dropcap">{cap}</p><p>ata from the array show a steady output. {PROSE}</p>'
    doc = load_page(tmp_path, page(html))
    assert f"{cap}ata from the array" in plain_text(doc.blocks)


# ------------------------------------------------------------------ no silent loss


def test_body_much_shorter_than_plain_trafilatura_is_replaced_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A main extraction that keeps only a fragment (a bio, the site header) loses to plain trafilatura."""
    import convert.readers.extract as extract

    def lossy(root: lxml.html.HtmlElement, url: str | None) -> lxml.html.HtmlElement:
        return lxml.html.fragment_fromstring("<div><p>About the author: Jo writes about the sea.</p></div>")

    monkeypatch.setattr(extract, "_main_extraction", lossy)
    doc = read_page(tmp_path, page(f"<p>{PROSE}</p>"))
    assert "Engineers have tested turbines" in plain_text(doc.blocks)
    assert "About the author" not in plain_text(doc.blocks)
    assert doc.meta.extraction is not None and doc.meta.extraction.method == "trafilatura-plain"
    assert "plain trafilatura finds" in doc.meta.extraction.note
    assert str(tmp_path / "page.html") in caplog.text and "plain trafilatura finds" in caplog.text


def test_both_extractions_far_shorter_than_the_pages_own_article_give_its_best_block_not_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """trafilatura keeps only the site header; the page's JSON-LD says its article is long: the best
    text block is taken, with a warning, and never the whole page with its navigation."""
    import json

    import convert.readers.extract as extract

    def header_only(root: lxml.html.HtmlElement, url: str | None, **_: object) -> lxml.html.HtmlElement:
        return lxml.html.fragment_fromstring("<div><p>News of the sea, every day</p></div>")

    monkeypatch.setattr(extract, "_main_extraction", header_only)
    monkeypatch.setattr(extract, "_plain_trafilatura", header_only)
    body = f"{PROSE} {PROSE} Unlike wind, the tide never fails."
    ld = json.dumps({"@type": "NewsArticle", "headline": "Tides", "articleBody": body})
    html = page(f"<p>{PROSE}</p>").replace("</head>", f'<script type="application/ld+json">{ld}</script></head>')
    doc = read_page(tmp_path, html)
    text = plain_text(doc.blocks)
    assert "Engineers have tested turbines" in text
    assert not {"Home", "Opinion", "Log in", "About us"} & set(text.split("\n"))
    assert doc.meta.extraction is not None and doc.meta.extraction.method == "best-block"
    assert "page's own article" in doc.meta.extraction.note
    assert "page.html" in caplog.text and "best text block" in caplog.text


def test_agreeing_extractions_are_recorded_without_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    doc = read_page(tmp_path, page(f"<p>{PROSE}</p>"))
    assert doc.meta.extraction is not None
    assert (doc.meta.extraction.method, doc.meta.extraction.note) == ("trafilatura", "")
    assert doc.meta.extraction.confidence >= 0.9
    assert "page.html" not in caplog.text


def test_page_too_deep_for_libxml2_gives_its_article_not_the_whole_page(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    menu = "<nav><ul>" + "".join(f'<li><a href="/s{k}">Section {k}</a></li>' for k in range(12)) + "</ul></nav>"
    languages = '<div class="langs"><a href="/de">Deutsch</a> <a href="/fr">Français</a></div>'
    article = f"<article><h1>Deep</h1><p>{PROSE}</p><p>Unlike wind, the tide never fails. {PROSE}</p></article>"
    html = f"<html><body>{menu}{languages}{'<div>' * 300}{article}{'</div>' * 300}<footer>My Portfolio</footer>"
    doc = read_page(tmp_path, html + "</body></html>")
    text = plain_text(doc.blocks)
    assert "Engineers have tested turbines" in text
    assert not {"Section 3", "Deutsch", "My Portfolio"} & set(text.splitlines())
    assert "Section 3" not in text and "My Portfolio" not in text
    assert doc.meta.extraction is not None and "deep" in doc.meta.extraction.note
    assert "page.html" in caplog.text


def test_inspect_shows_how_the_body_was_chosen(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from convert.cli import cli

    path = tmp_path / "page.html"
    path.write_text(page(f"<p>{PROSE}</p>"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["inspect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    extraction = json.loads(result.output)["meta"]["extraction"]
    assert extraction["method"] == "trafilatura" and extraction["confidence"] >= 0.9


def test_prompt_in_a_box_of_its_own_is_removed() -> None:
    boxed = Document(blocks=(Div((Paragraph((Text("Advertisement"),)),)), Paragraph((Text(PROSE),))))
    result = strip_boilerplate(boxed, Context())
    assert result.removed == (Removal("advertisement", "Advertisement"),)
    assert result.blocks == (Paragraph((Text(PROSE),)),)


def test_table_holding_the_page_is_layout_even_with_a_summary(tmp_path: Path) -> None:
    cells = f'<td><div id="head"><a href="/">Site logo</a></div></td><td><h1>Tides</h1><p>{PROSE}</p></td>'
    second = "<p>Unlike wind, the tide never fails: it comes twice a day, every day, at an hour known years ahead.</p>"
    layout = f'<table summary="Layout"><tr>{cells}</tr><tr><td>Menu</td><td>{second}</td></tr></table>'
    doc = read_page(tmp_path, f"<html><body>{layout}</body></html>")
    assert not nodes(doc, Table)
    assert "Engineers have tested turbines" in plain_text(doc.blocks)


def test_related_heading_takes_the_teasers_under_it_along() -> None:
    def teaser(title: str) -> Paragraph:
        return Paragraph((Link((Text(title),), f"https://news.example.com/{len(title)}"),))

    body = (
        Paragraph((Text(PROSE),)),
        Heading(3, (Text("Das könnte Sie auch interessieren"),)),
        teaser("Wind farms grow offshore"),
        teaser("Solar prices fall again"),
        Paragraph((Text("The tide tables for next year are out."),)),
    )
    doc = strip_boilerplate(Document(blocks=body), Context())
    assert doc.blocks == (body[0], body[-1])
    assert doc.removed == (
        Removal("related-links", "Das könnte Sie auch interessieren"),
        Removal("related-links", "Wind farms grow offshore"),
        Removal("related-links", "Solar prices fall again"),
    )


@pytest.mark.parametrize(("tail_words", "trimmed"), [(12, True), (200, False)])
def test_precision_mode_trims_only_a_short_end_of_the_body(tail_words: int, trimmed: bool) -> None:
    from convert.readers.extract import Confirmation, _confirm_body

    tail = " ".join(["results"] * tail_words)
    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>{PROSE}</p><p>{tail}</p></div>")
    precise = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>{PROSE}</p></div>")
    plain = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>{PROSE}</p><p>{tail}</p></div>")
    # Precision mode kept as many words as plain trafilatura's body: its verdict is trusted at the ends.
    _confirm_body(main, Confirmation.of(plain), Confirmation.of(precise))
    # A long end that precision mode alone rejects is a part of the page it did not take, not furniture.
    assert ("results" not in main.text_content()) is trimmed
    assert main.text_content().count("Tidal streams") == 2


def test_a_paragraph_the_end_trim_took_out_does_not_come_back_as_a_missed_one() -> None:
    # Plain trafilatura keeps an appeal after the article that precision mode drops; the
    # paragraphs of plain trafilatura's the main body lacks are put back, but not at its end.
    from convert.readers.extract import Confirmation, _add_missed_paragraphs

    appeal = "If you enjoyed reading this post, would you consider supporting our work with a small donation?"
    lede = "The moon keeps better time than the weather, and engineers have tested turbines in straits for decades."
    last = "Nobody expects tidal power to replace wind, but it may yet fill the gaps wind leaves."
    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>{last}</p></div>")
    plain = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>{lede}</p><p>{last}</p><p>{appeal}</p></div>")
    precise = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>{lede}</p><p>{last}</p></div>")
    _add_missed_paragraphs(main, plain, Confirmation.of(precise))
    # The missed paragraph within the body is put back; the one after its end is not.
    assert [p.text_content() for p in main] == [PROSE, lede, last]


@pytest.mark.parametrize(
    ("ends", "dropped"),
    [
        # Short lines, not sentences, that neither precision mode nor jusText keeps: they go (a
        # heading is looked past: the normalizer drops it if it is left over nothing).
        ("<p>27. Mai 2020</p><h4>Mehr von uns</h4><p>Tipp drucken</p>", ["27. Mai 2020", "Tipp drucken"]),
        # A link to another site closing the article is one of its sources.
        ('<p><a href="https://other.example.org/downloads">Constant download failures</a></p>', []),
        ('<p><a href="https://news.example.com/wind">Wind farms grow offshore</a></p>', ["Wind farms grow offshore"]),
        (
            "<ul><li>Wind farms grow offshore</li><li>Solar prices fall again</li></ul>",
            ["Wind farms grow offshore Solar prices fall again"],
        ),
        # A headline linking to another page may be longer than a label (13 words here).
        (
            '<ul><li><a href="/a">AN aprueba liquidar pago de interés del décimo tercer mes '
            "mediante el Cepadem</a></li></ul>",
            ["AN aprueba liquidar pago de interés del décimo tercer mes mediante el Cepadem"],
        ),
        (  # The same words not as a link: text, too long for a label.
            "<ul><li>AN aprueba liquidar pago de interés del décimo tercer mes mediante el Cepadem</li></ul>",
            [],
        ),
        # An image alone is looked past, and stays.
        ("<p><img src='icons.png'></p><p>Tipp drucken</p>", ["Tipp drucken"]),
        # A sentence ends the run: the line before it stays.
        ("<p>Tipp drucken</p><p>The tide tables for next year are out.</p>", []),
        # jusText keeps it (the extractor's stand-in keeps every "Solar" line).
        ("<p>Solar prices fall again</p>", []),
    ],
)
def test_short_lines_at_the_ends_that_no_second_extractor_keeps_go_and_are_noted(ends: str, dropped: list[str]) -> None:
    from convert.readers.extract import _END_FURNITURE, Confirmation, _drop_end_furniture

    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p>{ends}</div>")
    precise = Confirmation.of(lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p></div>"))
    _drop_end_furniture(main, "news.example.com", (lambda: precise.text, lambda: "solarpricesfallagain"))
    notes = json.loads(main.get(_END_FURNITURE) or "[]")
    assert notes == dropped
    assert main.text_content().count("Tidal streams") == 3
    assert all(line not in main.text_content() for line in dropped)
    assert len(main.findall(".//img")) == ends.count("<img")


def test_the_run_from_the_start_stops_at_a_heading() -> None:
    # The article begins at its first heading: a hatnote under it ("See also: A and B") stays,
    # though no second opinion keeps it; the run from the end looks past headings.
    from convert.readers.extract import _drop_end_furniture

    hatnote = 'See also: <a href="/wiki/A">Tidal Foundation</a> and <a href="/wiki/B">Tidal Corporation</a>'
    main = lxml.html.fragment_fromstring(
        f"<div><h2>Tidal power</h2><p>{hatnote}</p><p>{PROSE}</p><p>{PROSE}</p><h3>More</h3><p>Tipp drucken</p></div>"
    )
    _drop_end_furniture(main, "", (lambda: "", lambda: ""))
    assert "See also: Tidal Foundation and Tidal Corporation" in main.text_content()
    assert json.loads(main.get("data-end-furniture") or "[]") == ["Tipp drucken"]


def test_end_furniture_is_recorded_in_removed(tmp_path: Path) -> None:
    # A list of other articles' headlines closing the article, which trafilatura keeps (its
    # precision mode too, on the prepared page) but precision mode on the page as it is and
    # jusText do not: it goes, recorded under its rule (its heading is left to the empty-heading rule).
    teasers = (
        '<h3>Te recomendamos</h3><ol><li><h2><a href="/a">Wind farms grow offshore</a></h2></li>'
        '<li><h2><a href="/b">Solar prices fall again</a></h2></li></ol>'
    )
    doc = read_page(tmp_path, page("", furniture=teasers))
    text = plain_text(doc.blocks)
    assert "Wind farms" not in text and "Solar prices" not in text
    assert "fill the gaps wind leaves" in text
    assert Removal("end-furniture", "Wind farms grow offshore Solar prices fall again") in doc.removed


def test_blocks_the_second_opinions_reject_are_recorded_in_removed(tmp_path: Path) -> None:
    # A bare fragment: plain trafilatura reads it as one block, so a short paragraph of the main
    # extraction is not one of its blocks and goes as furniture. It went without a trace.
    fragment = tmp_path / "fragment.html"
    fragment.write_text(
        '<h2>Notes</h2>\n<p>Some <b>bold</b> text with <a href="https://example.org/x">a link</a>.</p>\n'
        "<ul><li>one</li><li>two</li></ul>\n",
        encoding="utf-8",
    )
    doc = read(fragment)
    kept = plain_text(doc.blocks)
    gone = [r.text for r in doc.removed if r.rule == "unconfirmed"]
    assert "Some bold text" in kept or any(text.startswith("Some bold text with a link") for text in gone)
    assert all(text not in kept for text in gone)


# ------------------------------------------------------------------ articles lost on real pages
# Each fixture is trimmed from a page of trafilatura's evaluation corpus where Tearsheet kept under
# half of what plain trafilatura finds (benchmarks/extraction_eval.py lists such pages).

LOST = Path(__file__).parent.parent / "fixtures" / "lost-articles"


def test_japanese_article_is_not_taken_for_a_fragment_of_its_page() -> None:
    """Words counted between spaces made a Japanese article a few "words" beside its ruby-annotated
    page: its own <article> looked ten times longer, and readability's block (readings and all) was
    taken. Unspaced scripts count by character."""
    doc = load(LOST / "ruby-japanese.html")
    text = plain_text(doc.blocks)
    assert "子どもへの虐待をなくすための法律ができて" in text
    assert "法律では虐待をした親に専門家が子どもの育て方を" in text
    assert doc.meta.extraction is not None and doc.meta.extraction.method == "trafilatura"


def test_word_count_of_unspaced_scripts_counts_characters() -> None:
    from convert.readers.html_text import words

    assert words("子どもへの法律 and two") == ["子", "ど", "も", "へ", "の", "法", "律", "and", "two"]


def test_a_main_element_inside_a_caption_does_not_become_the_article() -> None:
    """pandoc reads only the <main> of an HTML document: a credit wrapped in one was all that was left."""
    doc = load(LOST / "main-in-caption.html")
    text = plain_text(doc.blocks)
    assert "Rosjanie twierdzą, że z planów operatora" in text
    assert "Tak konkluduje rosyjski portal." in text
    figure = nodes(doc, Figure)[0]
    assert "Fot. Europol Gaz" in plain_text(figure.caption)


def test_a_stray_byte_does_not_override_the_declared_charset(caplog: pytest.LogCaptureFixture) -> None:
    """One byte of a character cut in two made the page not UTF-8, and detection read it as another
    charset, every Polish letter garbled; a browser keeps the declared UTF-8 and shows U+FFFD."""
    doc = load(LOST / "stray-byte.html")
    text = plain_text(doc.blocks)
    assert "Watchdog wytoczył zarządowi fundacji sprawę karną" in text
    assert doc.meta.title == "Sprzeciw wobec ataków na fundację"
    assert "stray-byte.html: 1 byte(s) do not fit the declared charset UTF-8" in caplog.text


def test_a_page_valid_as_utf8_is_read_as_utf8_whatever_it_declares(tmp_path: Path) -> None:
    """A saved file may have been re-encoded by what saved it, its old declaration left in place."""
    path = tmp_path / "page.html"
    path.write_bytes(page(f"<p>Größere Turbinen. {PROSE}</p>").replace("utf-8", "iso-8859-1").encode("utf-8"))
    assert "Größere Turbinen." in plain_text(load(path).blocks)


def test_an_articles_text_alone_in_a_box_is_kept() -> None:
    """A paywalled article's free preview, text alone in a box between comments: trafilatura, keeping
    formatting, dropped it (and plain trafilatura's text output kept it)."""
    doc = load(LOST / "paywall-preview.html")
    text = plain_text(doc.blocks)
    assert "Gesine aus Tübingen läuft die Zeit davon." in text
    assert "Die Vorlesungen an der Uni und den Hochschulen starten." in text


def test_a_lede_set_as_a_heading_is_not_a_heading_over_nothing() -> None:
    lede = Heading(2, (Text(PROSE),))
    body = (lede, Heading(2, (Text("Background"),)), Paragraph((Text(PROSE),)))
    result = strip_boilerplate(Document(blocks=body), Context())
    assert result.blocks == body and not result.removed


# ------------------------------------------------------------------ photo credits in figures


@pytest.mark.parametrize(
    "credit",
    [
        '<span class="copyright-note">© Agency/Jane Doe</span>',
        '<div class="figure__copyright"><p>© Agency/Jane Doe</p></div>',
        '<span class="image-credit">© Agency/Jane Doe</span>',
    ],
)
def test_a_credit_its_markup_names_leaves_the_caption_and_is_recorded(tmp_path: Path, credit: str) -> None:
    """The caption of a kept image stays (a reader needs it); the credit beside it, named so by its
    class, goes by the rule ``photo-credit``."""
    figure_html = (
        f'<figure><img src="/media/harbour.jpg" alt=""><figcaption>The harbour at dawn. {credit}</figcaption></figure>'
    )
    doc = load_page(tmp_path, page(figure_html))
    (figure,) = nodes(doc, Figure)
    assert plain_text(figure.caption).strip() == "The harbour at dawn."
    assert [i.src for i in nodes(figure, Image)] == ["/media/harbour.jpg"]
    assert Removal("photo-credit", "© Agency/Jane Doe") in doc.removed


def test_a_caption_that_is_only_a_credit_goes_and_the_image_stays(tmp_path: Path) -> None:
    doc = load_page(
        tmp_path, page('<figure><img src="/media/harbour.jpg" alt=""><figcaption>(Foto: ABr)</figcaption></figure>')
    )
    (figure,) = nodes(doc, Figure)
    assert not plain_text(figure.caption).strip()
    assert [i.src for i in nodes(figure, Image)] == ["/media/harbour.jpg"]
    assert Removal("photo-credit", "(Foto: ABr)") in doc.removed


@pytest.mark.parametrize(
    ("caption", "credit"),
    [
        ("The harbour at dawn, when the first boats go out. Photo: Jane Doe", "Photo: Jane Doe"),
        ("The harbour at dawn, when the first boats go out. | © Agency/Jane Doe", "© Agency/Jane Doe"),
        ("The harbour at dawn, when the first boats go out. (Foto: Jane Doe, Agency)", "(Foto: Jane Doe, Agency)"),
        ("The harbour at dawn, when the first boats go out.<p>| © Agency / Jane Doe</p>", "| © Agency / Jane Doe"),
        ("The harbour at dawn, when the first boats go out. (mlharing / iStock.com)", "(mlharing / iStock.com)"),
    ],
)
def test_a_caption_keeps_its_text_and_loses_the_credit_closing_it(tmp_path: Path, caption: str, credit: str) -> None:
    doc = load_page(
        tmp_path, page(f'<figure><img src="/media/harbour.jpg" alt=""><figcaption>{caption}</figcaption></figure>')
    )
    (figure,) = nodes(doc, Figure)
    assert plain_text(figure.caption).strip() == "The harbour at dawn, when the first boats go out."
    assert [i.src for i in nodes(figure, Image)] == ["/media/harbour.jpg"]
    assert Removal("photo-credit", credit) in doc.removed


def test_a_credit_its_markup_names_beside_an_image_outside_a_figure_goes(tmp_path: Path) -> None:
    """A caption and a credit in spans next to an image, with no figure around them: trafilatura
    loses the class, so the credit is set aside before it reads the page and comes back as one."""
    image = (
        '<p><img src="/media/harbour.jpg" alt=""><span class="caption">The harbour at dawn.</span>'
        '<span class="credits">Harbour Agency / Jane Doe</span></p>'
    )
    doc = load_page(tmp_path, page(f"{image}<p>{PROSE}</p>"))
    assert "Jane Doe" not in plain_text(doc.blocks)
    assert "The harbour at dawn." in plain_text(doc.blocks)
    assert Removal("photo-credit", "Harbour Agency / Jane Doe") in doc.removed


def test_a_figure_whose_caption_ends_in_a_teasers_link_is_a_teaser_card(tmp_path: Path) -> None:
    """A picture linking to another article, its headline and "Leer más" under it, set inside the
    article: the card goes by the rule ``teaser-link``; a figure of the article's own stays."""
    card = (
        '<figure><a href="/other-story"><img src="/media/other.jpg" alt="Other story"></a>'
        "<figcaption><h5>Storm Ciara leaves the harbour closed</h5><p>Leer más</p></figcaption></figure>"
    )
    own = '<figure><img src="/media/harbour.jpg" alt=""><figcaption>The harbour at dawn.</figcaption></figure>'
    doc = load_page(tmp_path, page(f"<p>{PROSE}</p>{card}<p>{PROSE}</p>{own}"))
    assert [i.src for i in nodes(doc, Image)] == ["/media/harbour.jpg"]
    assert "Storm Ciara" not in plain_text(doc.blocks)
    assert any(r.rule == "teaser-link" and "Storm Ciara" in r.text for r in doc.removed)


def test_a_line_that_is_its_images_credit_goes(tmp_path: Path) -> None:
    """A figure's line whose text is the credit its image carries (``data-credit``) is that credit,
    whatever its class."""
    figure_html = (
        '<figure><img src="/media/harbour.jpg" alt="" data-credit="Jane Doe/Harbour Agency">'
        '<figcaption>The harbour at dawn.</figcaption><span class="description">Jane Doe/Harbour Agency</span></figure>'
    )
    doc = load_page(tmp_path, page(figure_html))
    (figure,) = nodes(doc, Figure)
    assert "Jane Doe" not in plain_text(doc.blocks)
    assert [i.src for i in nodes(figure, Image)] == ["/media/harbour.jpg"]
    assert Removal("photo-credit", "Jane Doe/Harbour Agency") in doc.removed


def test_the_prepared_page_is_read_only_for_a_block_plain_trafilatura_leaves_unconfirmed() -> None:
    from convert.readers.extract import Confirmation, Confirmations

    plain = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><h2>Background</h2></div>")
    prepared = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>A caption outside its figure.</p></div>")
    asked: list[int] = []

    def ask() -> Confirmation:
        asked.append(1)
        return Confirmation.of(plain, prepared)

    either = Confirmations(Confirmation.of(plain), ask)
    assert (
        either.confirms("background") and either.confirms("tidalstreamsareamongthemostpredictablesources") and not asked
    )
    assert either.confirms("acaptionoutsideitsfigure") and not either.confirms("related") and asked == [1]


def test_a_caption_whose_image_is_gone_goes_and_is_recorded(tmp_path: Path) -> None:
    """A video player's figure: the player is active content and goes, and its caption with it, named."""
    caption = "<figcaption>Watch: the turbine at work</figcaption>"
    player = f'<figure><iframe src="https://video.example.com/embed/1"></iframe>{caption}</figure>'
    doc = load_page(tmp_path, page(player))
    assert "Watch: the turbine at work" not in plain_text(doc.blocks)
    assert Removal("orphan-caption", "Watch: the turbine at work") in doc.removed


# A line break that closes a phrase: trafilatura drops it, and the words either side ran together
# ("Not just social mediaA web editor", a real post's list of roles).
@pytest.mark.parametrize("phrase", ["strong", "em", "a href='https://example.org/roles'", "span"])
def test_a_line_break_closing_a_phrase_keeps_the_words_apart(tmp_path: Path, phrase: str) -> None:
    tag = phrase.split()[0]
    items = "".join(
        f"<li><{phrase}>Role {k}<br/></{tag}>A web editor could do much more than run the accounts {k}.</li>"
        for k in (1, 2)
    )
    doc = read_page(tmp_path, page(f"<ol>{items}</ol>"))
    text = plain_text(doc.blocks)
    for k in (1, 2):
        assert f"Role {k}A web" not in text
        assert f"Role {k}\nA web editor could do much more than run the accounts {k}." in text, text


# ------------------------------------------------------------------ second opinions of other designs
# jusText (stop-word density) and readability (the best-scored block) judge text by other means
# than trafilatura's tree rules; where they agree with each other against it, they are heard.

EXTRACTION = Path(__file__).parent.parent / "fixtures" / "extraction"


def test_a_lede_in_a_box_of_its_own_is_put_at_the_body_start() -> None:
    # The standfirst under the headline sits in the page's intro box, with the byline and the
    # date: trafilatura passes over the box, jusText keeps its paragraph just before the body's first.
    doc = read(EXTRACTION / "lede-in-a-box.html")
    text = plain_text(doc.blocks)
    lede = "The local elections ended not only with a large victory for the opposition party"
    assert lede in text
    assert text.index(lede) < text.index("The opposition won the capital")
    assert text.count(lede) == 1
    assert "5 November 2021" not in text  # the short line looked past is not taken along


@pytest.mark.parametrize(
    ("before", "added"),
    [
        # jusText's paragraph before the body's first: the lede, put first.
        ("<p>{lede}</p>", True),
        # A short line between them (a date) is looked past.
        ("<p>{lede}</p><p>5 November 2021</p>", True),
        # A short line is never a lede.
        ("<p>Country reports</p>", False),
        # A heading of the page is not a lede, however long.
        ("<p>{heading}</p>", False),
    ],
)
def test_add_lede(before: str, added: bool) -> None:
    from convert.readers.extract import _add_lede

    lede = "The local elections ended not only with a large victory for the opposition but also a career"
    heading = "A long headline of the page that states in many words what the article is all about today"
    justext = lxml.html.fragment_fromstring(
        "<div>" + before.format(lede=lede, heading=heading) + f"<p>{PROSE}</p><p>{PROSE}</p></div>"
    )
    page_tree = lxml.html.document_fromstring(f"<html><body><h1>{heading}</h1><p>{PROSE}</p></body></html>")
    main = lxml.html.fragment_fromstring(f"<div><h3>A clear result</h3><p>{PROSE}</p><p>{PROSE}</p></div>")
    _add_lede(main, justext, page_tree)
    # Before the body's paragraph jusText found first (the heading over it is not one of jusText's).
    texts = [p.text_content() for p in main]
    assert texts[:2] == ["A clear result", lede if added else PROSE]
    assert len(texts) == 3 + added
    assert "5 November 2021" not in main.text_content()


def test_short_lines_no_second_extractor_keeps_go_anywhere_in_the_body(tmp_path: Path) -> None:
    # A label opening a list of teasers in the middle of the article: trafilatura's recall mode
    # keeps it, plain trafilatura, its precision mode and jusText do not. It goes, named.
    doc = read(EXTRACTION / "lone-lines.html")
    text = plain_text(doc.blocks)
    assert "Stories from our newsroom" not in text
    assert Removal("lone-line", "Stories from our newsroom") in doc.removed
    assert "Messages of support came from all over the cycling world." in text


@pytest.mark.parametrize(
    ("lines", "dropped"),
    [
        # A label no second opinion has goes; one they have stays.
        ("<p>Bild via</p><p>Tidal streams are among the most predictable</p>", ["Bild via"]),
        # Kept by plain trafilatura alone, a line that is not a sentence goes; a sentence or a heading stays.
        ("<p>Solar prices fall again</p>", ["Solar prices fall again"]),
        ("<p>Solar prices fall again.</p><h3>Solar prices fall again</h3>", []),
        # A list's item goes, and the list with it when nothing is left.
        ("<ul><li>Pinnen</li></ul>", ["Pinnen"]),
        # A line with an image, a table's cell and a sentence of more than twelve words stay.
        ("<p><img src='a.png'> Bild via</p>", []),
        ("<table><tr><td>Bild via</td><td>2 cups</td></tr></table>", []),
        # A pointer with its link, a reference to another site and a headline of the site's.
        ('<p>Main article: <a href="/wiki/Firefox">Firefox</a></p>', []),
        ('<ul><li><a href="https://bugs.example.org/1">Constant download failures</a></li></ul>', []),
        ('<ul><li><a href="https://news.example.com/1">Wind farms grow</a></li></ul>', ["Wind farms grow"]),
        # A figure's caption stays with its image, a quotation's attribution with the quotation.
        ("<figure><img src='a.png'><figcaption>Bild via</figcaption></figure>", []),
        ("<blockquote><p>The cable took six years.</p><p>Bild via</p></blockquote>", []),
        # A caption of the page's, outside a figure here, stays.
        ("<p>A tidal turbine being lowered</p>", []),
        ("<p>A sentence of thirteen words that no second extractor happens to keep at all.</p>", []),
        # A line that is only a date stays for the dateline pass, which reads it and records it.
        ("<p>31.01.2022</p><p>4 mai 2015</p>", []),
    ],
)
def test_drop_lone_lines(lines: str, dropped: list[str]) -> None:
    from convert.readers.extract import _LONE_LINES, _drop_lone_lines

    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p>{lines}<p>{PROSE}</p><p>{PROSE}</p></div>")
    kept = "tidalstreamsareamongthemostpredictable solarpricesfallagain"  # plain trafilatura's
    _drop_lone_lines(
        main,
        "news.example.com",
        lambda: kept,
        (lambda: kept.split()[0], lambda: ""),
        lambda: {"atidalturbinebeinglowered"},
    )
    assert json.loads(main.get(_LONE_LINES) or "[]") == dropped
    assert all(line not in main.text_content() for line in dropped)
    assert main.find(".//ul") is None or "Pinnen" not in dropped


def test_lone_lines_that_are_half_the_body_stay() -> None:
    # A recipe's ingredients, a list of facts: short lines no second opinion keeps are the body itself.
    from convert.readers.extract import _drop_lone_lines

    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><ul><li>2 eggs</li><li>Butter</li></ul></div>")
    _drop_lone_lines(main, "news.example.com", lambda: "", (lambda: "", lambda: ""), set)
    assert "2 eggs" in main.text_content() and "Butter" in main.text_content()


def test_a_paragraph_jusText_and_readability_keep_overrules_trafilatura() -> None:
    # An article's paragraph that plain trafilatura leaves out: kept when both extractors of
    # other designs keep it, dropped when only one does; a short block is never overruled.
    from convert.readers.extract import _UNCONFIRMED, Confirmation, _confirm_body

    paragraph = "Gutes Heu ist das Grundnahrungsmittel für unsere Pferde, und Heulage genießt einen weniger guten Ruf."
    squashed = "".join(ch for ch in paragraph.casefold() if ch.isalnum())
    for others, kept in (
        ((lambda: squashed + "menu", lambda: "x" + squashed), True),
        ((lambda: squashed, lambda: ""), False),
    ):
        main = lxml.html.fragment_fromstring(f"<div><p>{paragraph}</p><p>{PROSE}</p><p>Zum Weiterlesen</p></div>")
        plain = Confirmation.of(lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p></div>"))
        _confirm_body(main, plain, None, others)
        assert (paragraph in main.text_content()) is kept
        assert "Zum Weiterlesen" not in main.text_content()
        assert "Zum Weiterlesen" in json.loads(main.get(_UNCONFIRMED) or "[]")


@pytest.mark.parametrize(
    ("tail", "dropped"),
    [
        # After the last paragraph of prose, short lines precision mode does not keep go, sentences too.
        (
            "<p>Möchten Sie den Artikel teilen?</p><p>Sie möchten wöchentliche Produktvorstellungen?</p>",
            ["Möchten Sie den Artikel teilen?", "Sie möchten wöchentliche Produktvorstellungen?"],
        ),
        # One precision mode keeps stays; so do a source (a link to another site) and a figure's caption.
        ("<p>Nobody expects tidal power to replace wind.</p>", []),
        ('<p><a href="https://other.example.org/report">The 2023 tidal energy report</a></p>', []),
        ("<figure><img src='a.png'><figcaption>Sharing is caring</figcaption></figure>", []),
    ],
)
def test_short_lines_after_the_last_paragraph_that_precision_mode_drops_go(tail: str, dropped: list[str]) -> None:
    from convert.readers.extract import _END_FURNITURE, _drop_tail_lines

    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>{PROSE}</p>{tail}</div>")
    precise = "".join(ch for ch in (PROSE + "Nobody expects tidal power to replace wind.").casefold() if ch.isalnum())
    _drop_tail_lines(main, "news.example.com", lambda: precise)
    assert json.loads(main.get(_END_FURNITURE) or "[]") == dropped
    assert main.text_content().count("Tidal streams") == 2


def test_the_tail_is_trimmed_only_where_precision_mode_keeps_the_last_paragraph() -> None:
    from convert.readers.extract import _drop_tail_lines

    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p><p>Möchten Sie den Artikel teilen?</p></div>")
    _drop_tail_lines(main, "", lambda: "")  # precision mode kept something else: it says nothing here
    assert "Möchten Sie den Artikel teilen?" in main.text_content()


@pytest.mark.parametrize(
    "box",
    [
        # A byline and dateline line (le Monde's "Le Monde | 04.05.2015 à 13h36 • Mis à jour …"),
        '<p class="bloc_signature"><span>Le Monde</span> | <time>04.05.2015</time> {text}</p>',
        # A notice in the page's bar (Medium's "The author chose to make this story unlisted …").
        '<div class="metabar"><div class="metabar-drawer">{text}</div></div>',
        "<nav><p>{text}</p></nav>",
    ],
)
def test_a_line_of_the_pages_header_or_furniture_is_no_lede(box: str) -> None:
    from convert.readers.extract import _add_lede

    text = "Updated by the newsroom with reporting from three of our colleagues in the capital today"
    line = box.format(text=text)
    page_tree = lxml.html.document_fromstring(f"<html><body>{line}<p>{PROSE}</p></body></html>")
    justext = lxml.html.fragment_fromstring(
        f"<div><p>{lxml.html.fromstring(line).text_content()}</p><p>{PROSE}</p></div>"
    )
    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p></div>")
    _add_lede(main, justext, page_tree)
    assert "Updated by the newsroom" not in main.text_content()


def test_an_image_inside_an_inline_quotation_keeps_its_source(tmp_path: Path) -> None:
    """The quotation is set aside whole after its image was: both come back, no placeholder is left."""
    doc = read_page(
        tmp_path,
        page(f'<p>{PROSE} As the poster said, <q>look <img src="/media/sign.jpg" alt="A sign"> here</q>, twice.</p>'),
    )
    assert [i.src for i in nodes(doc, Image)] == ["/media/sign.jpg"]
    assert "twice" in plain_text(doc.blocks)


def test_a_token_left_in_the_tail_of_a_block_placeholder_is_put_back_too() -> None:
    """trafilatura may leave an anchor's token after a table's placeholder paragraph; the table
    put back in the paragraph's place takes that tail with it, and the token is still restored."""
    from convert.readers.extract import _restore

    token = "tsph0123456789x"
    table = lxml.html.fragment_fromstring("<table><tr><td>Cell</td></tr></table>")
    anchor = lxml.html.Element("span", id="part-2")
    article = lxml.html.fragment_fromstring(f"<div><p>{token}0k Cell</p>{token}1k<h2>Part two</h2><p>Text.</p></div>")
    _restore(article, token, {f"{token}0k": table, f"{token}1k": anchor})
    html = lxml.html.tostring(article, encoding="unicode")
    assert token not in html
    assert html.startswith('<div><table><tr><td>Cell</td></tr></table><span id="part-2"></span>')


APPEAL = "We rely on your support: give to the newsroom today"
FURNITURE_PAGE = f"""<html><body><div class="site__main--no-sidebar"><article class="post">
<p>{PROSE}</p><p class="donation-cta">{APPEAL}</p>
<h3>The tide turns</h3><p>{PROSE}</p><p>{PROSE}</p></article>
<aside class="widget"><h3>Most read</h3><p><a href="/1">The tide turns</a></p></aside>
<div class="related-articles"><p>Solar prices fall again</p></div>
<div id="cookieinfo"><span class="long">We use cookies to provide our services; by using the site you agree.</span>
</div>
<footer><p>Contact the newsroom at 12 Harbour Street</p></footer></div></body></html>"""


@pytest.mark.parametrize(
    ("lines", "dropped"),
    [
        # A box the page names as furniture (a call to action, related links) or a landmark of
        # furniture (a footer), outside the article's prose or inside it, takes its lines out.
        (f"<p>{APPEAL}</p>", [APPEAL]),
        ("<p>Solar prices fall again</p><p>Contact the newsroom at 12 Harbour Street</p>",
         ["Solar prices fall again", "Contact the newsroom at 12 Harbour Street"]),
        # A cookie or consent banner, by its id.
        ("<p>We use cookies to provide our services; by using the site you agree.</p>",
         ["We use cookies to provide our services; by using the site you agree."]),
        # A line the article has too (a sidebar repeats one of its headings) stays, and so does one
        # the page does not have, and one in the box that holds the article: the page's layout
        # says it has no sidebar, which says nothing of the box.
        ("<h3>The tide turns</h3>", []),
        ("<p>Most read</p><p>A line the page does not have</p>", ["Most read"]),
    ],
)  # fmt: skip
def test_drop_furniture_boxed(lines: str, dropped: list[str]) -> None:
    from convert.readers.extract import _FURNITURE_BOXED, _drop_furniture_boxed

    page = lxml.html.document_fromstring(FURNITURE_PAGE)
    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p>{lines}<p>{PROSE}</p><p>{PROSE}</p></div>")
    _drop_furniture_boxed(main, page)
    assert json.loads(main.get(_FURNITURE_BOXED) or "[]") == dropped
    assert main.text_content().count(PROSE.strip()) == 3
    assert all(line not in main.text_content() for line in dropped)


def test_furniture_boxed_lines_stay_when_they_are_a_third_of_the_body() -> None:
    # Where the page marks a third of the body's words as furniture, the body is not the article's
    # box with a few lines of furniture in it, and nothing goes.
    from convert.readers.extract import _FURNITURE_BOXED, _drop_furniture_boxed

    footer = "".join(f"<p>Contact desk {n} of the newsroom at 12 Harbour Street</p>" for n in range(4))
    page = lxml.html.document_fromstring(f"<html><body><p>{PROSE}</p><footer>{footer}</footer></body></html>")
    main = lxml.html.fragment_fromstring(f"<div><p>{PROSE}</p>{footer}</div>")
    _drop_furniture_boxed(main, page)
    assert main.text_content().count("Harbour Street") == 4 and main.get(_FURNITURE_BOXED) is None


def test_a_call_to_action_in_the_article_box_goes_named(tmp_path: Path) -> None:
    # trafilatura keeps it (it knows no "cta"); the page's own name for the box says what it is.
    appeal = "We want to hear what you think about this article. Write to the editors."
    doc = read_page(tmp_path, page("", furniture=f'<div class="letters-cta"><p>{appeal}</p></div>'))
    assert appeal not in plain_text(doc.blocks)
    assert Removal("furniture-box", appeal) in doc.removed
    assert "it may yet fill the gaps wind leaves" in plain_text(doc.blocks)


@pytest.mark.parametrize(
    ("markup", "furniture"),
    [
        ('<div class="sidebar-left">', True),
        ('<div id="comments">', True),
        ('<aside class="box">', True),
        ('<div role="navigation">', True),
        ('<div class="column community-notice">', True),
        ('<div class="author-box">', True),
        ('<div class="site__main--no-sidebar">', False),  # the layout's modifier: it has no sidebar
        ('<div class="layout has-comments">', False),
        ('<div class="entry-content">', False),
    ],
)
def test_marked_furniture(markup: str, furniture: bool) -> None:
    from convert.readers.extract import _marked_furniture

    tag = markup[1:].split()[0].rstrip(">")
    assert _marked_furniture(lxml.html.fragment_fromstring(f"{markup}x</{tag}>")) is furniture


def _teaser(k: int) -> str:
    """A post in a list of more posts, with its image, author and dates as hidden microdata (WordPress's Enfold)."""
    return f"""<article class="slide-entry"><a href="/post-{k}"><img src="/t{k}.jpg" alt=""></a>
<h3><a href="/post-{k}">Harbour news number {k}</a></h3><span class="hidden">
  <span itemprop="image" itemscope itemtype="https://schema.org/ImageObject">
    <span itemprop="url">https://news.example.com/uploads/2022/12/harbour-{k}-scaled.jpg</span>
    <span itemprop="height">1707</span><span itemprop="width">2560</span></span>
  <span itemprop="author" itemscope itemtype="https://schema.org/Person">
    <span itemprop="name">Cornelius Karow</span></span>
  <span itemprop="datePublished">2022-12-0{k % 9 + 1} 08:45:00</span></span></article>"""


def test_structured_data_a_page_hides_is_not_read_as_text(tmp_path: Path) -> None:
    """Hidden schema.org values printed a page of image addresses and sizes, and made the second
    opinion look three times longer than the article, so the body was taken from it."""
    more = f'<section class="more-posts">{"".join(_teaser(k) for k in range(12))}</section>'
    html = page("").replace("</article></main>", f"</article>{more}</main>")
    doc = read_page(tmp_path, html)
    text = plain_text(doc.blocks)
    assert "the moon keeps better time" in text
    for microdata in ("1707", "2560", "scaled.jpg", "08:45:00"):
        assert microdata not in text
    assert doc.meta.extraction is not None and doc.meta.extraction.method == "trafilatura"
    # Microdata a page shows stays: it is the article's own text.
    shown = page('<p>By <span itemprop="author" itemscope><span itemprop="name">Ines Halvorsen</span></span>.</p>')
    assert "Ines Halvorsen" in plain_text(read_page(tmp_path, shown).blocks)


@pytest.mark.parametrize(
    "heading",
    [
        '<h2 class="conHeadline hidden">Hauptinhalt</h2>',
        '<h2 class="screen-reader-text">Beitrags-Navigation</h2>',
        "<h3 hidden>Hauptinhalt</h3>",
        '<h2 style="display: none">Hauptinhalt</h2>',
        '<h2 class="text-hide">Hauptinhalt</h2>',  # Bootstrap 3's, as TYPO3 sites write it
        '<h2 class="element-invisible">Hauptinhalt</h2>',  # Drupal 7's
        '<h2 class="assistive-text">Beitrags-Navigation</h2>',  # older WordPress themes'
    ],
)
def test_a_heading_the_page_hides_names_a_part_of_it_for_screen_readers(tmp_path: Path, heading: str) -> None:
    doc = read_page(tmp_path, page(f"{heading}<p>{PROSE}</p><h2>Turbines in straits</h2><p>{PROSE}</p>"))
    headings = [plain_text(h.content) for h in nodes(doc, Heading)]
    assert "Turbines in straits" in headings
    assert not {"Hauptinhalt", "Beitrags-Navigation"} & set(headings)


_PHP_WARNING = (
    "<br />\n<b>Warning</b>:  Use of undefined constant comments - assumed 'comments' (this will throw an Error"
    " in a future version of PHP) in <b>/htdocs/wp-content/plugins/get-recent-comments/get-recent-comments.php"
    "</b> on line <b>928</b><br />\n"
)


def test_errors_the_server_printed_into_the_page_are_no_text(tmp_path: Path) -> None:
    """Two PHP warnings were longer than a short post, and the second opinion took them for its body."""
    html = f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Nummer zwei: Leo</title></head>
<body><div id="content"><h2>Nummer zwei: Leo</h2><div class="entry"><p>Es ist schon einige Zeit her, als Henry auf
die Welt kam. Vor ein paar Tagen hat es auch Leo geschafft.</p><p>So sah es aus, als Henry den Neuen das erste Mal
sah, bequatschte und mit geschlossenen Augen beschnupperte.</p></div></div>
<div id="sidebar"><h3>Kommentare</h3>{_PHP_WARNING * 2}<ul><li><a href="/a">Anna</a></li></ul>{_PHP_WARNING}</div>
</body></html>"""
    doc = read_page(tmp_path, html)
    text = plain_text(doc.blocks)
    assert "Leo geschafft" in text and "beschnupperte" in text
    assert "Warning" not in text and "on line" not in text
    assert doc.meta.extraction is not None and doc.meta.extraction.method == "trafilatura"


def test_invisible_characters_of_the_text_survive_extraction(tmp_path: Path) -> None:
    """trafilatura drops what is not printable: soft hyphens (where a word may break), the joiner and
    non-joiner that spell Persian words and emoji sequences, the marks of bidirectional text."""
    soft = "Wein\u00adwirt\u00adschaft und Mit\u00adtel\u00adal\u00adter"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want": mi + ZWNJ + khaham
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, not three
    marked = "\u200fRTL mark\u200e and a word\u2060joiner"
    article = f"<p>{soft}: {PROSE}</p><p>{persian} {family} {marked}. {PROSE}</p>"
    doc = read_page(tmp_path, page(article))
    text = plain_text(doc.blocks)
    for kept in (soft, persian, family, marked):
        assert kept in text
    assert not any(0xA500 <= ord(c) < 0xA60C for c in text)  # no stand-in is left


def test_a_page_written_in_the_stand_in_letters_keeps_them(tmp_path: Path) -> None:
    """The letters that hold invisible characters during extraction are Vai; a Vai page keeps its own."""
    vai = "\ua500\ua501\ua502 \ua503\ua504"
    doc = read_page(tmp_path, page(f"<p>{vai} Mit\u00adtel\u00adal\u00adter. {PROSE}</p>"))
    text = plain_text(doc.blocks)
    assert vai in text and "Mit\u00adtel\u00adal\u00adter" in text


# ------------------------------------------------------------------ an article cut into boxes

_ALGORITHM = (
    "Last month researchers revealed an algorithm capable of learning through trial and error how to turn "
    "the pieces of a puzzle with a robotic hand, which took a thousand computers. "
)
_DATA_CENTERS = (
    "The department estimates that data centers account for about two percent of all electricity used in "
    "the country, and the forecast is for significant growth over the next decade. "
)


def _chunk(k: int, text: str, *, box: str = "grid--item body body__container article__body") -> str:
    """One of the boxes a magazine cuts its article into, an advertisement beside it."""
    return (
        f'<div class="grid grid-layout"><div class="{box}"><p>{text} Part {k}, first.</p>'
        f'<p>{text} Part {k}, <a href="https://example.org/source-{k}">second</a>.</p></div>'
        '<div class="grid--item ad"><span>Advertisement</span></div></div>'
    )


def _chunked_page(*chunks: str, after: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><title>Energy | Magazine</title></head><body>'
        '<nav><a href="/">Home</a> <a href="/science">Science</a></nav>'
        f'<article class="article main-content"><h1>AI burns energy</h1><div class="article__chunks">{"".join(chunks)}'
        f"</div>{after}</article><footer>© Magazine</footer></body></html>"
    )


def test_an_article_cut_into_boxes_of_one_class_is_read_whole_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """trafilatura takes the first box of an article a page cuts into boxes of one class (between
    advertisements); the others are added, in their order, with their links, and the reader says so."""
    html = _chunked_page(_chunk(1, _ALGORITHM), _chunk(2, _DATA_CENTERS), _chunk(3, _ALGORITHM))
    doc = read_page(tmp_path, html)
    text = plain_text(doc.blocks)
    parts = [text.find(f"Part {k}, {which}") for k in (1, 2, 3) for which in ("first", "second")]
    assert -1 not in parts and parts == sorted(parts)
    assert {link.url for link in nodes(doc, Link)} >= {f"https://example.org/source-{k}" for k in (1, 2, 3)}
    assert "Advertisement" not in text
    assert doc.meta.extraction is not None and "went on in 2 more boxes" in doc.meta.extraction.note
    assert "page.html" in caplog.text and "went on in 2 more boxes" in caplog.text


def test_a_box_of_the_same_class_in_furniture_or_without_prose_is_no_continuation(tmp_path: Path) -> None:
    """Only prose goes on the article: a box of the body's class inside a related-stories aside, or one
    holding a form's consent line, stays out."""
    related = f'<aside class="related">{_chunk(7, _DATA_CENTERS)}</aside>'
    consent = (
        '<div class="grid grid-layout"><div class="grid--item body body__container article__body">'
        "<p>I agree to receive e-mails about magazines, events and offers; see the privacy policy.</p></div></div>"
    )
    html = _chunked_page(_chunk(1, _ALGORITHM), consent, after=related)
    text = plain_text(read_page(tmp_path, html).blocks)
    assert "Part 1, second" in text
    assert "Part 7" not in text and "I agree" not in text
