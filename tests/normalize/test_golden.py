"""Golden tests per pass: each fixture in ``fixtures/normalize/<group>/`` against its ``.expected`` pformat.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/normalize`` and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from convert.model import pformat
from convert.normalize import Context, Pass
from convert.normalize.bio import author_bio
from convert.normalize.boilerplate import strip_boilerplate
from convert.normalize.byline import extract_byline, extract_dateline
from convert.normalize.links import resolve_links
from convert.normalize.notices import extract_notices
from convert.normalize.repair import join_split_paragraphs, separators, unwrap_placeholder_links
from convert.normalize.taxonomy import extract_taxonomy
from convert.normalize.unicode import normalize_unicode
from convert.readers import read

CASES = Path(__file__).parent.parent / "fixtures" / "normalize"
PASSES: dict[str, tuple[Pass, ...]] = {
    "byline": (extract_byline,),
    "dateline": (extract_dateline,),
    "taxonomy": (extract_taxonomy,),
    "notices": (extract_notices,),
    "boilerplate": (strip_boilerplate,),
    "bio": (author_bio,),
    "repair": (unwrap_placeholder_links, separators, join_split_paragraphs),
    "unicode": (normalize_unicode,),
    "links": (resolve_links,),
}


def cases() -> list[Path]:
    return sorted(CASES.glob("*/*.md"))


@pytest.mark.parametrize("case", cases(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_pass_output_matches_golden(case: Path) -> None:
    doc = read(case)
    for run in PASSES[case.parent.name]:
        doc = run(doc, Context())
    actual = pformat(doc)
    expected = case.with_suffix(".expected")
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


def test_every_group_has_cases() -> None:
    assert {p.parent.name for p in cases()} == set(PASSES)
