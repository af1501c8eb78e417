"""Link-only paragraphs and lists inside an article survive extraction (trafilatura drops them for
their link density); navigation and sidebars around the article still do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.model import Link, plain_text
from tests.readers.test_extract import PROSE, nodes, page, read_page


def urls(tmp_path: Path, html: str) -> set[str]:
    return {link.url for link in nodes(read_page(tmp_path, html), Link)}


@pytest.mark.parametrize(
    ("block", "url"),
    [
        pytest.param(
            '<h2>See also</h2><ul><li><a href="/wiki/Tidal_range">Tidal range</a></li>'
            '<li><a href="/wiki/Tidal_barrage">Tidal barrage</a></li><li><i><a href="/wiki/Moon">The Moon</a></i></li>'
            "</ul><h2>Notes</h2>",
            "https://news.example.com/wiki/Moon",
            id="see-also-list",
        ),
        pytest.param(
            '<p><a href="mailto:editor@example.com"><strong>editor@example.com</strong></a></p>',
            "mailto:editor@example.com",
            id="contact-line",
        ),
        pytest.param(
            '<p><a href="https://news.example.com/science/2024/barrage.html">The barrage nobody built</a></p>',
            "https://news.example.com/science/2024/barrage.html",
            id="follow-up-story",
        ),
    ],
)
def test_link_only_block_between_paragraphs_is_kept(tmp_path: Path, block: str, url: str) -> None:
    assert url in urls(tmp_path, page(f"<p>{PROSE}</p>{block}<p>{PROSE * 2}</p>"))


@pytest.mark.parametrize(
    "furniture",
    [
        pytest.param('<nav><ul><li><a href="/a">Alpha</a></li><li><a href="/b">Beta</a></li></ul></nav>', id="nav"),
        pytest.param(
            '<div class="related-stories"><ul><li><a href="/a">Alpha</a></li><li><a href="/b">Beta</a></li></ul></div>',
            id="related-box",
        ),
        pytest.param(
            '<div role="navigation"><ul><li><a href="/a">Alpha</a></li><li><a href="/b">Beta</a></li></ul></div>',
            id="navigation-role",
        ),
    ],
)
def test_link_lists_in_furniture_between_paragraphs_stay_out(tmp_path: Path, furniture: str) -> None:
    found = urls(tmp_path, page(f"<p>{PROSE}</p>{furniture}<p>{PROSE * 2}</p>"))
    assert not {"https://news.example.com/a", "https://news.example.com/b"} & found


def test_a_sidebar_box_of_links_beside_the_article_stays_out(tmp_path: Path) -> None:
    """A box of its own (a layout table's side column) holds none of the article: its links are no part of it."""
    sidebar = (
        '<div class="box"><p>Recent</p><p><a href="/a">Alpha story</a></p><p><a href="/b">Beta story</a></p></div>'
    )
    found = urls(tmp_path, page(f"<p>{PROSE}</p>{sidebar}<p>{PROSE * 2}</p>"))
    assert not {"https://news.example.com/a", "https://news.example.com/b"} & found


def test_link_lists_at_the_ends_of_the_body_are_not_brought_back(tmp_path: Path) -> None:
    """The page's header and footer menus sit before and after the article, never between its blocks."""
    text = plain_text(read_page(tmp_path, page(f"<p>{PROSE}</p>")).blocks)
    assert "Privacy policy" not in text and "Opinion" not in text


def test_a_caption_beside_an_empty_icon_link_is_kept(tmp_path: Path) -> None:
    """An "enlarge" link with no text (a stylesheet draws its icon) made trafilatura delete the caption's box."""
    thumb = (
        '<div class="thumb"><a href="/wiki/File:Turbine.jpg"><img alt="" src="/media/turbine.jpg"></a>'
        '<div class="thumbcaption"><div class="magnify"><a href="/wiki/File:Turbine.jpg" title="Enlarge"></a></div>'
        "A turbine off Orkney</div></div>"
    )
    doc = read_page(tmp_path, page(f"<p>{PROSE}</p>{thumb}<p>{PROSE * 2}</p>"))
    assert "A turbine off Orkney" in plain_text(doc.blocks)


def test_each_article_of_a_page_of_several_keeps_its_byline(tmp_path: Path) -> None:
    """A weekly edition: the second article's byline is part of it (trafilatura drops every "byline" box)."""
    second = '<h2>Tidal barrages</h2><div class="FeatureByline">By <b>Ines Halvorsen</b><br>March 25, 2015</div>'
    doc = read_page(tmp_path, page(f"<p>{PROSE}</p>{second}<p>{PROSE}</p>"))
    assert "By Ines Halvorsen" in plain_text(doc.blocks)
