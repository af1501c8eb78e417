"""The manifest: the issue's form, pyproject's [tool.tearsheet], and errors naming file, line and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from convert.batch.commands import STARTER
from convert.batch.manifest import ManifestError, find_manifest, load_manifest
from convert.batch.toml_lines import key_line
from convert.options import LinkPolicy
from convert.stylesheets import STYLES_DIR
from tests.batch.project import MANIFEST


def write(tmp_path: Path, text: str, name: str = "tearsheet.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    return str(caught.value)


def test_the_issue_form_is_read_with_paths_relative_to_the_manifest(tmp_path: Path) -> None:
    manifest = load_manifest(write(tmp_path, MANIFEST))
    assert manifest.inputs == ("articles/*.md", "pages/*.html")
    assert manifest.settings.formats == ("pdf", "epub", "docx")
    assert manifest.output == tmp_path.absolute() / "dist"
    (weekly,) = manifest.collections
    assert (weekly.name, weekly.title, weekly.inputs) == ("weekly", "Weekly reading", ("articles/*.md",))
    assert weekly.settings.formats == ("epub", "pdf")


def test_settings_overrides_and_collection_options(tmp_path: Path) -> None:
    text = """
[build]
inputs = "*.md"
style = "serif"
links = "inline"
page_size = "letter"

[[override]]
inputs = ["pages/*.html"]
formats = ["epub"]
extract = false

[[collection]]
name = "all"
title = "All"
inputs = ["*.md"]
order = "date"
sections_from = "tags"
toc_depth = 1
"""
    manifest = load_manifest(write(tmp_path, text))
    assert manifest.inputs == ("*.md",)
    assert manifest.settings.stylesheet == STYLES_DIR / "themes" / "serif.css"
    assert manifest.settings.links is LinkPolicy.INLINE and manifest.settings.page_size == "letter"
    (override,) = manifest.overrides
    changed = override.apply(manifest.settings)
    assert changed.formats == ("epub",) and changed.extract is False and changed.page_size == "letter"
    (book,) = manifest.collections
    assert (book.order, book.sections_from, book.toc_depth, book.settings.formats) == ("date", "tags", 1, ("epub",))
    assert book.settings.links is LinkPolicy.INLINE  # inherited from [build]


def test_pyproject_tool_table_and_its_lines(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n\n[tool.tearsheet.build]\ninputs = ["*.md"]\nformats = ["mobi"]\n'
    path = write(tmp_path, text, "pyproject.toml")
    assert find_manifest(tmp_path) == path
    assert error_of(path) == f"{path}:6: build.formats: unknown format 'mobi' (have docx, epub, pdf)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[build]\ninputs = ["*.md"]\nformat = ["pdf"]\n', ":3: build.format: unknown key (did you mean 'formats'?)"),
        ('[build]\ninputs = ["*.md"]\n\noutput = 3\n', ":4: build.output: expected a string, got a number"),
        ("[build]\ninputs = []\n", ":2: build.inputs: expected a non-empty list of strings, got a list"),
        (
            '[build]\ninputs = ["*.md"]\nlinks = "side"\n',
            ":3: build.links: 'side' is not one of auto, footnote, endnote",
        ),
        ('[build]\ninputs = ["*.md"]\nstyle = "nope"\n', ":3: build.style: 'nope' is neither a CSS file nor a"),
        ('[build]\ninputs = ["*.md"]\nextract = "no"\n', ":3: build.extract: expected true or false, got a string"),
        ('[build]\ninputs = ["*.md"]\ntimeout = -1\n', ":3: build.timeout: expected a number of seconds (0: no limit)"),
        ('[build]\ninputs = ["*.md"]\ntimeout = true\n', ":3: build.timeout: expected a number of seconds"),
        ("[build]\ninputs = [\n", ":2: not valid TOML: "),
        ('[bild]\ninputs = ["*.md"]\n', ":1: bild: unknown key (did you mean 'build'?)"),
        ("[build]\n", ":1: build.inputs: nothing to build: give build.inputs or a [[collection]]"),
        ('[collection]\nname = "a"\n', ":1: collection: write [[collection]] (an array of tables), not [collection]"),
        (
            '[[collection]]\nname = "a"\ntitle = "A"\ninputs = ["*.md"]\n\n[[collection]]\nname = "b"\n'
            'title = "B"\ninputs = ["*.md"]\nformats = ["docx"]\n',
            ":10: collection[2].formats: a collection can be epub or pdf, not docx",
        ),
        (
            '[[collection]]\nname = "a"\ntitle = "A"\ninputs = ["*.md"]\n[[collection]]\nname = "a"\ntitle = "B"\n'
            'inputs = ["*.md"]\n',
            ":6: collection[2].name: a second collection named 'a'",
        ),
        ('[[collection]]\nname = "a/b"\ntitle = "A"\ninputs = ["*.md"]\n', ":2: collection[1].name: 'a/b' is not a"),
        ('[[collection]]\nname = "a"\ninputs = ["*.md"]\n', ":1: collection[1].title: missing (a string is required)"),
        ('[build]\ninputs = ["*.md"]\n[[override]]\ninputs = ["x"]\n', ":3: override[1]: sets nothing; give one of"),
    ],
)
def test_errors_name_the_line_and_the_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}{expected}"), message


def test_no_manifest_is_an_error_that_says_how_to_make_one(tmp_path: Path) -> None:
    write(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    with pytest.raises(ManifestError, match="tearsheet init"):
        find_manifest(tmp_path)


def test_the_starter_manifest_is_valid(tmp_path: Path) -> None:
    manifest = load_manifest(write(tmp_path, STARTER.read_text(encoding="utf-8")))
    assert manifest.settings.formats == ("pdf", "epub", "docx")
    # Every commented-out setting is valid too.
    uncommented = re.sub(r"^# (?=\[|\w+ += )", "", STARTER.read_text(encoding="utf-8"), flags=re.MULTILINE)
    manifest = load_manifest(write(tmp_path, uncommented))
    assert manifest.exclude and manifest.overrides and manifest.collections[0].name == "weekly"


def test_key_line_finds_keys_in_tables_and_arrays_of_tables() -> None:
    text = 'top = 1\n[build]\ninputs = []\n"output" = "x"\n[[c]]\nname = "a"\n[[c]]\n# name\nname = "b"\n'
    assert key_line(text, "", "top") == 1
    assert key_line(text, "build", "output") == 4
    assert key_line(text, "c", "name", 1) == 9
    assert key_line(text, "c", "missing", 1) == 7  # the table's header
    assert key_line(text, "nowhere", "x") is None
