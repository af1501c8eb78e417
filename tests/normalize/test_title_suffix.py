"""The title loses the site's name as a suffix or prefix, also when the site is known only by its host."""

from __future__ import annotations

import pytest

from convert.model import Document, Meta
from convert.normalize import Context
from convert.normalize.title import strip_site_suffix


@pytest.mark.parametrize(
    ("title", "publisher", "expected"),
    [
        ("Tides | The Harbour Review", "The Harbour Review", "Tides"),
        ("The Harbour Review | Tides", "The Harbour Review", "Tides"),
        ("Mozilla - Wikipedia", "en.wikipedia.org", "Mozilla"),
        ("Sudan Sanctions - NYTimes", "www.nytimes.com", "Sudan Sanctions"),
        ("Why the Review matters", "The Harbour Review", "Why the Review matters"),
        ("Wikipedia", "en.wikipedia.org", "Wikipedia"),  # nothing would be left
        ("Notes - BBC", "bbc.co.uk", "Notes - BBC"),  # "co" names no site
    ],
)
def test_site_suffix(title: str, publisher: str, expected: str) -> None:
    doc = Document(Meta(title=title, publisher=publisher))
    assert strip_site_suffix(doc, Context()).meta.title == expected
