"""A manifest sets how inputs are read as the command line does: --keep, --rules, --citation-locale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from convert.batch.manifest import ManifestError, load_manifest
from convert.model import plain_text
from convert.pipeline import load

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


def test_every_reading_and_writing_option_of_convert_has_a_manifest_key() -> None:
    from convert.batch.manifest import SETTING_KEYS
    from convert.cli import convert

    # click parameter → manifest key, where their names differ
    key_of = {"input_format": "from", "no_extract": "extract", "rules_file": "rules", "style": "style"}
    of_convert = {p.name for p in convert.params} - {"inputs", "formats", "output", "name_template", "cite_export"}
    command_line_only = {"debug"}  # how the run reports, not what it makes
    network = {"offline", "no_images", "allow_private", "allow_hosts", "cache_dir"}  # URLs: not in builds yet (#20)
    missing = {key_of.get(name, name) for name in of_convert - command_line_only - network} - set(SETTING_KEYS)
    assert missing == set()
