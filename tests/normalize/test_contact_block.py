"""A press release's contact box ("Pressekontakt" over a name, an address, a telephone number)
goes with its heading, by the rule ``contact-block``; the text after it stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.normalize import Context
from convert.normalize.boilerplate import strip_boilerplate
from convert.normalize.util import block_text
from convert.readers import read

TEXT = "The tides are the most predictable renewable resource on Earth, and the cheapest to forecast."
CONTACT = ["Pressesprecherin Jane Doe", "Harbour Association, Quay Street 7, 10119 Berlin",
           "Tel.: (030) 78 95 47 78 E-Mail: press@example.org"]  # fmt: skip


@pytest.mark.parametrize("heading", ["## Pressekontakt", "Ansprechpartnerin zum Thema:", "## Media contact"])
def test_a_contact_box_goes_with_its_heading(tmp_path: Path, heading: str) -> None:
    page = tmp_path / "release.md"
    lines = "\n\n".join(CONTACT)
    page.write_text(f"{TEXT}\n\n{heading}\n\n{lines}\n\n{TEXT}\n", encoding="utf-8")
    doc = strip_boilerplate(read(page), Context())
    assert [block_text(b) for b in doc.blocks] == [TEXT, TEXT]
    assert [r.rule for r in doc.removed] == ["contact-block"] * 4
    assert [r.text for r in doc.removed][1:] == CONTACT


def test_a_sentence_after_the_contact_heading_stays(tmp_path: Path) -> None:
    page = tmp_path / "release.md"
    page.write_text(f"{TEXT}\n\n## Pressekontakt\n\n{TEXT}\n", encoding="utf-8")
    doc = strip_boilerplate(read(page), Context())
    assert [block_text(b) for b in doc.blocks] == [TEXT, TEXT]


def test_kept_by_name_the_contact_box_stays(tmp_path: Path) -> None:
    page = tmp_path / "release.md"
    page.write_text(f"{TEXT}\n\n## Pressekontakt\n\n{CONTACT[0]}\n", encoding="utf-8")
    doc = strip_boilerplate(read(page), Context(keep=frozenset({"contact-block"})))
    assert [block_text(b) for b in doc.blocks] == [TEXT, "Pressekontakt", CONTACT[0]]
