"""The build cache serves only what a fresh build would make: every dependency is in the key (#22)."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convert import sources
from convert.batch import worker
from convert.batch.manifest import load_manifest
from convert.batch.runner import BuildOptions, BuildReport, Status, run_build

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
EPUB_ONLY = '[build]\ninputs = ["articles/**/*.md"]\nformats = ["epub"]\noutput = "dist"\n'
BOOK = (
    '[build]\noutput = "dist"\n\n[[collection]]\nname = "book"\ntitle = "Book"\n'
    'inputs = ["articles/**/*.md"]\nformats = ["epub"]\nsections_from = "folders"\n'
)


def article(title: str, body: str = "Some text.") -> str:
    return f"---\ntitle: {title}\n---\n\n{body}\n"


def _build(manifest: Path, force: bool = False) -> BuildReport:
    return run_build(load_manifest(manifest), BuildOptions(jobs=1, force=force))


def _statuses(report: BuildReport) -> dict[str, Status]:
    return {item.output.name: item.status for item in report.items}


def _epub_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xhtml"))


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _project(root: Path, manifest: str) -> Path:
    (root / "articles").mkdir(parents=True)
    path = root / "tearsheet.toml"
    path.write_text(manifest, encoding="utf-8")
    return path


def test_an_image_missing_at_the_first_build_and_added_later_rebuilds(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "p", EPUB_ONLY)
    (manifest.parent / "articles" / "a.md").write_text(article("A", "![chart](chart.png)"), encoding="utf-8")
    assert _statuses(_build(manifest)) == {"a.epub": Status.BUILT}
    with zipfile.ZipFile(manifest.parent / "dist" / "a.epub") as book:
        assert not any(name.endswith(".png") for name in book.namelist())

    (manifest.parent / "articles" / "chart.png").write_bytes(PNG)
    assert _statuses(_build(manifest)) == {"a.epub": Status.BUILT}
    with zipfile.ZipFile(manifest.parent / "dist" / "a.epub") as book:
        assert any(name.endswith(".png") for name in book.namelist())
    assert _statuses(_build(manifest)) == {"a.epub": Status.CACHED}


def test_a_collection_whose_inputs_moved_between_folders_rebuilds_with_the_new_sections(tmp_path: Path) -> None:
    manifest = _project(tmp_path / "p", BOOK)
    articles = manifest.parent / "articles"
    for folder, name in (("energy", "solar"), ("water", "wind")):
        (articles / folder).mkdir(exist_ok=True)
        (articles / folder / f"{name}.md").write_text(article(name.title()), encoding="utf-8")
    _build(manifest)
    # The same texts in the same order, but both now in one folder: one section, not two.
    (articles / "energy" / "wind.md").write_bytes((articles / "water" / "wind.md").read_bytes())
    (articles / "water" / "wind.md").unlink()

    assert _statuses(_build(manifest)) == {"book.epub": Status.BUILT}
    cached = (manifest.parent / "dist" / "book.epub").read_bytes()
    _build(manifest, force=True)
    assert (manifest.parent / "dist" / "book.epub").read_bytes() == cached


def test_an_input_changed_while_it_was_read_is_not_recorded_under_its_old_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _project(tmp_path / "p", EPUB_ONLY)
    source = manifest.parent / "articles" / "a.md"
    source.write_text(article("Original"), encoding="utf-8")
    real_load = sources.load  # what Source.read reads a file with, in the worker

    def edited_meanwhile(path: Path, **kwargs: Any) -> Any:
        # Another process rewrites the input around the worker's read, then puts it back.
        source.write_text(article("Intermediate"), encoding="utf-8")
        try:
            return real_load(path, **kwargs)
        finally:
            source.write_text(article("Original"), encoding="utf-8")

    monkeypatch.setattr(sources, "load", edited_meanwhile)
    _build(manifest)
    monkeypatch.setattr(sources, "load", real_load)

    _build(manifest)
    assert "Original" in _epub_text(manifest.parent / "dist" / "a.epub")
    assert "Intermediate" not in _epub_text(manifest.parent / "dist" / "a.epub")


def test_an_archival_pdf_carries_the_bytes_that_were_hashed_and_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pikepdf
    from pypdf import PdfReader

    manifest = _project(tmp_path / "p", EPUB_ONLY.replace('["epub"]', '["pdf"]\npdf_variant = "a-3b"'))
    source = manifest.parent / "articles" / "a.md"
    source.write_text(article("Original"), encoding="utf-8")
    real_read = worker.read_bounded

    def edited_just_before_the_read(path: Path, limit: int) -> bytes | None:
        source.write_text(article("Edited"), encoding="utf-8")  # another process, just then
        return real_read(path, limit)

    monkeypatch.setattr(worker, "read_bounded", edited_just_before_the_read)
    report = _build(manifest)
    assert _statuses(report) == {"a.pdf": Status.BUILT}
    with pikepdf.open(manifest.parent / "dist" / "a.pdf") as pdf:
        attached = pdf.attachments["a.md"].get_file().read_bytes()
        text = "".join(page.extract_text() for page in PdfReader(manifest.parent / "dist" / "a.pdf").pages)
    assert attached == article("Edited").encode() and "Edited" in text  # what is kept is what was converted


@pytest.mark.parametrize("container", ["docx", "odt", "epub"])
def test_a_container_changed_and_changed_back_while_pandoc_reads_it_gives_what_was_hashed(
    container: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypandoc

    import convert.readers.pandoc as pandoc_reader

    manifest = _project(tmp_path / "p", EPUB_ONLY.replace("**/*.md", f"*.{container}"))
    source = manifest.parent / "articles" / f"a.{container}"
    original, intermediate = (tmp_path / f"original.{container}", tmp_path / f"intermediate.{container}")
    for path, word in ((original, "Original"), (intermediate, "Intermediate")):
        pypandoc.convert_text(f"# {word} heading\n\n{word} words.\n", container, "markdown", outputfile=str(path))
    shutil.copy(original, source)
    real_parse = pandoc_reader.parse_file

    def changed_while_pandoc_reads(*args: Any, **kwargs: Any) -> Any:
        # Another process replaces the input just as pandoc opens it, and puts it back after.
        shutil.copy(intermediate, source)
        try:
            return real_parse(*args, **kwargs)
        finally:
            shutil.copy(original, source)

    monkeypatch.setattr(pandoc_reader, "parse_file", changed_while_pandoc_reads)
    _build(manifest)
    monkeypatch.setattr(pandoc_reader, "parse_file", real_parse)

    assert _statuses(_build(manifest)) == {"a.epub": Status.CACHED}
    assert "Original words" in _epub_text(manifest.parent / "dist" / "a.epub")
    assert "Intermediate" not in _epub_text(manifest.parent / "dist" / "a.epub")


def _outputs(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir()) if p.is_file()}


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["write", "delete", "move", "image", "unimage"]),
        st.sampled_from(["one", "two", "three"]),
        st.sampled_from(["x", "y"]),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_a_cached_build_equals_a_forced_build_after_any_edits(edits: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        manifest = _project(Path(tmp), EPUB_ONLY + BOOK.split("\n\n", 1)[1])
        articles = manifest.parent / "articles"
        for folder in ("x", "y"):
            (articles / folder).mkdir()
        (articles / "x" / "one.md").write_text(article("One", "![i](one.png)"), encoding="utf-8")
        _build(manifest)
        for step, (action, name, folder) in enumerate(edits):
            place = articles / folder / f"{name}.md"
            other = articles / ("y" if folder == "x" else "x") / f"{name}.md"
            if action == "write":
                place = other if other.exists() else place  # one name in one folder: outputs are per name
                place.write_text(article(name.title(), f"Step {step}. ![i]({name}.png)"), encoding="utf-8")
            elif action == "delete":
                place.unlink(missing_ok=True)
            elif action == "move" and other.exists():
                shutil.move(other, place)
            elif action == "image":
                (articles / folder / f"{name}.png").write_bytes(PNG)
            elif action == "unimage":
                (articles / folder / f"{name}.png").unlink(missing_ok=True)
            if not any(articles.rglob("*.md")):
                (articles / "x" / "one.md").write_text(article("One"), encoding="utf-8")
            _build(manifest)
            cached = _outputs(manifest.parent / "dist")
            _build(manifest, force=True)
            assert _outputs(manifest.parent / "dist") == cached, edits[: step + 1]
