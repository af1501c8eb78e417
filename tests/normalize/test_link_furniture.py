"""Link furniture (edit, jump-to, back-to-top links; links to the page itself) is not cited."""

from __future__ import annotations

from pathlib import Path

from convert import load
from convert.model import Heading, inline_text
from convert.normalize import rule_names

PAGE = """---
title: Furniture
source_url: https://example.org/wiki/Page
---

## History [[edit](https://example.org/w/index.php?title=Page&action=edit&section=1)]

[Jump to navigation](#nav) A [source](https://other.example/a) and [Edit source](https://example.org/edit/1).

See [this page](https://example.org/wiki/Page#History), [its history](https://example.org/wiki/Page?action=history)
and [the talk](https://example.org/w/index.php?title=Page&action=edit). [Back to top](#top) [↑](#top)

## Sources (["edit"](https://git.example/page/edit))

The page's own notes.
"""


def test_furniture_links_go_and_the_page_itself_is_not_cited(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    doc = load(path)
    assert [c.url for c in doc.citations] == ["https://other.example/a"]
    headings = [inline_text(b.content) for b in doc.blocks if isinstance(b, Heading)]
    assert headings == ["History", "Sources"]
    text = " ".join(inline_text(b.content) for b in doc.blocks if hasattr(b, "content"))
    for gone in ("Jump to", "Back to top", "↑", "Edit source", "[]", "()"):
        assert gone not in text
    assert "See this page, its history and the talk." in text  # self-links keep their text
    rules = [r.rule for r in doc.removed]
    assert rules.count("link-furniture") == 6 and rules.count("self-link") == 3


def test_furniture_rules_can_be_kept(tmp_path: Path) -> None:
    from convert.normalize import Context

    assert {"link-furniture", "self-link"} <= set(rule_names())
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    doc = load(path, context=Context(keep=frozenset({"link-furniture", "self-link"})))
    assert "https://example.org/wiki/Page?action=history" in [c.url for c in doc.citations]
