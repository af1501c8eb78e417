"""Web-page metadata rules, each on variants of the pattern it is written for."""

from __future__ import annotations

import pytest

from convert.readers.webpage import _guessed_authors, _site_forms, page_metadata


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
        # A date's label in the page's language is no name; a name's is taken off.
        ('<p class="byline">Veröffentlicht am 19.10.19 um 14:34 Uhr</p>', []),
        ('<p class="byline">Veröffentlicht von Cem Basman</p>', ["Cem Basman"]),
        ('<p class="byline">Posted by Jane Doe</p>', ["Jane Doe"]),
    ],
)
def test_byline_element(body: str, names: list[str]) -> None:
    assert [a.name for a in page_metadata(page(body=body)).authors] == names


@pytest.mark.parametrize("address", ["https://facebook.com/someone", "facebook.com/someone", "www.example.org/kim"])
def test_meta_author_that_is_a_url_is_not_a_name(address: str) -> None:
    head = f'<meta property="article:author" content="{address}"><meta name="author" content="Kim Lee">'
    assert [a.name for a in page_metadata(page(head)).authors] == ["Kim Lee"]


def test_an_email_address_is_no_part_of_a_meta_authors_name() -> None:
    head = '<meta name="author" content="Lüder Hoppe info@buero-hoppe.de">'
    assert [a.name for a in page_metadata(page(head)).authors] == ["Lüder Hoppe"]


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
        # Not names: a web address written as words, a commenter, a company's imprint, a label.
        ("Red; Wien Orf At; Agenturen", "ORF.at", []),
        ("Facebook Com; Vegolosi", "Vegolosi", ["Vegolosi"]),  # the site itself stays the byline
        ("Art Edwards says", "TNB", []),
        ("Stephangoeldi Said; On August 3", "Blog", []),
        ("Olympia-Verlag GmbH; Nürnberg; Germany", "ALPIN.de", []),
        ("Hessenschau De; Frankfurt; Germany", "hessenschau.de", []),  # the site's address: no people
        ("El Mostrador; Raúl Espina", "El Mostrador", ["El Mostrador", "Raúl Espina"]),  # the site, its author
        ("Autor Jd", "wirtualnemedia.pl", ["Jd"]),
        ("Auteur Anna Kubišta", "Radio Prague", ["Anna Kubišta"]),
        ("Unbenannt", "Mein Haustier", []),
        ("Newsdesk", "Mannschaft", []),
        ("Jenny Li; Emily Co", "The Daily", ["Jenny Li", "Emily Co"]),  # a short last name is no domain
    ],
)
def test_a_guessed_author_that_is_the_site_itself_keeps_the_sites_spelling(
    guess: str, site: str, names: list[str]
) -> None:
    assert [a.name for a in _guessed_authors(guess, site, _site_forms(site, ""))] == names


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


def _authors(html: str) -> list[str]:
    return [a.name for a in page_metadata(html).authors]


@pytest.mark.parametrize(
    "named",
    [
        '<meta name="author" content="Redaktion">',
        '<meta charset="utf-8"><meta name="author" content="Redacción EC">',
        '<meta name="author" content="Admin">',
        '<meta name="author" content="publisher">',  # a theme's placeholder
        '<meta name="author" content="bergportal GmbH, digvis GmbH">',  # the web agency
        '<span itemprop="author">revamp-it Webteam</span>',
        '<script type="application/ld+json">'
        '{"@type":"NewsArticle","author":{"@type":"Person","name":"BBNTEAM"}}</script>',
    ],
)
def test_a_desk_a_placeholder_or_a_company_is_no_author(named: str) -> None:
    assert _authors(page(named, named if named.startswith("<span") else "")) == []


@pytest.mark.parametrize("person", ["Anna Redmond", "Ted Steam", "Ada Teamson", "Agnes Gmbhardt"])
def test_names_that_hold_a_desk_word_or_a_legal_form_are_names(person: str) -> None:
    assert _authors(page(f'<meta name="author" content="{person}">')) == [person]


def test_a_yoast_graph_author_is_resolved_by_its_id() -> None:
    graph = (
        '{"@graph":[{"@type":"WebPage","@id":"https://s.example/a/","author":{"@id":"https://s.example/#/person/1"}},'
        '{"@type":"Person","@id":"https://s.example/#/person/1","name":"Harald Bauer"}]}'
    )
    head = f'<script type="application/ld+json">{graph}</script><meta name="author" content="Theme designed">'
    assert _authors(page(head)) == ["Harald Bauer"]
    by_string = graph.replace('{"@id":"https://s.example/#/person/1"}', '"https://s.example/#/person/1"')
    assert _authors(page(f'<script type="application/ld+json">{by_string}</script>')) == ["Harald Bauer"]


def test_an_unresolved_author_reference_is_not_a_name() -> None:
    ld = '{"@type":"WebPage","author":"https://s.example/author/someone/#author"}'
    assert _authors(page(f'<script type="application/ld+json">{ld}</script>')) == []


def test_a_site_named_as_author_yields_to_a_person_in_the_byline() -> None:
    head = '<link rel="canonical" href="http://www.tribuna.cu/a/b"><meta name="author" content="Tribuna">'
    body = '<span itemprop="author"><span itemprop="name">Oscar Alvarez Delgado</span></span>'
    assert _authors(page(head, body)) == ["Oscar Alvarez Delgado"]
    assert _authors(page(head)) == ["Tribuna"]  # no person named: the site is the byline, as Reader View's


def test_the_sites_own_name_as_meta_author_is_one_name() -> None:
    head = '<meta property="og:site_name" content="Jobs &amp; Hire"><meta name="author" content="Jobs &amp; Hire">'
    assert _authors(page(head)) == ["Jobs & Hire"]


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("VON MORITZ GATHMANN am 21. April 2020", "Moritz Gathmann"),  # written in capitals: as a name is
        ("By Jane Doe on May 2, 2021", "Jane Doe"),
        ("Von Katharina Schmidt Kategorien: Mode 6. November 2023, 15:25 Uhr", "Katharina Schmidt"),
    ],
)
def test_a_byline_ends_where_its_date_or_a_label_begins(byline: str, name: str) -> None:
    assert _authors(page(body=f'<p class="byline">{byline}</p>')) == [name]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Veröffentlicht von HansG", ["HansG"]),
        ("Zum Profil von jesusfreak", ["jesusfreak"]),
        ("Por Alberto Ávila", ["Alberto Ávila"]),
        ("Von Trier", ["Von Trier"]),  # a name of two words keeps its "Von"
        ("Фото из Инстаграма", []),  # a picture's credit
        ("Name", []),  # a comment form's label
    ],
)
def test_what_stands_before_or_instead_of_a_name_in_a_meta_author(byline: str, names: list[str]) -> None:
    assert _authors(page(f'<meta charset="utf-8"><meta name="author" content="{byline}">')) == names


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        # A theme's label for screen readers only is no part of the name, nor glued to it.
        (
            '<span class="byline"><span class="screen-reader-text">Author</span><a href="/a/">Andreas Kalt</a></span>',
            ["Andreas Kalt"],
        ),
        ('<span class="byline"><span class="sr-only">Posted by</span>Chris Jung</span>', ["Chris Jung"]),
        # A date first: the part that says "by" names the author, not the day.
        ('<span class="byline">8. Januar 2020 · by Aureliana · in Gefühle</span>', ["Aureliana"]),
        ('<span class="byline">29. Juni 2017, 23:39 · von Tobi</span>', ["Tobi"]),
        # A month the date pattern does not know: the date is read, and the month is no name.
        ('<span class="byline">Dezember 10, 2019 · von Anna Berg · in Allgemein</span>', ["Anna Berg"]),
        ('<span class="byline">November 3, 2023 · Shana Nys Dambrot</span>', ["Shana Nys Dambrot"]),
    ],
)
def test_a_byline_as_shown_and_after_its_date(byline: str, names: list[str]) -> None:
    assert _authors(page(body=byline)) == names


@pytest.mark.parametrize("label", ["View all posts by", "Zeige alle Beiträge von"])
def test_an_author_links_view_all_posts_label_is_no_part_of_the_name(label: str) -> None:
    assert _authors(page(f'<meta charset="utf-8"><meta name="author" content="{label} Petra Ruland">')) == [
        "Petra Ruland"
    ]


def test_a_number_is_no_name() -> None:
    assert _authors(page(body='<span class="byline">8.</span>')) == []


def test_keywords_written_as_one_string_are_tags_each_once() -> None:
    head = (
        '<meta name="keywords" content="linux, C64,retro, 1541">'
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"BlogPosting",'
        '"headline":"H","keywords":"Retro, Diskette"}</script>'
    )
    assert page_metadata(page(head)).tags == ("Retro", "Diskette", "linux", "C64", "1541")
