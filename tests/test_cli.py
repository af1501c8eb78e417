"""The command line as users and CI call it, through click's runner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert import __version__
from convert.cli import cli
from convert.writers.pdf import PdfWriter


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_convert_writes_each_format_per_input(tmp_path: Path, fixtures: Path) -> None:
    code, _, _ = run(
        "convert",
        str(fixtures / "front-matter-article.md"),
        str(fixtures / "web-page.html"),
        "--to",
        "pdf,epub,docx",
        "-o",
        str(tmp_path),
    )
    assert code == 0
    for stem in ("front-matter-article", "web-page"):
        for suffix in (".pdf", ".epub", ".docx"):
            assert (tmp_path / f"{stem}{suffix}").stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_bad_input_is_one_line_and_the_batch_goes_on(tmp_path: Path, fixtures: Path) -> None:
    bad = tmp_path / "broken.md"
    bad.write_text("---\ntitle: [oops\n---\nText\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = run("convert", str(bad), str(fixtures / "front-matter-article.md"), "-o", str(out_dir))
    assert code == 1
    assert err.strip().splitlines() == [
        f"tearsheet: error: {bad}: broken YAML front matter: while parsing a flow sequence"
    ]
    assert sorted(p.name for p in out_dir.iterdir()) == ["front-matter-article.pdf"]


def test_nothing_converted_exits_2_and_leaves_no_output(tmp_path: Path) -> None:
    code, _, err = run("convert", str(tmp_path / "missing.md"), "-o", str(tmp_path / "out"))
    assert code == 2
    assert err == f"tearsheet: error: {tmp_path / 'missing.md'}: no such file\n"
    assert not (tmp_path / "out").exists()


def test_unknown_format_is_a_usage_error(fixtures: Path) -> None:
    code, _, err = run("convert", str(fixtures / "front-matter-article.md"), "--to", "mobi")
    assert code == 2 and "unknown format" in err


def test_inspect_json_has_the_contract_fields(fixtures: Path) -> None:
    code, out, _ = run("inspect", str(fixtures / "front-matter-article.md"), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["meta"]["title"] == "Small Libraries, Long Memories"
    assert data["meta"]["authors"][0]["name"] == "Ines Halvorsen"
    assert data["meta"]["published"] == "2023-11-02"
    assert data["meta"]["publisher"] == "Commons Quarterly"
    assert data["meta"]["source_url"].startswith("https://commons-quarterly")
    assert data["meta"]["language"] == "en-US"
    assert [c["n"] for c in data["citations"]] == [1, 2, 3]
    assert {"url", "text"} <= set(data["citations"][0])
    assert isinstance(data["removed"], list) and isinstance(data["blocks"], list)


def test_inspect_text_prints_one_block_a_paragraph(fixtures: Path) -> None:
    code, out, _ = run("inspect", str(fixtures / "front-matter-article.md"), "--text")
    assert code == 0
    paragraphs = out.strip().split("\n\n")
    assert paragraphs[0].startswith("When the branch library on Alder Street")
    assert "The drawers" in paragraphs


def test_formats_lists_the_writers() -> None:
    code, out, _ = run("formats")
    assert code == 0
    for name in ("pdf", "epub", "docx"):
        assert f"  {name} " in out


def test_version_and_help_with_examples() -> None:
    assert run("--version")[1].strip() == f"tearsheet, version {__version__}"
    for command in ("convert", "collect", "inspect", "formats", "build", "init", "check"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Example" in out
    assert "_TEARSHEET_COMPLETE=bash_source tearsheet" in run("--help")[1]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_as_the_readme_says(shell: str) -> None:
    exe = shutil.which("tearsheet") or str(Path(sys.executable).parent / "tearsheet")
    env = {**os.environ, "_TEARSHEET_COMPLETE": f"{shell}_source"}
    script = subprocess.run([exe], capture_output=True, text=True, check=True, env=env).stdout
    assert "_TEARSHEET_COMPLETE" in script
    words = {
        **os.environ,
        "_TEARSHEET_COMPLETE": "bash_complete",
        "COMP_WORDS": "tearsheet convert --citation-",
        "COMP_CWORD": "2",
    }
    answer = subprocess.run([exe], capture_output=True, text=True, check=True, env=words).stdout
    assert answer.split() == ["plain,--citation-style", "plain,--citation-locale"]


def test_python_dash_m_is_the_same_program() -> None:
    result = subprocess.run([sys.executable, "-m", "convert", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"tearsheet, version {__version__}"


def test_console_script_is_installed() -> None:
    exe = shutil.which("tearsheet") or str(Path(sys.executable).parent / "tearsheet")
    result = subprocess.run([exe, "formats"], capture_output=True, text=True, check=True)
    assert "epub" in result.stdout


def test_failed_write_leaves_the_old_output(tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "front-matter-article.pdf"
    target.write_bytes(b"old")

    def explode(self: object, doc: object, options: object) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(PdfWriter, "write", explode)
    code, _, err = run("convert", str(fixtures / "front-matter-article.md"), "-o", str(tmp_path))
    assert code == 2 and "renderer crashed" in err
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_warning_is_said_once_per_input_however_many_formats(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text("# A\n\n![gone](missing.png)\n\ntext\n", encoding="utf-8")
    other = tmp_path / "b.md"
    other.write_text("# B\n\n![gone](missing.png)\n", encoding="utf-8")
    args = ["convert", str(article), str(other), "--to", "pdf,epub,docx", "-o", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "missing.png" in line]
    assert warnings == [  # once for each input, though each of its three formats looked for the image
        f"tearsheet: warning: {article}: missing.png: image not found",
        f"tearsheet: warning: {other}: missing.png: image not found",
    ]
