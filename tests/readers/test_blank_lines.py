"""A run of two or more <br> ends a paragraph, as a browser shows it; a single <br> stays a line break."""

from __future__ import annotations

import lxml.html
import pytest

from convert.readers.blank_lines import split_at_blank_lines


def _split(html: str) -> str:
    root = lxml.html.fragment_fromstring(html, create_parent="section")
    split_at_blank_lines(root)
    return lxml.html.tostring(root, encoding="unicode").removeprefix("<section>").removesuffix("</section>")


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>One.<br><br>Two.<br>\n&nbsp;<br>Three.</p>", "<p>One.</p><p>Two.</p><p>Three.</p>"),
        ("<p>One<br>line.</p>", "<p>One<br>line.</p>"),  # a line break
        # the phrases around the run go on in the next paragraph
        (
            "<p><font>One <b>bold<br><br>still</b> end.</font></p>",
            "<p><font>One <b>bold</b></font></p><p><font><b>still</b> end.</font></p>",
        ),
        # lines loose in a box, beside its blocks
        (
            "<div><h2>H</h2>One.<br><br>Two <i>x</i>.<p>P</p></div>",
            "<div><h2>H</h2><p>One.</p><p>Two <i>x</i>.</p><p>P</p></div>",
        ),
        ("<div>One.<br><br><br>Two.</div>", "<div><p>One.</p><p>Two.</p></div>"),
        ("<p><br><br>Lead.</p><p>Tail.<br><br></p>", "<p>Lead.</p><p>Tail.</p>"),  # nothing to cut off
        # preformatted text, list items and headings keep their breaks
        (
            "<pre>a<br><br>b</pre><ul><li>x<br><br>y</li></ul><h2>A<br><br>B</h2>",
            "<pre>a<br><br>b</pre><ul><li>x<br><br>y</li></ul><h2>A<br><br>B</h2>",
        ),
    ],
)
def test_runs_of_line_breaks_end_paragraphs(html: str, expected: str) -> None:
    assert _split(html) == expected
