"""Web-page metadata rules, each on variants of the pattern it is written for."""

from __future__ import annotations

import pytest

from convert.readers.webpage import _guessed_authors, page_metadata


def page(head: str = "", body: str = "") -> str:
    return (
        f"<html lang='en'><head><title>T</title>{head}</head><body><article>{body}<p>Text.</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ('<p class="byline">By <b>Ana Ruiz</b> March 25, 2015</p>', ["Ana Ruiz"]),
        ('<div class="ArticleByline">Jo Park - Jun 16, 2015 6:32 pm UTC</div>', ["Jo Park"]),
        (
            '<span itemprop="author"><a href="/x">Martin Ober</a> (with Li Wei and Sam Roe)</span>',
            ["Martin Ober", "Li Wei", "Sam Roe"],
        ),
        (
            '<span itemprop="author">Par Claire Dupont (avec Paul Martin et Anne Roy)</span>',
            ["Claire Dupont", "Paul Martin", "Anne Roy"],
        ),
        ('<p class="byline">Updated 3 hours ago</p>', []),
    ],
)
def test_byline_element(body: str, names: list[str]) -> None:
    assert [a.name for a in page_metadata(page(body=body)).authors] == names


def test_meta_author_that_is_a_url_is_not_a_name() -> None:
    head = (
        '<meta property="article:author" content="https://facebook.com/someone"><meta name="author" content="Kim Lee">'
    )
    assert [a.name for a in page_metadata(page(head)).authors] == ["Kim Lee"]


def test_json_ld_wins_over_meta_and_byline() -> None:
    head = (
        '<meta name="author" content="Site Staff">'
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite"},'
        '{"@type":"NewsArticle","headline":"H","author":[{"@type":"Person","name":"A. One"},"B Two"],'
        '"datePublished":"2020-02-03","publisher":{"@type":"Organization","name":"Pub"},"keywords":["x","y"]}]}</script>'
    )
    meta = page_metadata(page(head, '<p class="byline">By Someone Else</p>'))
    assert [a.name for a in meta.authors] == ["A. One", "B Two"]
    assert (meta.title, meta.published, meta.publisher) == ("H", "2020-02-03", "Pub")
    assert {"x", "y"} <= set(meta.tags)


def test_canonical_link_and_direction() -> None:
    html = page(
        '<link rel="canonical" href="https://example.org/a"><meta property="og:url" content="https://example.org/b">'
    )
    html = html.replace("lang='en'", "lang='he' dir='rtl'")
    meta = page_metadata(html)
    assert (meta.source_url, meta.language, meta.direction) == ("https://example.org/a", "he", "rtl")


@pytest.mark.parametrize(
    ("author", "names"),
    [
        ("Alice &amp; Bob", ["Alice", "Bob"]),
        ("Jane Doe and John Roe; Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"]),
        ("Jan van Dijk and Pieter de Vries", ["Jan van Dijk", "Pieter de Vries"]),
        ("Mac &amp; i", ["Mac & i"]),  # a magazine's name: "i" is no one's name
        ("AT&amp;T Labs", ["AT&T Labs"]),
    ],
)
def test_names_are_split_only_where_every_part_is_a_name(author: str, names: list[str]) -> None:
    head = f'<meta name="author" content="{author}">'
    assert [a.name for a in page_metadata(page(head)).authors] == names


@pytest.mark.parametrize(
    ("guess", "site", "names"),
    [
        ("Mac; I", "Mac & i", ["Mac & i"]),  # the site's own name, split and re-cased by trafilatura
        ("Jane Doe; John Roe", "The Daily", ["Jane Doe", "John Roe"]),
        ("", "The Daily", []),
    ],
)
def test_a_guessed_author_that_is_the_site_itself_keeps_the_sites_spelling(
    guess: str, site: str, names: list[str]
) -> None:
    assert [a.name for a in _guessed_authors(guess, site)] == names


def test_an_organisation_named_as_author_in_json_ld_is_the_publisher_not_a_person() -> None:
    ld = (
        '{"@type": "NewsArticle", "headline": "Tides", "author": [{"@type": "NewsMediaOrganization", '
        '"name": "Harbour Wire"}, {"@type": "Person", "name": "Ana Ruiz"}]}'
    )
    meta = page_metadata(page(f'<script type="application/ld+json">{ld}</script>'))
    assert [a.name for a in meta.authors] == ["Ana Ruiz"]
    assert meta.publisher == "Harbour Wire"


def test_json_ld_wrapped_as_character_data_is_read() -> None:
    """Pages wrap their JSON-LD in ``<![CDATA[ … ]]>``; Reader View strips it, and so must we."""
    ld = '{"@type": "NewsArticle", "headline": "Hands-on: the real headline", "author": {"name": "Ana Ruiz"}}'
    script = f'<script type="application/ld+json">\n  <![CDATA[ {ld} ]]>\n</script>'
    head = f'<meta property="og:title" content="A teaser title">{script}'
    meta = page_metadata(page(head))
    assert meta.title == "Hands-on: the real headline"
    assert [a.name for a in meta.authors] == ["Ana Ruiz"]
