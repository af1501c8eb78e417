"""README's plain HTML writer, run as written: a new output format is one module and one entry point."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

import convert.writers
from convert.cli import cli
from convert.writers import available

README = Path(__file__).resolve().parent.parent.parent / "README.md"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def readme_writer_module() -> str:
    section = README.read_text(encoding="utf-8").split("### A new output format", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None, "README shows no writer"
    return match.group(1)


@pytest.fixture
def html_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """README's module installed as ``readme_html_writer`` with its entry point."""
    package = tmp_path / "plugin"
    package.mkdir()
    (package / "readme_html_writer.py").write_text(readme_writer_module(), encoding="utf-8")
    monkeypatch.syspath_prepend(str(package))
    found = [*convert.writers.entry_points(group=convert.writers.GROUP)]
    found.append(EntryPoint("html", "readme_html_writer:HtmlWriter", convert.writers.GROUP))
    monkeypatch.setattr(convert.writers, "entry_points", lambda group: found if group == convert.writers.GROUP else [])
    available.cache_clear()
    yield
    available.cache_clear()


def test_the_readme_writer_converts_an_article_to_html(html_writer: None, tmp_path: Path) -> None:
    formats = CliRunner().invoke(cli, ["formats"])
    assert "  html   .html  readme_html_writer.HtmlWriter" in formats.stdout.splitlines()

    result = CliRunner().invoke(
        cli, ["convert", str(FIXTURES / "front-matter-article.md"), "--to", "html", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    page = lxml.html.parse(str(tmp_path / "out" / "front-matter-article.html")).getroot()
    assert page.findtext(".//title") == "Small Libraries, Long Memories"
    # The inline link policy: each cited link is followed by its URL, in brackets, itself a link.
    shown = [
        a
        for a in page.xpath('//a[@class="url"]')
        if a.getprevious() is not None and (a.getprevious().tail or "").endswith(" [")
    ]
    assert [a.get("href") for a in shown] == [
        "https://www.dublincore.example.org/specifications/dublin-core/dces/",
        "https://www.loc.example.gov/preservation/digitization/",
    ]
    assert all(a.text_content() == a.get("href") and (a.tail or "").startswith("]") for a in shown)
    assert page.xpath('//*[contains(@class, "citation-footer")]'), "the citation footer"
    assert page.xpath("//aside"), "the article's own footnote, as an aside"
