"""--cite-export: CSL-JSON and BibTeX carry the corrected fields, for one article or a whole collection."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from convert.cli import cli
from convert.model import Author, Document, Meta
from convert.transforms.citation import bibliography_bibtex, bibliography_csl

REAL = Path(__file__).parent.parent / "fixtures" / "real"


def test_a_web_page_exports_its_own_metadata(tmp_path: Path) -> None:
    args = ["convert", str(REAL / "wikipedia" / "source.html"), "--cite-export", "--to", "epub", "-o", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    [item] = json.loads((tmp_path / "source.csl.json").read_text(encoding="utf-8"))
    assert item["title"] == "Mozilla" and item["container-title"] == "Wikipedia"
    assert "issued" not in item and "accessed" not in item  # no date the page states; saved, not fetched
    bib = (tmp_path / "source.bib").read_text(encoding="utf-8")
    assert "date =" not in bib and "urldate" not in bib and 'organization = "Wikipedia"' in bib


def test_a_collection_exports_one_bibliography(tmp_path: Path, fixtures: Path) -> None:
    book = tmp_path / "book.epub"
    inputs = [str(REAL / "bbc-1" / "source.html"), str(fixtures / "front-matter-article.md")]
    result = CliRunner().invoke(
        cli, ["collect", *inputs, "-o", str(book), "--title", "Reading", "--jobs", "1", "--cite-export"]
    )
    assert result.exit_code == 0, result.output
    items = json.loads((tmp_path / "book.csl.json").read_text(encoding="utf-8"))
    assert [item["author"] for item in items] == [
        [{"literal": "BBC News"}],
        [{"given": "Ines", "family": "Halvorsen"}],
    ]
    assert items[0]["issued"] == {"date-parts": [[2015, 7, 24]]} and items[0]["container-title"] == "BBC News"
    bib = (tmp_path / "book.bib").read_text(encoding="utf-8")
    assert bib.count("@online{") == 2 and 'author = "{BBC News}"' in bib


def test_articles_with_the_same_key_get_distinct_ones() -> None:
    docs = [Document(Meta(title="Tides and Times", authors=(Author("Ana Ruiz"),), published="2024-01-02"))] * 3
    assert [item["id"] for item in bibliography_csl(docs)] == ["ruiz2024tides", "ruiz2024tidesa", "ruiz2024tidesb"]
    assert "@online{ruiz2024tidesb," in bibliography_bibtex(docs)
