"""``collect --new-only STATE.json``: a weekly digest never repeats an article."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.digest.feeds import article_page, atom_feed
from tests.digest.site import Site, serve
from tests.digest.test_digest_feeds import NOW, chapter_titles, run


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


def feed_of(site: Site, count: int) -> str:
    """A feed of ``count`` articles, one a day, the newest now; served afresh each call (as a feed grows)."""
    entries = []
    for k in range(count):
        path = f"/news/{k}.html"
        site.put(path, article_page(f"News {k}", f"news-{k}"))
        entries.append((f"News {k}", path, NOW - dt.timedelta(days=count - k), ""))
    return site.put("/news.xml", atom_feed("News", entries), "application/atom+xml")


def weekly(site: Site, tmp_path: Path, week: int) -> list[str]:
    """A weekly run's options: a cache of its own, since the HTTP cache keeps last week's feed for an hour."""
    return ["--title", "Weekly", "--new-only", str(tmp_path / "seen.json"), *site.network_args(tmp_path / f"c{week}")]


def test_a_second_run_binds_only_what_is_new(site: Site, tmp_path: Path) -> None:
    state = tmp_path / "seen.json"
    code, out, err = run(
        "collect", "--feed", feed_of(site, 3), "-o", str(tmp_path / "w1.epub"), *weekly(site, tmp_path, 1)
    )
    assert code == 0, err
    assert "(3 articles)" in out
    remembered = json.loads(state.read_text())
    assert remembered["version"] == 1
    assert sorted(a["title"] for a in remembered["articles"]) == ["News 0", "News 1", "News 2"]
    assert {a["book"] for a in remembered["articles"]} == {"w1.epub"}
    assert all(len(a["fingerprint"]) == 64 and a["url"].startswith("127.0.0.1:") for a in remembered["articles"])

    code, out, err = run(
        "collect", "--feed", feed_of(site, 5), "-o", str(tmp_path / "w2.epub"), *weekly(site, tmp_path, 2)
    )
    assert code == 0, err
    assert "left out 3 articles already in an earlier book" in out
    assert chapter_titles(tmp_path / "w2.epub") == ["News 3", "News 4"]
    assert site.hits["/news/0.html"] == 1  # what an earlier book held is not fetched again
    assert len(json.loads(state.read_text())["articles"]) == 5

    code, out, err = run(
        "collect", "--feed", feed_of(site, 5), "-o", str(tmp_path / "w3.epub"), *weekly(site, tmp_path, 3)
    )
    assert (code, err) == (0, "")
    assert "nothing new: no book written" in out
    assert not (tmp_path / "w3.epub").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "c1",
        "c2",
        "c3",
        "seen.json",
        "w1.epub",
        "w2.epub",
    ]  # no .part


def test_the_same_text_under_another_url_is_known_by_its_fingerprint(site: Site, tmp_path: Path) -> None:
    state = tmp_path / "seen.json"
    args = ["--title", "List", "--new-only", str(state), *site.network_args(tmp_path / "cache")]
    first = site.put("/story.html", article_page("Story", "story"))
    (tmp_path / "one.txt").write_text(first + "\n")
    assert run("collect", "--urls", str(tmp_path / "one.txt"), "-o", str(tmp_path / "a.epub"), *args)[0] == 0
    syndicated = site.put("/elsewhere/story.html", article_page("Story", "story"))
    other = site.put("/other.html", article_page("Other", "other"))
    (tmp_path / "two.txt").write_text(f"{syndicated}\n{other}\n")
    code, out, err = run("collect", "--urls", str(tmp_path / "two.txt"), "-o", str(tmp_path / "b.epub"), *args)
    assert code == 0, err
    assert "left out 1 article already in an earlier book" in out
    assert chapter_titles(tmp_path / "b.epub") == ["Other"]


def test_a_failed_build_leaves_the_state_as_it_was(site: Site, tmp_path: Path) -> None:
    state = tmp_path / "seen.json"
    assert (
        run("collect", "--feed", feed_of(site, 2), "-o", str(tmp_path / "w1.epub"), *weekly(site, tmp_path, 1))[0] == 0
    )
    before = state.read_bytes()
    (tmp_path / "blocked").write_text("a file where the book's folder would be")
    target = str(tmp_path / "blocked" / "w2.epub")
    code, _, err = run("collect", "--feed", feed_of(site, 4), "-o", target, *weekly(site, tmp_path, 2))
    assert code == 2 and "tearsheet: error:" in err
    assert state.read_bytes() == before


def test_a_state_file_that_is_not_one_is_a_one_line_error(tmp_path: Path, fixtures: Path) -> None:
    state = tmp_path / "seen.json"
    state.write_text('{"articles": "nope"}')
    book = tmp_path / "b.epub"
    code, _, err = run(
        "collect", str(fixtures / "scraped-article.md"), "-o", str(book), "--title", "T", "--new-only", str(state)
    )
    assert code == 2
    assert err.strip().splitlines() == [
        f"tearsheet: error: {state}: not a digest state file (expected {{'version': 1, 'articles': [...]}})"
    ]
    assert not book.exists()
