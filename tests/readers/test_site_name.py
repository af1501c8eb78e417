"""The site name: what the site calls itself, else its host as written; never a word of the title."""

from __future__ import annotations

import pytest

from convert.readers.webpage import page_metadata
from tests.readers.test_webpage_meta import page

CANONICAL = '<link rel="canonical" href="https://en.wikipedia.org/wiki/Mozilla">'
LD_PUBLISHER = (
    '<script type="application/ld+json">{"@type":"NewsArticle","publisher":{"name":"Example Media"}}</script>'
)


@pytest.mark.parametrize(
    ("head", "site"),
    [
        ('<meta property="og:site_name" content="The Verge">' + LD_PUBLISHER + CANONICAL, "The Verge"),
        (LD_PUBLISHER + '<meta name="application-name" content="App">' + CANONICAL, "Example Media"),
        ('<meta name="application-name" content="Ars Technica">' + CANONICAL, "Ars Technica"),
        (CANONICAL, "en.wikipedia.org"),
        # The title gives the site's name, the host's own: the site as it writes itself.
        ("<title>Mozilla - Wikipedia</title>" + CANONICAL, "Wikipedia"),
        ("<title>Wikipedia | Mozilla</title>" + CANONICAL, "Wikipedia"),
        ("<title>Mozilla - The Free Encyclopedia</title>" + CANONICAL, "en.wikipedia.org"),  # not the host's name
        ('<title>Weekly Edition - LWN.net</title><link rel="canonical" href="https://lwn.net/Articles/1/">', "LWN.net"),
        # The host writes the name without its article, or its first words by their initials.
        (
            '<title>Sudan - The New York Times</title><link rel="canonical" href="https://www.nytimes.com/a">',
            "The New York Times",
        ),
        (
            '<title>Tides | The Washington Post</title><link rel="canonical" href="https://www.washingtonpost.com/a">',
            "The Washington Post",
        ),
        (
            '<title>Sudan - The New Yorker</title><link rel="canonical" href="https://www.nytimes.com/a">',
            "www.nytimes.com",
        ),  # not the host's name
        # The title names an edition; no word of it becomes the site.
        ("<title>LWN.net Weekly Edition for March 26, 2015 [LWN.net]</title>", ""),
    ],
)
def test_site_name(head: str, site: str) -> None:
    assert page_metadata(page(head).replace("<title>T</title>", "")).publisher == site
