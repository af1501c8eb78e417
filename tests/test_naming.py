"""Output names: unique in a run, never an input, never outside the output folder (convert.naming)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from convert.cli import cli
from convert.model import Document, Meta
from convert.naming import NamingError, RunNames, slug

REAL = Path(__file__).parent / "fixtures" / "real"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def titled(title: str, published: str = "") -> Document:
    return Document(meta=Meta(title=title, published=published), blocks=())


def test_ten_saved_pages_all_called_source_give_ten_pdfs(tmp_path: Path) -> None:
    pages = sorted(REAL.glob("*/source.html"))
    assert len(pages) == 10
    for page in pages:  # the tree a user saves: <site>/source.html
        (tmp_path / "real" / page.parent.name).mkdir(parents=True)
        shutil.copy(page, tmp_path / "real" / page.parent.name / "source.html")
    inputs = [str(p) for p in sorted((tmp_path / "real").glob("*/source.html"))]
    code, out, _ = run("convert", *inputs, "-o", str(tmp_path / "all"))
    assert code == 0
    written = sorted((tmp_path / "all").iterdir())
    assert [p.name for p in written] == [f"{page.parent.name}-source.pdf" for page in pages]
    assert out.splitlines() == [f"wrote {tmp_path / 'all' / p.name}" for p in written]
    titles = {str(PdfReader(p).metadata.title) for p in written}
    assert len(titles) == 10  # ten different articles, none overwritten by another


names = st.text(alphabet="abAB-", min_size=1, max_size=3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(st.tuples(names, names, names), min_size=1, max_size=8),
    titles=st.lists(st.sampled_from(["", "Same", "same", "東京の天気", "الطقس"]), min_size=8, max_size=8),
    suffixes=st.lists(st.sampled_from([".pdf", ".epub", ".docx", ".csl.json"]), min_size=1, max_size=3, unique=True),
    template=st.sampled_from([None, "{stem}", "{slug}", "x", "{parent}/{date}"]),
    out_is_input_folder=st.booleans(),
)
def test_no_run_names_two_outputs_alike_or_an_input(
    tmp_path: Path,
    files: list[tuple[str, str, str]],
    titles: list[str],
    suffixes: list[str],
    template: str | None,
    out_is_input_folder: bool,
) -> None:
    root = tmp_path / f"t{abs(hash((tuple(files), tuple(suffixes), template)))}"
    sources: list[str] = []
    for top, parent, stem in files:
        path = root / top / parent / f"{stem}{suffixes[0]}"  # inputs that look like outputs, to tempt a clash
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
        if str(path) not in sources:
            sources.append(str(path))
    sources.append("https://example.org/a")
    out_dir = Path(sources[0]).parent if out_is_input_folder else root / "out"
    run_names = RunNames(sources, suffixes, out_dir, template)
    targets = [
        (out_dir / f"{run_names.name_for(i, titled(titles[i % len(titles)]))}{suffix}").resolve()
        for i in range(len(sources))
        for suffix in suffixes
    ]
    keys = [str(t).casefold() for t in targets]
    assert len(set(keys)) == len(keys)  # no output overwrites another of the same run
    assert not {str(Path(s).resolve()).casefold() for s in sources[:-1]} & set(keys)  # nor an input
    assert all(t.is_relative_to(out_dir.resolve()) for t in targets)


def test_stems_stay_when_unique_and_names_are_stable_across_runs(tmp_path: Path) -> None:
    sources = [str(tmp_path / "a" / "one.md"), str(tmp_path / "a" / "two.md")]
    first = RunNames(sources, [".pdf"], tmp_path / "out")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "one.pdf").write_bytes(b"from an earlier run")  # replaced, not avoided
    again = RunNames(sources, [".pdf"], tmp_path / "out")
    assert [first.name_for(i, titled("T")) for i in (0, 1)] == ["one", "two"]
    assert [again.name_for(i, titled("T")) for i in (0, 1)] == ["one", "two"]


def test_same_stem_and_folder_fall_back_to_the_title_then_a_number(tmp_path: Path) -> None:
    sources = [str(tmp_path / d / "x" / "index.html") for d in ("p", "q", "r")]
    run_names = RunNames(sources, [".pdf"], tmp_path / "out")
    got = [run_names.name_for(i, titled(t)) for i, t in enumerate(["Alpha", "Beta", "Alpha"])]
    assert got == ["x-index-alpha", "x-index-beta", "x-index-alpha-2"]


def test_japanese_and_arabic_titles_get_different_slugs(tmp_path: Path) -> None:
    japanese, arabic = titled("東京の天気予報"), titled("الطقس في القاهرة")
    assert slug(japanese, "x") == "東京の天気予報"
    assert slug(arabic, "x") == "الطقس-في-القاهرة"
    run_names = RunNames(["https://example.jp/a", "https://example.eg/b"], [".pdf"], tmp_path)
    assert run_names.name_for(0, japanese) != run_names.name_for(1, arabic)


def test_a_long_title_fits_a_file_name(tmp_path: Path) -> None:
    name = slug(titled("長い" * 300), "x")
    assert len(name.encode("utf-8")) <= 200 and name.startswith("長い")


def test_a_template_leaving_the_output_folder_is_an_error(tmp_path: Path) -> None:
    run_names = RunNames([str(tmp_path / "a.md")], [".pdf"], tmp_path / "out", "../{stem}")
    with pytest.raises(NamingError, match="outside the output folder"):
        run_names.name_for(0, titled("A"))


@pytest.mark.parametrize(
    ("template", "message"), [("{title}", "unknown field {title}"), ("{stem", "malformed template"), ("", "empty")]
)
def test_a_bad_template_is_a_usage_error(tmp_path: Path, fixtures: Path, template: str, message: str) -> None:
    code, _, err = run("convert", str(fixtures / "front-matter-article.md"), "--name", template, "-o", str(tmp_path))
    assert code == 2 and message in err
    assert list(tmp_path.iterdir()) == []


def test_name_template_uses_date_and_slug(tmp_path: Path, fixtures: Path) -> None:
    code, _, _ = run(
        "convert",
        str(fixtures / "front-matter-article.md"),
        "--name",
        "{date}-{slug}",
        "--to",
        "epub",
        "-o",
        str(tmp_path),
    )
    assert code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["2023-11-02-small-libraries-long-memories.epub"]


def test_name_template_with_a_subfolder_escaping_is_refused_on_the_command_line(tmp_path: Path, fixtures: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run("convert", str(fixtures / "front-matter-article.md"), "--name", "../{stem}", "-o", str(out))
    assert code == 2 and "outside the output folder" in err
    assert list(tmp_path.iterdir()) == []


def test_converting_a_docx_to_docx_in_its_folder_keeps_the_original(
    tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        run("convert", str(fixtures / "front-matter-article.md"), "--to", "docx", "-o", str(tmp_path / "r.docx"))[0]
        == 0
    )
    folder = tmp_path / "docs"
    folder.mkdir()
    (tmp_path / "r.docx").rename(folder / "report.docx")
    original = (folder / "report.docx").read_bytes()
    monkeypatch.chdir(folder)
    code, out, _ = run("convert", "report.docx", "--to", "pdf,docx")  # the default -o is "."
    assert code == 0
    assert (folder / "report.docx").read_bytes() == original
    assert sorted(p.name for p in folder.iterdir()) == ["docs-report.docx", "docs-report.pdf", "report.docx"]
    assert out.splitlines() == ["wrote docs-report.pdf", "wrote docs-report.docx"]


def test_output_file_that_is_the_input_is_refused(tmp_path: Path, fixtures: Path) -> None:
    source = tmp_path / "page.docx"
    assert run("convert", str(fixtures / "front-matter-article.md"), "--to", "docx", "-o", str(source))[0] == 0
    before = source.read_bytes()
    code, _, err = run("convert", str(source), "--to", "docx", "-o", str(source))
    assert code == 2 and "the output is also an input" in err
    assert source.read_bytes() == before


def test_collect_refuses_to_write_over_one_of_its_inputs(tmp_path: Path, fixtures: Path) -> None:
    book = tmp_path / "one.epub"
    assert run("convert", str(fixtures / "front-matter-article.md"), "--to", "epub", "-o", str(book))[0] == 0
    before = book.read_bytes()
    code, _, err = run("collect", str(book), str(fixtures / "scraped-article.md"), "-o", str(book), "--title", "T")
    assert code == 2
    assert f"{book}: the output is also an input" in err
    assert book.read_bytes() == before


def test_dash_o_file_writes_exactly_that_file(tmp_path: Path, fixtures: Path) -> None:
    target = tmp_path / "page.pdf"
    code, out, _ = run("convert", str(fixtures / "front-matter-article.md"), "-o", str(target))
    assert code == 0 and out == f"wrote {target}\n"
    assert target.is_file() and PdfReader(target).pages
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.pdf"]


def test_dash_o_file_without_to_takes_the_format_from_the_suffix(tmp_path: Path, fixtures: Path) -> None:
    target = tmp_path / "page.epub"
    code, _, _ = run("convert", str(fixtures / "front-matter-article.md"), "-o", str(target))
    assert code == 0 and target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "pdf", "-o", "{tmp}/page.epub"], "the suffix .epub does not match the format asked for (.pdf)"),
        (["--to", "pdf,epub", "-o", "{tmp}/page.pdf"], "names one file, but this run makes 2 outputs"),
        (["{fixtures}/web-page.html", "-o", "{tmp}/page.pdf"], "names one file, but this run makes 2 outputs"),
        (["-o", "{tmp}/page.pdf", "--name", "{{slug}}"], "-o FILE names the output itself; --name needs -o DIR"),
    ],
)
def test_dash_o_file_mistakes_are_usage_errors(tmp_path: Path, fixtures: Path, args: list[str], message: str) -> None:
    filled = [a.format(tmp=tmp_path, fixtures=fixtures) for a in args]
    code, _, err = run("convert", str(fixtures / "front-matter-article.md"), *filled)
    assert code == 2 and message in " ".join(err.split())
    assert list(tmp_path.iterdir()) == []


def test_dash_o_folder_is_made_for_many_outputs(tmp_path: Path, fixtures: Path) -> None:
    code, _, _ = run("convert", str(fixtures / "front-matter-article.md"), "-o", str(tmp_path / "new" / "folder"))
    assert code == 0 and (tmp_path / "new" / "folder" / "front-matter-article.pdf").is_file()


def test_collect_into_a_folder_writes_each_format_named_by_the_title(tmp_path: Path, fixtures: Path) -> None:
    out = tmp_path / "books"
    out.mkdir()
    code, stdout, _ = run(
        "collect", str(fixtures / "front-matter-article.md"), "-o", str(out), "--to", "epub,pdf", "--title", "Week 1"
    )
    assert code == 0
    assert stdout.splitlines() == [
        f"wrote {out / 'week-1.epub'} (1 article)",
        f"wrote {out / 'week-1.pdf'} (1 article)",
    ]
    assert len(PdfReader(out / "week-1.pdf").pages) > 1


def test_collect_file_suffix_must_match_to(tmp_path: Path, fixtures: Path) -> None:
    code, _, err = run(
        "collect",
        str(fixtures / "front-matter-article.md"),
        "-o",
        str(tmp_path / "b.pdf"),
        "--to",
        "epub",
        "--title",
        "T",
    )
    assert code == 2 and "does not match" in err
    assert list(tmp_path.iterdir()) == []
