"""Transcripts of what the commands say: warnings name the article, counts agree, flags that clash are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from convert.cli import cli

LONG = "https://images.example.org/" + "very-long-folder-name/" * 6 + "picture.png"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def article(path: Path, title: str, images: int) -> Path:
    pictures = "\n\n".join(f"![figure {k}](https://example.org/{title}/{k}.png)" for k in range(images))
    path.write_text(f"---\ntitle: {title}\n---\n\nSome text about {title}.\n\n{pictures}\n", encoding="utf-8")
    return path


def test_images_left_offline_are_one_line_per_article_with_the_count_and_the_flag(tmp_path: Path) -> None:
    page = article(tmp_path / "page.md", "page", 3)
    code, _, err = run("convert", str(page), "--to", "pdf,epub,docx", "-o", str(tmp_path / "out"))
    assert code == 0
    assert err.splitlines() == [
        f"tearsheet: warning: {page}: 3 images not fetched (network access is off; --allow-network fetches them)"
    ]


def test_collect_names_the_article_not_the_book_and_counts_agree(tmp_path: Path) -> None:
    one, two = article(tmp_path / "one.md", "one", 1), article(tmp_path / "two.md", "two", 2)
    book = tmp_path / "book.pdf"
    code, out, err = run("collect", str(one), str(two), "-o", str(book), "--title", "Book")
    assert code == 0
    assert out == f"wrote {book} (2 articles)\n"
    assert err.splitlines() == [
        f"tearsheet: warning: {one}: 1 image not fetched (network access is off; --allow-network fetches them)",
        f"tearsheet: warning: {two}: 2 images not fetched (network access is off; --allow-network fetches them)",
    ]


def test_a_long_url_is_never_cut(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"# Page\n\ntext\n\n![x]({LONG.replace('https://images.example.org/', '')})\n", encoding="utf-8")
    code, _, err = run("convert", str(page), "-o", str(tmp_path))
    assert code == 0
    assert err == f"tearsheet: warning: {page}: {LONG.replace('https://images.example.org/', '')}: image not found\n"
    assert "..." not in err


def test_a_warning_names_its_input_once(tmp_path: Path) -> None:
    # The reader names the page in its message (a library user's log has no other name); the
    # command line, which names every input before its warnings, says it once.
    page = tmp_path / "page.html"
    latin1 = "<p>Un café à Zürich, déjà fermé.</p>" * 40
    page.write_bytes(
        f'<html><head><meta charset="utf-8"><title>T</title></head><body>{latin1}</body></html>'.encode("latin-1")
    )
    code, _, err = run("convert", str(page), "-o", str(tmp_path / "out"))
    assert code == 0
    assert f"tearsheet: warning: {page}: declared charset utf-8 does not fit; detecting" in err.splitlines()
    assert f"{page}: {page}" not in err


def test_formats_given_twice_add_up_as_a_comma_would(tmp_path: Path) -> None:
    # Click keeps only the last value of an option given twice: "--to pdf --to epub" wrote only the EPUB.
    page = article(tmp_path / "page.md", "page", 0)
    code, _, _ = run("convert", str(page), "--to", "pdf", "--to", "epub,docx", "-o", str(tmp_path / "out"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["page.docx", "page.epub", "page.pdf"]
    code, _, _ = run("collect", str(page), "--title", "Book", "--to", "pdf", "--to", "epub", "-o", str(tmp_path))
    assert code == 0 and sorted(p.name for p in tmp_path.glob("book.*")) == ["book.epub", "book.pdf"]


def test_inspect_removed_says_when_nothing_was_removed(tmp_path: Path) -> None:
    page = tmp_path / "plain.md"
    page.write_text("Just one plain paragraph of text.\n", encoding="utf-8")
    assert run("inspect", str(page), "--removed") == (0, "nothing removed\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["inspect", "{md}", "--text", "--removed"], "--text and --removed cannot be used together; choose one"),
        (["inspect", "{md}", "--json", "--text"], "--json and --text cannot be used together; choose one"),
        (["collect", "{md}", "-o", "{tmp}/b.epub", "--title", "T", "--since", "2024-01-01"], "--since applies to"),
        (
            ["collect", "{md}", "-o", "{tmp}/b.epub", "--title", "T", "--limit", "3"],
            "--max-per-feed (--limit) applies to --feed",
        ),
    ],
)
def test_flags_that_clash_are_usage_errors(tmp_path: Path, fixtures: Path, args: list[str], message: str) -> None:
    filled = [a.format(md=fixtures / "front-matter-article.md", tmp=tmp_path) for a in args]
    code, out, err = run(*filled)
    assert code == 2 and out == ""
    assert message in " ".join(err.split())
    assert list(tmp_path.iterdir()) == []


def test_a_terminal_gets_a_progress_bar_and_ci_gets_lines(
    tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = str(fixtures / "front-matter-article.md")
    code, out, err = run("convert", source, "--to", "epub", "-o", str(tmp_path))
    assert (code, out, err) == (0, f"wrote {tmp_path / 'front-matter-article.epub'}\n", "")

    monkeypatch.setattr("convert.progress.at_terminal", lambda: True)
    code, out, err = run("convert", source, "--to", "epub", "-o", str(tmp_path))
    assert code == 0
    assert out == f"wrote {tmp_path / 'front-matter-article.epub'}\n"  # stdout is not the terminal: still lines
    assert "converting" in err and "1/1" in err  # rich's bar, on stderr


def test_collect_shows_reading_and_binding_at_a_terminal(
    tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("convert.progress.at_terminal", lambda: True)
    book = tmp_path / "b.epub"
    code, out, err = run("collect", str(fixtures / "front-matter-article.md"), "-o", str(book), "--title", "T")
    assert code == 0 and out == f"wrote {book} (1 article)\n"
    assert "reading" in err and "binding b.epub" in err


def test_a_run_does_not_say_what_an_earlier_library_call_left_unsaid(tmp_path: Path) -> None:
    import logging

    from convert.reporting import UNFETCHED, reporter, setup_logging

    setup_logging(debug=False)
    logging.getLogger("tearsheet").warning("not fetched", extra={UNFETCHED: "https://example.org/a.png"})
    source = tmp_path / "plain.md"
    source.write_text("# Plain\n\nNo images here.\n", encoding="utf-8")
    code, _, err = run("convert", str(source), "-o", str(tmp_path / "out"))
    assert code == 0 and "not fetched" not in err, err
    reporter.reset()


def test_warnings_kept_in_a_worker_are_said_as_if_said_there() -> None:
    """A book's article laid out in a worker: its warnings, said later under its name, read as a serial run's.

    The images the network flag would fetch stay one line with their count, not a line each.
    """
    import logging

    from convert.reporting import SITE_RELATIVE, UNFETCHED, reporter, say_kept, setup_logging, to_stderr, warnings_kept

    tearsheet = logging.getLogger("tearsheet")

    def lay_out() -> str:
        tearsheet.warning("a table is wider than the page")
        for name in ("a", "b", "a"):
            tearsheet.warning("not fetched", extra={UNFETCHED: f"https://example.org/{name}.png"})
        tearsheet.warning("site-relative image", extra={SITE_RELATIVE: "/images/c.png"})
        return "laid out"

    said: list[str] = []
    setup_logging(debug=False)
    reporter.write = said.append
    try:
        result, kept = warnings_kept(lay_out)
        assert result == "laid out" and not said  # kept, not said, while the worker runs
        say_kept("one.md", kept)
        reporter.summarize()
    finally:
        reporter.reset()
        reporter.write = to_stderr
    assert said == [
        "tearsheet: warning: one.md: a table is wider than the page",
        "tearsheet: warning: one.md: 2 images not fetched (network access is off; --allow-network fetches them)",
        'tearsheet: warning: one.md: 1 image left out: addressed from the site\'s root ("/…") on a page that states'
        " no address",
    ]


def test_site_relative_images_of_a_page_saved_without_its_address_are_one_line(tmp_path: Path) -> None:
    """A site-relative "/images/a.png" on a page that states no address: nothing was "outside the input's folder"."""
    from tests.readers.test_extract import PROSE, page

    images = "".join(f'<p>{PROSE}</p><p><img src="/images/{k}.png" alt="figure {k}"></p>' for k in range(3))
    saved = tmp_path / "saved.html"
    saved.write_text(page(images, canonical=""), encoding="utf-8")
    code, _, err = run("convert", str(saved), "--to", "pdf,epub,docx", "-o", str(tmp_path / "out"))
    assert code == 0
    assert err.splitlines() == [
        f'tearsheet: warning: {saved}: 3 images left out: addressed from the site\'s root ("/…") on a page that'
        " states no address"
    ]
