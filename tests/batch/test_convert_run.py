"""``convert --jobs N``: inputs converted in warm processes, with the bytes, names and messages of one at a time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from convert.cli import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000", "CI": "1"}


def _inputs(root: Path) -> list[str]:
    """Three good inputs, one with an image, and a bad one among them."""
    root.mkdir()
    shutil.copy(FIXTURES / "front-matter-article.md", root / "a.md")
    shutil.copy(FIXTURES / "scraped-article.md", root / "b.md")
    Image.new("RGB", (1600, 1200), "#3a6ea5").save(root / "photo.webp", "WEBP")
    (root / "c.md").write_text("---\ntitle: Photo\n---\n\nA photograph.\n\n![Photo](photo.webp)\n", encoding="utf-8")
    (root / "bad.md").write_bytes(b"\x00\x01 not text")
    return [str(root / name) for name in ("a.md", "bad.md", "b.md", "c.md")]


def _convert(inputs: list[str], out: Path, *options: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["convert", *inputs, "-o", str(out), *options], env=EPOCH)
    return result.exit_code, result.stdout.replace(str(out), "OUT"), result.stderr


def test_two_jobs_write_the_bytes_and_say_the_lines_of_one(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    options = ("--to", "pdf,epub,docx", "--device", "kindle")
    one = _convert(inputs, tmp_path / "one", *options, "--jobs", "1")
    two = _convert(inputs, tmp_path / "two", *options, "--jobs", "2")

    assert one == two
    code, out, err = two
    assert code == 1  # some failed, the rest written
    assert f"tearsheet: error: {inputs[1]}: binary data, not a text document" in err.splitlines()
    assert out.splitlines()[:3] == ["wrote OUT/a.pdf", "wrote OUT/a.epub", "wrote OUT/a.docx"]
    assert "--device kindle: 1 image" in out  # the workers' image tallies reach the run's summary
    written = sorted(p.name for p in (tmp_path / "two").iterdir())
    assert written == sorted(f"{stem}.{fmt}" for stem in "abc" for fmt in ("pdf", "epub", "docx"))
    for name in written:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_names_decided_from_titles_are_the_same_with_two_jobs(tmp_path: Path) -> None:
    """Outputs named from the title (--name {slug}) never overwrite each other, and keep input order."""
    root = tmp_path / "in"
    root.mkdir()
    inputs = []
    for k in range(3):
        (root / f"n{k}.md").write_text(f"---\ntitle: Same title\n---\n\nText {k}.\n", encoding="utf-8")
        inputs.append(str(root / f"n{k}.md"))
    one = _convert(inputs, tmp_path / "one", "--to", "epub", "--name", "{slug}", "--jobs", "1")
    two = _convert(inputs, tmp_path / "two", "--to", "epub", "--name", "{slug}", "--jobs", "2")
    assert one == two and one[0] == 0, one
    names = ["same-title", "same-title-2", "same-title-3"]
    assert one[1].splitlines() == [f"wrote OUT/{name}.epub" for name in names]
    for k, name in enumerate(names):
        assert f"Text {k}." in _text_of(tmp_path / "two" / f"{name}.epub"), name


def _text_of(epub: Path) -> str:
    import zipfile

    archive = zipfile.ZipFile(epub)
    return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xhtml"))


@pytest.mark.parametrize("jobs", ["0", "x"])
def test_jobs_must_be_a_count(tmp_path: Path, jobs: str) -> None:
    code, _, err = _convert([str(FIXTURES / "front-matter-article.md")], tmp_path, "--jobs", jobs)
    assert code == 2 and "--jobs" in err


def test_collect_reads_on_the_warm_pool_with_the_bytes_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import convert.batch.local_pool

    pools: list[int] = []
    real = convert.batch.local_pool.warm_pool

    def counted(workers: int) -> object:
        pools.append(workers)
        return real(workers)

    monkeypatch.setattr(convert.batch.local_pool, "warm_pool", counted)
    root = tmp_path / "in"
    root.mkdir()
    inputs = []
    for k in range(9):  # enough for a pool (collection.SERIAL_BELOW)
        (root / f"a{k}.md").write_text(f"---\ntitle: Article {k}\n---\n\nText {k}.\n", encoding="utf-8")
        inputs.append(str(root / f"a{k}.md"))
    books = []
    for jobs in ("1", "2"):
        book = tmp_path / f"book-{jobs}.epub"
        args = ["collect", *inputs, "-o", str(book), "--title", "Nine", "--jobs", jobs]
        result = CliRunner().invoke(cli, args, env=EPOCH)
        assert result.exit_code == 0, result.stderr
        books.append(book.read_bytes())
    assert pools == [2]  # --jobs 1 reads here; --jobs 2 on the warm pool
    assert books[0] == books[1]
    assert all(f"Text {k}." in _text_of(tmp_path / "book-2.epub") for k in range(9))


def test_a_write_past_the_time_limit_says_the_whole_limit(tmp_path: Path) -> None:
    """Reading used up the input's time: writing times out, and the line gives --timeout, not what was left."""
    from convert.batch.convert_run import ConvertRun, read_input, write_input
    from convert.fetch import Fetcher
    from convert.normalize import Context
    from convert.settings import ReadOptions, WebOptions, WriteOptions

    source = str(FIXTURES / "front-matter-article.md")
    reading = ReadOptions(Context(), timeout=30)
    run = ConvertRun(("pdf",), tmp_path, WriteOptions(), WebOptions(Fetcher(cache_dir=tmp_path)), reading, False)
    read = read_input(source, run)
    assert read.doc is not None and not read.failed

    written = write_input(source, read.doc, "out", run, spent=29.999)

    assert written.failed and written.written == ()
    assert written.events == (("error", f"tearsheet: error: {source}: timed out after 30 s"),)
    assert list(tmp_path.iterdir()) == []  # no partial output
