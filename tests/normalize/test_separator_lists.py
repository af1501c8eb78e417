"""A list left holding only the separators of a header row ("Luis Ávila / Seguir / e-mail / date",
whose words went to the metadata and whose icons were pictures) is no list a reader needs: it goes,
recorded. (A real news page printed three bullets of "/" under its first paragraph.)"""

from __future__ import annotations

from pathlib import Path

from convert import load
from convert.model import Block, BulletList, OrderedList, Removal
from convert.normalize import Context, rule_names
from convert.normalize.util import block_text


def lists(blocks: tuple[Block, ...]) -> list[str]:
    return [block_text(b) for b in blocks if isinstance(b, (BulletList, OrderedList))]


def test_a_list_of_punctuation_goes_and_a_list_with_words_digits_or_pictures_stays(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(
        "# Post\n\nText.\n\n- /\n- ·\n\nMore text.\n\n- 1 / 2\n- …\n\nAgain.\n\n- ![](a.png)\n- /\n\nEnd.\n",
        encoding="utf-8",
    )
    doc = load(path)
    assert lists(doc.blocks) == ["1 / 2 …", "/"]
    assert Removal("separator-list", "/ ·") in doc.removed
    assert "separator-list" in rule_names()
    kept = load(path, context=Context(keep=frozenset({"separator-list"})))
    assert len(lists(kept.blocks)) == 3
