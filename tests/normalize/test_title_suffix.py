"""The title loses the site's name as a suffix or prefix, also when the site is known only by its host."""

from __future__ import annotations

import pytest

from convert.model import Document, Meta
from convert.normalize import Context
from convert.normalize.title import strip_site_suffix


@pytest.mark.parametrize(
    ("title", "publisher", "expected", "site"),
    [
        ("Tides | The Harbour Review", "The Harbour Review", "Tides", "The Harbour Review"),
        ("The Harbour Review | Tides", "The Harbour Review", "Tides", "The Harbour Review"),
        ("Tides | the harbour review", "The Harbour Review", "Tides", "The Harbour Review"),
        ("Mozilla - Wikipedia", "en.wikipedia.org", "Mozilla", "Wikipedia"),  # the site's name, not its host
        ("Sudan Sanctions - NYTimes", "www.nytimes.com", "Sudan Sanctions", "NYTimes"),
        ("Why the Review matters", "The Harbour Review", "Why the Review matters", "The Harbour Review"),
        ("Wikipedia", "en.wikipedia.org", "Wikipedia", "en.wikipedia.org"),  # nothing would be left
        ("Notes - BBC", "bbc.co.uk", "Notes - BBC", "bbc.co.uk"),  # "co" names no site
        ("Weekly Edition for March 26, 2015 [LWN.net]", "LWN.net", "Weekly Edition for March 26, 2015", "LWN.net"),
        ("Tides :: The Harbour Review", "The Harbour Review", "Tides", "The Harbour Review"),
        # The separators the reader cuts a <title> at: " / " as well (convert/titles.py).
        ("Tides / The Harbour Review", "The Harbour Review", "Tides", "The Harbour Review"),
        ("Bus 12/13 - The Harbour Review", "The Harbour Review", "Bus 12/13", "The Harbour Review"),  # no spaces
        ("Tides [draft]", "The Harbour Review", "Tides [draft]", "The Harbour Review"),  # brackets, not the site
    ],
)
def test_site_suffix(title: str, publisher: str, expected: str, site: str) -> None:
    doc = Document(Meta(title=title, publisher=publisher))
    meta = strip_site_suffix(doc, Context()).meta
    assert (meta.title, meta.publisher) == (expected, site)
