"""``Source``: a file, a URL or a feed's entry, loaded one way; a failure is an outcome, not an exception."""

from __future__ import annotations

import pickle
from pathlib import Path

from convert.feeds import FeedEntry
from convert.fetch import Fetcher
from convert.model import Document, plain_text
from convert.normalize import Context
from convert.settings import ReadOptions
from convert.sources import Failure, Source, gather

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_a_source_is_a_file_a_url_or_a_feed_entry() -> None:
    assert Source.of("notes/a.md") == Source("notes/a.md", path=Path("notes/a.md"))
    assert Source.of(Path("a.md")).label == "a.md"
    assert Source.of("https://example.org/a").path is None
    entry = FeedEntry(link="https://example.org/e", title="E")
    assert Source.of(entry) == Source("https://example.org/e", entry=entry)


def test_a_file_loads_as_its_document(tmp_path: Path) -> None:
    outcome = Source.of(FIXTURES / "front-matter-article.md").load(ReadOptions(Context()))
    assert isinstance(outcome, Document) and outcome.meta.title


def test_a_bad_file_is_a_failure_that_crosses_processes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00\x01 not text")
    outcome = Source.of(bad).load(ReadOptions(Context()))
    assert isinstance(outcome, Failure)
    assert outcome.label == str(bad) and outcome.reason == "binary data, not a text document"
    assert outcome.line == outcome.reason and "Traceback" in outcome.trace
    assert pickle.loads(pickle.dumps(outcome)) == outcome


def test_a_url_refused_by_the_fetcher_is_a_failure(tmp_path: Path) -> None:
    fetcher = Fetcher(cache_dir=tmp_path / "cache")  # loopback is a private address: refused
    outcome = Source.of("http://127.0.0.1:9/page").load(ReadOptions(Context()), fetcher)
    assert isinstance(outcome, Failure) and "--allow-private" in outcome.reason, outcome.reason


def test_a_feed_entry_with_its_whole_text_needs_no_fetch(tmp_path: Path) -> None:
    text = " ".join(["word"] * 400)
    entry = FeedEntry(link="https://example.org/e", title="Entry", content=f"<p>{text}</p>")
    fetcher = Fetcher(cache_dir=tmp_path / "cache", offline=True)
    outcome = Source.of(entry).load(ReadOptions(Context()), fetcher)
    assert isinstance(outcome, Document) and plain_text(outcome.blocks).startswith("word word")


def test_gather_sorts_outcomes_into_what_is_bound_and_what_is_left_out_and_why(tmp_path: Path) -> None:
    good = FIXTURES / "front-matter-article.md"
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00\x01 not text")
    sources = [Source.of(good), Source.of(bad)]
    reading = ReadOptions(Context())
    counted: list[None] = []

    loaded, failed = gather(sources, (s.load(reading) for s in sources), on_each=lambda: counted.append(None))

    ((label, doc, folder),) = loaded
    assert (label, folder) == (str(good), good.resolve().parent) and doc.meta.title
    assert failed == [(str(bad), "binary data, not a text document")] and len(counted) == 2
    # A build names its sources relative to the manifest.
    named, _ = gather(sources, (s.load(reading) for s in sources), labels=["a.md", "bad.md"], detailed=True)
    assert [item[0] for item in named] == ["a.md"]
