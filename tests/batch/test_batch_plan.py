"""Planning a build: inputs found by glob, overrides, target clashes, biggest first, stable shards."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convert.batch.executor import Stop
from convert.batch.manifest import ManifestError, load_manifest
from convert.batch.outcomes import JobOutcome, Task, lost
from convert.batch.plan import ArticleJob, CollectionJob, Shard, effort, plan, target
from convert.batch.runner import BuildOptions, run_build


def test_jobs_are_the_globbed_inputs_and_the_collections_biggest_first(project: Callable[..., Path]) -> None:
    manifest = load_manifest(project())
    jobs = plan(manifest).jobs
    names = sorted(job.label for job in jobs)
    assert names == [
        "articles/front-matter-article.md",
        "articles/generated-1.md",
        "articles/generated-2.md",
        "articles/scraped-article.md",
        "collection weekly",
        "pages/web-page.html",
    ]
    assert [job.size for job in jobs] == sorted((job.size for job in jobs), reverse=True)
    (book,) = [job for job in jobs if isinstance(job, CollectionJob)]
    assert len(book.sources) == 4 and book.names[0].startswith("articles/")


def test_overrides_apply_in_order_and_exclude_and_output_are_left_out(tmp_path: Path) -> None:
    for name in ("a.md", "b.md", "drafts/c.md", "dist/old.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# T\n\ntext\n", encoding="utf-8")
    (tmp_path / "tearsheet.toml").write_text(
        '[build]\ninputs = ["**/*.md", "a.md"]\nexclude = ["drafts/*"]\nformats = ["pdf"]\n'
        '[[override]]\ninputs = ["*.md"]\nformats = ["epub"]\n'
        '[[override]]\ninputs = ["b.md"]\nformats = ["docx"]\n',
        encoding="utf-8",
    )
    jobs = {job.label: job for job in plan(load_manifest(tmp_path / "tearsheet.toml")).jobs}
    assert sorted(jobs) == ["a.md", "b.md"]  # a.md once; drafts excluded; dist/ is the output
    assert jobs["a.md"].settings.formats == ("epub",)
    assert jobs["b.md"].settings.formats == ("docx",)


def _write(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("text\n", encoding="utf-8")


def test_inputs_sharing_a_stem_are_named_by_their_folder_as_convert_names_them(tmp_path: Path) -> None:
    _write(tmp_path, "one/a.md", "two/a.md", "b.md")
    (tmp_path / "tearsheet.toml").write_text('[build]\n\ninputs = ["*/a.md", "b.md"]\n', encoding="utf-8")
    built = plan(load_manifest(tmp_path / "tearsheet.toml"))
    assert sorted(target(job, "pdf", built.out_dir).name for job in built.jobs) == ["b.pdf", "one-a.pdf", "two-a.pdf"]


def test_inputs_sharing_stem_and_folder_name_are_a_manifest_error(tmp_path: Path) -> None:
    _write(tmp_path, "x/one/a.md", "y/one/a.md")
    (tmp_path / "tearsheet.toml").write_text('[build]\n\ninputs = ["*/one/a.md"]\n', encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        plan(load_manifest(tmp_path / "tearsheet.toml"))
    assert str(caught.value).endswith(
        "tearsheet.toml:3: build.inputs: x/one/a.md and y/one/a.md would both write dist/a.pdf;"
        " rename one or add it to build.exclude"
    )


def test_an_article_avoids_a_collection_name(tmp_path: Path) -> None:
    _write(tmp_path, "weekly.md")
    (tmp_path / "tearsheet.toml").write_text(
        '[build]\ninputs = ["*.md"]\n[[collection]]\nname = "weekly"\ntitle = "W"\ninputs = ["*.md"]\n',
        encoding="utf-8",
    )
    built = plan(load_manifest(tmp_path / "tearsheet.toml"))
    names = sorted(target(job, "pdf", built.out_dir).name for job in built.jobs)
    assert names == [f"{tmp_path.name}-weekly.pdf", "weekly.pdf"]


def test_a_collection_that_matches_nothing_is_a_manifest_error(tmp_path: Path) -> None:
    (tmp_path / "tearsheet.toml").write_text(
        '[[collection]]\nname = "x"\ntitle = "X"\ninputs = ["none/*.md"]\n', encoding="utf-8"
    )
    with pytest.raises(ManifestError, match=r"tearsheet.toml:4: collection\[1\].inputs: its inputs match no file"):
        plan(load_manifest(tmp_path / "tearsheet.toml"))


def test_shards_split_the_jobs_without_overlap(project: Callable[..., Path]) -> None:
    manifest = load_manifest(project(generated=6))
    everything = {job.label for job in plan(manifest).jobs}
    parts = [{job.label for job in plan(manifest, Shard(k, 3)).jobs} for k in (1, 2, 3)]
    assert set().union(*parts) == everything
    assert sum(len(p) for p in parts) == len(everything)
    assert all(isinstance(job, ArticleJob | CollectionJob) for job in plan(manifest, Shard(1, 3)).jobs)


@given(st.lists(st.text(min_size=1), unique=True, max_size=30), st.integers(1, 8), st.text(min_size=1))
def test_each_path_is_in_exactly_one_shard(names: list[str], count: int, extra: str) -> None:
    def owner(name: str) -> list[int]:
        return [k for k in range(1, count + 1) if Shard(k, count).includes(name)]

    assert all(len(owner(name)) == 1 for name in [*names, extra])


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_bad_shards_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="K/N"):
        Shard.parse(text)


# A saved page's bytes are mostly what is never printed; a Markdown post's are its text.
_SCRIPT_HEAVY_PAGE = (
    "<html><head><style>" + "p { color: red; }\n" * 2000 + "</style></head><body><h1>Page</h1>"
    "<script>" + "var x = 'not printed words';\n" * 4000 + "</script><p>" + "word " * 300 + "</p></body></html>"
)


def test_effort_counts_the_words_printed_not_the_bytes(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(_SCRIPT_HEAVY_PAGE, encoding="utf-8")
    (tmp_path / "post.md").write_text("# Post\n\n" + "A sentence of several words here. " * 400, encoding="utf-8")
    (tmp_path / "tearsheet.toml").write_text('[build]\ninputs = ["*.html", "*.md"]\nformats = ["pdf"]\n')
    page, post = sorted(plan(load_manifest(tmp_path / "tearsheet.toml")).jobs, key=lambda job: job.label)
    assert page.size > 5 * post.size  # by bytes, the page would go first
    assert effort(page) == 301  # the heading and the paragraph's words
    assert effort(post) == 2402  # with the heading's "# Post"


@dataclass
class _Recording:
    """An executor that runs nothing and remembers the order it was given the tasks in."""

    jobs: int
    order: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return ""

    def run(self, tasks: Sequence[Task], stop: Stop) -> Iterator[JobOutcome]:
        for task in tasks:
            self.order.append(task.job.label)
            yield lost(task, "not run")


@pytest.mark.parametrize(("jobs", "first"), [(2, "post.md"), (1, "page.html")])
def test_a_parallel_build_starts_the_longest_input_first(tmp_path: Path, jobs: int, first: str) -> None:
    (tmp_path / "page.html").write_text(_SCRIPT_HEAVY_PAGE, encoding="utf-8")
    (tmp_path / "post.md").write_text("# Post\n\n" + "A sentence of several words here. " * 400, encoding="utf-8")
    (tmp_path / "small.md").write_text("# Small\n\nA few words.\n", encoding="utf-8")
    (tmp_path / "tearsheet.toml").write_text('[build]\ninputs = ["*.html", "*.md"]\nformats = ["pdf"]\n')
    executor = _Recording(jobs)
    run_build(load_manifest(tmp_path / "tearsheet.toml"), BuildOptions(jobs=jobs, force=True), executor=executor)
    # In parallel the post goes first; alone, order does not change the time and the bytes' order stays.
    assert executor.order[0] == first and executor.order[-1] == "small.md"
