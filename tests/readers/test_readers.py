"""Readers: pandoc's AST onto the model, front matter onto Meta, any pandoc input."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pypandoc
import pytest

from convert import load, read
from convert.errors import InputError, UnsupportedNode
from convert.model import Block, Inline, Link, iter_nodes, plain_text
from convert.model import nodes as n
from convert.readers import read_text
from convert.readers.pandoc_ast import blocks_from_pandoc, inlines_from_pandoc

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_markdown_maps_every_block_and_inline_constructor() -> None:
    doc = read(FIXTURES / "readers" / "every-construct.md")
    seen = {type(node) for node in iter_nodes(doc.blocks)}
    expected = set(get_args(Block)) | set(get_args(Inline))
    # Straight quotes stay text in Markdown as people write it; smart quotes are pandoc's Quoted.
    assert expected - seen == {n.Quoted}
    assert isinstance(read_text('"q"', "markdown+smart").blocks[0].content[0], n.Quoted)  # type: ignore[union-attr]


def test_toml_front_matter_maps_to_meta() -> None:
    meta = read(FIXTURES / "readers" / "every-construct.md").meta
    assert meta.title == "Every construct"
    assert [a.name for a in meta.authors] == ["Ada Lovelace", "Charles Babbage"]
    assert meta.published == "2024-05-06"
    assert meta.tags == ("one", "two")
    assert meta.language == "fr"


def test_yaml_front_matter_maps_to_meta(fixtures: Path) -> None:
    meta = read(fixtures / "front-matter-article.md").meta
    assert meta.title == "Small Libraries, Long Memories"
    assert meta.subtitle.startswith("How neighbourhood archives")
    assert meta.authors[0].name == "Ines Halvorsen"
    assert meta.authors[0].url == "https://ineshalvorsen.example.net"
    assert meta.published == "2023-11-02"
    assert meta.publisher == "Commons Quarterly"
    assert meta.source_url == "https://commons-quarterly.example.com/2023/11/small-libraries"
    assert meta.language == "en-US"
    assert meta.tags == ("libraries", "archives", "local history")
    assert meta.rights == "CC BY 4.0"


def test_unknown_pandoc_constructor_is_an_error_naming_it() -> None:
    with pytest.raises(UnsupportedNode, match="Blink"):
        blocks_from_pandoc([{"t": "Blink", "c": []}])
    with pytest.raises(UnsupportedNode, match="Marquee"):
        inlines_from_pandoc([{"t": "Marquee", "c": []}])


def test_text_runs_are_merged() -> None:
    assert inlines_from_pandoc(
        [{"t": "Str", "c": "a"}, {"t": "Space"}, {"t": "Str", "c": "b"}, {"t": "SoftBreak"}]
    ) == (n.Text("a b "),)


def test_broken_front_matter_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\n\nBody\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.md: broken YAML front matter"):
        read(bad)


def test_leading_thematic_break_is_not_front_matter(tmp_path: Path) -> None:
    page = tmp_path / "rule.md"
    page.write_text("---\nJust text\n---\n\nMore\n", encoding="utf-8")
    assert read(page).meta.title == ""


def test_first_h1_becomes_title_without_front_matter(tmp_path: Path) -> None:
    page = tmp_path / "plain.md"
    page.write_text("# The Title\n\nBody text.\n", encoding="utf-8")
    doc = load(page)
    assert doc.meta.title == "The Title"
    assert not any(isinstance(b, n.Heading) for b in doc.blocks)
    assert [r.rule for r in doc.removed] == ["title-heading"]


def test_relative_links_resolve_against_source_url(tmp_path: Path) -> None:
    page = tmp_path / "rel.md"
    page.write_text("---\nsource_url: https://site.example/a/b.html\n---\n\n[x](../c) [y](#top)\n", encoding="utf-8")
    urls = [node.url for node in iter_nodes(load(page).blocks) if isinstance(node, Link)]
    assert urls == ["https://site.example/c", "#top"]


@pytest.mark.parametrize(
    ("suffix", "text", "title"),
    [
        (".rst", "The Title\n=========\n\nSee `Example <https://example.org/rst>`_.\n", "The Title"),
        (
            ".tex",
            "\\title{The Title}\\begin{document}See \\href{https://example.org/rst}{Example}.\\end{document}",
            "The Title",
        ),
        (
            ".html",
            "<html><head><title>The Title</title></head><body><p>See <a href='https://example.org/rst'>Example</a>.</p></body></html>",
            "The Title",
        ),
    ],
)
def test_text_formats_by_extension(tmp_path: Path, suffix: str, text: str, title: str) -> None:
    path = tmp_path / f"in{suffix}"
    path.write_text(text, encoding="utf-8")
    doc = load(path, extract=False)
    assert doc.meta.title == title
    assert [c.url for c in doc.citations] == ["https://example.org/rst"]


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_container_formats_keep_links_and_images(tmp_path: Path, fixtures: Path, fmt: str) -> None:
    source = tmp_path / f"in.{fmt}"
    pypandoc.convert_file(
        str(fixtures / "front-matter-article.md"),
        fmt,
        outputfile=str(source),
        extra_args=[f"--resource-path={fixtures}"],
    )
    doc = load(source)
    assert "Small Libraries, Long Memories" in (doc.meta.title, plain_text(doc.blocks[:1]).strip())
    assert "https://www.loc.example.gov/preservation/digitization/" in [c.url for c in doc.citations]
    images = [node for node in iter_nodes(doc.blocks) if isinstance(node, n.Image)]
    assert images and all(image.src.startswith("data:") for image in images)


def test_from_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.data"
    path.write_text("Title\n=====\n\nText.\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown input format"):
        read(path)
    assert load(path, input_format="rst").meta.title == "Title"


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes("# Café à Paris\n\nUn été très chaud, déjà passé.\n".encode("cp1252"))
    assert load(path).meta.title == "Café à Paris"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"  \n\n", "empty"), (b"\x00\x01\x02binary\xff", "binary")],
)
def test_unreadable_inputs_fail_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read(path)


def test_markdown_quotes_stay_as_written() -> None:
    doc = read_text("He said \"yes\" and 'no'.", "markdown")
    assert doc.blocks == (n.Paragraph((n.Text("He said \"yes\" and 'no'."),)),)
