"""The EPUB self-check: what EPUBCheck would reject in our XHTML is caught on every write, as a bug report."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert import write
from convert.cli import cli
from convert.model import Document, Meta
from convert.model import nodes as n
from convert.writers import WriterError
from convert.writers.epub_check import check_epub
from tests.conftest import FIXTURES, epubcheck

PAGE = '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>t</title></head><body>{}</body></html>'


def package(body: str, other: str = "<p id='there'>x</p>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("EPUB/article.xhtml", PAGE.format(body))
        archive.writestr("EPUB/other.xhtml", PAGE.format(other))
        archive.writestr("EPUB/images/a.png", b"\x89PNG")
    return out.getvalue()


def test_sound_xhtml_passes() -> None:
    body = (
        '<p id="a">See <a href="#a">here</a>, <a href="other.xhtml#there">there</a> and '
        '<a href="https://example.org/x#y">away</a> <img src="images/a.png" alt=""/></p>'
        "<details><summary>S</summary><p>c</p></details><ul><li><p>i</p></li></ul>"
        "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td><div>d</div></td></tr></tbody></table>"
    )
    data = package(body)
    assert check_epub(data) is data


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("<details><p>x</p><summary>s</summary></details>", "<details> without a <summary> first"),
        ('<ol><li><a name="tool"></a>Tool</li></ol>', "attribute 'name' not allowed on <a>"),
        ('<p id="x">1</p><p id="x">2</p>', "duplicate id 'x'"),
        ('<p><a href="#nowhere">x</a></p>', "link to '#nowhere', which no element has as its id"),
        ('<p><a href="other.xhtml#gone">x</a></p>', "which no element has as its id"),
        ('<p><a href="missing.xhtml">x</a></p>', "names a file not in the package"),
        ('<p><img src="images/b.png" alt=""/></p>', "names a file not in the package"),
        ("<p><div>x</div></p>", "<div> inside <p>, which takes phrasing content only"),
        ("<ul><p>x</p></ul>", "<p> inside <ul>"),
        ("<p><summary>x</summary></p>", "<summary> inside <p>"),
        ("<center>x</center>", "unknown element <center>"),
        ('<p><a href="#a"><a id="a" href="#a">x</a></a></p>', "a link inside a link"),
        ("<p>x</q></p>", "not well-formed"),
    ],
)
def test_problems_are_caught(body: str, problem: str) -> None:
    with pytest.raises(WriterError) as caught:
        check_epub(package(body))
    assert problem in str(caught.value)
    assert "a bug to report" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_epub_writer_refuses_raw_html_passed_through_in_pieces() -> None:
    """What Markdown's <details> looked like in the model before raw HTML was parsed: EPUBCheck rejected it."""
    pieces = (
        n.RawBlock("html", "<details>"),
        n.RawBlock("html", "<summary>"),
        n.Plain((n.Text("Why?"),)),
        n.RawBlock("html", "</summary>"),
        n.Paragraph((n.Text("Because."),)),
        n.RawBlock("html", "</details>"),
    )
    with pytest.raises(WriterError, match="details"):
        write(Document(Meta(title="Pieces", language="en"), pieces), "epub")


def test_a_failed_self_check_is_one_line_naming_the_input_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import convert.readers.text

    monkeypatch.setattr(convert.readers.text, "resolve_raw_html", lambda blocks, source: ())  # raw HTML in pieces
    source = FIXTURES / "markdown" / "release-checklist.md"
    result = CliRunner().invoke(cli, ["convert", str(source), "--to", "epub", "-o", str(tmp_path)])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert str(source) in line and "a bug to report" in line
    assert list(tmp_path.iterdir()) == []


def test_epubs_that_pass_the_self_check_pass_epubcheck(tmp_path: Path) -> None:
    """The self-check is not stricter than needed: what we write passes both."""
    doc = Document(
        Meta(title="Both", language="en"),
        (n.Paragraph((n.Span((), n.Attr("tool")), n.Link((n.Text("tool"),), "#tool"))),),
    )
    assert epubcheck(write(doc, "epub"), tmp_path).errors == []
