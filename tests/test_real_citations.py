"""Citation metadata of the ten real saved pages against what each page's own metadata says.

The table is read off each page's metadata (JSON-LD, <meta>, microdata, the <time> of its byline);
``expected-metadata.json`` (Reader View's findings) agrees where it has a value.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from convert import load
from convert.model import Document, inline_text
from convert.transforms.footer import attribution

REAL = Path(__file__).parent / "fixtures" / "real"

# page: (published day or "" when the page states none, site name, authors)
EXPECTED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "ars-1": ("2015-04-16", "Ars Technica", ("Dan Goodin",)),
    "bbc-1": ("2015-07-24", "BBC News", ("BBC News",)),
    "dropbox-blog": ("2020-11-11", "Dropbox", ("Arun Sai Krishnan",)),  # its <title> names it, the host's own
    "heise": ("2015-04-08", "Mac & i", ("Mac & i",)),
    "lemonde-1": ("2015-05-04", "Le Monde.fr", ("Martin Untersinger", "Damien Leloup", "Morgane Tual")),
    "lwn-1": ("", "", ("Nathan Willis",)),  # saved without its address: no host to name
    "medium-1": ("2015-03-17", "Medium", ("Pippin Lee",)),
    "nytimes-1": ("2017-01-13", "The New York Times", ("Jeffrey Gettleman",)),  # its <title>: "… - The New York Times"
    "theverge": ("2023-06-07", "The Verge", ("Alex Heath",)),
    "wikipedia": ("", "Wikipedia", ()),  # "Mozilla - Wikipedia" on en.wikipedia.org
}


@cache
def real(page: str) -> Document:
    return load(REAL / page / "source.html")


def test_the_table_covers_every_real_page() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in REAL.iterdir())


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_published_is_the_date_the_page_states(page: str) -> None:
    published = real(page).meta.published
    assert published[:10] == EXPECTED[page][0]
    reader_view = json.loads((REAL / page / "expected-metadata.json").read_text(encoding="utf-8"))
    if reader_view["publishedTime"]:
        assert published[:10] == reader_view["publishedTime"][:10]


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_a_saved_page_without_a_save_record_has_no_retrieved_date(page: str) -> None:
    assert real(page).meta.retrieved == ""


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_site_name_is_the_sites_own_or_its_host(page: str) -> None:
    assert real(page).meta.publisher == EXPECTED[page][1]


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_authors_are_the_bylines_names(page: str) -> None:
    assert tuple(a.name for a in real(page).meta.authors) == EXPECTED[page][2]


@pytest.mark.parametrize("style", ["chicago", "chicago-notes", "apa", "mla"])
@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_footer_names_the_title_once_and_no_date_the_page_does_not_state(page: str, style: str) -> None:
    doc = real(page)
    text = inline_text(attribution(doc, style))
    without_url = text.replace(doc.meta.source_url, "") if doc.meta.source_url else text
    assert without_url.casefold().count(doc.meta.title.casefold()) == 1, text
    stated = {int(EXPECTED[page][0][:4])} if EXPECTED[page][0] else set()
    url_years = {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", doc.meta.source_url + doc.meta.rights)}
    title_years = {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", doc.meta.title)}
    printed = {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)}
    assert printed <= stated | url_years | title_years, text
    if not EXPECTED[page][0] and style in ("chicago", "apa"):  # MLA and Chicago's notes leave it out
        assert "n.d." in text


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
def test_bbc_footer_names_the_organisation_whole_in_every_format(fmt: str) -> None:
    from convert import sandbox_for, write
    from convert.options import WriteOptions
    from tests.transforms.test_citation_styles import footer_text

    expected = (
        "BBC News. (2015, July 24). Obama admits US gun laws are his 'biggest frustration'."
        " http://www.bbc.com/news/world-us-canada-33646704"
    )
    options = sandbox_for(REAL / "bbc-1" / "source.html", WriteOptions(citation_style="apa"))
    text = footer_text(write(real("bbc-1"), fmt, options), fmt)
    assert "".join(expected.split()) in text
    assert "News,B." not in text and "Retrieved" not in text and "Accessed" not in text
