"""Links a page split into pieces (a word letter by letter, word by word) are one link, cited once."""

from __future__ import annotations

from pathlib import Path

from convert import load
from convert.model import Link, inline_text, iter_nodes

PAGE = """---
title: Tasks
---

The [D](https://example.org/model)[ata](https://example.org/model) [M](https://example.org/model)[odel](https://example.org/model)
holds the tasks; *[the](https://example.org/queue) [queue](https://example.org/queue)* runs them.

The [model](https://example.org/model) and the [model](https://example.org/model) again, apart by words.
"""


def test_a_link_split_into_pieces_is_one_link_and_cited_by_its_whole_text(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    path.write_text(PAGE, encoding="utf-8")
    doc = load(path)
    links = [(inline_text(node.content), node.url) for node in iter_nodes(doc.blocks) if isinstance(node, Link)]
    assert links == [
        ("Data Model", "https://example.org/model"),
        ("the queue", "https://example.org/queue"),
        ("model", "https://example.org/model"),  # words between: links of their own
        ("model", "https://example.org/model"),
    ]
    assert [(c.text, c.url) for c in doc.citations] == [
        ("Data Model", "https://example.org/model"),
        ("the queue", "https://example.org/queue"),
    ]
