"""An article with more links than any writer can carry in reasonable time is refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import convert.readers.pandoc
from convert.cli import cli
from convert.errors import InputError
from convert.readers import read_text


def links(count: int) -> str:
    return "\n\n".join(f"See [source {k}](https://s{k}.example/{k})." for k in range(count)) + "\n"


def test_links_up_to_the_limit_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert.readers.pandoc, "MAX_LINKS", 5)
    assert len(read_text(links(5), "markdown").blocks) == 5


def test_more_links_than_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert.readers.pandoc, "MAX_LINKS", 5)
    with pytest.raises(InputError, match=r"post\.md: too many links: 6 \(the limit is 5\)"):
        read_text(links(6), "markdown", "post.md")


def test_links_in_code_are_not_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert.readers.pandoc, "MAX_LINKS", 5)
    code = "```\n" + '{"t":"Link"} [a](https://x.example/) ' * 20 + "\n```\n"
    assert read_text(code + links(5), "markdown").blocks


def test_refusal_is_one_line_and_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert.readers.pandoc, "MAX_LINKS", 5)
    source = tmp_path / "many.md"
    source.write_text(links(6), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", str(source), "--to", "epub,docx,pdf", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"tearsheet: error: {source}: too many links: 6 (the limit is 5); split the article"
    ]
    assert not out.exists() or list(out.iterdir()) == []
