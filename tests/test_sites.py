"""Sites are compared one way everywhere: lower-case host, no "www.", no port or credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert import load
from convert.link_schemes import bare_host, site_of


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.LeMonde.fr/article", "lemonde.fr"),
        ("http://user:secret@Example.org:8080/a?b#c", "example.org"),
        ("https://en.wikipedia.org/wiki/Mozilla", "en.wikipedia.org"),
        ("//www.example.net/path", "example.net"),
        ("/relative/path", ""),
        ("mailto:someone@example.org", ""),
        ("http://[::1", ""),  # an unbalanced IPv6 bracket is no site, not a crash
    ],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


def test_bare_host_keeps_other_subdomains() -> None:
    assert bare_host("WWW.bbc.co.uk") == "bbc.co.uk"
    assert bare_host("news.bbc.co.uk") == "news.bbc.co.uk"
    assert bare_host("wwwexample.org") == "wwwexample.org"


def test_a_link_to_the_page_itself_is_one_whatever_its_host_is_written(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(
        "---\ntitle: Page\nsource_url: https://example.org/wiki/Page\n---\n\n"
        "See [this page](https://WWW.Example.org:443/wiki/Page#History) and [another](https://other.example/a).\n",
        encoding="utf-8",
    )
    doc = load(path)
    assert [c.url for c in doc.citations] == ["https://other.example/a"]
    assert [r.rule for r in doc.removed].count("self-link") == 1
