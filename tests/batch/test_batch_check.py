"""The check gate: EPUBCheck and the link audit, in `build --check` and `tearsheet check`, into the reports."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

from convert.batch.commands import build, check
from tests.batch.project import invoke, read_json

SMALL = '[build]\ninputs = ["articles/generated-*.md", "pages/*.html"]\nformats = ["epub", "docx"]\n'


def rewrite_zip(path: Path, name: str, edit: Callable[[str], str]) -> None:
    """Change one entry of an EPUB or DOCX, keeping every other entry (and ``mimetype`` first)."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            target.writestr(info, edit(data.decode("utf-8")).encode("utf-8") if info.filename == name else data)


def test_build_check_runs_epubcheck_and_the_audit_and_caches_the_results(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    manifest = project(generated=1, manifest=SMALL)
    report, junit = tmp_path / "build.json", tmp_path / "build.xml"
    run = invoke(build, manifest, "-j", "2", "--check", "--report", report, "--junit", junit)
    assert run.code == 0, run.stderr
    assert "checked 4 outputs: 4 fine, 0 with problems" in run.stdout
    checks = read_json(report)["checks"]
    assert {(c["output"], tuple(c["checkers"]), c["ok"]) for c in checks} == {
        ("dist/generated-1.epub", ("epubcheck", "links"), True),
        ("dist/web-page.epub", ("epubcheck", "links"), True),
        ("dist/generated-1.docx", ("links",), True),
        ("dist/web-page.docx", ("links",), True),
    }
    suites = {s.get("name"): s for s in ET.parse(junit).getroot()}
    assert suites["tearsheet check"].get("tests") == "6" and suites["tearsheet check"].get("failures") == "0"

    again = invoke(build, manifest, "-j", "2", "--check", "--report", report)
    assert again.code == 0
    assert "checking" not in again.stdout  # nothing changed: the recorded results stand
    assert len(read_json(report)["checks"]) == 4


def test_check_names_each_problem_and_exits_1(project: Callable[..., Path], tmp_path: Path) -> None:
    manifest = project(generated=1, manifest=SMALL.replace('"articles/generated-*.md", ', ""))
    assert invoke(build, manifest, "-j", "1", "-q").code == 0
    dist = manifest.parent / "dist"
    # An element XHTML does not have, and a cited URL the document does not link.
    rewrite_zip(dist / "web-page.epub", "EPUB/article.xhtml", lambda text: text.replace("<p", "<blink/><p", 1))
    rewrite_zip(
        dist / "web-page.docx",
        "docProps/custom.xml",
        lambda text: re.sub(r'(name="tearsheet-citations".*?)(</vt:lpwstr>)', r"\1 https://unlinked.example/\2", text),
    )
    report, junit = tmp_path / "check.json", tmp_path / "check.xml"
    run = invoke(check, dist, "--report", report, "--junit", junit)

    assert run.code == 1
    errors = run.stderr.splitlines()
    assert any(line.startswith(f"tearsheet: error: {dist / 'web-page.epub'}: epubcheck: ERROR") for line in errors)
    assert (
        f"tearsheet: error: {dist / 'web-page.docx'}: links: cited URL is not a clickable link: https://unlinked.example/"
    ) in errors
    assert run.stdout.endswith("checked 2 outputs: 0 fine, 2 with problems\n")
    data = read_json(report)
    assert data["ok"] is False and [c["ok"] for c in data["checks"]] == [False, False]
    failures = [case for case in ET.parse(junit).getroot().iter("testcase") if case.find("failure") is not None]
    assert sorted(case.get("name") or "" for case in failures) == ["epubcheck", "links"]


def test_check_refuses_what_it_cannot_check(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    run = invoke(check, other)
    assert run.code == 2 and "not an output this can check" in run.stderr
    assert invoke(check, tmp_path / "missing.epub").code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke(check, empty).code == 2
