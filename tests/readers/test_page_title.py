"""A web page's title and site name when its ``<title>``, OpenGraph and headings disagree."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.pipeline import load
from convert.readers.webpage import page_metadata


def html(title: str, head: str = "", body: str = "") -> str:
    return (
        f"<html lang='de'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body>{body}<article><p>Ein Absatz des Artikels, lang genug für einen Artikel.</p></article></body></html>"
    )


def test_the_part_of_the_title_the_page_shows_as_its_headline_is_the_title() -> None:
    page = html(
        "Streit ums Feuerholz | AussenGedanken",
        '<meta property="og:title" content="Streit ums Feuerholz - www.AussenGedanken.de">',
        "<h1>Streit ums Feuerholz</h1>",
    )
    assert page_metadata(page).title == "Streit ums Feuerholz"


def test_the_headline_in_the_title_with_a_site_unknown_to_the_host() -> None:
    page = html(
        "«Wir waren fast 40 Tage in Quarantäne» - Rosa-Luxemburg-Stiftung",
        '<link rel="canonical" href="https://www.rosalux.de/news/id/45292">',
        "<h1>«Wir waren fast 40 Tage in Quarantäne»</h1>",
    )
    assert page_metadata(page).title == "«Wir waren fast 40 Tage in Quarantäne»"


@pytest.mark.parametrize(
    ("title", "menu"),
    [
        ("Werkzeuge des Neandertalers und des Modernen Menschen | Steinzeit & Co", "Themen"),
        (
            "www.example.de: Der Präsident / Reden / Rede des Präsidenten beim Konvent der Landesparlamente",
            "Navigation",
        ),
    ],
)
def test_a_menus_first_h1_gives_way_to_the_heading_the_title_names(title: str, menu: str) -> None:
    headline = title.split(" | ")[0].split(" / ")[-1]
    page = html(title, body=f"<h1>{menu}</h1><nav><a href='/a'>A</a></nav><h1>{headline}</h1>")
    assert page_metadata(page).title == headline


def test_a_section_named_in_the_title_is_not_the_headline() -> None:
    page = html("News - Eawag", body="<h2>News</h2><h1>Auf das erste Elektron kommt es an</h1>")
    assert page_metadata(page).title == "Auf das erste Elektron kommt es an"


def test_og_title_spelt_otherwise_than_the_title_stands() -> None:
    page = html(
        "How we designed Dropbox ATF: an async task framework - Dropbox",
        '<meta property="og:title" content="How we designed Dropbox’s ATF - an async task framework">',
        "<h1>How we designed Dropbox ATF: an async task framework</h1>",
    )
    assert page_metadata(page).title == "How we designed Dropbox’s ATF - an async task framework"


def test_a_title_that_is_the_sites_name_gives_way_to_the_page_title(tmp_path: pytest.TempPathFactory) -> None:
    source = tmp_path / "page.html"  # type: ignore[operator]
    source.write_text(
        html(
            "Wochenbericht 14. - 20. Januar 2022 - SLF",
            '<meta property="og:title" content="SLF"><link rel="canonical" href="https://www.slf.ch/de/w.html">',
        ),
        encoding="utf-8",
    )
    meta = load(source).meta
    assert (meta.title, meta.publisher) == ("Wochenbericht 14. - 20. Januar 2022", "SLF")


@pytest.mark.parametrize(
    ("head", "site"),
    [
        # A web address is no name: the publisher JSON-LD names.
        (
            '<meta property="og:site_name" content="https://www.fr.de"><script type="application/ld+json">'
            '{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"Frankfurter Rundschau"}}</script>',
            "Frankfurter Rundschau",
        ),
        # og:site_name copied from the whole title: the host's name in the title (its subdomain).
        (
            '<meta property="og:site_name" content="Land zahlte 1,4 Millionen Euro | MLUK">'
            '<link rel="canonical" href="https://mluk.brandenburg.de/mluk/de/a">',
            "MLUK",
        ),
    ],
)
def test_a_site_name_that_is_no_name(head: str, site: str) -> None:
    title = "Land zahlte 1,4 Millionen Euro | MLUK" if "MLUK" in head else "Kim Jong Un"
    assert page_metadata(html(title, head)).publisher == site


def test_og_site_name_that_is_the_headline_beside_the_hosts_name() -> None:
    page = html(
        "Bürgerbeteiligung für Windpark Steinheim | EnBW",
        '<meta property="og:site_name" content="Bürgerbeteiligung für Windpark Steinheim">'
        '<link rel="canonical" href="https://www.enbw.com/presse/a.html">',
    )
    meta = page_metadata(page)
    assert (meta.title, meta.publisher) == ("Bürgerbeteiligung für Windpark Steinheim", "EnBW")


def test_og_site_name_among_three_parts_stands() -> None:
    page = html(
        "Uutinen | Yle Uutiset | yle.fi",
        '<meta property="og:site_name" content="Yle Uutiset"><link rel="canonical" href="https://yle.fi/a/3-1">',
    )
    assert page_metadata(page).publisher == "Yle Uutiset"


def test_a_page_declaring_latin1_is_read_as_the_text_it_was_decoded_to() -> None:
    page = html(
        "Pflaster-Desaster | Kölner Stadt-Anzeiger",
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        '<meta property="og:site_name" content="Kölner Stadt-Anzeiger">',
    ).replace("<meta charset='utf-8'>", "")
    assert page_metadata(page).publisher == "Kölner Stadt-Anzeiger"


def test_character_references_in_a_json_ld_headline_are_read() -> None:
    ld = '{"@type":"NewsArticle","headline":"Neue Traumfrau bei &#8222;Sturm der Liebe&#8220;: So geht es weiter"}'
    page = html("Neue Traumfrau - spot on news", f'<script type="application/ld+json">{ld}</script>')
    assert page_metadata(page).title == "Neue Traumfrau bei „Sturm der Liebe“: So geht es weiter"


def test_an_og_title_cut_short_by_an_unescaped_quote_gives_way_to_the_title() -> None:
    title = 'Senador republicano califica a Biden de "incapacitado"'
    page = html(title, f'<meta property="og:title" content="{title}" />')  # the attribute ends at the quote
    assert page_metadata(page).title == title
    site_in_brackets = html("Weekly Edition [LWN.net]", '<meta property="og:title" content="Weekly Edition">')
    assert page_metadata(site_in_brackets).title == "Weekly Edition"


@pytest.mark.parametrize(
    ("title", "canonical", "logo", "expected", "site"),
    [
        (  # the <title> in one part, the logo named like the host
            "Holocaust-Gedenktag: Lesbische Erinnerungskultur mit Stolpersteinverlegung",
            "https://www.l-mag.de/news/holocaust-gedenktag",
            '<a href="http://www.l-mag.de/">L-Mag</a>',
            "Holocaust-Gedenktag: Lesbische Erinnerungskultur mit Stolpersteinverlegung",
            "www.l-mag.de",
        ),
        (  # a logo named unlike the host: the <title>'s part it repeats is the site's
            "Offshore-Windenergie – Sauberer Strom vom Meer | Stiftung OFFSHORE-WINDENERGIE",
            "https://www.offshore-stiftung.de/offshore-windenergie",
            '<a href="https://www.offshore-stiftung.de/">Stiftung Offshore Windenergie</a>',
            "Offshore-Windenergie – Sauberer Strom vom Meer",
            "Stiftung OFFSHORE-WINDENERGIE",
        ),
        (  # a blog's name, linked home by a relative address
            "Rinderleber-Geschnetzeltes mit Apfel und Zwiebel | Liebe geht durch den Magen",
            "https://www.der-erfolg-gibt-recht.de/rinderleber",
            '<a href="/">Liebe geht durch den Magen</a>',
            "Rinderleber-Geschnetzeltes mit Apfel und Zwiebel",
            "Liebe geht durch den Magen",
        ),
    ],
)
def test_an_h1_that_links_home_is_the_sites_logo_not_the_title(
    tmp_path: Path, title: str, canonical: str, logo: str, expected: str, site: str
) -> None:
    source = tmp_path / "page.html"
    source.write_text(html(title, f'<link rel="canonical" href="{canonical}">', f"<header><h1>{logo}</h1></header>"))
    meta = load(source).meta  # normalized: the site's part of the title goes with the publisher
    assert (meta.title, meta.publisher) == (expected, site)


def test_an_h1_that_links_to_an_article_stays_the_title() -> None:
    page = html(
        "Wahlzensur: Angriff auf Universitäten | silvias.net",
        '<link rel="canonical" href="https://silvias.net/2021/wahlzensur">',
        '<h1><a href="https://silvias.net/2021/wahlzensur">Wahlzensur: Angriff auf Universitäten</a></h1>',
    )
    assert page_metadata(page).title == "Wahlzensur: Angriff auf Universitäten"


def test_a_title_the_page_shows_in_no_main_heading_gives_way_to_the_headline_it_shows() -> None:
    """trafilatura took the comment form's heading; the <title>'s part that is an H2 is the headline."""
    page = html(
        "Alles Neue mach der Mai… | Bibliothek 2.0 und mehr",
        body='<h2>Alles Neue mach der Mai…</h2><h3 id="reply-title">Write a Reply or Comment Antworten abbrechen</h3>',
    )
    assert page_metadata(page).title == "Alles Neue mach der Mai…"
