"""`tearsheet build` on the examples and generated articles: real outputs, the cache, reports, reproducibility."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from convert.batch.commands import build, init
from tests.batch.project import invoke, read_json

STEMS = ("front-matter-article", "scraped-article", "generated-1", "generated-2", "web-page")
BROKEN = "---\ntitle: [oops\n---\nText\n"


def outputs(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir()) if p.is_file()}


def test_build_writes_every_output_then_serves_them_all_from_the_cache(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    manifest = project()
    dist = manifest.parent / "dist"
    first = invoke(build, manifest, "--jobs", "2", "--report", tmp_path / "first.json")
    assert first.code == 0, first.stderr
    expected = {f"{stem}{suffix}" for stem in STEMS for suffix in (".pdf", ".epub", ".docx")}
    assert set(outputs(dist)) == expected | {"weekly.epub", "weekly.pdf"}
    assert all(len(data) > 1000 for data in outputs(dist).values())
    assert read_json(tmp_path / "first.json")["totals"] == {"built": 17, "cached": 0, "failed": 0, "skipped": 0}
    assert "built  articles/generated-1.md → " in first.stdout

    again = invoke(build, manifest, "--jobs", "2", "--report", tmp_path / "again.json")
    assert again.code == 0, again.stderr
    report = read_json(tmp_path / "again.json")
    assert report["totals"] == {"built": 0, "cached": 17, "failed": 0, "skipped": 0}
    assert {o["status"] for o in report["outputs"]} == {"cached"}
    assert "17 outputs cached, 0 to build" in again.stdout

    # A changed image rebuilds the article that shows it, and only that.
    image = manifest.parent / "articles" / "images" / "turbine.svg"
    image.write_text(image.read_text(encoding="utf-8").replace("</svg>", "<!-- new --></svg>"), encoding="utf-8")
    invoke(build, manifest, "--jobs", "1", "--report", tmp_path / "image.json")
    built = {(o["input"], o["format"]) for o in read_json(tmp_path / "image.json")["outputs"] if o["status"] == "built"}
    assert {name for name, _ in built} == {"articles/front-matter-article.md", "collection weekly"}


def test_two_clean_builds_with_source_date_epoch_are_byte_identical(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    manifest = project(generated=1)
    dist = manifest.parent / "dist"
    assert invoke(build, manifest, "-j", "2", "-q").code == 0
    first = outputs(dist)
    shutil.rmtree(dist)
    assert invoke(build, manifest, "-j", "2", "-q").code == 0
    second = outputs(dist)
    assert first.keys() == second.keys() and len(first) == 14
    assert [name for name in first if first[name] != second[name]] == []


def test_a_broken_input_fails_alone_and_every_report_names_it(project: Callable[..., Path], tmp_path: Path) -> None:
    manifest = project(generated=1)
    (manifest.parent / "articles" / "broken.md").write_text(BROKEN, encoding="utf-8")
    report, junit = tmp_path / "build.json", tmp_path / "build.xml"
    run = invoke(build, manifest, "-j", "2", "--report", report, "--junit", junit)

    assert run.code == 1
    reason = "broken YAML front matter: while parsing a flow sequence"
    assert f"tearsheet: error: articles/broken.md: {reason}" in run.stderr.splitlines()
    assert f"failed: articles/broken.md: {reason}" in run.stdout.splitlines()
    # The collection is still bound, without the broken article, and says so.
    assert "failed: collection weekly: 1 of 4 articles left out: articles/broken.md: broken YAML" in run.stdout

    data = read_json(report)
    failed = [(o["input"], o["format"]) for o in data["outputs"] if o["status"] == "failed"]
    assert sorted(failed) == sorted(
        [("articles/broken.md", f) for f in ("pdf", "epub", "docx")]
        + [("collection weekly", "epub"), ("collection weekly", "pdf")]
    )
    assert all(o["error"].startswith("broken YAML") for o in data["outputs"] if o["input"] == "articles/broken.md")
    assert data["ok"] is False and data["totals"]["built"] == 12

    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "17" and suite.get("failures") == "5"
    broken = [case for case in suite if case.get("classname") == "articles/broken.md"]
    assert sorted(case.get("name") or "" for case in broken) == ["docx", "epub", "pdf"]
    assert all((case.find("failure") is not None) for case in broken)
    assert reason in (broken[0].find("failure").get("message") or "")  # type: ignore[union-attr]

    written = {p.name for p in (manifest.parent / "dist").iterdir() if p.is_file()}
    assert {"front-matter-article.pdf", "web-page.docx", "generated-1.epub", "weekly.epub"} <= written
    assert not any(name.startswith("broken") for name in written)


def test_an_input_past_the_manifest_timeout_fails_alone(project: Callable[..., Path], tmp_path: Path) -> None:
    # The limit is the stalled input's alone (an override), so the others' time on a busy machine does not matter.
    text = (
        '[build]\ninputs = ["articles/*.md"]\nformats = ["pdf", "docx"]\n\n'
        '[[override]]\ninputs = ["articles/stalled.md"]\ntimeout = 5\n'
    )
    manifest = project(generated=1, manifest=text)
    stalled = manifest.parent / "articles" / "stalled.md"
    stalled.write_text("[" * 24 + "@a\n", encoding="utf-8")  # pandoc's Markdown reader takes hours on this
    run = invoke(build, manifest, "-j", "2", "--report", tmp_path / "r.json")
    assert run.code == 1
    assert "failed: articles/stalled.md: timed out after 5 s" in run.stdout.splitlines()
    statuses = {(o["input"], o["format"]): o["status"] for o in read_json(tmp_path / "r.json")["outputs"]}
    assert statuses.pop(("articles/stalled.md", "pdf")) == statuses.pop(("articles/stalled.md", "docx")) == "failed"
    assert set(statuses.values()) == {"built"} and len(statuses) == 6


def test_fail_fast_stops_after_the_first_failure(project: Callable[..., Path], tmp_path: Path) -> None:
    manifest = project(generated=0, manifest='[build]\ninputs = ["articles/*.md"]\nformats = ["docx"]\n')
    # The biggest input goes first: make the broken one the biggest.
    (manifest.parent / "articles" / "broken.md").write_text(BROKEN + "padding " * 5000, encoding="utf-8")
    run = invoke(build, manifest, "-j", "1", "--fail-fast", "--report", tmp_path / "r.json")
    assert run.code == 1
    statuses = {o["input"]: o["status"] for o in read_json(tmp_path / "r.json")["outputs"]}
    assert statuses == {
        "articles/broken.md": "failed",
        "articles/front-matter-article.md": "skipped",
        "articles/scraped-article.md": "skipped",
    }


def test_usage_and_manifest_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = invoke(build)
    assert run.code == 2
    assert run.stderr.startswith("tearsheet: error: tearsheet.toml: no manifest here")

    Path("tearsheet.toml").write_text('[build]\ninputs = ["*.md"]\nformats = ["mobi"]\n', encoding="utf-8")
    run = invoke(build)
    assert (run.code, run.stderr) == (
        2,
        "tearsheet: error: tearsheet.toml:3: build.formats: unknown format 'mobi' (have docx, epub, pdf)\n",
    )
    assert invoke(build, "--shard", "3/2").code == 2
    assert invoke(build, "-q", "-v").code == 2


def test_init_writes_a_starter_that_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke(init).stdout == "wrote tearsheet.toml\n"
    again = invoke(init)
    assert again.code == 2 and "already exists" in again.stderr
    assert invoke(init, "--force").code == 0
    # Nothing matches yet: a warning per glob, nothing built, and no failure.
    run = invoke(build)
    assert run.code == 0
    assert "build.inputs: 'articles/*.md' matches no file" in run.stderr


def test_images_left_offline_are_one_warning_per_input_in_a_build(tmp_path: Path) -> None:
    pictures = "\n\n".join(f"![p{k}](https://example.org/p{k}.png)" for k in range(3))
    (tmp_path / "a.md").write_text(f"# A\n\ntext\n\n{pictures}\n", encoding="utf-8")
    (tmp_path / "tearsheet.toml").write_text('[build]\ninputs = ["a.md"]\nformats = ["epub"]\n', encoding="utf-8")
    run = invoke(build, tmp_path / "tearsheet.toml", "--jobs", "1")
    assert run.code == 0
    assert run.stderr.splitlines() == [
        "tearsheet: warning: a.md: 3 images not fetched (network access is off; allow_network = true fetches them)"
    ]


def test_a_manifest_sets_the_pdf_variant_and_an_archival_pdf_carries_its_input(project: Callable[..., Path]) -> None:
    import pikepdf

    text = '[build]\ninputs = ["articles/*.md"]\nformats = ["pdf"]\n\n[[override]]\ninputs = ["articles/scraped*"]\n'
    manifest = project(generated=0, manifest=text + 'pdf_variant = "a-3b"\n')
    assert invoke(build, manifest).code == 0
    dist, articles = manifest.parent / "dist", manifest.parent / "articles"
    with pikepdf.open(dist / "scraped-article.pdf") as pdf:
        attached = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
        assert attached == {"scraped-article.md": (articles / "scraped-article.md").read_bytes()}
    with pikepdf.open(dist / "front-matter-article.pdf") as pdf:  # the default: tagged PDF/UA, nothing attached
        assert len(pdf.attachments) == 0 and "/StructTreeRoot" in pdf.Root
