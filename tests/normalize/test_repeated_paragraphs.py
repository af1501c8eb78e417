"""A paragraph a page prints twice in a row (a standfirst shown again as the first paragraph) is printed once."""

from __future__ import annotations

from pathlib import Path

from convert import load
from convert.model import Paragraph, Removal
from convert.normalize import Context, rule_names
from convert.normalize.util import block_text

STANDFIRST = "The tidal barrage opened on Monday after eleven years of planning and two public inquiries."
PAGE = f"""---
title: Barrage
---

{STANDFIRST}

{STANDFIRST}

The first turbine turned at dawn.

Na na na, hey hey.

Na na na, hey hey.
"""


def paragraphs(path: Path, context: Context | None = None) -> list[str]:
    doc = load(path, context=context)
    return [block_text(b) for b in doc.blocks if isinstance(b, Paragraph)]


def test_a_paragraph_repeated_right_after_itself_is_printed_once_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    doc = load(path)
    texts = [block_text(b) for b in doc.blocks if isinstance(b, Paragraph)]
    # A short line said twice (a refrain) stays twice.
    assert texts == [STANDFIRST, "The first turbine turned at dawn.", "Na na na, hey hey.", "Na na na, hey hey."]
    assert Removal("repeated-paragraph", STANDFIRST) in doc.removed


def test_the_repeat_can_be_kept(tmp_path: Path) -> None:
    assert "repeated-paragraph" in rule_names()
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    assert paragraphs(path, Context(keep=frozenset({"repeated-paragraph"})))[:2] == [STANDFIRST, STANDFIRST]
