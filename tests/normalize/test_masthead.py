"""The masthead over the headline is no part of the body: a kicker (the page's section or topic: "Energy",
"Analysis"), menus, the site's logo. Each is recorded under its rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.model import Document, Removal
from convert.normalize import Context
from convert.normalize.title import title_from_heading
from convert.normalize.util import block_text
from convert.readers import read

FIRST = "The tides are the most predictable renewable resource on Earth."


def _read(tmp_path: Path, opening: str, tags: str = "[]") -> Document:
    page = tmp_path / "article.md"
    page.write_text(f"---\ntitle: Why Tides Matter\ntags: {tags}\n---\n\n{opening}# Why Tides Matter\n\n{FIRST}\n")
    return title_from_heading(read(page), Context())


@pytest.mark.parametrize(
    ("opening", "tags"),
    [
        ("Energy\n\n", "[Energy, Oceans]"),  # one of the page's tags (web-page.html's article:tag)
        ("Analysis\n\n", "[]"),  # a label of a word or three
        ("Science & Environment\n\n", "[]"),
    ],
)
def test_kicker_over_the_headline_is_recorded_and_dropped(tmp_path: Path, opening: str, tags: str) -> None:
    doc = _read(tmp_path, opening, tags)
    assert [block_text(b) for b in doc.blocks] == [FIRST]
    assert Removal("kicker", opening.strip()) in doc.removed


@pytest.mark.parametrize(
    "opening",
    [
        "7 March 2024\n\n",  # a dateline: the dateline pass reads it
        "By Maren Okafor\n\n",  # a byline
        "Predictable and almost invisible: so why is there so little of it?\n\n",  # a deck
    ],
)
def test_other_lines_over_the_headline_stay(tmp_path: Path, opening: str) -> None:
    doc = _read(tmp_path, opening)
    assert block_text(doc.blocks[0]) == opening.strip()


def test_keep_kicker_keeps_it(tmp_path: Path) -> None:
    page = tmp_path / "article.md"
    page.write_text(f"---\ntitle: Why Tides Matter\n---\n\nAnalysis\n\n# Why Tides Matter\n\n{FIRST}\n")
    doc = title_from_heading(read(page), Context(keep=frozenset({"kicker"})))
    assert block_text(doc.blocks[0]) == "Analysis"


MASTHEAD = """[![LWN.net Logo](/images/lcorner.png)](/)

Weekly Edition

[Front page](/Articles/1/)\\
[Security](/Articles/2/)\\
[Kernel development](/Articles/3/)

| [Weekly edition](/current/) | [Kernel](/Kernel/) | [Security](/Security/) |
|---|---|---|
| [Archives](/Archives/) | [Calendar](/Calendar/) | [Subscribe](/subscribe/) |

"""


def test_menus_and_logo_over_the_headline_are_recorded_and_dropped(tmp_path: Path) -> None:
    doc = _read(tmp_path, MASTHEAD)
    assert [block_text(b) for b in doc.blocks] == [FIRST]
    assert [r.rule for r in doc.removed] == ["site-logo", "kicker", "navigation", "navigation", "title-heading"]


def test_a_headline_further_down_after_text_of_its_own_is_left_alone(tmp_path: Path) -> None:
    opening = "[Home](/) | [News](/news/)\n\nA first paragraph that is the page's own text, not its masthead.\n\n"
    doc = _read(tmp_path, opening * 2)
    assert doc.meta.title == "Why Tides Matter" and len(doc.blocks) == 6
    assert doc.removed == ()


def test_a_sections_h1_over_the_headline_is_its_kicker_and_the_dateline_under_it_is_read(tmp_path: Path) -> None:
    """The site's section as an H1 over the article's H1 ("Pressemitteilungen"): the title's H1 is the one
    dropped as the title, the section's goes as a kicker, and the date between them is the dateline."""
    from convert.normalize import normalize

    page = tmp_path / "article.md"
    page.write_text(
        f"---\ntitle: Why Tides Matter\n---\n\n# Press Releases\n\n31 January 2022\n\n# Why Tides Matter\n\n{FIRST}\n"
    )
    doc = normalize(read(page))
    assert [block_text(b) for b in doc.blocks] == [FIRST]
    assert Removal("kicker", "Press Releases") in doc.removed
    assert doc.meta.published == "2022-01-31"
