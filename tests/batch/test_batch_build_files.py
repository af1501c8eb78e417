"""A build's jobs that write more than one file: volumes (max_size), citation files (cite_export) and a
digest state (new_only), each set in a manifest and checked on the files `tearsheet build` writes."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from ebooklib import epub

from convert.batch import load_manifest, plan
from convert.batch.commands import build
from convert.batch.outcomes import Task
from convert.batch.shipping import deliver, pack, run_parcel
from convert.batch.worker import run
from tests.batch.project import generated_article, invoke, read_json


def _article(k: int) -> str:
    """A generated article with ~16 kB of text that compresses little, so a book's size follows its articles."""
    words = random.Random(k)
    text = "\n\n".join(" ".join(f"{words.getrandbits(32):x}" for _ in range(100)) for _ in range(18))
    return generated_article(k) + "\n" + text + "\n"


def _project(root: Path, articles: int, manifest: str) -> Path:
    (root / "articles").mkdir(parents=True)
    for k in range(1, articles + 1):
        (root / "articles" / f"a{k}.md").write_text(_article(k), encoding="utf-8")
    path = root / "tearsheet.toml"
    path.write_text(manifest, encoding="utf-8")
    return path


def _build(manifest: Path) -> dict[tuple[str, str], str]:
    """Build; the status of each (input, format) from the JSON report."""
    report = manifest.parent / "report.json"
    run = invoke(build, manifest, "-j", "1", "--report", report)
    assert run.code == 0, run.stderr
    return {(o["input"], o["format"]): o["status"] for o in read_json(report)["outputs"]}


def _files(dist: Path) -> list[str]:
    return sorted(p.name for p in dist.iterdir() if p.is_file())


def _titles(book: Path) -> tuple[str, list[str]]:
    """The book's title and the titles of its chapters (an article's title is its chapter's heading)."""
    read = epub.read_epub(str(book))
    chapters = [title for title, _ in _toc(read.toc) if title != "Contents"]
    return read.get_metadata("DC", "title")[0][0], chapters


def _toc(entries: list[object]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in entries:
        if isinstance(entry, tuple):
            found.append((entry[0].title, entry[0].href))
        else:
            found.append((entry.title, entry.href))  # type: ignore[attr-defined]
    return found


BOOK = """[build]

[[collection]]
name = "weekly"
title = "Weekly"
inputs = ["articles/*.md"]
formats = ["epub"]
"""


def test_max_size_in_the_manifest_splits_the_book_and_the_cache_owns_every_volume(tmp_path: Path) -> None:
    manifest = _project(tmp_path, 6, BOOK)
    dist = tmp_path / "dist"
    assert _build(manifest) == {("collection weekly", "epub"): "built"}
    whole = (dist / "weekly.epub").stat().st_size
    assert _titles(dist / "weekly.epub") == ("Weekly", [f"Generated article {k}" for k in range(1, 7)])

    # A limit under half the book: volumes, and the whole book, which this job wrote, is gone.
    manifest.write_text(BOOK + f'max_size = "{whole * 0.45 / 1024:.1f}kB"\n', encoding="utf-8")
    assert _build(manifest) == {("collection weekly", "epub"): "built"}
    volumes = [name for name in _files(dist) if name.startswith("weekly")]
    assert len(volumes) >= 3 and volumes == [f"weekly-{k}.epub" for k in range(1, len(volumes) + 1)]
    chapters = []
    for k, name in enumerate(volumes, start=1):
        title, articles = _titles(dist / name)
        assert title == f"Weekly ({k} of {len(volumes)})"
        assert (dist / name).stat().st_size <= whole * 0.45 or len(articles) == 1  # one article alone may be over
        chapters += articles
    assert chapters == [f"Generated article {k}" for k in range(1, 7)]  # each article once, in order

    # Unchanged: every volume served. One volume changed: the book is made again, never served in part.
    assert _build(manifest) == {("collection weekly", "epub"): "cached"}
    (dist / volumes[-1]).write_bytes(b"not the volume the build wrote")
    assert _build(manifest) == {("collection weekly", "epub"): "built"}
    assert _titles(dist / volumes[-1])[0] == f"Weekly ({len(volumes)} of {len(volumes)})"

    # Back to one book: the volumes the build wrote go; a file it never wrote stays.
    (dist / "weekly-9.epub").write_bytes(b"the user's own")
    manifest.write_text(BOOK, encoding="utf-8")
    assert _build(manifest) == {("collection weekly", "epub"): "built"}
    assert [name for name in _files(dist) if name.startswith("weekly")] == ["weekly-9.epub", "weekly.epub"]


def test_cite_export_in_the_manifest_writes_citation_files_the_cache_keeps_with_the_outputs(tmp_path: Path) -> None:
    text = '[build]\ninputs = ["articles/*.md"]\nformats = ["epub"]\ncite_export = true\n\n' + BOOK.split("\n", 2)[2]
    manifest = _project(tmp_path, 2, text)
    dist = tmp_path / "dist"
    assert set(_build(manifest).values()) == {"built"}

    assert _files(dist) == sorted(
        [f"a{k}{suffix}" for k in (1, 2) for suffix in (".epub", ".csl.json", ".bib")]
        + ["weekly.epub", "weekly.csl.json", "weekly.bib"]
    )
    (item,) = json.loads((dist / "a1.csl.json").read_text(encoding="utf-8"))
    assert item["title"] == "Generated article 1" and item["URL"] == "https://generated.example/1/"
    book = json.loads((dist / "weekly.csl.json").read_text(encoding="utf-8"))
    assert sorted(i["title"] for i in book) == ["Generated article 1", "Generated article 2"]
    assert "Generated article 2" in (dist / "weekly.bib").read_text(encoding="utf-8")

    assert set(_build(manifest).values()) == {"cached"}
    (dist / "a2.bib").unlink()  # a file of the job gone: the job is made again, the file with it
    statuses = _build(manifest)
    assert statuses[("articles/a2.md", "epub")] == "built" and statuses[("articles/a1.md", "epub")] == "cached"
    assert "Generated article 2" in (dist / "a2.bib").read_text(encoding="utf-8")

    # Turned off ([build] sets it for the collection too): the citation files the build wrote go with it.
    manifest.write_text(text.replace("cite_export = true\n", ""), encoding="utf-8")
    _build(manifest)
    assert _files(dist) == ["a1.epub", "a2.epub", "weekly.epub"]


def test_new_only_in_the_manifest_binds_only_what_no_earlier_book_held(tmp_path: Path) -> None:
    manifest = _project(tmp_path, 2, BOOK + 'new_only = "state.json"\n')
    dist, state = tmp_path / "dist", tmp_path / "state.json"
    assert _build(manifest) == {("collection weekly", "epub"): "built"}
    assert _titles(dist / "weekly.epub")[1] == ["Generated article 1", "Generated article 2"]
    remembered = read_json(state)["articles"]
    assert sorted(a["title"] for a in remembered) == ["Generated article 1", "Generated article 2"]
    assert {a["book"] for a in remembered} == {"weekly.epub"}

    # Nothing new: no book written, the last one and the memory as they were; not served from the cache.
    book, memory = (dist / "weekly.epub").read_bytes(), state.read_bytes()
    report = manifest.parent / "report.json"
    run = invoke(build, manifest, "-j", "1", "--report", report)
    assert run.code == 0, run.stderr
    assert "nothing new since the books" in run.stdout + run.stderr
    assert (dist / "weekly.epub").read_bytes() == book and state.read_bytes() == memory

    # A new article: the next book holds it alone, and the memory all three.
    (tmp_path / "articles" / "a3.md").write_text(_article(3), encoding="utf-8")
    assert _build(manifest) == {("collection weekly", "epub"): "built"}
    assert _titles(dist / "weekly.epub")[1] == ["Generated article 3"]
    assert len(read_json(state)["articles"]) == 3


@pytest.mark.parametrize(
    ("inputs", "extra", "expected"),
    [
        # weekly-2.md's output is a name the collection's volumes may take
        (
            ["weekly-2.md"],
            "",
            r"tearsheet\.toml:\d+: collection\[1\]\.name: weekly-2\.md and collection weekly "
            r"would both write dist/weekly-2\.epub \(a volume of weekly\)",
        ),
        # the state file is another job's output
        (
            ["notes.md"],
            'new_only = "dist/notes.epub"\n',
            r"notes\.md and collection weekly would both write "
            r"dist/notes\.epub",
        ),
    ],
)
def test_two_jobs_whose_files_would_collide_are_refused(
    tmp_path: Path, inputs: list[str], extra: str, expected: str
) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a1.md").write_text(generated_article(1), encoding="utf-8")
    for name in inputs:
        (tmp_path / name).write_text(generated_article(2), encoding="utf-8")
    text = f'[build]\ninputs = {json.dumps(inputs)}\nformats = ["epub"]\n' + BOOK.split("\n", 2)[2] + extra
    (tmp_path / "tearsheet.toml").write_text(text, encoding="utf-8")
    run = invoke(build, tmp_path / "tearsheet.toml")
    assert run.code == 2
    assert re.search(expected, run.stderr), run.stderr
    assert not (tmp_path / "dist").exists()


def test_a_shipped_collection_task_gives_back_every_volume_citation_file_and_the_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a Dask worker, the files a job writes besides its one output come back to the client too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    text = BOOK + 'cite_export = true\nnew_only = "state.json"\nmax_size = "40kB"\n'
    manifest = load_manifest(_project(tmp_path, 3, text))
    (job,) = plan(manifest).jobs
    state = tmp_path / "state.json"

    local = run(Task(job, ("epub",), tmp_path / "local"))
    remembered = state.read_bytes()
    state.unlink()
    task = Task(job, ("epub",), tmp_path / "shipped")
    shipped = deliver(run_parcel(pack(task)), task)

    names = [f.name for f in local.formats[0].files]
    assert len(names) == 5 and names[-2:] == ["weekly.csl.json", "weekly.bib"]  # three volumes, two citation files
    assert [f.name for f in shipped.formats[0].files] == names
    assert {p.name: p.read_bytes() for p in (tmp_path / "shipped").iterdir() if p.is_file()} == {
        p.name: p.read_bytes() for p in (tmp_path / "local").iterdir() if p.is_file()
    }
    assert state.read_bytes() == remembered
    assert shipped.formats[0].path == tmp_path / "shipped" / "weekly-1.epub"
