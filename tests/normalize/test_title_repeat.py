"""A body that opens with its title again, whole or split over a few headings of any level, loses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.model import Heading, pformat
from convert.normalize import Context
from convert.normalize.title import title_from_heading
from convert.normalize.util import block_text
from convert.readers import read

TITLE = "The Open Harbour Project: Better Student Journalism"


def _body(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "article.md"
    page.write_text(f"---\ntitle: '{TITLE}'\n---\n\n{body}", encoding="utf-8")
    return page


@pytest.mark.parametrize(
    "opening",
    [
        "## Open Harbour Project:\n\n#### *Better Student Journalism*\n\n",  # split, without "The" (medium)
        "![The harbour](harbour.png)\n\n### The Open Harbour Project: Better Student Journalism\n\n",  # after an image
        "## The open harbour project — better student journalism\n\n",
    ],
)
def test_title_repeated_at_the_start_is_dropped(tmp_path: Path, opening: str) -> None:
    doc = title_from_heading(read(_body(tmp_path, opening + "We pushed out the first version.\n")), Context())
    assert not any(isinstance(b, Heading) for b in doc.blocks)
    assert block_text(doc.blocks[-1]) == "We pushed out the first version."
    assert {r.rule for r in doc.removed} == {"title-heading"}
    assert "".join(r.text for r in doc.removed).replace(" ", "").casefold().endswith("betterstudentjournalism")


@pytest.mark.parametrize(
    "opening",
    [
        "## Open Harbour Project\n\n",  # a part of the title only: a section of its own
        # not at the start
        "We pushed out the first version.\n\n## Open Harbour Project: Better Student Journalism\n\n",
    ],
)
def test_other_headings_stay(tmp_path: Path, opening: str) -> None:
    doc = read(_body(tmp_path, opening + "More text.\n"))
    assert pformat(title_from_heading(doc, Context())) == pformat(doc)


def test_keep_title_heading_keeps_it(tmp_path: Path) -> None:
    doc = read(_body(tmp_path, "## Open Harbour Project:\n\n#### Better Student Journalism\n\nText.\n"))
    assert title_from_heading(doc, Context(keep=frozenset({"title-heading"}))) == doc


def test_a_notebook_is_titled_by_its_first_cells_heading(tmp_path: Path) -> None:
    """A Jupyter notebook has no title metadata; pandoc wraps each cell in a Div, the heading inside it."""
    import json

    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Fitting a line\n", "We fit *a line*."]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": ["print(6 * 7)"]},
    ]
    notebook = tmp_path / "fit.ipynb"
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    doc = title_from_heading(read(notebook), Context())
    assert doc.meta.title == "Fitting a line"
    assert not any(isinstance(b, Heading) for b in doc.blocks[0].blocks)  # type: ignore[attr-defined]
    assert block_text(doc.blocks[0]).strip() == "We fit a line."
    assert [(r.rule, r.text) for r in doc.removed] == [("title-heading", "Fitting a line")]


@pytest.mark.parametrize(
    ("title", "opening"),
    [
        ("Spaghetti Carbonara Rezept | lecker.de", "## Spaghetti Carbonara\n\n"),  # the site and a word more
        ("Penny - Stardew Valley Wiki", "## Penny\n\n"),
        ("1000 Euro Kredit", "## 1000 Euro Kredit - Online & schnell\n\n"),  # the heading's own suffix
        # a site and a section before it, after a lead image
        ("Site » Blog Archiv » Podcasts in Plex einbinden", "![Logo](logo.png)\n\n## Podcasts in Plex einbinden\n\n"),
    ],
)
def test_title_repeated_without_its_suffix_is_dropped(tmp_path: Path, title: str, opening: str) -> None:
    page = tmp_path / "article.md"
    page.write_text(f"---\ntitle: '{title}'\n---\n\n{opening}We pushed out the first version.\n", encoding="utf-8")
    doc = title_from_heading(read(page), Context())
    assert not any(isinstance(b, Heading) for b in doc.blocks)
    assert [r.rule for r in doc.removed] == ["title-heading"]


@pytest.mark.parametrize(
    ("title", "opening"),
    [
        ("Spaghetti Carbonara Rezept", "## Rezept\n\n"),  # one word is no repeat
        # a section under the title's first part: parts come off the title or the heading, not both
        ("Korsetts - Shops, Designer, online kaufen", "## Korsetts – Weltweit\n\n"),
    ],
)
def test_a_part_of_a_title_stays(tmp_path: Path, title: str, opening: str) -> None:
    page = tmp_path / "article.md"
    page.write_text(f"---\ntitle: '{title}'\n---\n\n{opening}More text.\n", encoding="utf-8")
    doc = read(page)
    assert pformat(title_from_heading(doc, Context())) == pformat(doc)


@pytest.mark.parametrize(
    ("title", "opening", "subtitle"),
    [
        (
            "Kolumne: Queer Royal",
            "## Queer Royal – Über Dragqueens und Dragkings auf und jenseits der Bühne\n\n",
            "Über Dragqueens und Dragkings auf und jenseits der Bühne",
        ),
        (
            "Tidal power",
            "## Why the harbour waits for the moon | Tidal power\n\n",
            "Why the harbour waits for the moon",
        ),
    ],
)
def test_the_subtitle_after_a_repeated_title_stays_as_the_heading(
    tmp_path: Path, title: str, opening: str, subtitle: str
) -> None:
    page = tmp_path / "article.md"
    page.write_text(f"---\ntitle: '{title}'\n---\n\n{opening}More text.\n", encoding="utf-8")
    doc = title_from_heading(read(page), Context())
    assert [block_text(b) for b in doc.blocks if isinstance(b, Heading)] == [subtitle]
    assert [r.rule for r in doc.removed] == ["title-heading"] and subtitle not in doc.removed[0].text
