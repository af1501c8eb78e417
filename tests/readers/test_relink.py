"""Web pages' links: resolved against the page's base, and those the extraction lost put back from the page."""

from __future__ import annotations

import lxml.html
import pytest

from convert.model import Link, iter_nodes
from convert.readers import webpage
from convert.readers.extract import Body
from convert.readers.relink import relink

URL = "https://example.org/news/story.html"


def links(html: str) -> list[tuple[str, str]]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(a.text_content(), a.get("href") or "") for a in root.iter("a")]


def test_a_paragraph_kept_without_its_links_gets_them_back_resolved() -> None:
    page = (
        '<p>The institute publishes the rules <a class="link ExternalLink" href="https://rki.de/rules.html" '
        'target="_blank">on its website</a>, and the <a href="/archive/">archive</a> keeps the old ones.</p>'
    )
    body = "<p>The institute publishes the rules on its website, and the archive keeps the old ones.</p>"
    assert links(relink(page, body, URL)) == [
        ("on its website", "https://rki.de/rules.html"),
        ("archive", "https://example.org/archive/"),
    ]


def test_the_text_is_left_as_it_was() -> None:
    page = (
        '<p>Read <a href="https://a.org/">the report</a> and <em>the <a href="https://b.org/">annex</a></em> now.</p>'
    )
    body = "<p>Read the report and <em>the annex</em> now.</p>"
    found = relink(page, body, URL)
    root = lxml.html.fragment_fromstring(found, create_parent="div")
    assert " ".join(root.text_content().split()) == "Read the report and the annex now."
    assert links(found) == [("the report", "https://a.org/"), ("annex", "https://b.org/")]


def test_a_repeated_word_is_linked_where_the_page_links_it() -> None:
    page = '<p>Data on data: the <a href="https://d.org/">data</a> are open to everyone here.</p>'
    body = "<p>Data on data: the data are open to everyone here.</p>"
    root = lxml.html.fragment_fromstring(relink(page, body, URL), create_parent="div")
    assert root.find(".//a").getprevious() is None and root.find("p").text == "Data on data: the "


def test_a_block_that_kept_its_links_or_differs_is_not_touched() -> None:
    page = '<p>One <a href="https://a.org/">link</a> and <a href="https://b.org/">another</a> in the text.</p>'
    kept_one = '<p>One <a href="https://a.org/">link</a> and another in the text.</p>'
    assert relink(page, kept_one, URL) == kept_one  # the extraction chose to keep only one
    other = "<p>One link and another in some other text.</p>"
    assert relink(page, other, URL) == other


def test_unsafe_and_fragment_links_are_not_put_back() -> None:
    page = '<p>Click <a href="javascript:alert(1)">here</a> or see <a href="#notes">the notes</a> below it.</p>'
    body = "<p>Click here or see the notes below it.</p>"
    assert links(relink(page, body, URL)) == []


def test_an_image_the_page_links_gets_its_link_back() -> None:
    page = (
        '<figure><a href="/media/big.jpg"><img data-src="/media/small.jpg" src="data:image/gif;base64,R0lGOD"'
        ' alt="A dam"></a><figcaption>The dam</figcaption></figure>'
    )
    body = '<figure><img src="/media/small.jpg" alt="A dam"><figcaption>The dam</figcaption></figure>'
    assert links(relink(page, body, URL)) == [("", "https://example.org/media/big.jpg")]


def test_an_image_inside_a_text_link_is_not_linked() -> None:
    page = '<p><a href="/other-story"><img src="/t.jpg"> Other story</a></p>'
    body = '<p><img src="/t.jpg"></p>'
    assert links(relink(page, body, URL)) == []


def test_the_reader_puts_back_what_the_extraction_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """The web-page reader relinks the body its extraction chose: here one that kept text and image only,
    as trafilatura's text-only fallbacks do."""
    page = (
        f'<html><head><title>T</title><link rel="canonical" href="{URL}"></head><body><article><h1>T</h1>'
        '<p>The ministry asked the institute to publish the rules <a href="https://rki.de/rules.html">on its'
        " website</a>, which it did at once.</p>"
        '<figure><a href="/media/big.jpg"><img src="/media/small.jpg" alt="A dam"></a></figure></article></body></html>'
    )
    text_only = (
        "<p>The ministry asked the institute to publish the rules on its website, which it did at once.</p>"
        '<figure><img src="/media/small.jpg" alt="A dam"></figure>'
    )
    monkeypatch.setattr(webpage, "extract_body", lambda html, url: Body(text_only, "trafilatura-plain", 1.0))
    doc = webpage.read_web_page(page, "page.html")
    found = [(n.url, [type(c).__name__ for c in n.content]) for n in iter_nodes(doc.blocks) if isinstance(n, Link)]
    assert found == [
        ("https://rki.de/rules.html", ["Text"]),
        ("https://example.org/media/big.jpg", ["Image"]),
    ]


def test_an_address_no_parser_reads_is_left_out() -> None:
    page = '<p>Set your <a href="http://[ccpa-preferences]/">privacy choices</a> for this site here.</p>'
    body = "<p>Set your privacy choices for this site here.</p>"
    assert links(relink(page, body, URL)) == []


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ('<base href="/">', "https://example.org/press/2022-06.html"),
        ('<base href="https://example.org/archive/">', "https://example.org/archive/press/2022-06.html"),
        ("", "https://example.org/news/press/2022-06.html"),  # none: the page's own address
        ('<base href="file:///etc/">', "https://example.org/news/press/2022-06.html"),  # never a local file
    ],
)
def test_relative_links_resolve_against_the_pages_base(base: str, expected: str) -> None:
    words = " ".join(f"word{i}" for i in range(80))
    page = (
        f'<html><head><title>T</title><link rel="canonical" href="{URL}">{base}</head><body><article><h1>T</h1>'
        f'<p>{words}.</p><p>More in the <a href="press/2022-06.html">press release</a> of the agency today.</p>'
        f"<p>{words}.</p></article></body></html>"
    )
    doc = webpage.read_web_page(page, "page.html")
    assert [n.url for n in iter_nodes(doc.blocks) if isinstance(n, Link)] == [expected]


def test_the_spaces_around_an_href_are_no_part_of_the_address() -> None:
    """A browser ignores them; trafilatura had quoted the trailing one into the link ("report.pdf%20")."""
    first = " ".join(f"alpha{i}" for i in range(80))
    last = " ".join(f"omega{i}" for i in range(80))
    page = (
        f'<html><head><title>T</title><link rel="canonical" href="{URL}"></head><body><article><h1>T</h1>'
        f'<p>{first}.</p><p>More in the <a href=" https://example.org/report.pdf ">monthly report</a> of the'
        f" agency today.</p><p>{last}.</p></article></body></html>"
    )
    doc = webpage.read_web_page(page, "page.html")
    assert [n.url for n in iter_nodes(doc.blocks) if isinstance(n, Link)] == ["https://example.org/report.pdf"]
