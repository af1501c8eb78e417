"""The model ⇄ pandoc mapping: both directions share one name table, and pandoc's AST version is checked."""

from __future__ import annotations

import pytest

from convert.errors import InputError
from convert.model import nodes as n
from convert.pandoc import names
from convert.pandoc.reading import blocks_from_pandoc
from convert.pandoc.writing import to_pandoc
from convert.readers.pandoc import parse_text

_EVERY_NAMED_VALUE: tuple[n.Block, ...] = (
    n.Paragraph(
        (
            *(cls((n.Text(name),)) for name, cls in names.SIMPLE_INLINES.items()),
            *(n.Quoted(kind, (n.Text(kind),)) for kind in names.QUOTES.values()),
            *(n.Math("x^2", display=display) for display in names.MATH_DISPLAY.values()),
        )
    ),
    n.Table(
        caption=(),
        aligns=tuple(names.ALIGNMENTS.values()),
        head=(),
        body=(n.Row(tuple(n.Cell((n.Plain((n.Text("c"),)),), align) for align in names.ALIGNMENTS.values())),),
    ),
)


def test_every_named_value_goes_to_pandoc_and_back_unchanged() -> None:
    ast = to_pandoc(_EVERY_NAMED_VALUE, {})
    assert ast["pandoc-api-version"] == list(names.API_VERSION)
    assert blocks_from_pandoc(ast["blocks"]) == _EVERY_NAMED_VALUE


def test_pandoc_itself_reads_what_we_write_as_the_same_document() -> None:
    import json

    import pypandoc

    ast = to_pandoc(_EVERY_NAMED_VALUE, {})
    again = json.loads(pypandoc.convert_text(json.dumps(ast), "json", format="json"))
    assert again["pandoc-api-version"][:2] == list(names.API_VERSION[:2])
    assert blocks_from_pandoc(again["blocks"]) == _EVERY_NAMED_VALUE


def test_an_ast_of_another_api_version_is_refused_on_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "API_VERSION", (1, 22, 2, 1))  # as if this Tearsheet knew only pandoc 2.x's AST
    with pytest.raises(
        InputError, match=r"note\.md: pandoc's AST has API version 1\.23\.[\d.]+; Tearsheet reads 1\.22"
    ):
        parse_text("Some *text*.", "markdown", "note.md")
