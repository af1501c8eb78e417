"""The build cache: keys that change with what shapes an output, entries that count only while true."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from convert.batch.cache import BuildCache, Fingerprints, file_sha256
from convert.batch.manifest import Settings
from convert.batch.outcomes import Written
from convert.batch.plan import ArticleJob
from convert.options import LinkPolicy


@pytest.fixture
def job(tmp_path: Path) -> ArticleJob:
    source = tmp_path / "a.md"
    source.write_text("# A\n\ntext\n", encoding="utf-8")
    return ArticleJob("a.md", source, Settings(formats=("pdf", "epub")), 10)


def key(job: ArticleJob, fmt: str = "pdf") -> str:
    return Fingerprints().key(job, fmt, f"a.{fmt}")


def test_the_key_follows_input_bytes_options_format_and_epoch(job: ArticleJob, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = key(job)
    assert key(job) == first
    assert key(replace(job, settings=replace(job.settings, formats=("pdf",)))) == first  # other formats don't matter
    assert key(replace(job, settings=replace(job.settings, timeout=5))) == first  # nor a time limit
    assert key(job, "epub") != first
    assert key(replace(job, settings=replace(job.settings, links=LinkPolicy.INLINE))) != first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert key(job) != first
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    job.source.write_text("# A\n\nother text\n", encoding="utf-8")
    assert key(job) != first


def test_a_users_stylesheet_is_hashed_by_content(job: ArticleJob, tmp_path: Path) -> None:
    css = tmp_path / "house.css"
    css.write_text("p { color: red }", encoding="utf-8")
    styled = replace(job, settings=replace(job.settings, stylesheet=css))
    before = key(styled)
    css.write_text("p { color: blue }", encoding="utf-8")
    assert key(styled) != before


def test_an_entry_counts_only_while_its_output_and_images_are_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    target = out / "a.pdf"
    image = tmp_path / "figure.png"
    out.mkdir()
    target.write_bytes(b"%PDF one")
    image.write_bytes(b"png one")
    cache = BuildCache(out)
    cache.record("k1", target.name, [Written.of(target)], {str(image): file_sha256(image)})
    cache.save()
    reopened = BuildCache(out)
    assert reopened.lookup("k1", target) is not None
    assert reopened.lookup("k2", target) is None
    image.write_bytes(b"png two")
    assert reopened.lookup("k1", target) is None
    image.write_bytes(b"png one")
    target.write_bytes(b"%PDF edited")
    assert reopened.lookup("k1", target) is None
    target.unlink()
    assert reopened.lookup("k1", target) is None


def test_a_rebuilt_output_replaces_its_old_entry_and_a_broken_index_is_ignored(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"x")
    cache = BuildCache(tmp_path)
    cache.record("old", target.name, [Written("a.pdf", "1", 1)], {})
    cache.record("new", target.name, [Written("a.pdf", "2", 1)], {})
    assert list(cache.entries) == ["new"]
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_text("{not json", encoding="utf-8")
    assert BuildCache(tmp_path).entries == {}


def test_an_entry_counts_only_while_every_file_of_it_is_there_unchanged(tmp_path: Path) -> None:
    volumes = [tmp_path / f"book-{k}.epub" for k in (1, 2, 3)]
    for k, volume in enumerate(volumes):
        volume.write_bytes(b"volume %d" % k)
    cache = BuildCache(tmp_path)
    cache.record("k", "book.epub", [Written.of(v) for v in volumes], {})
    assert [w.name for w in cache.lookup("k", tmp_path / "book.epub") or []] == [v.name for v in volumes]
    volumes[2].write_bytes(b"volume 2, other articles")  # one volume of three changed: the book is not served
    assert cache.lookup("k", tmp_path / "book.epub") is None
    volumes[2].unlink()
    assert cache.lookup("k", tmp_path / "book.epub") is None


def test_a_target_made_again_removes_only_the_old_files_it_owned_as_it_left_them(tmp_path: Path) -> None:
    names = ["book-1.epub", "book-2.epub", "book-3.epub", "book.bib"]
    for name in names:
        (tmp_path / name).write_bytes(name.encode())
    cache = BuildCache(tmp_path)
    cache.record("k", "book.epub", [Written.of(tmp_path / n) for n in names], {})
    (tmp_path / "book-2.epub").write_bytes(b"now the user's")  # changed since: not the build's any more
    (tmp_path / "book-1.epub").write_bytes(b"made again")
    cache.record("k2", "book.epub", [Written.of(tmp_path / "book-1.epub")], {})

    removed = cache.remove_stale(["book.bib"])  # this build made book.bib for another job

    assert removed == ["book-3.epub"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["book-1.epub", "book-2.epub", "book.bib"]
