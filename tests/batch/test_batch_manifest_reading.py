"""A manifest sets how inputs are read as the command line does: --keep, --rules, --citation-locale."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from PIL import Image

from convert.batch.manifest import ManifestError, load_manifest
from convert.model import plain_text
from convert.pipeline import load
from convert.settings import Kind, Setting

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SIGN_OFF = "M. Ch. August 18, 2018"  # the scraped article's editor's initials: no built-in rule removes them


def project(tmp_path: Path, build: str) -> Path:
    shutil.copy(FIXTURES / "scraped-article.md", tmp_path / "article.md")
    (tmp_path / "house.toml").write_text('[boilerplate]\neditor-sign-off = ["^M\\\\. Ch\\\\. "]\n', encoding="utf-8")
    manifest = tmp_path / "tearsheet.toml"
    manifest.write_text(f'[build]\ninputs = ["article.md"]\n{build}', encoding="utf-8")
    return manifest


def test_keep_and_rules_in_the_manifest_change_what_the_normalizer_removes(tmp_path: Path) -> None:
    manifest = load_manifest(project(tmp_path, 'rules = "house.toml"\nkeep = ["share-prompt"]\n'))
    doc = load(tmp_path / "article.md", context=manifest.settings.context())
    text = plain_text(doc.blocks)
    assert "share buttons" in text  # kept: share-prompt would remove it
    assert SIGN_OFF not in text
    assert [r.text for r in doc.removed if r.rule == "editor-sign-off"] == [SIGN_OFF]
    by_default = plain_text(load(tmp_path / "article.md").blocks)
    assert SIGN_OFF in by_default and "share buttons" not in by_default


def test_an_override_keeps_a_rule_of_the_build_rules_file(tmp_path: Path) -> None:
    text = 'rules = "house.toml"\n\n[[override]]\ninputs = ["article.md"]\nkeep = ["editor-sign-off"]\n'
    manifest = load_manifest(project(tmp_path, text))
    (override,) = manifest.overrides
    doc = load(tmp_path / "article.md", context=override.apply(manifest.settings).context())
    assert SIGN_OFF in plain_text(doc.blocks)


def test_citation_locale_in_the_manifest_reaches_the_write_options(tmp_path: Path) -> None:
    manifest = load_manifest(project(tmp_path, 'citation_locale = "de"\n'))
    assert manifest.settings.write_options().citation_locale == "de"


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (
            'keep = ["no-such-rule"]\n',
            r"tearsheet\.toml:3: build\.keep: unknown rule no-such-rule; rules: .*share-prompt",
        ),
        ('rules = "missing.toml"\n', r"tearsheet\.toml:3: build\.rules: missing\.toml: refused \(not found\)"),
        (
            'citation_locale = "xx-nowhere"\n',
            r"tearsheet\.toml:3: build\.citation_locale: no CSL locale for 'xx-nowhere'",
        ),
    ],
)
def test_a_bad_reading_setting_is_a_manifest_error_naming_line_and_key(
    tmp_path: Path, build: str, expected: str
) -> None:
    with pytest.raises(ManifestError, match=expected):
        load_manifest(project(tmp_path, build))


# Options no manifest key stands for; each says why where it is declared (Setting.command_line_only).
COMMAND_LINE_ONLY = {
    "convert": {"name_template", "jobs", "debug"},
    "collect": {"output", "jobs", "debug"},
}


@pytest.mark.parametrize("command", ["convert", "collect"])
def test_every_option_of_the_command_is_declared_once_and_has_a_manifest_key(command: str) -> None:
    from convert.cli import cli
    from convert.settings import declared

    settings = list(declared(command))
    # Every option of the command comes from the declaration, and from nowhere else.
    options = [p.name for p in cli.commands[command].params if isinstance(p, click.Option)]
    assert options == [s.param_name for s in settings]
    without_key = {s.param_name: s.command_line_only for s in settings if not s.tables}
    assert all(without_key.values()), "a setting no manifest takes must say why"
    assert set(without_key) == COMMAND_LINE_ONLY[command]


def _sample(setting: Setting, root: Path) -> object:
    """A value of ``setting`` that is not its default, as a manifest writes it."""
    (root / "rules.toml").write_text('[boilerplate]\nhouse = ["^Sign-off"]\n', encoding="utf-8")
    (root / "urls.txt").write_text("https://example.org/a\n", encoding="utf-8")
    Image.new("RGB", (60, 90), "navy").save(root / "cover.png")
    by_key: dict[str, object] = {
        "formats": ["epub"],
        "from": "markdown",
        "style": "serif",
        "citation_style": "apa",
        "citation_locale": "de",
        "rules": "rules.toml",
        "keep": ["house"],
        "urls": "urls.txt",
        "cover": "cover.png",
        "since": "7d",
        "feeds": ["https://example.org/feed.xml"],
        "max_per_feed": 3,
        "toc_depth": 3,
        "max_size": "1.5MB",
        "new_only": "state.json",  # not there yet: the first build makes it
    }
    if setting.key in by_key:
        return by_key[setting.key]
    match setting.kind:
        case Kind.FLAG:
            return not setting.manifest_default
        case Kind.CHOICE:
            return setting.choices[-1]
        case Kind.TEXTS:
            return ["one.example"]
        case Kind.SECONDS | Kind.POSITIVE_SECONDS:
            return 7
        case Kind.FOLDER:
            return "a-folder"
        case _:
            return "Some text"


def _stored(value: object, root: Path) -> object:
    """What the manifest keeps of ``value``: paths relative to its folder, lists as tuples."""
    if isinstance(value, list):
        return tuple(value)
    if value == "1.5MB":
        return 1536 * 1024
    if (isinstance(value, str) and (root / value).suffix in {".toml", ".txt", ".png", ".json"}) or value == "a-folder":
        return root / str(value)
    return value


@pytest.mark.parametrize("table", ["build", "override", "collection"])
def test_every_manifest_key_the_declaration_gives_a_table_reaches_what_it_sets(tmp_path: Path, table: str) -> None:
    from convert.settings import Table, manifest_keys

    root = tmp_path.resolve()
    (root / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    keys = {k: s for k, s in manifest_keys(Table(table)).items() if k != "output"}
    values = {key: _sample(setting, root) for key, setting in keys.items()}
    if table == "collection":
        values["formats"] = ["pdf"]
    body = "".join(f"{key} = {_toml(value)}\n" for key, value in values.items())
    manifest = root / "tearsheet.toml"
    head = {
        "build": '[build]\ninputs = ["a.md"]\n',
        "override": '[build]\ninputs = ["a.md"]\n\n[[override]]\ninputs = ["a.md"]\n',
        "collection": '[build]\n\n[[collection]]\nname = "book"\ninputs = ["a.md"]\n',
    }[table]
    manifest.write_text(head + body, encoding="utf-8")

    loaded = load_manifest(manifest)

    settings = {
        "build": loaded.settings,
        "override": loaded.overrides[0].apply(loaded.settings) if loaded.overrides else None,
        "collection": loaded.collections[0].settings if loaded.collections else None,
    }[table]
    for key, setting in keys.items():
        expected = _stored(values[key], root)
        if key in {"style", "links", "citation_style"}:  # made a path, a LinkPolicy, a name
            got: object = getattr(settings, setting.field_name)
            assert got is not None and got != setting.manifest_default, key
        elif hasattr(settings, setting.field_name):
            assert getattr(settings, setting.field_name) == expected, key
        else:
            assert getattr(loaded.collections[0], setting.field_name) == expected, key


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return f'"{value}"' if isinstance(value, str) else str(value)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("offline", '"yes"', r"tearsheet\.toml:3: build\.offline: expected true or false, got a string"),
        ("allow_hosts", "[1]", r"tearsheet\.toml:3: build\.allow_hosts: expected a non-empty list of strings"),
        ("cache_dir", '""', r"tearsheet\.toml:3: build\.cache_dir: must not be empty"),
        ("images", "0", r"tearsheet\.toml:3: build\.images: expected true or false, got a number"),
    ],
)
def test_a_bad_network_setting_is_a_manifest_error_naming_line_and_key(
    tmp_path: Path, key: str, value: str, expected: str
) -> None:
    with pytest.raises(ManifestError, match=expected):
        load_manifest(project(tmp_path, f"{key} = {value}\n"))


def test_a_collection_cover_that_is_no_image_is_a_manifest_error(tmp_path: Path) -> None:
    manifest = project(tmp_path, '\n[[collection]]\nname = "b"\ntitle = "B"\ninputs = ["article.md"]\n')
    (tmp_path / "cover.png").write_text("not an image", encoding="utf-8")
    manifest.write_text(manifest.read_text(encoding="utf-8") + 'cover = "cover.png"\n', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"tearsheet\.toml:8: collection\[1\]\.cover: "):
        load_manifest(manifest)


def test_the_readme_names_every_manifest_key() -> None:
    from convert.settings import Table, manifest_keys

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    keys = {key for table in Table for key in manifest_keys(table)}
    assert {key for key in keys if f"`{key}`" not in readme} == set()


@pytest.mark.parametrize(
    ("book", "expected"),
    [
        ('max_size = "big"', r"tearsheet\.toml:8: collection\[1\]\.max_size: 'big' is not a size \(e\.g\. 50MB"),
        ("max_size = 50", r"tearsheet\.toml:8: collection\[1\]\.max_size: expected a string, got a number"),
        ('new_only = "house.toml"', r"tearsheet\.toml:8: collection\[1\]\.new_only: not a digest state file"),
        ('new_only = "no-such-folder/state.json"', None),  # made by the first build
    ],
)
def test_a_collections_max_size_and_new_only_are_checked_when_the_manifest_is_read(
    tmp_path: Path, book: str, expected: str | None
) -> None:
    manifest = project(tmp_path, f'\n[[collection]]\nname = "b"\ntitle = "B"\ninputs = ["article.md"]\n{book}\n')
    if expected is None:
        assert load_manifest(manifest).collections[0].new_only == tmp_path / "no-such-folder" / "state.json"
        return
    with pytest.raises(ManifestError, match=expected):
        load_manifest(manifest)
