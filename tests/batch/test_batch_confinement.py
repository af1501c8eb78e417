"""A build reads and writes only inside its project: symlinks, loops, special files and outputs on inputs (#22)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from convert.batch.commands import build
from convert.batch.manifest import ManifestError, load_manifest
from convert.batch.plan import plan
from convert.resources import Sandbox
from tests.batch.project import invoke

SECRET = "the launch codes are 0000"
ARTICLE = "---\ntitle: {title}\n---\n\nBody of {title}.\n"


def _project(root: Path, manifest: str, articles: dict[str, str] | None = None) -> Path:
    (root / "articles").mkdir(parents=True)
    for name, text in (articles or {"plain.md": ARTICLE.format(title="Plain")}).items():
        (root / "articles" / name).write_text(text, encoding="utf-8")
    path = root / "tearsheet.toml"
    path.write_text(manifest, encoding="utf-8")
    return path


def _epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return " ".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


EPUB_ONLY = '[build]\ninputs = ["articles/*.md"]\nformats = ["epub"]\noutput = "dist"\n'


def test_an_input_symlinked_out_of_the_project_is_refused_and_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"# Secret\n\n{SECRET}\n", encoding="utf-8")
    manifest = _project(tmp_path / "project", EPUB_ONLY)
    (manifest.parent / "articles" / "notes.md").symlink_to(outside / "secret.md")

    run = invoke(build, manifest, "-j", "1")

    dist = manifest.parent / "dist"
    assert (dist / "plain.epub").is_file()
    assert not (dist / "notes.epub").exists()
    assert "articles/notes.md: refused (a symlink leading outside the project); not read" in run.stderr
    index = (dist / ".tearsheet-cache" / "index.json").read_text(encoding="utf-8")
    assert "outside" not in index and SECRET not in _epub_text(dist / "plain.epub")


def test_a_symlink_inside_the_project_is_still_an_input(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "project", EPUB_ONLY.replace('"articles/*.md"', '"articles/*.md", "more/*.md"'))
    (manifest.parent / "more").mkdir()
    (manifest.parent / "more" / "linked.md").symlink_to(manifest.parent / "articles" / "plain.md")
    build_plan = plan(load_manifest(manifest))
    assert sorted(job.label for job in build_plan.jobs) == ["articles/plain.md", "more/linked.md"]
    assert build_plan.refused == ()


def test_an_absolute_input_glob_names_outside_files_explicitly(tmp_path: Path) -> None:
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "given.md").write_text(ARTICLE.format(title="Given"), encoding="utf-8")
    manifest = _project(tmp_path / "project", EPUB_ONLY.replace('"articles/*.md"', f'"{outside}/*.md"'))
    assert [job.label for job in plan(load_manifest(manifest)).jobs] == [f"{outside}/given.md"]


def test_symlink_loops_do_not_stop_planning(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "project", EPUB_ONLY.replace('"articles/*.md"', '"articles/**/*.md"'))
    (manifest.parent / "articles" / "sub").mkdir()
    (manifest.parent / "articles" / "sub" / "deep.md").write_text(ARTICLE.format(title="Deep"), encoding="utf-8")
    (manifest.parent / "articles" / "here").symlink_to(".")
    (manifest.parent / "articles" / "there").symlink_to(".")
    (manifest.parent / "articles" / "sub" / "up").symlink_to("..")
    (manifest.parent / "articles" / "self").symlink_to("self")  # a link to itself
    code = (
        "import sys; from convert.batch.manifest import load_manifest; from convert.batch.plan import plan; "
        "print(sorted(j.label for j in plan(load_manifest(__import__('pathlib').Path(sys.argv[1]))).jobs))"
    )
    # In a child process: on a loop, planning would never end.
    done = subprocess.run(
        [sys.executable, "-c", code, str(manifest)], cwd=tmp_path, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['articles/plain.md', 'articles/sub/deep.md']"


def test_an_output_folder_symlinked_onto_the_inputs_is_a_manifest_error(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "project", '[build]\ninputs = ["articles/*.docx"]\nformats = ["docx"]\n')
    report = manifest.parent / "articles" / "report.docx"
    report.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty ZIP: the bytes must stay as they are
    (manifest.parent / "dist").symlink_to("articles")

    run = invoke(build, manifest, "-j", "1")

    assert run.code == 2
    assert "build.output: dist is a symlink to the folder of the input articles/report.docx" in run.stderr
    assert report.read_bytes() == b"PK\x05\x06" + bytes(18)


def test_an_output_folder_symlinked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "project", EPUB_ONLY)
    (tmp_path / "elsewhere").mkdir()
    (manifest.parent / "dist").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ManifestError, match="dist is a symlink leading outside the project"):
        plan(load_manifest(manifest))


def test_a_style_symlinked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "theirs.css").write_text("body { color: red }", encoding="utf-8")
    manifest = _project(tmp_path / "project", EPUB_ONLY + 'style = "mine.css"\n')
    (manifest.parent / "mine.css").symlink_to(tmp_path / "theirs.css")
    with pytest.raises(ManifestError, match=r"mine.css: refused \(a symlink leading outside the project\)"):
        load_manifest(manifest)


def test_refused_and_special_images_are_neither_read_nor_recorded(tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    text = (
        "---\ntitle: Images\n---\n\n![a](../../outside.png)\n\n![b](/proc/self/status)\n\n"
        "![c](pipe.png)\n\n![d](images/later.png)\n"
    )
    manifest = _project(tmp_path / "project", EPUB_ONLY, {"images.md": text})
    os.mkfifo(manifest.parent / "articles" / "pipe.png")  # reading a FIFO with no writer would block forever

    run = invoke(build, manifest, "-j", "1")

    assert run.code == 0, run.stderr
    entries = json.loads((manifest.parent / "dist" / ".tearsheet-cache" / "index.json").read_text())["entries"]
    (entry,) = entries.values()
    later = str((manifest.parent / "articles" / "images" / "later.png").resolve())
    assert entry["deps"] == {later: ""}  # looked up and not there: a dependency; nothing refused is listed


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("/proc/self/pagemap", "a system file"),
        ("/dev/zero", "a system file"),
        ("/etc/passwd", "outside the project"),
    ],
)
def test_confine_refuses_system_files_and_places_outside(name: str, reason: str, tmp_path: Path) -> None:
    from convert.resources import Refused, confine

    with pytest.raises(Refused, match=reason):
        confine(Path(name), None if reason == "a system file" else tmp_path)


def test_the_sandbox_never_reads_a_fifo_or_a_device(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.png")
    reads: dict[str, str] = {}
    sandbox = Sandbox(root=tmp_path, reads=reads)
    assert sandbox.load_image("pipe.png") is None
    assert Sandbox(root=Path("/dev")).load_image("/dev/zero") is None
    assert reads == {}
