"""The article's own citation: CSL styles, retrieved date, rights, sidecar files."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert import load
from convert.cli import cli
from convert.model import inline_text
from convert.options import WriteOptions
from convert.transforms.citation import bibtex, csl_item
from convert.transforms.footer import attribution, citation_footer
from tests.conftest import load_sample

EXPECTED = {
    "chicago": "Halvorsen, Ines. 2023. “Small Libraries, Long Memories: How Neighbourhood Archives Keep Local History"
    " Alive.” Commons Quarterly, November 2. https://commons-quarterly.example.com/2023/11/small-libraries.",
    "apa": "Halvorsen, I. (2023, November 2). Small Libraries, Long Memories: How neighbourhood archives keep local"
    " history alive. Commons Quarterly. https://commons-quarterly.example.com/2023/11/small-libraries",
    "mla": "Halvorsen, Ines. “Small Libraries, Long Memories: How Neighbourhood Archives Keep Local History Alive.”"
    " Commons Quarterly, 2 Nov. 2023, https://commons-quarterly.example.com/2023/11/small-libraries.",
}


# Each style's own words and date form for when a dated page was retrieved (MLA 9 and Chicago: "Accessed").
RETRIEVED = {
    "chicago": "Accessed January 5, 2026",
    "apa": "Retrieved January 5, 2026",
    "mla": "Accessed 5 Jan. 2026",
}


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_attribution_in_each_style_with_retrieved_date_and_rights(style: str) -> None:
    doc = load_sample("front-matter-article.md")
    text = inline_text(attribution(doc, style, "2026-01-05"))
    assert text == EXPECTED[style] + f" {RETRIEVED[style]}. CC BY 4.0."


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_a_dated_and_an_undated_page_each_say_once_when_they_were_retrieved(style: str) -> None:
    """Whether the style prints the date itself is asked once for pages with the same variables: not for
    both of these (Chicago prints the date an undated page was accessed, not a dated one's)."""
    dated = load_sample("front-matter-article.md")
    undated = replace(dated, meta=replace(dated.meta, published=""))
    for doc in (dated, undated, dated):
        text = inline_text(attribution(doc, style, "2026-01-05"))
        assert text.count("2026") == 1, text


def test_the_conversion_time_is_not_a_retrieved_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    footer = citation_footer(load_sample("front-matter-article.md"), {}, WriteOptions())
    text = inline_text(footer.blocks[1].content)  # type: ignore[attr-defined]
    assert "Retrieved" not in text and "Accessed" not in text and "2023-11-14" not in text and "November 14" not in text
    assert "accessed" not in csl_item(load_sample("front-matter-article.md"))


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_an_undated_page_without_retrieved_date_says_nd_and_nothing_dangles(style: str) -> None:
    doc = load_sample("front-matter-article.md")
    doc = replace(doc, meta=replace(doc.meta, published=""))
    text = inline_text(attribution(doc, style))
    assert ("n.d." in text) == (style != "mla")  # MLA leaves an unknown date out
    assert "Retrieved" not in text and "Accessed" not in text and "Nov" not in text


def test_source_url_in_the_attribution_is_a_link() -> None:
    from convert.model import Link, iter_nodes

    inlines = attribution(load_sample("front-matter-article.md"))
    links = [n.url for n in iter_nodes(inlines) if isinstance(n, Link)]
    assert links == ["https://commons-quarterly.example.com/2023/11/small-libraries"]


def test_csl_item_and_bibtex_describe_the_article() -> None:
    doc = load_sample("front-matter-article.md")
    item = csl_item(doc, "2026-01-05")
    assert item["title"].startswith("Small Libraries, Long Memories")
    assert item["author"] == [{"given": "Ines", "family": "Halvorsen"}]
    assert item["issued"] == {"date-parts": [[2023, 11, 2]]}
    assert item["accessed"] == {"date-parts": [[2026, 1, 5]]}
    assert item["URL"] == doc.meta.source_url
    bib = bibtex(doc, "2026-01-05")
    assert bib.startswith("@online{halvorsen2023small,")
    assert 'urldate = "2026-01-05"' in bib and 'author = "Halvorsen, Ines"' in bib


def test_cite_export_writes_sidecars(tmp_path: Path, fixtures: Path) -> None:
    result = CliRunner().invoke(
        cli, ["convert", str(fixtures / "scraped-article.md"), "--cite-export", "--to", "epub", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    items = json.loads((tmp_path / "scraped-article.csl.json").read_text(encoding="utf-8"))
    assert items[0]["title"] == "Trump Regime Continues Supporting ISIS"
    assert items[0]["container-title"] == "Global Research"
    assert "@online{lendman2018trump," in (tmp_path / "scraped-article.bib").read_text(encoding="utf-8")


def test_a_link_text_ending_its_sentence_takes_no_second_full_stop(tmp_path: Path) -> None:
    path = tmp_path / "links.md"
    path.write_text(
        "---\ntitle: Links\n---\n\n[1Password für OS X freigegeben.](https://a.example/1)"
        " [What changed this week?](https://a.example/2) [« Pourquoi ? »](https://a.example/3)"
        " [The plain one](https://a.example/4)\n",
        encoding="utf-8",
    )
    footer = citation_footer(load(path), {}, WriteOptions())
    entries = [inline_text(item[0].blocks[0].content) for item in footer.blocks[-1].items]  # type: ignore[attr-defined]
    assert entries == [
        "1Password für OS X freigegeben. https://a.example/1",
        "What changed this week? https://a.example/2",
        "« Pourquoi ? » https://a.example/3",
        "The plain one. https://a.example/4",
    ]
