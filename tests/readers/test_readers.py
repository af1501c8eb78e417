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
from convert.pandoc.reading import blocks_from_pandoc, inlines_from_pandoc
from convert.readers import read_text

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


# --------------------------------------------------------------------------- depth, odd input, pandoc's output


def _model_depth(node: object) -> int:
    """The deepest nesting of model nodes under ``node``, without recursion."""
    deepest, stack = 0, [(node, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, tuple):
            stack.extend((child, depth) for child in item)
        elif hasattr(item, "__dataclass_fields__"):
            deepest = max(deepest, depth)
            stack.extend((getattr(item, name), depth + 1) for name in item.__dataclass_fields__)
    return deepest


def test_content_nested_too_deep_is_flattened_with_nothing_lost(caplog: pytest.LogCaptureFixture) -> None:
    from convert.limits import MAX_DEPTH

    para: dict[str, object] = {"t": "Para", "c": [{"t": "Str", "c": "innermost"}]}
    note = {"t": "Note", "c": [para]}
    link = {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "deep"}], ["https://example.com/deep", ""]]}
    inline: dict[str, object] = {"t": "Str", "c": "word"}
    for _ in range(10_000):
        inline = {"t": "Emph", "c": [inline, {"t": "Space"}]}
    block: dict[str, object] = {"t": "Para", "c": [inline, {"t": "Space"}, link, note]}
    for k in range(10_000):
        block = [
            {"t": "BlockQuote", "c": [block]},
            {"t": "BulletList", "c": [[block]]},
            {"t": "Div", "c": [["", [], []], [{"t": "Plain", "c": [{"t": "Str", "c": f"w{k}"}]}, block]]},
        ][k % 3]
    blocks = blocks_from_pandoc([block])
    assert _model_depth(blocks) <= MAX_DEPTH + 6
    words = plain_text(blocks).split()
    assert {"word", "deep"} <= set(words) and {f"w{k}" for k in range(2, 10_000, 3)} <= set(words)
    assert [node.url for node in iter_nodes(blocks) if isinstance(node, Link)] == ["https://example.com/deep"]
    assert any(isinstance(node, n.Note) for node in iter_nodes(blocks))
    assert "content nested deeper than" in caplog.text


def test_json_too_deep_for_the_json_module_is_still_read() -> None:
    import json

    from convert.readers.pandoc import load_deep_json

    deep = '{"a": ' * 50_000 + '[1, -2.5e3, "\\u00e9\\"", true, null]' + "}" * 50_000
    with pytest.raises(RecursionError):
        json.loads(deep)
    value = load_deep_json(deep)
    for _ in range(50_000):
        value = value["a"]
    assert value == [1, -2500.0, 'é"', True, None]
    assert load_deep_json('{"blocks": [], "meta": {}}') == {"blocks": [], "meta": {}}


def test_characters_xml_cannot_hold_never_reach_the_model() -> None:
    text = "Bell\x07 nul\x00 form\x0cfeed \ufffe \uffff `code\x01` [l\x02](https://example.com/\x03)"
    doc = read_text(text, "markdown")
    model = repr(doc.blocks)
    assert not any(c in model for c in "\x00\x01\x02\x03\x07\x0c\ufffe\uffff")
    assert "\\x" not in model and "Bell nul formfeed" in plain_text(doc.blocks)


def test_unclosed_html_lists_do_not_stall_pandoc() -> None:
    import time

    started = time.monotonic()
    doc = read_text("".join(f"<ul><li>item{k} " for k in range(60)), "html")
    assert time.monotonic() - started < 10  # pandoc alone: eighteen levels take seconds, sixty never end
    assert {f"item{k}" for k in range(60)} <= set(plain_text(doc.blocks).split())


def test_html_too_deep_for_libxml2_keeps_all_its_text() -> None:
    from convert.readers.pandoc import well_formed_html

    page = "<p>before</p>" + "<div><ul><li>x" * 3000 + "<p>inner &amp; last</p>" + "<p>after</p>"
    html = well_formed_html(page)
    assert html.count("<div>") == html.count("</div>") and "inner &amp; last" in html and "after" in html
    assert {"before", "inner", "last", "after"} <= set(plain_text(read_text(page, "html").blocks).split())


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image, not a text document"),
        (b"%PDF-1.7\n", "a PDF document, not a text document"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive, not a text document"),
        (b"\x1f\x8b\x08\x00", "gzip-compressed data, not a text document"),
    ],
)
def test_binary_files_named_as_text_say_what_they_are(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "mislabelled.md"
    path.write_bytes(data + bytes(64))
    with pytest.raises(InputError, match=reason):
        read(path)


def test_utf16_and_utf32_text_is_read(tmp_path: Path) -> None:
    for codec in ("utf-16", "utf-32"):
        path = tmp_path / f"{codec}.md"
        path.write_bytes("# Ünïcode\n\nText.\n".encode(codec))  # with its BOM
        assert plain_text(read(path).blocks) == "Ünïcode\nText.\n"


def test_an_html_page_named_md_is_read_as_html(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "page.md"
    path.write_text("<!-- saved -->\n<!DOCTYPE html><html><body><p>Hello <em>web</em></p></body></html>")
    doc = read(path, extract=False)
    assert doc.blocks == (n.Paragraph((n.Text("Hello "), n.Emph((n.Text("web"),)))),)
    assert "reading it as HTML" in caplog.text


def test_a_format_name_must_not_be_a_path(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("x")
    for name in ("./reader.lua", "/tmp/x.lua", "markdown;rm", "../markdown"):
        with pytest.raises(InputError, match="unknown input format"):
            read(path, fmt=name)
    assert read(path, fmt="markdown+smart-citations").blocks


def test_deeply_nested_front_matter_is_a_clear_error(tmp_path: Path) -> None:
    for fence, body in (("---", "x: " + "[" * 3000 + "]" * 3000), ("+++", "x = " + "[" * 3000 + "]" * 3000)):
        path = tmp_path / "deep.md"
        path.write_text(f"{fence}\n{body}\n{fence}\n\nText.\n")
        with pytest.raises(InputError, match="front matter: nested too deeply"):
            read(path)
